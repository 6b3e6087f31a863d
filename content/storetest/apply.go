package storetest

import (
	"fmt"
	"sync"
	"testing"

	"estafette/content"
)

// versioned returns an activity document with a version and a slug.
func versioned(id, slug string, v int64) content.Doc {
	return doc(id, content.Fields{"slug": {slug}, "version": {content.VersionKey(v)}})
}

// auditDoc is a record of a change, kept in the recap collection so the
// suite needs no extra kind.
func auditDoc(id string) content.Doc {
	d := doc(id, content.Fields{"slug": {id}})
	d.Kind = content.KindRecap
	return d
}

func testApplyVersions(t *testing.T, s content.Store) {
	v1 := versioned("a", "a-slug", 1)
	err := s.Apply(ctx, content.Write{Doc: v1, Also: []content.Doc{auditDoc("audit-1")}})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	wantCode(t, s.Apply(ctx, content.Write{Doc: v1}), content.ECONFLICT, "creating an existing document")

	v2 := versioned("a", "a-slug-2", 2)
	if err := s.Apply(ctx, content.Write{Doc: v2, Expect: content.VersionKey(1), Also: []content.Doc{auditDoc("audit-2")}}); err != nil {
		t.Fatalf("update with the right version: %v", err)
	}
	stale := versioned("a", "a-slug-3", 3)
	wantCode(t, s.Apply(ctx, content.Write{Doc: stale, Expect: content.VersionKey(1), Also: []content.Doc{auditDoc("audit-3")}}),
		content.ECONFLICT, "update with a stale version")
	got, err := s.Get(ctx, kind, []string{"a"})
	if err != nil || got["a"].Fields["slug"][0] != "a-slug-2" || got["a"].Fields["version"][0] != content.VersionKey(2) {
		t.Errorf("after a refused update the document is %+v, %v; want version 2", got["a"].Fields, err)
	}
	audits, err := s.Get(ctx, content.KindRecap, []string{"audit-1", "audit-2", "audit-3"})
	if err != nil || len(audits) != 2 || audits["audit-3"].ID != "" {
		t.Errorf("records of the changes: %v, %v; want audit-1 and audit-2 only", docIDsOf(audits), err)
	}
	wantCode(t, s.Apply(ctx, content.Write{Doc: versioned("b", "b", 1), Also: []content.Doc{auditDoc("audit-1")}}),
		content.ECONFLICT, "a record of a change that already exists")
	if got, _ := s.Get(ctx, kind, []string{"b"}); len(got) != 0 {
		t.Error("the write whose record conflicted was applied")
	}
	wantCode(t, s.Apply(ctx, content.Write{Doc: versioned("nope", "nope", 2), Expect: content.VersionKey(1)}),
		content.ECONFLICT, "update of a missing document")

	wantCode(t, s.Apply(ctx, content.Write{Doc: versioned("a", "", 0), Delete: true, Expect: content.VersionKey(1)}),
		content.ECONFLICT, "delete with a stale version")
	if err := s.Apply(ctx, content.Write{Doc: versioned("a", "", 0), Delete: true, Expect: content.VersionKey(2)}); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if got, _ := s.Get(ctx, kind, []string{"a"}); len(got) != 0 {
		t.Error("the deleted document is still there")
	}
	if n, _ := s.Count(ctx, kind, content.Eq("slug", "a-slug-2")); n != 0 {
		t.Errorf("the deleted document still counts: %d", n)
	}
}

func testApplyAtomic(t *testing.T, s content.Store) {
	if err := s.Put(ctx, versioned("x", "x", 1), versioned("y", "y", 1)); err != nil {
		t.Fatal(err)
	}
	// The second write is stale: the first must not happen either.
	err := s.Apply(ctx,
		content.Write{Doc: versioned("x", "x-new", 2), Expect: content.VersionKey(1)},
		content.Write{Doc: versioned("y", "y-new", 2), Expect: content.VersionKey(7)},
	)
	wantCode(t, err, content.ECONFLICT, "a batch with one stale write")
	got, _ := s.Get(ctx, kind, []string{"x", "y"})
	if got["x"].Fields["slug"][0] != "x" || got["y"].Fields["slug"][0] != "y" {
		t.Errorf("a refused batch changed documents: x=%v y=%v", got["x"].Fields, got["y"].Fields)
	}
	// A unique conflict refuses the batch too.
	err = s.Apply(ctx,
		content.Write{Doc: versioned("x", "x-new", 2), Expect: content.VersionKey(1)},
		content.Write{Doc: versioned("z", "y", 1)},
	)
	wantCode(t, err, content.ECONFLICT, "a batch with a duplicate slug")
	if got, _ := s.Get(ctx, kind, []string{"x", "z"}); got["x"].Fields["slug"][0] != "x" || len(got) != 1 {
		t.Errorf("a batch refused for a duplicate slug changed documents: %v", docIDsOf(got))
	}
}

// testApplyConcurrent: many writers with the same expected version; exactly
// one wins, every other gets ECONFLICT, nothing is lost.
func testApplyConcurrent(t *testing.T, s content.Store) {
	if err := s.Put(ctx, versioned("c", "c", 1)); err != nil {
		t.Fatal(err)
	}
	const writers = 30
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Apply(ctx, content.Write{Doc: versioned("c", fmt.Sprintf("c-%d", i), 2), Expect: content.VersionKey(1),
				Also: []content.Doc{auditDoc(fmt.Sprintf("change-%d", i))}})
		}()
	}
	wg.Wait()
	won, conflicts := -1, 0
	for i, err := range errs {
		switch content.ErrorCode(err) {
		case "":
			if won >= 0 {
				t.Errorf("writers %d and %d both won", won, i)
			}
			won = i
		case content.ECONFLICT:
			conflicts++
		default:
			t.Errorf("writer %d: %v", i, err)
		}
	}
	if won < 0 || conflicts != writers-1 {
		t.Fatalf("winner %d, conflicts %d of %d", won, conflicts, writers)
	}
	got, _ := s.Get(ctx, kind, []string{"c"})
	if slug := got["c"].Fields["slug"][0]; slug != fmt.Sprintf("c-%d", won) {
		t.Errorf("the stored document has slug %q, the winner wrote c-%d", slug, won)
	}
	if n, _ := s.Count(ctx, content.KindRecap, nil); n != 1 {
		t.Errorf("%d records of changes, want 1 (the winner's)", n)
	}
}

func docIDsOf(m map[string]content.Doc) []string {
	var out []string
	for id := range m {
		out = append(out, id)
	}
	return out
}
