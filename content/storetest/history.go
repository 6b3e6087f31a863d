package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"estafette/content"
)

// runHistory checks revisions, slug aliases and scheduled publishing: the
// records a write keeps with the change, in the same Apply.
func runHistory(t *testing.T, open func(t *testing.T) content.Store) {
	runCases(t, open, []testCase{
		{"Revisions", testRevisions},
		{"StaleWriteStoresNoRevision", testStaleWriteNoRevision},
		{"RestoreRevision", testRestoreRevision},
		{"RevisionRetention", testRevisionRetention},
		{"Aliases", testAliases},
		{"PurgeTakesHistory", testPurgeTakesHistory},
		{"SchedulersRace", testSchedulersRace},
		{"ScheduleAfterChange", testScheduleAfterChange},
	})
}

var editorCtx = content.WithViewer(context.Background(), content.Viewer{Actor: "redactie", Role: content.RoleEditor, Drafts: true})

func newTheme(slug string) *content.Theme {
	th := &content.Theme{Meta: content.Meta{Slug: slug, Sources: []content.Source{{Title: "storetest"}}}, Name: content.NLText("Thema " + slug)}
	return th
}

// storedBody returns the stored body of a record.
func storedBody(t *testing.T, s content.Store, kind content.Kind, id string) json.RawMessage {
	t.Helper()
	docs, err := s.Get(ctx, kind, []string{id})
	if err != nil {
		t.Fatal(err)
	}
	d, ok := docs[id]
	if !ok {
		t.Fatalf("%s %s is not stored", kind, id)
	}
	return d.Body
}

// writeTwenty creates a theme and updates it 19 times; it returns the
// theme and its stored body after each write, by version.
func writeTwenty(t *testing.T, s content.Store, cat *content.Catalog) (*content.Theme, map[int64]json.RawMessage) {
	t.Helper()
	bodies := map[int64]json.RawMessage{}
	th, err := content.Create(editorCtx, cat, newTheme("geschiedenis"))
	if err != nil {
		t.Fatal(err)
	}
	bodies[1] = storedBody(t, s, content.KindTheme, th.ID)
	for v := int64(2); v <= 20; v++ {
		th, err = content.Update(editorCtx, cat, th.ID, v-1, func(x *content.Theme) error {
			x.Name = content.Text{NL: fmt.Sprintf("Versie %d", v), EN: fmt.Sprintf("Version %d", v%3)}
			return nil
		})
		if err != nil {
			t.Fatalf("update to version %d: %v", v, err)
		}
		bodies[v] = storedBody(t, s, content.KindTheme, th.ID)
	}
	return th, bodies
}

