package sqlite

import (
	"context"
	"slices"
	"strings"
	"testing"

	"estafette/content"
	"estafette/internal/collections"
)

// TestEditorListsReadIndexesInOrder: an editor sees published and draft
// records, so the catalogue asks for status IN (published, draft). Asked
// as one query SQLite sorts every match; the store asks one query per
// status, each reading its index in order up to the limit, and merges
// them. The pages are the same as those of the query asked unsplit.
func TestEditorListsReadIndexesInOrder(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, t.TempDir(), collections.All())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seed(t, s, 3000)
	// seed makes some of them drafts.
	if err := s.Optimize(ctx); err != nil {
		t.Fatal(err)
	}
	editor := content.WithViewer(ctx, content.Viewer{Actor: "test", Role: content.RoleEditor, Drafts: true})
	for _, f := range []content.ActivityFilter{{}, {ThemeSlug: ptr("theme-3")}, {RegionSlug: ptr("region-1")}, {Search: ptr("robot")}} {
		for _, o := range []content.Order[content.ActivityOrderField]{{}, {Desc: true}, {Field: content.ActivityByTitle}} {
			rec := &recorder{Store: s}
			n := 50
			page, err := content.NewCatalog(rec).ListActivities(editor, f, o, content.PageArgs{First: &n})
			if err != nil {
				t.Fatal(err)
			}
			q := rec.finds[len(rec.finds)-1]
			plan, err := s.Explain(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(plan, "MERGE (UNION ALL)") || strings.Contains(plan, "SCAN d") {
				t.Errorf("%+v %+v: the plan does not merge per-status index reads:\n%s", f, o, plan)
			}
			// The same query unsplit (no limit), cut to the limit.
			whole := q
			whole.Limit = 0
			docs, err := s.Find(ctx, whole)
			if err != nil {
				t.Fatal(err)
			}
			want := make([]string, 0, q.Limit)
			for _, d := range docs[:min(len(docs), q.Limit)] {
				want = append(want, d.ID)
			}
			split, err := s.Find(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			got := make([]string, 0, len(split))
			for _, d := range split {
				got = append(got, d.ID)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%+v %+v: split query gives %v, the whole one %v", f, o, got, want)
			}
			if len(page.Items) == 0 {
				t.Errorf("%+v: an empty page", f)
			}
		}
	}
}

// TestSelectiveTermsDrive: a list filtered on a rare theme or word is read
// from the terms index (its few matches, sorted) rather than by reading
// the whole table in order and probing each row; a common one is read in
// order. Either way the pages are the same as with the ordered plan alone.
func TestSelectiveTermsDrive(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, t.TempDir(), collections.All())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seed(t, s, 3000) // 10 themes, two per activity: about 600 activities each
	if err := s.Optimize(ctx); err != nil {
		t.Fatal(err)
	}
	editor := content.WithViewer(ctx, content.Viewer{Actor: "test", Role: content.RoleEditor, Drafts: true})
	for _, c := range []struct {
		name   string
		ctx    context.Context
		filter content.ActivityFilter
		driven bool
	}{
		{"rare theme", ctx, content.ActivityFilter{ThemeSlug: ptr("theme-3")}, true},
		{"rare theme, editor", editor, content.ActivityFilter{ThemeSlug: ptr("theme-3")}, true},
		{"region and rare theme", ctx, content.ActivityFilter{RegionSlug: ptr("region-1"), ThemeSlug: ptr("theme-3")}, true},
		{"common word", ctx, content.ActivityFilter{Search: ptr("over")}, false},
		{"no such word", editor, content.ActivityFilter{Search: ptr("qqqq")}, true},
	} {
		pages := func(sparse int) ([]string, string) {
			s.sparse = sparse
			rec := &recorder{Store: s}
			cat := content.NewCatalog(rec)
			var ids []string
			n := 40
			args := content.PageArgs{First: &n}
			for range 3 {
				page, err := cat.ListActivities(c.ctx, c.filter, content.Order[content.ActivityOrderField]{}, args)
				if err != nil {
					t.Fatal(err)
				}
				for _, a := range page.Items {
					ids = append(ids, a.ID)
				}
				if !page.HasNextPage {
					break
				}
				args = content.PageArgs{First: &n, After: page.EndCursor()}
			}
			plan, err := s.Explain(ctx, rec.finds[len(rec.finds)-1])
			if err != nil {
				t.Fatal(err)
			}
			return ids, plan
		}
		ordered, _ := pages(0)
		if (len(ordered) == 0) != (c.name == "no such word") {
			t.Errorf("%s: %d activities", c.name, len(ordered))
		}
		got, plan := pages(sparseTerms)
		if driven := strings.Contains(plan, "SCAN m"); driven != c.driven {
			t.Errorf("%s: driven by the terms index %v, want %v:\n%s", c.name, driven, c.driven, plan)
		}
		if !slices.Equal(got, ordered) {
			t.Errorf("%s: pages %v, with the ordered plan %v", c.name, got, ordered)
		}
	}
}
