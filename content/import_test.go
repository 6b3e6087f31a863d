package content_test

import (
	"strings"
	"testing"

	"estafette/content"
	"estafette/export"
)

func readImport(t *testing.T, ndjson string) []content.ImportItem {
	t.Helper()
	items, problems, err := export.Read(strings.NewReader(ndjson), "")
	if err != nil || len(problems) > 0 {
		t.Fatalf("read: %v %v", err, problems)
	}
	return items
}

const importFile = `{"type":"initiative","slug":"zorgrobots","name_nl":"Zorgrobots","editions":["2024"],"regions":["oost"],"status":"published","sources":[{"title":"Programma"}]}
{"type":"activity","slug":"zorgrobots-demo","edition":2024,"region":"oost","initiative":"zorgrobots","title_nl":"Demo van zorgrobots","organizers":"zonmw|mboRijnland-nope","status":"published"}
`

func TestImport(t *testing.T) {
	cat := seeded(t)
	// One bad reference: nothing is written and the problem names the line.
	rep, err := cat.Import(editor, readImport(t, importFile), content.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Applied || len(rep.Problems) != 1 || rep.Problems[0].Where != "line 2" || rep.Problems[0].Field != "organizers[1]" {
		t.Fatalf("report %+v", rep)
	}
	if n, _ := cat.Store().Count(anon, content.KindInitiative, content.Eq("slug", "zorgrobots")); n != 0 {
		t.Fatal("a refused import wrote the initiative")
	}

	good := strings.Replace(importFile, "|mboRijnland-nope", "|mborijnland", 1)
	rep, err = cat.Import(editor, readImport(t, good), content.ImportOptions{})
	if err != nil || !rep.Applied || rep.Created != 2 || len(rep.Problems) != 0 {
		t.Fatalf("import: %+v %v", rep, err)
	}
	act, err := content.BySlug[content.Activity](anon, cat, "zorgrobots-demo")
	if err != nil || act == nil {
		t.Fatalf("imported activity not found: %v", err)
	}
	ini, _ := content.BySlug[content.Initiative](anon, cat, "zorgrobots")
	if act.InitiativeID != ini.ID || act.EditionID != "2024" || len(act.OrganizerIDs) != 2 {
		t.Errorf("references: %+v", act)
	}

	// The same file again changes nothing.
	rep, err = cat.Import(editor, readImport(t, good), content.ImportOptions{})
	if err != nil || rep.Unchanged != 2 || rep.Created+rep.Updated != 0 {
		t.Errorf("second import: %+v %v", rep, err)
	}
	// A changed title updates one record and keeps its id.
	rep, err = cat.Import(editor, readImport(t, strings.Replace(good, "Demo van zorgrobots", "Zorgrobots in actie", 1)), content.ImportOptions{})
	if err != nil || rep.Updated != 1 || rep.Unchanged != 1 {
		t.Errorf("changed import: %+v %v", rep, err)
	}
	again, _ := content.BySlug[content.Activity](anon, cat, "zorgrobots-demo")
	if again.ID != act.ID || again.Version != 2 || again.Title.NL != "Zorgrobots in actie" {
		t.Errorf("after the update: %+v", again.Meta)
	}
	log, _ := cat.ListAudit(admin, content.AuditFilter{RecordID: &act.ID}, content.PageArgs{})
	if len(log.Items) != 2 || log.Items[0].Action != content.ActionImport {
		t.Errorf("audit: %+v", log.Items)
	}
	if _, err := cat.Import(reader, readImport(t, good), content.ImportOptions{}); content.ErrorCode(err) != content.EFORBIDDEN {
		t.Errorf("a reader imported: %v", err)
	}
}

func TestImportReportsEveryProblem(t *testing.T) {
	cat := seeded(t)
	file := `{"type":"activity","slug":"a","edition":1999,"title_nl":"A"}
{"type":"activity","slug":"b","edition":2023,"title_nl":""}
{"type":"activity","slug":"a","edition":2023,"title_nl":"A again"}
{"type":"activity","slug":"c","edition":2023,"title_nl":"C","colour":"red"}
not json
`
	items, problems, err := export.Read(strings.NewReader(file), "")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := cat.Import(editor, items, content.ImportOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	all := append(problems, rep.Problems...)
	where := map[string]bool{}
	for _, p := range all {
		where[p.Where] = true
	}
	for _, w := range []string{"line 1", "line 2", "line 3", "line 4", "line 5"} {
		if !where[w] {
			t.Errorf("no problem reported for %s: %+v", w, all)
		}
	}
}
