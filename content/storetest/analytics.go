package storetest

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"estafette/content"
)

// The analytics tests: statistics, facets, denormalised organiser kinds and
// re-indexing, over the reference records. They check what a backend must
// get right for them: grouping on the scalar and multi-valued fields the
// activity index holds, and Not(Prefix(f, "")) as "f has no values".

func runAnalytics(t *testing.T, open func(t *testing.T) content.Store) {
	runCases(t, open, []testCase{
		{"GroupWithoutValues", testGroupWithoutValues},
		{"StatsBuckets", testStatsBuckets},
		{"StatsAmsterdamCalendar", testStatsAmsterdamCalendar},
		{"StatsVisibility", testStatsVisibility},
		{"OrganizerKinds", testOrganizerKinds},
		{"Reindex", testReindex},
		{"Facets", testFacets},
	})
}

// testGroupWithoutValues: the documents without values of a multi-valued
// field are those matching Not(Prefix(field, "")), and can be grouped.
func testGroupWithoutValues(t *testing.T, s content.Store) {
	put(t, s,
		doc("w1", content.Fields{"format": {"a"}, "themes": {"x"}}),
		doc("w2", content.Fields{"format": {"a"}, "themes": nil}),
		doc("w3", content.Fields{"format": {"b"}}),
		doc("w4", content.Fields{"format": nil, "themes": {"y", "z"}}),
	)
	none := content.Not(content.Prefix("themes", ""))
	if got := find(t, s, none); !sameIDs(got, []string{"w2", "w3"}) {
		t.Errorf("documents without themes: %q, want w2 w3", got)
	}
	if got := find(t, s, content.Prefix("themes", "")); !sameIDs(got, []string{"w1", "w4"}) {
		t.Errorf("documents with themes: %q, want w1 w4", got)
	}
	got, err := s.Group(ctx, kind, none, []string{"format"})
	if err != nil {
		t.Fatal(err)
	}
	want := []content.Bucket{{Keys: []string{"a"}, Count: 1}, {Keys: []string{"b"}, Count: 1}}
	if !sameBuckets(got, want) {
		t.Errorf("group without themes by format: %v, want %v", got, want)
	}
}

// statsOf returns the buckets as "value|value=count" strings, unknown as "?".
func statsOf(t *testing.T, cat *content.Catalog, c0 context.Context, f content.ActivityFilter, dims ...content.Dimension) []string {
	t.Helper()
	buckets, err := cat.Stats(c0, f, dims)
	if err != nil {
		t.Fatalf("stats by %v: %v", dims, err)
	}
	var out []string
	for _, b := range buckets {
		var parts []string
		for _, k := range b.Keys {
			if k.Value == nil {
				parts = append(parts, "?")
			} else {
				parts = append(parts, *k.Value)
			}
		}
		out = append(out, strings.Join(parts, "|")+"="+itoa(b.Count))
	}
	return out
}

func analyticsActivities() []*content.Activity {
	return []*content.Activity{
		activity("s1", region("reg-noord"), themes("th-digi", "th-mental"), organizers("org-umcg", "org-vilans"),
			format(content.FormatWorkshop), mode(content.ModeOnsite), startsAt(at(2023, 2, 6, 10, 0))),
		activity("s2", region("reg-noord"), themes("th-digi"), organizers("org-umcg"),
			format(content.FormatWorkshop), mode(content.ModeOnline), onDays(day(2023, 2, 7), day(2023, 2, 7))),
		activity("s3", region("reg-zuid"), organizers("org-vilans"), format(content.FormatVisit), startsAt(at(2023, 2, 20, 9, 0))),
		activity("s4", edition("ed-2024"), region("reg-west"), themes("th-mental"), mode(content.ModeOnline)),
		activity("s5", edition("ed-2024"), initiative("ini-tour")),
	}
}

