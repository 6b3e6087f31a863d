package content_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"estafette/auth"
	"estafette/content"
	"estafette/internal/collections"
	"estafette/seed"
	"estafette/sqlite"
)

func emptyStore(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), t.TempDir(), collections.All())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// sameContents compares two stores collection by collection: the same
// ids, bodies and scalar fields, and the same groups of every
// multi-valued field (which Find does not return).
func sameContents(t *testing.T, a, b content.Store) {
	t.Helper()
	ctx := context.Background()
	for _, c := range collections.All() {
		all := content.Query{Kind: c.Kind, Sort: []content.SortKey{{Field: "id"}}}
		da, err := a.Find(ctx, all)
		if err != nil {
			t.Fatal(err)
		}
		db, err := b.Find(ctx, all)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(da, db) {
			t.Errorf("%s: the copy differs (%d documents, copy %d)", c.Kind, len(da), len(db))
		}
		for _, m := range c.Multis {
			ga, _ := a.Group(ctx, c.Kind, nil, []string{m})
			gb, _ := b.Group(ctx, c.Kind, nil, []string{m})
			if !reflect.DeepEqual(ga, gb) {
				t.Errorf("%s.%s: groups differ in the copy", c.Kind, m)
			}
		}
	}
}

func TestCopy(t *testing.T) {
	ctx := context.Background()
	src := emptyStore(t)
	cat := content.NewCatalog(src)
	if _, err := seed.Load(ctx, cat); err != nil {
		t.Fatal(err)
	}
	if err := seed.LoadSynthetic(ctx, cat, 30, nil); err != nil {
		t.Fatal(err)
	}
	key := content.Doc{Kind: auth.KindAPIKey, ID: "k1", Body: []byte(`{"id":"k1"}`), Fields: content.Fields{"hash": {"h1"}, "createdKey": {"1"}}}
	if err := src.Put(ctx, key); err != nil {
		t.Fatal(err)
	}
	dst := emptyStore(t)

	var reports []content.CopyProgress
	counts, err := content.Copy(ctx, src, dst, collections.All(), 7, func(p content.CopyProgress) { reports = append(reports, p) })
	if err != nil {
		t.Fatal(err)
	}
	sameContents(t, src, dst)
	if len(counts) != len(collections.All()) {
		t.Fatalf("counts of %d collections, want %d", len(counts), len(collections.All()))
	}
	for i, c := range counts {
		if want := collections.All()[i].Kind; c.Kind != want {
			t.Errorf("count %d is of %s, want %s", i, c.Kind, want)
		}
		if n, _ := src.Count(ctx, c.Kind, nil); n != c.N {
			t.Errorf("%s: %d copied, the source has %d", c.Kind, c.N, n)
		}
	}
	checkReports(t, reports, counts)

	// Copying again changes nothing.
	if _, err := content.Copy(ctx, src, dst, collections.All(), 500, nil); err != nil {
		t.Fatalf("second copy: %v", err)
	}
	sameContents(t, src, dst)

	// A destination with a record the source lacks fails the check.
	extra := content.Doc{Kind: content.KindTheme, ID: "th-extra", Body: []byte(`{"id":"th-extra"}`), Fields: content.Fields{"slug": {"extra"}}}
	if err := dst.Put(ctx, extra); err != nil {
		t.Fatal(err)
	}
	_, err = content.Copy(ctx, src, dst, collections.All(), 500, nil)
	if err == nil || !strings.Contains(err.Error(), "theme:") || !strings.Contains(err.Error(), "in the destination") {
		t.Errorf("copy onto a store with an extra theme: %v", err)
	}
}

// checkReports checks the progress reports of a copy: per collection, in
// order, a first report with nothing done, growing counts, and a last one
// that is Finished with the collection's count.
func checkReports(t *testing.T, reports []content.CopyProgress, counts []content.CopyCount) {
	t.Helper()
	i := 0
	for _, c := range counts {
		if i >= len(reports) || reports[i].Kind != c.Kind || reports[i].Done != 0 || reports[i].Finished {
			t.Fatalf("%s: no first report at %d: %+v", c.Kind, i, reports[i:])
		}
		done := 0
		for i++; i < len(reports) && !reports[i].Finished; i++ {
			if r := reports[i]; r.Kind != c.Kind || r.Done <= done || r.Done > r.Total {
				t.Fatalf("%s: report %+v after %d done", c.Kind, r, done)
			}
			done = reports[i].Done
		}
		if i >= len(reports) || reports[i].Kind != c.Kind || reports[i].Done != c.N {
			t.Fatalf("%s: no final report of %d", c.Kind, c.N)
		}
		i++
	}
	if i != len(reports) {
		t.Errorf("%d reports after the last collection", len(reports)-i)
	}
}

func TestCopyRefuses(t *testing.T) {
	ctx := context.Background()
	src, dst := emptyStore(t), emptyStore(t)
	if _, err := content.Copy(ctx, src, dst, collections.All(), 0, nil); content.ErrorCode(err) != content.EINVALID {
		t.Errorf("page 0: %v", err)
	}
	// A kind that is not content cannot have multi-valued fields: Find
	// does not return them.
	colls := append(collections.All(), content.Collection{Kind: "tagged", Multis: []string{"tags"}})
	counts, err := content.Copy(ctx, src, dst, colls, 10, nil)
	if err == nil || !strings.Contains(err.Error(), "cannot copy tagged") {
		t.Errorf("a kind with multi-valued fields: %v", err)
	}
	if len(counts) != len(collections.All()) {
		t.Errorf("%d counts before the refused kind, want %d", len(counts), len(collections.All()))
	}
}
