package content

// Theme is a subject that activities and initiatives are about, such as
// digital skills or mental health.
type Theme struct {
	Meta
	Name    Text `json:"name"`
	Summary Text `json:"summary"`
	// CatalogCategory is true when no source names the theme as a theme of
	// the event: it is a category this catalogue uses to group activities
	// and initiatives by their subject (the 2024 themes), not a theme the
	// organisers announced (like the five of the 2021 week of Regio Zuid).
	CatalogCategory bool `json:"catalogCategory,omitempty"`
}

// RecordKind implements Record.
func (*Theme) RecordKind() Kind { return KindTheme }

func (t *Theme) fields() Fields {
	return Fields{
		"nameKey":     {SortKeyOf(t.Name.NL)},
		"tokens":      Tokens(t.Name.NL, t.Name.EN, t.Summary.NL, t.Summary.EN),
		"titleTokens": Tokens(t.Name.NL, t.Name.EN),
	}
}