func testStatsBuckets(t *testing.T, s content.Store) {
	cat := newCatalog(t, s, analyticsActivities()...)
	all := content.ActivityFilter{}
	for _, tc := range []struct {
		dims []content.Dimension
		want string
	}{
		{nil, "=5"},
		{[]content.Dimension{content.DimensionEdition, content.DimensionRegion}, "2023|noord=2 2023|zuid=1 2024|west=1 2024|?=1"},
		{[]content.Dimension{content.DimensionTheme}, "digitale-zorg=2 mentale-gezondheid=2 ?=2"},
		{[]content.Dimension{content.DimensionOrganizationKind}, "hospital=2 network=2 ?=2"},
		{[]content.Dimension{content.DimensionTheme, content.DimensionOrganizationKind},
			"digitale-zorg|hospital=2 digitale-zorg|network=1 mentale-gezondheid|hospital=1 mentale-gezondheid|network=1 mentale-gezondheid|?=1 ?|network=1 ?|?=1"},
		{[]content.Dimension{content.DimensionFormat, content.DimensionMode}, "workshop|onsite=1 workshop|online=1 visit|?=1 ?|online=1 ?|?=1"},
		{[]content.Dimension{content.DimensionMonth, content.DimensionWeekday}, "2023-02|1=2 2023-02|2=1 ?|?=2"},
		{[]content.Dimension{content.DimensionInitiative}, "tour-de-beterdichtbij=1 ?=4"},
	} {
		if got := strings.Join(statsOf(t, cat, ctx, all, tc.dims...), " "); got != tc.want {
			t.Errorf("by %v:\n got %s\nwant %s", tc.dims, got, tc.want)
		}
	}
	// Filters narrow the counts; a slug that does not exist gives nothing.
	if got := strings.Join(statsOf(t, cat, ctx, content.ActivityFilter{ThemeSlug: ptr("digitale-zorg")}, content.DimensionTheme), " "); got != "digitale-zorg=2 mentale-gezondheid=1" {
		t.Errorf("theme filter: %s", got)
	}
	if got := statsOf(t, cat, ctx, content.ActivityFilter{RegionSlug: ptr("atlantis")}, content.DimensionRegion); len(got) != 0 {
		t.Errorf("unknown region: %q", got)
	}
	if got := statsOf(t, cat, ctx, content.ActivityFilter{RegionSlug: ptr("atlantis")}); strings.Join(got, " ") != "=0" {
		t.Errorf("unknown region, total: %q", got)
	}
	// Labels follow the locale; unknown is named.
	buckets, err := cat.Stats(content.WithLocale(ctx, content.EN), all, []content.Dimension{content.DimensionFormat})
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, b := range buckets {
		labels = append(labels, b.Keys[0].Label)
	}
	if got := strings.Join(labels, ","); got != "Workshop,Visit,Unknown" {
		t.Errorf("English labels: %s", got)
	}
	for _, bad := range [][]content.Dimension{
		{"colour"},
		{content.DimensionRegion, content.DimensionRegion},
		{content.DimensionRegion, content.DimensionTheme, content.DimensionMode, content.DimensionMonth},
	} {
		if _, err := cat.Stats(ctx, all, bad); content.ErrorCode(err) != content.EINVALID {
			t.Errorf("group by %v: %v, want EINVALID", bad, err)
		}
	}
}

// testStatsAmsterdamCalendar: month and weekday are those of the start in
// Amsterdam, not in UTC.
func testStatsAmsterdamCalendar(t *testing.T, s content.Store) {
	cat := newCatalog(t, s,
		// 00:30 on Wednesday 1 March in Amsterdam is Tuesday 28 February in UTC.
		activity("m1", startsAt(at(2023, 3, 1, 0, 30))),
		// A day without a time: the day counts.
		activity("m2", onDays(day(2023, 2, 26), day(2023, 2, 26))),
	)
	got := strings.Join(statsOf(t, cat, ctx, content.ActivityFilter{}, content.DimensionMonth, content.DimensionWeekday), " ")
	if want := "2023-02|7=1 2023-03|3=1"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	buckets, err := cat.Stats(ctx, content.ActivityFilter{}, []content.Dimension{content.DimensionMonth, content.DimensionWeekday})
	if err != nil {
		t.Fatal(err)
	}
	if len(buckets) != 2 || len(buckets[1].Keys) != 2 {
		t.Fatalf("stats by month and weekday: %d buckets (%s), want 2 with two keys each", len(buckets), got)
	}
	if l := buckets[1].Keys[0].Label + " " + buckets[1].Keys[1].Label; l != "maart 2023 woensdag" {
		t.Errorf("labels %q", l)
	}
}

