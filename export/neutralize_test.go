package export_test

import (
	"context"
	"encoding/csv"
	"strconv"
	"testing"

	"estafette/content"
	"estafette/export"
)

// Every CSV, not only ?excel=1, neutralises cells a spreadsheet would run
// as formulas; numbers stay numbers, and PlainCell gives the text back.
func TestCSVNeutralizesFormulasByDefault(t *testing.T) {
	cat := catalog(t)
	titles := map[string]string{
		"f-eq":     `=HYPERLINK("https://evil.example","klik")`,
		"f-plus":   "+31 20 123 4567",
		"f-minus":  "-5 graden in Groningen",
		"f-at":     "@SUM(A1:A9)",
		"f-tab":    "\t=1+1",
		"f-cr":     "\r=1+1",
		"f-quote":  "'=al gequote",
		"f-quote2": "''+twee",
		"f-apos":   "'s-Hertogenbosch",
		"f-plain":  "Zorg in de wijk",
	}
	for id, title := range titles {
		a := &content.Activity{Meta: content.Meta{ID: id, Slug: id, Status: content.StatusPublished, Version: 1},
			EditionID: "2021", Title: content.Text{NL: title, EN: title}, OrganizerIDs: []string{}, ThemeIDs: []string{}}
		if err := cat.Save(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
	rec := get(t, export.Handler(cat, nil), "/export/activities.csv?edition=2021")
	records, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := index(records[0])
	seen := 0
	for _, row := range records[1:] {
		if y, err := strconv.Atoi(row[col["edition"]]); err != nil || y != 2021 {
			t.Errorf("edition cell %q is not a plain number", row[col["edition"]])
		}
		title, ok := titles[row[col["id"]]]
		if !ok {
			continue
		}
		seen++
		cell := row[col["title_nl"]]
		if c := cell[0]; c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' {
			t.Errorf("%s: cell %q starts a formula", row[col["id"]], cell)
		}
		if got := export.PlainCell(cell); got != title {
			t.Errorf("%s: cell %q reads back as %q, want %q", row[col["id"]], cell, got, title)
		}
	}
	if seen != len(titles) {
		t.Errorf("%d of %d rows", seen, len(titles))
	}
	for _, s := range []string{"", "a", "'", "''", "=", "'=", "-1", "'s", "\r\n"} {
		if got := export.PlainCell(export.Neutralize(s)); got != s {
			t.Errorf("PlainCell(Neutralize(%q)) = %q", s, got)
		}
	}
}