func countRevisions(t *testing.T, s content.Store, kind content.Kind, id string) int {
	t.Helper()
	n, err := s.Count(ctx, content.KindRevision, content.And(content.Eq("recordKind", string(kind)), content.Eq("recordId", id)))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func auditOf(t *testing.T, s content.Store, id, action string) []content.AuditEntry {
	t.Helper()
	docs, err := s.Find(ctx, content.Query{Kind: content.KindAudit, Where: content.And(content.Eq("recordId", id), content.Eq("action", action)), Sort: []content.SortKey{{Field: "id"}}})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]content.AuditEntry, len(docs))
	for i, d := range docs {
		if err := json.Unmarshal(d.Body, &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// testRevisions: 20 writes of one record give 20 revisions whose bodies
// equal the record after each write, listed newest first, page by page.
func testRevisions(t *testing.T, s content.Store) {
	cat := newCatalog(t, s)
	th, bodies := writeTwenty(t, s, cat)
	if n := countRevisions(t, s, content.KindTheme, th.ID); n != 20 {
		t.Fatalf("%d revisions, want 20", n)
	}
	var got []int64
	var after *string
	for {
		page, err := cat.ListRevisions(editorCtx, content.KindTheme, th.ID, content.PageArgs{First: ptr(7), After: after})
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range page.Items {
			got = append(got, r.Version)
			if !jsonEqual(r.Body, bodies[r.Version]) {
				t.Errorf("revision %d:\n%s\nthe record after that write:\n%s", r.Version, r.Body, bodies[r.Version])
			}
			if r.Author != "redactie" || (r.Version == 1) != (r.Action == content.ActionCreate) {
				t.Errorf("revision %d: author %q, action %q", r.Version, r.Author, r.Action)
			}
			after = &page.Cursors[i]
		}
		if !page.HasNextPage {
			break
		}
	}
	if len(got) != 20 || got[0] != 20 || got[19] != 1 {
		t.Errorf("versions %v, want 20 down to 1", got)
	}
	rev, err := cat.GetRevision(editorCtx, content.KindTheme, th.ID, 7)
	if err != nil {
		t.Fatal(err)
	}
	r, err := rev.Record()
	if err != nil {
		t.Fatal(err)
	}
	if r.(*content.Theme).Name.NL != "Versie 7" {
		t.Errorf("revision 7 is %+v", r)
	}
	_, err = cat.GetRevision(editorCtx, content.KindTheme, th.ID, 21)
	wantCode(t, err, content.ENOTFOUND, "revision 21")
	_, err = cat.ListRevisions(ctx, content.KindTheme, th.ID, content.PageArgs{})
	wantCode(t, err, content.EUNAUTHORIZED, "revisions without a key")

	diff, err := cat.DiffRevisions(editorCtx, content.KindTheme, th.ID, 3, 5)
	if err != nil {
		t.Fatal(err)
	}
	var fields []string
	for _, d := range diff {
		fields = append(fields, d.Field+"="+*d.Before+">"+*d.After)
	}
	if want := `name.en="Version 0">"Version 2"|name.nl="Versie 3">"Versie 5"`; strings.Join(fields, "|") != want {
		t.Errorf("diff 3..5: %s, want %s", strings.Join(fields, "|"), want)
	}
}

// testStaleWriteNoRevision: a write refused for a stale version stores no
// revision, through the catalog and at the store level.
func testStaleWriteNoRevision(t *testing.T, s content.Store) {
	cat := newCatalog(t, s)
	th, err := content.Create(editorCtx, cat, newTheme("verouderd"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := content.Update(editorCtx, cat, th.ID, 1, func(x *content.Theme) error { x.Name = content.NLText("Twee"); return nil }); err != nil {
		t.Fatal(err)
	}
	_, err = content.Update(editorCtx, cat, th.ID, 1, func(x *content.Theme) error { x.Name = content.NLText("Te laat"); return nil })
	wantCode(t, err, content.ECONFLICT, "a stale update")
	_, err = cat.RestoreRevision(editorCtx, content.KindTheme, th.ID, 1, 1)
	wantCode(t, err, content.ECONFLICT, "a stale restore")
	if n := countRevisions(t, s, content.KindTheme, th.ID); n != 2 {
		t.Errorf("%d revisions after a refused write, want 2", n)
	}
	// The store refuses the write with its revision as a whole.
	doc, _ := content.Encode(th)
	rev, _ := content.EncodeRevision(content.Revision{ID: content.RevisionID(content.KindTheme, th.ID, 9), RecordKind: content.KindTheme,
		RecordID: th.ID, Version: 9, Action: content.ActionUpdate, Body: doc.Body})
	err = s.Apply(ctx, content.Write{Doc: doc, Expect: content.VersionKey(5), Also: []content.Doc{rev}})
	wantCode(t, err, content.ECONFLICT, "a stale Apply")
	if got, _ := s.Get(ctx, content.KindRevision, []string{rev.ID}); len(got) != 0 {
		t.Error("the revision of a refused Apply is stored")
	}
}

// testRestoreRevision: restoring version 3 writes a new version whose
// content equals version 3's, audited as restore; history stays.
func testRestoreRevision(t *testing.T, s content.Store) {
	cat := newCatalog(t, s)
	th, bodies := writeTwenty(t, s, cat)
	r, err := cat.RestoreRevision(editorCtx, content.KindTheme, th.ID, 3, 20)
	if err != nil {
		t.Fatal(err)
	}
	if v := content.MetaOf(r).Version; v != 21 {
		t.Fatalf("restored as version %d, want 21", v)
	}
	diff, err := content.DiffBodies(bodies[3], storedBody(t, s, content.KindTheme, th.ID))
	if err != nil {
		t.Fatal(err)
	}
	if len(diff) != 0 {
		t.Errorf("version 21 differs from version 3: %+v", diff)
	}
	if n := countRevisions(t, s, content.KindTheme, th.ID); n != 21 {
		t.Errorf("%d revisions, want 21", n)
	}
	if a := auditOf(t, s, th.ID, content.ActionRestore); len(a) != 1 || *a[0].AfterVersion != 21 {
		t.Errorf("audit entries of the restore: %+v", a)
	}
	_, err = cat.RestoreRevision(editorCtx, content.KindTheme, th.ID, 99, 21)
	wantCode(t, err, content.ENOTFOUND, "a restore of a version that never was")
}

// testRevisionRetention: with a retention of 3, the last 3 revisions and
// every published one stay, and the removal is audited.
func testRevisionRetention(t *testing.T, s content.Store) {
	cat := newCatalog(t, s)
	cat.SetRevisionsKeep(3)
	th, err := content.Create(editorCtx, cat, newTheme("bewaren")) // 1 draft
	if err != nil {
		t.Fatal(err)
	}
	rename := func(v int64) {
		t.Helper()
		if _, err := content.Update(editorCtx, cat, th.ID, v, func(x *content.Theme) error { x.Name = content.NLText(fmt.Sprint("Naam ", v)); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	rename(1) // 2 draft
	if _, err := content.SetStatus[content.Theme](editorCtx, cat, th.ID, ptr(int64(2)), content.StatusPublished); err != nil {
		t.Fatal(err) // 3 published
	}
	if _, err := content.SetStatus[content.Theme](editorCtx, cat, th.ID, ptr(int64(3)), content.StatusDraft); err != nil {
		t.Fatal(err) // 4 draft
	}
	for v := int64(4); v < 10; v++ {
		rename(v) // 5..10 drafts
	}
	page, err := cat.ListRevisions(editorCtx, content.KindTheme, th.ID, content.PageArgs{First: ptr(50)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range page.Items {
		got = append(got, fmt.Sprint(r.Version))
	}
	if strings.Join(got, ",") != "10,9,8,3" {
		t.Errorf("kept revisions %v, want 10,9,8,3", got)
	}
	if a := auditOf(t, s, th.ID, content.ActionPruneRevisions); len(a) == 0 || !strings.Contains(a[0].Note, "removed revisions") {
		t.Errorf("the removal is not audited: %+v", a)
	}
}

// testAliases: an old slug keeps finding its record, in lookups and
// filters, and no other record may take it until it is released.
func testAliases(t *testing.T, s content.Store) {
	cat := newCatalog(t, s, activity("a-noord", region("reg-noord")))
	reg, err := content.Update(editorCtx, cat, "reg-noord", 1, func(r *content.Region) error { r.Slug = "noorden"; return nil })
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []context.Context{ctx, editorCtx} {
		got, err := content.BySlug[content.Region](c, cat, "noord")
		if err != nil || got == nil || got.ID != "reg-noord" || got.Slug != "noorden" {
			t.Fatalf("region by its old slug: %+v, %v", got, err)
		}
	}
	old := "noord"
	page, err := cat.ListActivities(ctx, content.ActivityFilter{RegionSlug: &old}, content.Order[content.ActivityOrderField]{}, content.PageArgs{})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("activities filtered on the old slug: %v, %v", page, err)
	}
	// Another record cannot take the old slug, by creating or renaming.
	other := &content.Region{Meta: content.Meta{Slug: "noord", Sources: []content.Source{{Title: "t"}}}, Name: content.NLText("Ander"), Position: 9}
	_, err = content.Create(editorCtx, cat, other)
	wantCode(t, err, content.EINVALID, "a new region with the old slug")
	_, err = content.Update(editorCtx, cat, "reg-zuid", 1, func(r *content.Region) error { r.Slug = "noord"; return nil })
	wantCode(t, err, content.EINVALID, "renaming another region to the old slug")
	// The record itself may take its old slug back; the slug it leaves
	// becomes an alias.
	if _, err := content.Update(editorCtx, cat, "reg-noord", reg.Version, func(r *content.Region) error { r.Slug = "noord"; return nil }); err != nil {
		t.Fatalf("taking the old slug back: %v", err)
	}
	if al, err := cat.Aliases(editorCtx, content.KindRegion, "reg-noord"); err != nil || strings.Join(al, ",") != "noorden" {
		t.Errorf("aliases %v (%v), want noorden", al, err)
	}
	// Released, the alias leads nowhere and the slug is free.
	err = cat.ReleaseAlias(editorCtx, content.KindRegion, "reg-zuid", "noorden")
	wantCode(t, err, content.ENOTFOUND, "releasing another record's alias")
	if err := cat.ReleaseAlias(editorCtx, content.KindRegion, "reg-noord", "noorden"); err != nil {
		t.Fatal(err)
	}
	if got, err := content.BySlug[content.Region](ctx, cat, "noorden"); err != nil || got != nil {
		t.Errorf("a released alias finds %+v, %v", got, err)
	}
	if _, err := content.Update(editorCtx, cat, "reg-zuid", 1, func(r *content.Region) error { r.Slug = "noorden"; return nil }); err != nil {
		t.Errorf("taking a released slug: %v", err)
	}
	if a := auditOf(t, s, "reg-noord", content.ActionReleaseAlias); len(a) != 1 || a[0].Slug != "noorden" {
		t.Errorf("the release is not audited: %+v", a)
	}
}

// testPurgeTakesHistory: purging a record removes its revisions and
// aliases; until then they stay.
func testPurgeTakesHistory(t *testing.T, s content.Store) {
	cat := newCatalog(t, s)
	th, err := content.Create(editorCtx, cat, newTheme("weg"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := content.Update(editorCtx, cat, th.ID, 1, func(x *content.Theme) error { x.Slug = "helemaal-weg"; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := content.Delete[content.Theme](editorCtx, cat, th.ID, nil); err != nil {
		t.Fatal(err)
	}
	if n := countRevisions(t, s, content.KindTheme, th.ID); n != 3 {
		t.Fatalf("%d revisions of the deleted record, want 3", n)
	}
	if n, err := cat.Purge(ctx, time.Now().Add(100*365*24*time.Hour)); err != nil || n == 0 {
		t.Fatalf("purge: %d, %v", n, err)
	}
	if n := countRevisions(t, s, content.KindTheme, th.ID); n != 0 {
		t.Errorf("%d revisions after the purge", n)
	}
	if n, _ := s.Count(ctx, content.KindAlias, content.Eq("recordId", th.ID)); n != 0 {
		t.Errorf("%d aliases after the purge", n)
	}
}

// clock is a settable time for the scheduler tests.
type clock struct{ ns atomic.Int64 }

func (c *clock) now() time.Time      { return time.Unix(0, c.ns.Load()) }
func (c *clock) set(t time.Time)     { c.ns.Store(t.UnixNano()) }
func (c *clock) add(d time.Duration) { c.ns.Add(int64(d)) }

// testSchedulersRace: three schedulers over one store race for a due
// publication: it happens once, with one audit entry, as the editor who
// scheduled it.
func testSchedulersRace(t *testing.T, s content.Store) {
	var clk clock
	clk.set(at(2023, 2, 15, 12, 0))
	cat := newCatalog(t, s).WithClock(clk.now)
	th, err := content.Create(editorCtx, cat, newTheme("gepland"))
	if err != nil {
		t.Fatal(err)
	}
	when := clk.now().Add(time.Minute)
	r, err := cat.SetSchedule(editorCtx, content.KindTheme, th.ID, content.SchedulePublish, when)
	if err != nil {
		t.Fatal(err)
	}
	if sc := content.MetaOf(r).Schedule; sc == nil || !sc.At.Equal(when) || sc.By != "redactie" {
		t.Fatalf("schedule %+v", sc)
	}
	_, err = cat.SetSchedule(editorCtx, content.KindTheme, th.ID, content.SchedulePublish, clk.now().Add(-time.Hour))
	wantCode(t, err, content.EINVALID, "a schedule in the past")
	if n, err := cat.RunDue(ctx); err != nil || n != 0 {
		t.Fatalf("before it is due: %d, %v", n, err)
	}
	clk.add(2 * time.Minute)
	var wg sync.WaitGroup
	var done atomic.Int64
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				n, err := cat.RunDue(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				done.Add(int64(n))
			}
		}()
	}
	wg.Wait()
	if done.Load() != 1 {
		t.Errorf("%d publications, want 1", done.Load())
	}
	a := auditOf(t, s, th.ID, content.ActionPublish)
	if len(a) != 1 || a[0].Actor != "redactie" || !strings.Contains(a[0].Note, "scheduled by redactie") {
		t.Errorf("audit entries of the publication: %+v", a)
	}
	got, err := content.GetOne[content.Theme](ctx, cat, th.ID)
	if err != nil || got == nil || got.Schedule != nil {
		t.Fatalf("after the scheduled publication: %+v, %v", got, err)
	}
	if n, _ := s.Count(ctx, content.KindTheme, content.Gte("scheduleKey", "")); n != 0 {
		t.Errorf("%d themes still scheduled", n)
	}
}

// testScheduleAfterChange: a record changed after it was scheduled
// publishes its latest version, and the audit entry says so; cancelling
// removes a schedule.
func testScheduleAfterChange(t *testing.T, s content.Store) {
	var clk clock
	clk.set(at(2023, 2, 15, 12, 0))
	cat := newCatalog(t, s).WithClock(clk.now)
	th, err := content.Create(editorCtx, cat, newTheme("later"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cat.SetSchedule(editorCtx, content.KindTheme, th.ID, content.SchedulePublish, clk.now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	changed, err := content.Update(editorCtx, cat, th.ID, 2, func(x *content.Theme) error { x.Name = content.NLText("Nieuwste"); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if changed.Schedule == nil {
		t.Fatal("an update dropped the schedule")
	}
	clk.add(2 * time.Hour)
	if n, err := cat.RunDue(ctx); err != nil || n != 1 {
		t.Fatalf("due: %d, %v", n, err)
	}
	got, _ := content.GetOne[content.Theme](ctx, cat, th.ID)
	if got == nil || got.Name.NL != "Nieuwste" || got.Version != 4 {
		t.Fatalf("published %+v", got)
	}
	if a := auditOf(t, s, th.ID, content.ActionPublish); len(a) != 1 || !strings.Contains(a[0].Note, "latest version") {
		t.Errorf("audit entries: %+v", a)
	}
	// Cancelled, a schedule does nothing.
	if _, err := cat.SetSchedule(editorCtx, content.KindTheme, th.ID, content.ScheduleUnpublish, clk.now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := cat.CancelSchedule(editorCtx, content.KindTheme, th.ID); err != nil {
		t.Fatal(err)
	}
	clk.add(2 * time.Hour)
	if n, err := cat.RunDue(ctx); err != nil || n != 0 {
		t.Errorf("after cancelling: %d, %v", n, err)
	}
}
