package content

import "time"

// Recap is an article looking back on an edition, a regional week or an
// initiative; its body is Markdown.
type Recap struct {
	Meta
	EditionID     string     `json:"edition"`
	Title         Text       `json:"title"`
	Summary       Text       `json:"summary"`
	Body          Text       `json:"body"`
	PublishedAt   *time.Time `json:"publishedAt,omitempty"`
	InitiativeIDs []string   `json:"initiatives"`
	RegionIDs     []string   `json:"regions"`
}

// RecordKind implements Record.
func (*Recap) RecordKind() Kind { return KindRecap }

func (r *Recap) fields() Fields {
	f := Fields{
		"edition":      {r.EditionID},
		"publishedKey": {nullLast},
		"initiatives":  r.InitiativeIDs,
		"regions":      r.RegionIDs,
		"tokens":       Tokens(r.Title.NL, r.Title.EN, r.Summary.NL, r.Summary.EN),
		"titleTokens":  Tokens(r.Title.NL, r.Title.EN),
	}
	if r.PublishedAt != nil {
		f["publishedKey"] = []string{timeKey(*r.PublishedAt)}
	}
	return f
}