// testStatsVisibility: drafts count for preview viewers only; a record the
// caller may not see makes its value unknown.
func testStatsVisibility(t *testing.T, s content.Store) {
	cat := newCatalog(t, s,
		activity("v1", region("reg-noord")),
		activity("v2", region("reg-draft")),
		activity("v3", region("reg-noord"), draft()),
		activity("v4", edition("ed-2025")),
	)
	by := []content.Dimension{content.DimensionEdition, content.DimensionRegion}
	if got, want := strings.Join(statsOf(t, cat, ctx, content.ActivityFilter{}, by...), " "), "2023|noord=1 2023|?=1 ?|?=1"; got != want {
		t.Errorf("public: %s, want %s", got, want)
	}
	if got, want := strings.Join(statsOf(t, cat, drafts, content.ActivityFilter{}, by...), " "), "2023|noord=2 2023|concept=1 2025|?=1"; got != want {
		t.Errorf("preview: %s, want %s", got, want)
	}
	top, err := cat.TopOrganizations(ctx, content.ActivityFilter{}, 10)
	if err != nil || len(top) != 0 {
		t.Errorf("top organisations without organisers: %v, %v", top, err)
	}
}

// testOrganizerKinds: an activity is counted under the kinds of its
// published organisers; a change of an organisation's kind reaches the
// counts through ReindexOrganization.
func testOrganizerKinds(t *testing.T, s content.Store) {
	cat := newCatalog(t, s, analyticsActivities()...)
	kinds := func() string {
		return strings.Join(statsOf(t, cat, ctx, content.ActivityFilter{}, content.DimensionOrganizationKind), " ")
	}
	if got := kinds(); got != "hospital=2 network=2 ?=2" {
		t.Fatalf("before: %s", got)
	}
	umcg, err := content.GetOne[content.Organization](ctx, cat, "org-umcg")
	if err != nil || umcg == nil {
		t.Fatalf("org-umcg: %v, %v", umcg, err)
	}
	edu := content.OrgEducation
	umcg.Kind = &edu
	save(t, cat, umcg)
	if got := kinds(); got != "hospital=2 network=2 ?=2" {
		t.Errorf("before re-indexing, the old kind counts: %s", got)
	}
	n, err := cat.ReindexOrganization(ctx, "org-umcg")
	if err != nil || n != 2 {
		t.Fatalf("reindex: %d, %v; want 2", n, err)
	}
	if got := kinds(); got != "education=2 network=2 ?=2" {
		t.Errorf("after re-indexing: %s", got)
	}
	// A draft organisation lends no kind.
	umcg.Status = content.StatusDraft
	save(t, cat, umcg)
	if _, err := cat.ReindexOrganization(ctx, "org-umcg"); err != nil {
		t.Fatal(err)
	}
	if got := kinds(); got != "network=2 ?=3" {
		t.Errorf("draft organiser: %s", got)
	}
	// Saving an organisation with its activities in one call uses the
	// organisation of the call.
	umcg.Status = content.StatusPublished
	hosp := content.OrgHospital
	umcg.Kind = &hosp
	s6 := activity("s6", organizers("org-umcg"))
	save(t, cat, umcg, s6)
	if got := kinds(); got != "hospital=1 network=2 ?=3" { // s1 and s2 keep the draft's (no) kind until re-indexed
		t.Errorf("saved together: %s", got)
	}
	top, err := cat.TopOrganizations(ctx, content.ActivityFilter{}, 1)
	if err != nil || len(top) != 1 || top[0].Organization.ID != "org-umcg" || top[0].Count != 3 {
		t.Errorf("top organisation: %+v, %v", top, err)
	}
}

