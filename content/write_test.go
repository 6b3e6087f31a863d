package content_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"estafette/content"
	"estafette/internal/collections"
	"estafette/seed"
	"estafette/sqlite"
)

func seeded(t testing.TB) *content.Catalog {
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

var (
	editor = content.WithViewer(context.Background(), content.Viewer{Actor: "redactie", Role: content.RoleEditor})
	admin  = content.WithViewer(context.Background(), content.Viewer{Actor: "beheer", Role: content.RoleAdmin})
	reader = content.WithViewer(context.Background(), content.Viewer{Actor: "preview", Role: content.RoleReader, Drafts: true})
	anon   = context.Background()
)

func newActivity(slug string) *content.Activity {
	day := content.D(2023, time.February, 21)
	return &content.Activity{
		Meta:      content.Meta{Slug: slug, Sources: []content.Source{{Title: "Programma"}}},
		EditionID: "2023", RegionID: "noord",
		Title:    content.Text{NL: "Robotzorg in de wijk", EN: "Robot care in the neighbourhood"},
		StartsOn: &day, ThemeIDs: []string{"slimme-zorg-thuis"}, OrganizerIDs: []string{"zonmw"},
	}
}

func TestSeedIsValid(t *testing.T) {
	cat := seeded(t)
	for _, r := range seed.Content() {
		if err := cat.Validate(anon, r); err != nil {
			t.Errorf("%s %s: %v", r.RecordKind(), content.MetaOf(r).ID, err)
		}
	}
}

func TestWriteLifecycle(t *testing.T) {
	cat := seeded(t)
	a, err := content.Create(editor, cat, newActivity("robotzorg-in-de-wijk"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Version != 1 || a.Status != content.StatusDraft || a.ID == "" {
		t.Fatalf("created %+v", a.Meta)
	}
	// A draft is invisible to the public, visible to a reader previewing.
	if got, _ := content.BySlug[content.Activity](anon, cat, a.Slug); got != nil {
		t.Error("the public sees a draft")
	}
	if got, _ := content.BySlug[content.Activity](reader, cat, a.Slug); got == nil {
		t.Error("a previewing reader does not see the draft")
	}

	u, err := content.Update(editor, cat, a.ID, 1, func(x *content.Activity) error {
		x.Title.NL = "Robotzorg thuis"
		return nil
	})
	if err != nil || u.Version != 2 || u.Title.NL != "Robotzorg thuis" {
		t.Fatalf("update: %+v %v", u, err)
	}
	_, err = content.Update(editor, cat, a.ID, 1, func(x *content.Activity) error { x.Title.NL = "Oud"; return nil })
	if content.ErrorCode(err) != content.ECONFLICT || content.ErrorField(err) != "expectedVersion" {
		t.Errorf("stale update: %v", err)
	}

	p, err := content.SetStatus[content.Activity](editor, cat, a.ID, nil, content.StatusPublished)
	if err != nil || p.Status != content.StatusPublished || p.Version != 3 {
		t.Fatalf("publish: %+v %v", p, err)
	}
	page, err := cat.ListActivities(anon, content.ActivityFilter{Search: ptr("robotzorg")}, content.Order[content.ActivityOrderField]{}, content.PageArgs{})
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != a.ID {
		t.Errorf("anonymous search after publishing: %v %v", page, err)
	}
	if _, err := content.SetStatus[content.Activity](editor, cat, a.ID, nil, content.StatusDraft); err != nil {
		t.Fatal(err)
	}
	if page, _ := cat.ListActivities(anon, content.ActivityFilter{Search: ptr("robotzorg")}, content.Order[content.ActivityOrderField]{}, content.PageArgs{}); len(page.Items) != 0 {
		t.Error("unpublished activity still found")
	}

	d, err := content.Delete[content.Activity](editor, cat, a.ID, ptr(int64(4)))
	if err != nil || d.DeletedAt == nil {
		t.Fatalf("delete: %v", err)
	}
	if got, _ := content.BySlug[content.Activity](reader, cat, a.Slug); got != nil {
		t.Error("a deleted record is visible to a reader")
	}
	if _, err := content.Restore[content.Activity](editor, cat, a.ID); content.ErrorCode(err) != content.EFORBIDDEN {
		t.Errorf("an editor restored: %v", err)
	}
	r, err := content.Restore[content.Activity](admin, cat, a.ID)
	if err != nil || r.DeletedAt != nil || r.Version != 6 {
		t.Fatalf("restore: %+v %v", r, err)
	}

	// Every step is in the audit log, newest first.
	log, err := cat.ListAudit(admin, content.AuditFilter{RecordID: &a.ID}, content.PageArgs{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log.Items {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, ","); got != "restore,delete,unpublish,publish,update,create" {
		t.Errorf("audit actions %s", got)
	}
	upd := log.Items[4]
	if upd.Actor != "redactie" || *upd.BeforeVersion != 1 || *upd.AfterVersion != 2 || strings.Join(upd.ChangedFields, ",") != "title" {
		t.Errorf("audit of the update: %+v", upd)
	}
	if _, err := cat.ListAudit(editor, content.AuditFilter{}, content.PageArgs{}); content.ErrorCode(err) != content.EFORBIDDEN {
		t.Errorf("an editor read the audit log: %v", err)
	}

	// Purge removes what was deleted long enough ago.
	if _, err := content.Delete[content.Activity](editor, cat, a.ID, nil); err != nil {
		t.Fatal(err)
	}
	later := cat.WithClock(func() time.Time { return time.Now().Add(31 * 24 * time.Hour) })
	n, err := later.Purge(context.Background(), later.Now().Add(-content.RetainDeleted))
	if err != nil || n != 1 {
		t.Fatalf("purge: %d %v", n, err)
	}
	if _, err := content.Restore[content.Activity](admin, cat, a.ID); content.ErrorCode(err) != content.ENOTFOUND {
		t.Errorf("restore after purge: %v", err)
	}
}

func TestWritesNeedRoles(t *testing.T) {
	cat := seeded(t)
	for _, ctx := range []context.Context{anon, reader} {
		_, err := content.Create(ctx, cat, newActivity("x"))
		if code := content.ErrorCode(err); code != content.EUNAUTHORIZED && code != content.EFORBIDDEN {
			t.Errorf("create by %+v: %v", content.ViewerFrom(ctx), err)
		}
	}
	if _, err := content.Create(anon, cat, newActivity("x")); content.ErrorCode(err) != content.EUNAUTHORIZED {
		t.Errorf("anonymous create: %v", err)
	}
}

func TestValidation(t *testing.T) {
	cat := seeded(t)
	at := func(s string) *time.Time { v, _ := content.ParseDateTime(s); return &v }
	cases := []struct {
		name  string
		edit  func(a *content.Activity)
		field string
	}{
		{"bad slug", func(a *content.Activity) { a.Slug = "Robot Zorg!" }, "slug"},
		{"taken slug", func(a *content.Activity) { a.Slug = "2021-zuid-opening" }, "slug"},
		{"no Dutch title", func(a *content.Activity) { a.Title = content.Text{EN: "Only English"} }, "title.nl"},
		{"long title", func(a *content.Activity) { a.Title.NL = strings.Repeat("a", 201) }, "title.nl"},
		{"end before start", func(a *content.Activity) {
			a.StartsAt, a.EndsAt = at("2023-02-21T10:00:00+01:00"), at("2023-02-21T09:00:00+01:00")
			a.StartsOn = nil
		}, "endsAt"},
		{"outside the edition", func(a *content.Activity) { d := content.D(2023, 4, 1); a.StartsOn = &d }, "startsOn"},
		{"unknown region", func(a *content.Activity) { a.RegionID = "midden" }, "region"},
		{"unknown edition", func(a *content.Activity) { a.EditionID = "1999" }, "edition"},
		{"unknown theme", func(a *content.Activity) { a.ThemeIDs = []string{"slimme-zorg-thuis", "nope"} }, "themes[1]"},
		{"javascript URL", func(a *content.Activity) { u := "javascript:alert(1)"; a.RegistrationURL = &u }, "registrationUrl"},
		{"unknown mode", func(a *content.Activity) { m := content.Mode("telepathic"); a.Mode = &m }, "mode"},
		{"unknown province", func(a *content.Activity) { a.Venue = &content.Venue{ProvinceSlug: "atlantis"} }, "venue.province"},
		{"source without title", func(a *content.Activity) { a.Sources = []content.Source{{}} }, "sources[0].title"},
	}
	for _, c := range cases {
		a := newActivity("nieuw")
		c.edit(a)
		_, err := content.Create(editor, cat, a)
		if content.ErrorCode(err) != content.EINVALID || content.ErrorField(err) != c.field {
			t.Errorf("%s: %v (field %q), want EINVALID on %s", c.name, err, content.ErrorField(err), c.field)
		}
		var ps content.Problems
		if !errors.As(err, &ps) || len(ps) == 0 {
			t.Errorf("%s: no problem list", c.name)
		}
	}
	// Nothing was written.
	if n, _ := cat.Store().Count(context.Background(), content.KindActivity, content.Eq("slug", "nieuw")); n != 0 {
		t.Errorf("invalid creates wrote %d activities", n)
	}
	if n, _ := cat.Store().Count(context.Background(), content.KindAudit, content.Eq("actor", "redactie")); n != 0 {
		t.Errorf("invalid creates wrote %d audit entries", n)
	}
}

// Fifty editors update the same record with the same expected version:
// exactly one succeeds, the others get CONFLICT, and the audit log has one
// entry for it.
func TestConcurrentUpdates(t *testing.T) {
	cat := seeded(t)
	a, err := content.Create(editor, cat, newActivity("gelijktijdig"))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 50)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = content.Update(editor, cat, a.ID, 1, func(x *content.Activity) error {
				x.Summary = content.NLText("versie " + string(rune('A'+i%26)))
				return nil
			})
		}()
	}
	wg.Wait()
	ok, conflicts := 0, 0
	for _, err := range errs {
		switch content.ErrorCode(err) {
		case "":
			ok++
		case content.ECONFLICT:
			conflicts++
		default:
			t.Errorf("unexpected: %v", err)
		}
	}
	if ok != 1 || conflicts != 49 {
		t.Errorf("%d succeeded, %d conflicts; want 1 and 49", ok, conflicts)
	}
	log, _ := cat.ListAudit(admin, content.AuditFilter{RecordID: &a.ID, Action: ptr(content.ActionUpdate)}, content.PageArgs{})
	if n, _ := log.TotalCount(admin); n != 1 {
		t.Errorf("%d update entries in the audit log, want 1", n)
	}
}

func ptr[T any](v T) *T { return &v }
