package content

// Theme is a subject that activities and initiatives are about, such as
// digital skills or mental health.
type Theme struct {
	Meta
	Name    Text `json:"name"`
	Summary Text `json:"summary"`
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
