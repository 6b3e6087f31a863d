// Package seedtest holds the tests of seeding that every store must pass:
// the seed tests run them on SQLite, the MongoDB tests on a server.
package seedtest

import (
	"context"
	"slices"
	"testing"
	"time"

	"estafette/content"
	"estafette/events"
	"estafette/seed"
)

// NeverUndoesAnEdit seeds store (which must be empty and hold every
// collection), edits seed records as an editor and seeds again, with the
// same and with changed seed content: the seed creates what is missing,
// follows its own changes in records it still owns, and never undoes an
// edit or a deletion, never lowers a version, and writes every change
// with an audit entry by "seed" and a change event.
func NeverUndoesAnEdit(t *testing.T, store content.Store) {
	ctx := context.Background()
	cat := content.NewCatalog(store)
	cat.SetOutbox(events.Outbox{})
	editor := content.WithViewer(ctx, content.Viewer{Actor: "redactie", Role: content.RoleEditor, Drafts: true})
	admin := content.WithViewer(ctx, content.Viewer{Actor: "beheer", Role: content.RoleAdmin, Drafts: true})

	n, err := seed.Load(ctx, cat)
	if err != nil {
		t.Fatal(err)
	}
	// Every record is created through the write path: an audit entry and
	// a change event each, by the seed.
	if got := count(t, store, content.KindAudit, content.Eq("actor", content.SeedActor)); got != n {
		t.Errorf("%d audit entries by the seed after seeding %d records", got, n)
	}
	if got := count(t, store, events.Kind, nil); got != n {
		t.Errorf("%d change events after seeding %d records", got, n)
	}

	act, theme, recap := pick(t)
	// An editor changes an activity (version 2) and deletes a recap.
	edited, err := content.Update(editor, cat, act.ID, 1, func(a *content.Activity) error {
		a.Title.NL = "Door de redactie verbeterd"
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := content.Delete[content.Recap](editor, cat, recap.ID, nil); err != nil {
		t.Fatal(err)
	}
	audits := count(t, store, content.KindAudit, nil)

	// Seeding again changes nothing: the edit and its version survive,
	// the deleted recap stays deleted, and nothing is written.
	if _, err := seed.Load(ctx, cat); err != nil {
		t.Fatal(err)
	}
	got := activity(t, store, act.ID)
	if got.Title.NL != edited.Title.NL || got.Version != 2 {
		t.Fatalf("seeding again undid an edit: title %q, version %d; want %q, version 2", got.Title.NL, got.Version, edited.Title.NL)
	}
	if a := count(t, store, content.KindAudit, nil); a != audits {
		t.Errorf("seeding again wrote %d audit entries, want none", a-audits)
	}
	if latest(t, store, act.ID).Actor != "redactie" {
		t.Error("the audit log has a seed write after the editor's")
	}
	if r := recapDoc(t, store, recap.ID); r.DeletedAt == nil {
		t.Error("seeding again brought back a deleted recap")
	}

	// The seed content changes: the theme (owned by the seed) follows it
	// as a new version; the edited activity and the deleted recap do not.
	changed := seed.Content()
	for _, r := range changed {
		switch x := r.(type) {
		case *content.Theme:
			if x.ID == theme.ID {
				x.Name.NL += " (nieuw)"
			}
		case *content.Activity:
			if x.ID == act.ID {
				x.Title.NL += " (nieuw)"
			}
		case *content.Recap:
			if x.ID == recap.ID {
				x.Title.NL += " (nieuw)"
			}
		}
	}
	rep, err := cat.Seed(ctx, changed, content.SeedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Updated != 1 || rep.Created != 0 || !slices.Equal(rep.Edited, []string{"activity/" + act.ID}) ||
		!slices.Equal(rep.Deleted, []string{"recap/" + recap.ID}) {
		t.Errorf("report %+v", rep)
	}
	th := themeDoc(t, store, theme.ID)
	if th.Name.NL != theme.Name.NL+" (nieuw)" || th.Version != 2 {
		t.Errorf("the seed's own theme did not follow the seed: %q version %d", th.Name.NL, th.Version)
	}
	if e := latest(t, store, theme.ID); e.Actor != content.SeedActor || e.Action != content.ActionUpdate ||
		e.BeforeVersion == nil || *e.BeforeVersion != 1 || *e.AfterVersion != 2 {
		t.Errorf("audit of the seed's update: %+v", e)
	}
	if got := activity(t, store, act.ID); got.Title.NL != edited.Title.NL || got.Version != 2 {
		t.Errorf("a changed seed overwrote an edit: %q version %d", got.Title.NL, got.Version)
	}
	// And once more: the theme is the seed's still, so the same content
	// is no change.
	if rep, err := cat.Seed(ctx, changed, content.SeedOptions{}); err != nil || rep.Updated != 0 {
		t.Errorf("seeding the changed content twice: %+v %v", rep, err)
	}

	// A purged record is not brought back either.
	if _, err := cat.Purge(admin, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if rep, err := cat.Seed(ctx, seed.Content(), content.SeedOptions{}); err != nil || rep.Created != 0 ||
		!slices.Contains(rep.Deleted, "recap/"+recap.ID) {
		t.Errorf("seeding after a purge: %+v %v", rep, err)
	}

	// --reset-edited puts the edit back, as a new version by the seed.
	rep, err = cat.Seed(ctx, seed.Content(), content.SeedOptions{ResetEdited: true})
	if err != nil {
		t.Fatal(err)
	}
	got = activity(t, store, act.ID)
	if got.Title.NL != act.Title.NL || got.Version != 3 {
		t.Errorf("reset: %q version %d, want %q version 3", got.Title.NL, got.Version, act.Title.NL)
	}
	if e := latest(t, store, act.ID); e.Actor != content.SeedActor || *e.AfterVersion != 3 {
		t.Errorf("audit of the reset: %+v", e)
	}
	if th := themeDoc(t, store, theme.ID); th.Version != 3 || th.Name.NL != theme.Name.NL {
		t.Errorf("theme after the reset: %q version %d", th.Name.NL, th.Version)
	}
}

// pick returns an activity, a theme and a recap of the seed content.
func pick(t *testing.T) (*content.Activity, *content.Theme, *content.Recap) {
	t.Helper()
	var a *content.Activity
	var th *content.Theme
	var r *content.Recap
	for _, rec := range seed.Content() {
		switch x := rec.(type) {
		case *content.Activity:
			if a == nil {
				a = x
			}
		case *content.Theme:
			if th == nil {
				th = x
			}
		case *content.Recap:
			if r == nil {
				r = x
			}
		}
	}
	if a == nil || th == nil || r == nil {
		t.Fatal("the seed has no activity, theme or recap")
	}
	return a, th, r
}

func count(t *testing.T, store content.Store, kind content.Kind, where *content.Cond) int {
	t.Helper()
	n, err := store.Count(context.Background(), kind, where)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func get(t *testing.T, store content.Store, kind content.Kind, id string) content.Record {
	t.Helper()
	docs, err := store.Get(context.Background(), kind, []string{id})
	if err != nil {
		t.Fatal(err)
	}
	d, ok := docs[id]
	if !ok {
		t.Fatalf("%s %s is not stored", kind, id)
	}
	r, err := content.Decode(d)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func activity(t *testing.T, store content.Store, id string) *content.Activity {
	t.Helper()
	return get(t, store, content.KindActivity, id).(*content.Activity)
}

func themeDoc(t *testing.T, store content.Store, id string) *content.Theme {
	t.Helper()
	return get(t, store, content.KindTheme, id).(*content.Theme)
}

func recapDoc(t *testing.T, store content.Store, id string) *content.Recap {
	t.Helper()
	return get(t, store, content.KindRecap, id).(*content.Recap)
}

// latest returns the newest audit entry of the record with id.
func latest(t *testing.T, store content.Store, id string) content.AuditEntry {
	t.Helper()
	cat := content.NewCatalog(store)
	admin := content.WithViewer(context.Background(), content.Viewer{Actor: "beheer", Role: content.RoleAdmin})
	page, err := cat.ListAudit(admin, content.AuditFilter{RecordID: &id}, content.PageArgs{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) == 0 {
		t.Fatalf("no audit entry of %s", id)
	}
	return *page.Items[0]
}
