package export_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"estafette/content"
	"estafette/export"
	"estafette/internal/collections"
	"estafette/seed"
	"estafette/sqlite"
)

var editor = content.WithViewer(context.Background(), content.Viewer{Actor: "redactie", Role: content.RoleEditor, Drafts: true})

// seeded returns a catalog over a new store with the seed content.
func seeded(t *testing.T) *content.Catalog {
	t.Helper()
	s, err := sqlite.Open(context.Background(), t.TempDir(), collections.All())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	cat := content.NewCatalog(s)
	if _, err := seed.Load(context.Background(), cat); err != nil {
		t.Fatal(err)
	}
	return cat
}

// Every export, in every format, imports back without a problem and
// without a change, the type of its records told by the file alone.
func TestImportTakesBackTheExport(t *testing.T) {
	cat := seeded(t)
	// Texts that a spreadsheet would run as formulas, which the Excel
	// export writes with a leading apostrophe.
	a := &content.Activity{Meta: content.Meta{Slug: "formules", Status: content.StatusPublished, Sources: []content.Source{{Title: "test"}}},
		EditionID: "2023", Title: content.Text{NL: "=1+1; een \"formule\"", EN: "+31 calls"}, Summary: content.Text{NL: "-gratis-\nmet een tweede regel", EN: "@zorg"}}
	if _, err := content.Create(editor, cat, a); err != nil {
		t.Fatal(err)
	}
	for _, entity := range export.Entities {
		for _, f := range []struct {
			name   string
			format export.Format
			excel  bool
		}{{"csv", export.CSV, false}, {"excel", export.CSV, true}, {"ndjson", export.NDJSON, false}, {"json", export.JSON, false}} {
			t.Run(fmt.Sprintf("%s-%s", entity, f.name), func(t *testing.T) {
				var buf bytes.Buffer
				n, err := export.Write(editor, cat, &buf, export.Request{Entity: entity, Format: f.format, Excel: f.excel}, nil)
				if err != nil || n == 0 {
					t.Fatalf("export: %d records, %v", n, err)
				}
				file := buf.String()
				checkRoundTrip(t, cat, file, n)
				if f.format == export.CSV {
					// Without the type column, the header tells the kind.
					checkRoundTrip(t, cat, withoutLastColumn(t, file, f.excel), n)
				}
			})
		}
	}
}

func checkRoundTrip(t *testing.T, cat *content.Catalog, file string, n int) {
	t.Helper()
	items, problems, err := export.Read(strings.NewReader(file), "")
	if err != nil || len(problems) > 0 {
		t.Fatalf("read: %v %+v", err, problems)
	}
	if len(items) != n {
		t.Fatalf("read %d records of %d", len(items), n)
	}
	rep, err := cat.Import(editor, items, content.ImportOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) > 0 || rep.Created+rep.Updated != 0 || rep.Unchanged != n {
		t.Errorf("importing the export back: %d created, %d updated, %d unchanged of %d, problems %+v",
			rep.Created, rep.Updated, rep.Unchanged, n, rep.Problems)
	}
}

// withoutLastColumn drops the type column (the last) of a CSV export.
func withoutLastColumn(t *testing.T, file string, excel bool) string {
	t.Helper()
	sep, eol := ",", "\n"
	if excel {
		sep, eol = ";", "\r\n"
	}
	lines := strings.Split(file, eol)
	for i, l := range lines {
		if l == "" {
			continue
		}
		if !strings.HasSuffix(l, sep+"type") && !strings.HasSuffix(l, sep+"activity") &&
			!strings.HasSuffix(l, sep+"initiative") && !strings.HasSuffix(l, sep+"organization") {
			continue // a line of a text that spans lines
		}
		lines[i] = l[:strings.LastIndex(l, sep)]
	}
	return strings.Join(lines, eol)
}

func TestKindFromName(t *testing.T) {
	for name, want := range map[string]content.Kind{
		"estafette-activities.ndjson":          content.KindActivity,
		"/tmp/estafette-activities-2023.csv":   content.KindActivity,
		"Initiatives.json":                     content.KindInitiative,
		"estafette-organizations-hospital.csv": content.KindOrganization,
		"organisaties.csv":                     "",
		"export.ndjson":                        "",
		"activities-and-organizations.json":    "",
	} {
		if got := export.KindFromName(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
}

// A record with several problems reports all of them at once, in every
// format: a bad date does not hide a bad slug, nor a bad reference the
// rest of the record.
func TestImportReportsEveryProblem(t *testing.T) {
	cat := seeded(t)
	files := map[string]string{
		"ndjson": `{"slug":"goed","edition":2023,"title_nl":"Goed"}
{"slug":"Slechte Slug!","edition":2023,"region":"nergens","title_nl":"x","starts_on":"2023-13-45","ends_on":"2023-02-01","starts_at":"morgen"}
`,
		"csv": "slug,edition,region,title_nl,starts_on,ends_on,starts_at\n" +
			"goed,2023,,Goed,,,\n" +
			"Slechte Slug!,2023,nergens,x,2023-13-45,2023-02-01,morgen\n",
		"excel": "\uFEFFslug;edition;region;title_nl;starts_on;ends_on;starts_at\r\n" +
			"goed;2023;;Goed;;;\r\n" +
			"Slechte Slug!;2023;nergens;x;2023-13-45;2023-02-01;morgen\r\n",
	}
	for name, file := range files {
		t.Run(name, func(t *testing.T) {
			items, read, err := export.Read(strings.NewReader(file), "")
			if err != nil {
				t.Fatal(err)
			}
			rep, err := cat.Import(editor, items, content.ImportOptions{DryRun: true})
			if err != nil {
				t.Fatal(err)
			}
			line := "line 2"
			if name != "ndjson" {
				line = "line 3" // the header is line 1
			}
			var got []string
			for _, p := range export.MergeProblems(read, rep.Problems) {
				if p.Where != line {
					t.Errorf("a problem of %s: %+v", p.Where, p)
				}
				got = append(got, p.Field)
			}
			// endsOn: 1 February is before the edition of 2023.
			for _, want := range []string{"slug", "starts_on", "starts_at", "region", "endsOn"} {
				if !slices.Contains(got, want) {
					t.Errorf("no problem with %s among %q", want, got)
				}
			}
		})
	}
}
