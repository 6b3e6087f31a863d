package content_test

import (
	"context"
	"strings"
	"testing"

	"estafette/content"
)

func newRecap(slug string) *content.Recap {
	return &content.Recap{
		Meta:      content.Meta{Slug: slug},
		EditionID: "2023",
		Title:     content.Text{NL: "Terugblik", EN: "Looking back"},
		Body:      content.Text{NL: "## De route\n\nVan *Groningen* naar [Maastricht](https://example.nl).", EN: "The route."},
	}
}

// Markdown bombs are refused when they are written, with the limit named,
// on the field and language that holds them.
func TestRecapMarkdownLimits(t *testing.T) {
	cat := seeded(t)
	if _, err := content.Create(editor, cat, newRecap("gewone-terugblik")); err != nil {
		t.Fatalf("an ordinary recap: %v", err)
	}
	var wide strings.Builder
	wide.WriteString(strings.Repeat("|a", 1500) + "|\n" + strings.Repeat("|-", 1500) + "|\n")
	for wide.Len() < 24000 {
		wide.WriteString("|\n")
	}
	cases := []struct {
		name, field, want string
		edit              func(r *content.Recap)
	}{
		{"wide table", "body.nl", "the body has a table of 1,500 columns; at most 20 are allowed",
			func(r *content.Recap) { r.Body.NL = wide.String() }},
		{"8,000 headings", "body.en", "the body has 8,001 headings; at most 200 are allowed",
			func(r *content.Recap) { r.Body.EN = strings.Repeat("# a\n", 8001) }},
		{"nested quotes", "body.nl", "the body nests lists and quotes 5,000 levels deep; at most 10 levels are allowed",
			func(r *content.Recap) { r.Body.NL = strings.Repeat(">", 5000) + " a" }},
		{"unfinished links", "body.nl", "at most 500 are allowed",
			func(r *content.Recap) { r.Body.NL = strings.Repeat("[a](", 20000) }},
		{"unmatched emphasis", "body.nl", "at most 2,000,000 is allowed",
			func(r *content.Recap) { r.Body.NL = strings.Repeat("*a_", 30000) }},
		{"long table", "body.nl", "at most 2,000 are allowed",
			func(r *content.Recap) { r.Body.NL = "|a|b|\n|-|-|\n" + strings.Repeat("|x|y|\n", 1200) }},
	}
	for _, c := range cases {
		r := newRecap("bom")
		c.edit(r)
		_, err := content.Create(editor, cat, r)
		if content.ErrorCode(err) != content.EINVALID || content.ErrorField(err) != c.field || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v (field %q), want EINVALID on %s naming %q", c.name, err, content.ErrorField(err), c.field, c.want)
		}
	}
	if n, _ := cat.Store().Count(context.Background(), content.KindRecap, content.Eq("slug", "bom")); n != 0 {
		t.Errorf("%d bombs were written", n)
	}
}

// Titles and names refuse control characters and bidirectional overrides;
// longer text refuses control characters other than tabs and line ends.
func TestTextCharacters(t *testing.T) {
	cat := seeded(t)
	cases := []struct {
		name, field string
		edit        func(a *content.Activity)
	}{
		{"right-to-left override", "title.nl", func(a *content.Activity) { a.Title.NL = "Zorg\u202Etxt.exe" }},
		{"isolate in English", "title.en", func(a *content.Activity) { a.Title.EN = "Care \u2066x\u2069" }},
		{"carriage return", "title.nl", func(a *content.Activity) { a.Title.NL = "Zorg\rBEGIN:VEVENT" }},
		{"newline", "title.nl", func(a *content.Activity) { a.Title.NL = "Zorg\nin de wijk" }},
		{"NUL in a summary", "summary.nl", func(a *content.Activity) { a.Summary.NL = "Zorg\x00" }},
		{"escape in a summary", "summary.nl", func(a *content.Activity) { a.Summary.NL = "Zorg\x1b[31m" }},
		{"override in a venue", "venue.name", func(a *content.Activity) { n := "Zaal \u202D1"; a.Venue = &content.Venue{Name: &n} }},
		{"control in a source", "sources[0].title", func(a *content.Activity) { a.Sources = []content.Source{{Title: "Bron\x07"}} }},
	}
	for _, c := range cases {
		a := newActivity("tekens")
		c.edit(a)
		_, err := content.Create(editor, cat, a)
		if content.ErrorCode(err) != content.EINVALID || content.ErrorField(err) != c.field {
			t.Errorf("%s: %v (field %q), want EINVALID on %s", c.name, err, content.ErrorField(err), c.field)
		}
	}
	// Line ends in a summary and direction marks in a title are fine.
	a := newActivity("tekens-goed")
	a.Summary.NL = "Regel een\r\nRegel twee\n\tingesprongen"
	a.Title.NL = "Zorg \u200Fin de wijk\u200E"
	if _, err := content.Create(editor, cat, a); err != nil {
		t.Errorf("line ends and direction marks: %v", err)
	}
	// An organisation name (a plain string) too.
	o := &content.Organization{Meta: content.Meta{Slug: "bidi-org"}, Name: "Org\u202E"}
	if _, err := content.Create(editor, cat, o); content.ErrorField(err) != "name" {
		t.Errorf("organisation name with U+202E: %v", err)
	}
}
