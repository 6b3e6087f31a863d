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
