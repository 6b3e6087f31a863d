package storetest

import (
	"slices"
	"testing"

	"estafette/content"
)

// synth marks an activity synthetic.
func synth() opt { return func(a *content.Activity) { a.Synthetic = true } }

// testSynthetic checks the synthetic mark: stored and indexed, left out of
// lists, counts and statistics unless asked for, and removed for good (with
// an audit entry by the seed) by RemoveSynthetic, which leaves real records
// alone.
func testSynthetic(t *testing.T, s content.Store) {
	real1 := activity("real-1", edition("ed-2023"), region("reg-noord"), startsAt(at(2023, 2, 7, 10, 0)))
	real2 := activity("real-2", edition("ed-2023"), region("reg-zuid"), startsAt(at(2023, 2, 21, 10, 0)))
	syn1 := activity("syn-1", edition("ed-2023"), region("reg-noord"), startsAt(at(2023, 2, 8, 10, 0)), synth())
	syn2 := activity("syn-2", edition("ed-2023"), region("reg-noord"), startsAt(at(2023, 2, 9, 10, 0)), synth())
	cat := newCatalog(t, s, real1, real2, syn1, syn2)
	byStart := content.Order[content.ActivityOrderField]{Field: content.ActivityByStart}
	yes, no := true, false

	ids := func(f content.ActivityFilter) []string {
		t.Helper()
		p, err := cat.ListActivities(ctx, f, byStart, content.PageArgs{First: ptr(100)})
		if err != nil {
			t.Fatal(err)
		}
		return actIDs(p.Items)
	}
	for _, tc := range []struct {
		name string
		f    content.ActivityFilter
		want []string
	}{
		{"default", content.ActivityFilter{}, []string{"real-1", "real-2"}},
		{"false", content.ActivityFilter{Synthetic: &no}, []string{"real-1", "real-2"}},
		{"true", content.ActivityFilter{Synthetic: &yes}, []string{"syn-1", "syn-2"}},
		{"true in noord", content.ActivityFilter{Synthetic: &yes, RegionSlug: ptr("noord")}, []string{"syn-1", "syn-2"}},
	} {
		if got := ids(tc.f); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	// Statistics and the edition comparison count the real ones only.
	buckets, err := cat.Stats(ctx, content.ActivityFilter{}, nil)
	if err != nil || len(buckets) != 1 || buckets[0].Count != 2 {
		t.Errorf("stats: %+v, %v; want one bucket of 2", buckets, err)
	}
	buckets, err = cat.Stats(ctx, content.ActivityFilter{Synthetic: &yes}, nil)
	if err != nil || len(buckets) != 1 || buckets[0].Count != 2 {
		t.Errorf("synthetic stats: %+v, %v; want one bucket of 2", buckets, err)
	}
	// The mark is stored with the record.
	got, err := content.Get[content.Activity](ctx, cat, []string{"syn-1", "real-1"})
	if err != nil || !got["syn-1"].Synthetic || got["real-1"].Synthetic {
		t.Fatalf("stored marks: %v", err)
	}

	n, err := cat.RemoveSynthetic(ctx)
	if err != nil || n != 2 {
		t.Fatalf("RemoveSynthetic: %d, %v; want 2", n, err)
	}
	left, err := s.Get(ctx, content.KindActivity, []string{"real-1", "real-2", "syn-1", "syn-2"})
	if err != nil || len(left) != 2 || left["real-1"].ID == "" || left["real-2"].ID == "" {
		t.Errorf("after removal the store holds %d of the four, %v; want the two real ones", len(left), err)
	}
	if got := ids(content.ActivityFilter{Synthetic: &yes}); len(got) != 0 {
		t.Errorf("synthetic after removal: %q", got)
	}
	actor := content.SeedActor
	audit, err := cat.ListAudit(content.WithViewer(ctx, content.Viewer{Role: content.RoleAdmin}), content.AuditFilter{Actor: &actor}, content.PageArgs{First: ptr(100)})
	if err != nil {
		t.Fatal(err)
	}
	var purged []string
	for _, e := range audit.Items {
		if e.Action == content.ActionPurge {
			purged = append(purged, e.RecordID)
		}
	}
	slices.Sort(purged)
	if !slices.Equal(purged, []string{"syn-1", "syn-2"}) {
		t.Errorf("audited removals %q, want syn-1 and syn-2", purged)
	}
	// A second run has nothing left to do.
	if n, err := cat.RemoveSynthetic(ctx); err != nil || n != 0 {
		t.Errorf("second RemoveSynthetic: %d, %v", n, err)
	}
}
