package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"estafette/content"
	"estafette/internal/collections"
	"estafette/seed"
	"estafette/sqlite"
)

// TestSeedCommandKeepsEdits: "estafette seed" run again, and "seed
// --synthetic N", keep an editor's change; --reset-edited needs --yes and
// then puts it back as a new version.
func TestSeedCommandKeepsEdits(t *testing.T) {
	dir := t.TempDir()
	getenv := func(k string) string { return map[string]string{"DATA_DIR": dir}[k] }
	ctx := context.Background()
	var out bytes.Buffer
	if err := run(ctx, []string{"seed"}, getenv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	n := len(seed.Content())
	if !strings.Contains(out.String(), "seed content: ") || !strings.Contains(out.String(), " created, 0 updated, 0 unchanged") {
		t.Errorf("first seed: %s", out.String())
	}
	var id, title string
	for _, r := range seed.Content() {
		if a, ok := r.(*content.Activity); ok {
			id, title = a.ID, a.Title.NL
			break
		}
	}
	// An editor changes an activity (the store is opened apart from the
	// command, and closed before it runs again).
	withStore(t, dir, func(cat *content.Catalog) {
		editor := content.WithViewer(ctx, content.Viewer{Actor: "redactie", Role: content.RoleEditor})
		if _, err := content.Update(editor, cat, id, 1, func(a *content.Activity) error { a.Title.NL = "Verbeterd"; return nil }); err != nil {
			t.Fatal(err)
		}
	})
	for _, args := range [][]string{{"seed"}, {"seed", "--synthetic", "5"}} {
		out.Reset()
		if err := run(ctx, args, getenv, &out, io.Discard); err != nil {
			t.Fatalf("%s: %v", args, err)
		}
		withStore(t, dir, func(cat *content.Catalog) {
			a := stored(t, cat, id)
			if a.Title.NL != "Verbeterd" || a.Version != 2 {
				t.Errorf("%s undid an edit: %q version %d\n%s", args, a.Title.NL, a.Version, out.String())
			}
		})
	}
	withStore(t, dir, func(cat *content.Catalog) {
		if n, _ := cat.Store().Count(ctx, content.KindActivity, content.Prefix("slug", seed.SyntheticPrefix)); n != 5 {
			t.Errorf("%d synthetic activities, want 5", n)
		}
	})
	// --remove-synthetic removes the synthetic activities and their
	// synthetic organisations, initiatives and themes, audited by the seed,
	// and nothing else.
	out.Reset()
	if err := run(ctx, []string{"seed", "--remove-synthetic"}, getenv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("synthetic records removed: %d", 5+len(seed.SyntheticReferences())); !strings.Contains(out.String(), want) {
		t.Errorf("--remove-synthetic said %q, want %q", out.String(), want)
	}
	withStore(t, dir, func(cat *content.Catalog) {
		for _, k := range []content.Kind{content.KindActivity, content.KindOrganization, content.KindTheme, content.KindInitiative} {
			if n, _ := cat.Store().Count(ctx, k, content.Prefix("slug", seed.SyntheticPrefix)); n != 0 {
				t.Errorf("%d synthetic %s records left", n, k)
			}
		}
		if a := stored(t, cat, id); a.Title.NL != "Verbeterd" {
			t.Errorf("--remove-synthetic changed a real record: %q", a.Title.NL)
		}
		if n, _ := cat.Store().Count(ctx, content.KindAudit, content.And(content.Eq("actor", content.SeedActor), content.Eq("action", content.ActionPurge))); n != 5+len(seed.SyntheticReferences()) {
			t.Errorf("%d audited removals", n)
		}
	})
	if err := run(ctx, []string{"seed", "--remove-synthetic", "--synthetic", "3"}, getenv, io.Discard, io.Discard); err == nil {
		t.Error("--remove-synthetic with --synthetic was accepted")
	}
	out.Reset()
	if err := run(ctx, []string{"seed"}, getenv, &out, io.Discard); err != nil || !strings.Contains(out.String(), "kept 1 records that someone edited: activity/"+id) {
		t.Errorf("seed again: %v\n%s", err, out.String())
	}

	err := run(ctx, []string{"seed", "--reset-edited"}, getenv, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--yes") {
		t.Fatalf("--reset-edited without --yes: %v", err)
	}
	withStore(t, dir, func(cat *content.Catalog) {
		if a := stored(t, cat, id); a.Version != 2 {
			t.Errorf("a refused reset wrote: version %d", a.Version)
		}
	})
	out.Reset()
	if err := run(ctx, []string{"seed", "--reset-edited", "--yes"}, getenv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "0 created, 1 updated, ") {
		t.Errorf("reset: %s", out.String())
	}
	withStore(t, dir, func(cat *content.Catalog) {
		if a := stored(t, cat, id); a.Title.NL != title || a.Version != 3 {
			t.Errorf("after the reset: %q version %d, want %q version 3", a.Title.NL, a.Version, title)
		}
		removed := 5 + len(seed.SyntheticReferences())
		if got, _ := cat.Store().Count(ctx, content.KindAudit, content.Eq("actor", content.SeedActor)); got != n+1+removed {
			t.Errorf("%d audit entries by the seed, want %d (the creations, the synthetic removals and the reset)", got, n+1+removed)
		}
	})
}

// withStore opens the embedded store in dir for f, and closes it.
func withStore(t *testing.T, dir string, f func(*content.Catalog)) {
	t.Helper()
	s, err := sqlite.Open(context.Background(), dir, collections.All())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	f(content.NewCatalog(s))
}

func stored(t *testing.T, cat *content.Catalog, id string) *content.Activity {
	t.Helper()
	docs, err := cat.Store().Get(context.Background(), content.KindActivity, []string{id})
	if err != nil || len(docs) != 1 {
		t.Fatalf("activity %s: %v", id, err)
	}
	r, err := content.Decode(docs[id])
	if err != nil {
		t.Fatal(err)
	}
	return r.(*content.Activity)
}