// testReindex: documents written before an index field existed get it from
// Reindex; documents changed in the meantime are left alone.
func testReindex(t *testing.T, s content.Store) {
	cat := newCatalog(t, s)
	a := activity("r1", organizers("org-vilans"), startsAt(at(2023, 2, 8, 10, 0)))
	d, err := content.Encode(a) // as an old writer would: no organiser kinds
	if err != nil {
		t.Fatal(err)
	}
	delete(d.Fields, "month")
	put(t, s, d)
	// Before: no month, and the organiser kinds unknown (content.Encode
	// cannot know them), so the activity counts under unknown for both.
	if got := strings.Join(statsOf(t, cat, ctx, content.ActivityFilter{}, content.DimensionOrganizationKind, content.DimensionMonth), " "); got != "?|?=1" {
		t.Fatalf("before: %s", got)
	}
	n, err := cat.Reindex(ctx, content.KindActivity, nil)
	if err != nil || n != 1 {
		t.Fatalf("reindex: %d, %v", n, err)
	}
	if got := strings.Join(statsOf(t, cat, ctx, content.ActivityFilter{}, content.DimensionOrganizationKind, content.DimensionMonth), " "); got != "network|2023-02=1" {
		t.Errorf("after: %s", got)
	}
	got, err := s.Get(ctx, content.KindActivity, []string{"r1"})
	if err != nil || got["r1"].Fields["version"][0] != content.VersionKey(1) {
		t.Errorf("reindex changed the version: %v, %v", got["r1"].Fields["version"], err)
	}
	if _, err := cat.Reindex(ctx, "nonsense", nil); content.ErrorCode(err) != content.EINVALID {
		t.Errorf("unknown kind: %v", err)
	}
}

// testFacets: each facet counts as if its own filter were removed.
func testFacets(t *testing.T, s content.Store) {
	cat := newCatalog(t, s, analyticsActivities()...)
	f := content.ActivityFilter{RegionSlug: ptr("noord"), Format: ptr(content.FormatWorkshop), Mode: ptr(content.ModeOnline)}
	facets, err := cat.ActivityFacets(ctx, f, []content.Dimension{content.DimensionRegion, content.DimensionFormat, content.DimensionMode, content.DimensionTheme})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, facet := range facets {
		var vs []string
		for _, v := range facet.Values {
			s := "?"
			if v.Value != nil {
				s = *v.Value
			}
			if v.Selected {
				s += "*"
			}
			vs = append(vs, s+"="+itoa(v.Count))
		}
		got = append(got, string(facet.Dimension)+": "+strings.Join(vs, " "))
	}
	want := []string{
		// online workshops per region: noord has one, and the selected
		// value is marked
		"region: noord*=1",
		// online activities in noord per format
		"format: workshop*=1",
		// workshops in noord per mode: a selected value without activities
		// would be listed with 0; here both exist
		"mode: onsite=1 online*=1",
		// the theme has no filter: the whole filter counts
		"theme: digitale-zorg=1",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("facets:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A selected value without activities is listed with count 0.
	f = content.ActivityFilter{RegionSlug: ptr("zuid"), Format: ptr(content.FormatWorkshop)}
	facets, err = cat.ActivityFacets(ctx, f, []content.Dimension{content.DimensionRegion, content.DimensionFormat})
	if err != nil {
		t.Fatal(err)
	}
	var regionVals, formatVals []string
	for _, v := range facets[0].Values {
		regionVals = append(regionVals, *v.Value+"="+itoa(v.Count))
	}
	for _, v := range facets[1].Values {
		formatVals = append(formatVals, *v.Value+"="+itoa(v.Count))
	}
	if got := strings.Join(regionVals, " "); got != "noord=2 zuid=0" {
		t.Errorf("region facet of workshops in zuid: %s", got)
	}
	if got := strings.Join(formatVals, " "); got != "workshop=0 visit=1" {
		t.Errorf("format facet of workshops in zuid: %s", got)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
