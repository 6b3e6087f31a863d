package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"estafette/content"
)

func runCatalog(t *testing.T, open func(t *testing.T) content.Store) {
	runCases(t, open, []testCase{
		{"PagingThroughTies", testPagingThroughTies},
		{"PageArgErrors", testPageArgErrors},
		{"Drafts", testDrafts},
		{"Search", testSearch},
		{"SearchRanking", testSearchRanking},
		{"Filters", testFilters},
		{"UnknownSlugs", testUnknownSlugs},
		{"GetMissing", testCatalogGetMissing},
		{"Relay", testRelay},
		{"Regions", testRegions},
		{"Editions", testEditions},
		{"Synthetic", testSynthetic},
	})
}

var drafts = content.WithViewer(context.Background(), content.Viewer{Drafts: true})

func newCatalog(t *testing.T, s content.Store, as ...*content.Activity) *content.Catalog {
	t.Helper()
	cat := content.NewCatalog(s).WithClock(func() time.Time { return at(2023, 2, 15, 12, 0) })
	save(t, cat, reference()...)
	if len(as) > 0 {
		save(t, cat, activities(as)...)
	}
	return cat
}

// lister lists one page of some list of activities.
type lister func(ctx context.Context, p content.PageArgs) (*content.Page[*content.Activity], error)

func activityLister(cat *content.Catalog, f content.ActivityFilter, o content.Order[content.ActivityOrderField]) lister {
	return func(ctx context.Context, p content.PageArgs) (*content.Page[*content.Activity], error) {
		return cat.ListActivities(ctx, f, o, p)
	}
}

// walkForward pages through a list with first/after, n at a time, checks
// the page flags and returns the ids in order.
func walkForward(t *testing.T, ctx context.Context, list lister, n int) []string {
	t.Helper()
	var ids []string
	var after *string
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatal("paging forward does not end")
		}
		p, err := list(ctx, content.PageArgs{First: &n, After: after})
		if err != nil {
			t.Fatalf("page %d forward: %v", pages, err)
		}
		if len(p.Items) != len(p.Cursors) {
			t.Fatalf("%d items with %d cursors", len(p.Items), len(p.Cursors))
		}
		if p.HasPreviousPage != (after != nil) {
			t.Errorf("page %d forward: hasPreviousPage %v", pages, p.HasPreviousPage)
		}
		for _, a := range p.Items {
			ids = append(ids, a.ID)
		}
		if !p.HasNextPage {
			break
		}
		if len(p.Items) != n {
			t.Errorf("page %d forward has %d items and a next page, want %d", pages, len(p.Items), n)
		}
		after = p.EndCursor()
	}
	return ids
}

// walkBackward pages through a list from the end with last/before and
// returns the ids in list order.
func walkBackward(t *testing.T, ctx context.Context, list lister, n int) []string {
	t.Helper()
	var ids []string
	var before *string
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatal("paging backward does not end")
		}
		p, err := list(ctx, content.PageArgs{Last: &n, Before: before})
		if err != nil {
			t.Fatalf("page %d backward: %v", pages, err)
		}
		if len(p.Items) != len(p.Cursors) {
			t.Fatalf("%d items with %d cursors", len(p.Items), len(p.Cursors))
		}
		if p.HasNextPage != (before != nil) {
			t.Errorf("page %d backward: hasNextPage %v", pages, p.HasNextPage)
		}
		page := make([]string, 0, len(p.Items))
		for _, a := range p.Items {
			page = append(page, a.ID)
		}
		ids = append(page, ids...)
		if !p.HasPreviousPage {
			break
		}
		if len(p.Items) != n {
			t.Errorf("page %d backward has %d items and a previous page, want %d", pages, len(p.Items), n)
		}
		before = p.StartCursor()
	}
	return ids
}

// checkWalks pages through list in both directions with several page sizes
// and compares the visits with want.
func checkWalks(t *testing.T, ctx context.Context, what string, list lister, want []string) {
	t.Helper()
	for _, n := range []int{1, 2, 3, 7, content.MaxPageSize} {
		if got := walkForward(t, ctx, list, n); !slices.Equal(got, want) {
			t.Errorf("%s, forward by %d:\n got %q\nwant %q", what, n, got, want)
		}
		if got := walkBackward(t, ctx, list, n); !slices.Equal(got, want) {
			t.Errorf("%s, backward by %d:\n got %q\nwant %q", what, n, got, want)
		}
	}
	p, err := list(ctx, content.PageArgs{})
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if total, err := p.TotalCount(ctx); err != nil || total != len(want) {
		t.Errorf("%s: totalCount %d, %v; want %d", what, total, err, len(want))
	}
}

// tieActivities are 26 activities of which many share a start time or a
// title, with ids that are not in start order, one draft among them.
func tieActivities() (visible, all []*content.Activity) {
	titles := []string{"Workshop", "lezing", "Bezoek", "Ëxpo"}
	for i := range 26 {
		id := fmt.Sprintf("act-%02d", (i*11)%26)
		opts := []opt{title(titles[i%len(titles)])}
		switch {
		case i < 8:
			opts = append(opts, startsAt(at(2023, 2, 14, 10, 0)))
		case i < 16:
			opts = append(opts, startsAt(at(2023, 2, 14, 14, 0)))
		case i < 20:
			opts = append(opts, onDays(day(2023, 2, 14), nil)) // starts at midnight: before the others that day
		case i < 24:
			// unknown time: last
		case i == 24:
			opts = append(opts, startsAt(at(2023, 2, 13, 9, 0)))
		case i == 25:
			opts = append(opts, startsAt(at(2023, 2, 14, 10, 0)), draft())
		}
		a := activity(id, opts...)
		all = append(all, a)
		if a.Status == content.StatusPublished {
			visible = append(visible, a)
		}
	}
	return visible, all
}

func testPagingThroughTies(t *testing.T, s content.Store) {
	visible, all := tieActivities()
	cat := newCatalog(t, s, all...)
	byStart := content.Order[content.ActivityOrderField]{Field: content.ActivityByStart}
	byStartDesc := content.Order[content.ActivityOrderField]{Field: content.ActivityByStart, Desc: true}
	byTitle := content.Order[content.ActivityOrderField]{Field: content.ActivityByTitle}
	none := content.ActivityFilter{}

	want := startOrder(visible)
	checkWalks(t, ctx, "by start", activityLister(cat, none, byStart), want)
	checkWalks(t, ctx, "by start, descending", activityLister(cat, none, byStartDesc), startOrderDesc(visible))
	checkWalks(t, ctx, "by title", activityLister(cat, none, byTitle), titleOrder(visible))
	checkWalks(t, drafts, "by start, with drafts", activityLister(cat, none, byStart), startOrder(all))
	checkWalks(t, ctx, "default order", activityLister(cat, none, content.Order[content.ActivityOrderField]{}), want)

	// The first page of a default list has DefaultPageSize items.
	p, err := cat.ListActivities(ctx, none, byStart, content.PageArgs{})
	if err != nil || len(p.Items) != content.DefaultPageSize || !p.HasNextPage {
		t.Errorf("default page: %d items, next %v, %v", len(p.Items), p != nil && p.HasNextPage, err)
	}
	// Cursors stay valid for the items after them when used in any order.
	fwd := walkForward(t, ctx, activityLister(cat, none, byStart), 5)
	p, err = cat.ListActivities(ctx, none, byStart, content.PageArgs{First: ptr(3)})
	if err != nil {
		t.Fatal(err)
	}
	q, err := cat.ListActivities(ctx, none, byStart, content.PageArgs{First: ptr(100), After: &p.Cursors[1]})
	if err != nil || !slices.Equal(actIDs(q.Items), fwd[2:]) {
		t.Errorf("after the 2nd cursor: %q, %v; want %q", actIDs(q.Items), err, fwd[2:])
	}
	q, err = cat.ListActivities(ctx, none, byStart, content.PageArgs{Last: ptr(100), Before: &p.Cursors[2]})
	if err != nil || !slices.Equal(actIDs(q.Items), fwd[:2]) {
		t.Errorf("before the 3rd cursor: %q, %v; want %q", actIDs(q.Items), err, fwd[:2])
	}
}

func ptr[T any](v T) *T { return &v }

func testPageArgErrors(t *testing.T, s content.Store) {
	visible, _ := tieActivities()
	cat := newCatalog(t, s, visible...)
	none := content.ActivityFilter{}
	byStart := content.Order[content.ActivityOrderField]{Field: content.ActivityByStart}
	byTitle := content.Order[content.ActivityOrderField]{Field: content.ActivityByTitle}
	byStartDesc := content.Order[content.ActivityOrderField]{Field: content.ActivityByStart, Desc: true}
	titlePage, err := cat.ListActivities(ctx, none, byTitle, content.PageArgs{First: ptr(2)})
	if err != nil {
		t.Fatal(err)
	}
	descPage, err := cat.ListActivities(ctx, none, byStartDesc, content.PageArgs{First: ptr(2)})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		what string
		p    content.PageArgs
	}{
		{"first 0", content.PageArgs{First: ptr(0)}},
		{"first 101", content.PageArgs{First: ptr(101)}},
		{"first -1", content.PageArgs{First: ptr(-1)}},
		{"last 0", content.PageArgs{Last: ptr(0)}},
		{"last 101", content.PageArgs{Last: ptr(101)}},
		{"first and last", content.PageArgs{First: ptr(2), Last: ptr(2)}},
		{"garbage after", content.PageArgs{First: ptr(2), After: ptr("garbage!")}},
		{"garbage before", content.PageArgs{Last: ptr(2), Before: ptr("bm90IGEgY3Vyc29y")}},
		{"empty cursor", content.PageArgs{First: ptr(2), After: ptr("")}},
		{"cursor of another field", content.PageArgs{First: ptr(2), After: titlePage.EndCursor()}},
		{"cursor of another direction", content.PageArgs{Last: ptr(2), Before: descPage.StartCursor()}},
	} {
		_, err := cat.ListActivities(ctx, none, byStart, tc.p)
		wantCode(t, err, content.EINVALID, tc.what)
		// The same errors on a list that is empty because a slug is unknown.
		_, err = cat.ListActivities(ctx, content.ActivityFilter{RegionSlug: ptr("atlantis")}, byStart, tc.p)
		wantCode(t, err, content.EINVALID, tc.what+" on an empty list")
		_, err = cat.ListInitiatives(ctx, content.InitiativeFilter{RegionSlug: ptr("atlantis")}, tc.p)
		wantCode(t, err, content.EINVALID, tc.what+" on an empty list of initiatives")
	}
	_, err = cat.ListActivities(ctx, none, content.Order[content.ActivityOrderField]{Field: "nonsense"}, content.PageArgs{})
	wantCode(t, err, content.EINVALID, "unknown order")
}

func testDrafts(t *testing.T, s content.Store) {
	pub := activity("pub", title("Openbaar"), region("reg-noord"), startsAt(at(2023, 2, 7, 10, 0)))
	dr := activity("concept", title("Concept"), region("reg-noord"), startsAt(at(2023, 2, 7, 9, 0)), draft())
	cat := newCatalog(t, s, pub, dr)
	filter := content.ActivityFilter{RegionSlug: ptr("noord")}
	order := content.Order[content.ActivityOrderField]{}
	for _, tc := range []struct {
		ctx  context.Context
		who  string
		want []string
	}{
		{ctx, "anonymous", []string{"pub"}},
		{drafts, "drafts viewer", []string{"concept", "pub"}},
	} {
		p, err := cat.ListActivities(tc.ctx, filter, order, content.PageArgs{})
		if err != nil {
			t.Fatal(err)
		}
		if got := actIDs(p.Items); !slices.Equal(got, tc.want) {
			t.Errorf("%s: list %q, want %q", tc.who, got, tc.want)
		}
		if n, err := p.TotalCount(tc.ctx); err != nil || n != len(tc.want) {
			t.Errorf("%s: totalCount %d, %v; want %d", tc.who, n, err, len(tc.want))
		}
		got, err := content.Get[content.Activity](tc.ctx, cat, []string{"pub", "concept"})
		if err != nil || len(got) != len(tc.want) {
			t.Errorf("%s: get %d records, %v; want %d", tc.who, len(got), err, len(tc.want))
		}
		one, err := content.GetOne[content.Activity](tc.ctx, cat, "concept")
		if err != nil || (one != nil) != (len(tc.want) == 2) {
			t.Errorf("%s: get the draft: %v, %v", tc.who, one, err)
		}
		bySlug, err := content.BySlug[content.Activity](tc.ctx, cat, "concept")
		if err != nil || (bySlug != nil) != (len(tc.want) == 2) {
			t.Errorf("%s: draft by slug: %v, %v", tc.who, bySlug, err)
		}
	}
	// A draft region cannot be filtered on anonymously.
	save(t, cat, activity("in-draft-region", region("reg-draft")))
	p, err := cat.ListActivities(ctx, content.ActivityFilter{RegionSlug: ptr("concept")}, order, content.PageArgs{})
	if err != nil || len(p.Items) != 0 {
		t.Errorf("anonymous list in a draft region: %d items, %v", len(p.Items), err)
	}
	p, err = cat.ListActivities(drafts, content.ActivityFilter{RegionSlug: ptr("concept")}, order, content.PageArgs{})
	if err != nil || !slices.Equal(actIDs(p.Items), []string{"in-draft-region"}) {
		t.Errorf("drafts viewer, list in a draft region: %q, %v", actIDs(p.Items), err)
	}
}

// searchActivities have words in titles, English titles and summaries.
func searchActivities() []*content.Activity {
	return []*content.Activity{
		activity("s-clienten", titleEN("Workshop voor cliënten", "Workshop for clients"), startsAt(at(2023, 2, 10, 10, 0))),
		activity("s-tour", title("Tour de BeterDichtbij"), region("reg-noord"), startsAt(at(2023, 2, 11, 10, 0))),
		activity("s-innov", title("Innovatie-Route Oost"), region("reg-oost"), startsAt(at(2023, 2, 12, 10, 0))),
		activity("s-ehealth", title("Kennismaken met e-health"), startsAt(at(2023, 2, 12, 11, 0))),
		activity("s-other", title("Netwerkborrel"), summary("Gezellig samenzijn"), startsAt(at(2023, 2, 13, 10, 0))),
	}
}

func testSearch(t *testing.T, s content.Store) {
	cat := newCatalog(t, s, searchActivities()...)
	for _, tc := range []struct {
		search string
		region string
		want   []string
	}{
		{"clienten", "", []string{"s-clienten"}},
		{"cliënten", "", []string{"s-clienten"}},
		{"CLIËNTEN", "", []string{"s-clienten"}},
		{"clients", "", []string{"s-clienten"}},
		{"beterdichtbij", "", []string{"s-tour"}},
		{"dichtbij", "", []string{"s-tour"}},
		{"beter", "", []string{"s-tour"}},
		{"BeterDichtbij", "", []string{"s-tour"}},
		{"tour dichtbij", "", []string{"s-tour"}},
		{"innov", "", []string{"s-innov"}},
		{"route", "", []string{"s-innov"}},
		{"innovatie-route", "", []string{"s-innov"}},
		{"ehealth", "", []string{"s-ehealth"}},
		{"gezellig", "", []string{"s-other"}},
		{"workshop tour", "", nil},
		{"nergens", "", nil},
		{"%", "", []string{"s-clienten", "s-tour", "s-innov", "s-ehealth", "s-other"}}, // no words: no search
		{"dichtbij", "noord", []string{"s-tour"}},
		{"dichtbij", "oost", nil},
	} {
		f := content.ActivityFilter{Search: ptr(tc.search)}
		if tc.region != "" {
			f.RegionSlug = ptr(tc.region)
		}
		p, err := cat.ListActivities(ctx, f, content.Order[content.ActivityOrderField]{}, content.PageArgs{})
		if err != nil {
			t.Errorf("search %q: %v", tc.search, err)
			continue
		}
		if got := actIDs(p.Items); !sameIDs(got, tc.want) {
			t.Errorf("search %q in %q: %q, want %q", tc.search, tc.region, got, tc.want)
		}
		if n, err := p.TotalCount(ctx); err != nil || n != len(tc.want) {
			t.Errorf("search %q: totalCount %d, %v; want %d", tc.search, n, err, len(tc.want))
		}
	}
}

func testSearchRanking(t *testing.T, s content.Store) {
	cat := newCatalog(t, s,
		// Summary-only matches start before the title matches, so ranking,
		// not time, puts the title matches first.
		activity("r-s1", title("Open dag"), summary("Met een robot aan tafel"), startsAt(at(2023, 2, 1, 10, 0))),
		activity("r-s2", title("Lezing"), summary("Over robotica"), startsAt(at(2023, 2, 2, 10, 0))),
		activity("r-s3", title("Netwerk"), summary("Robots en AI"), startsAt(at(2023, 2, 2, 10, 0))),
		activity("r-t3", title("De robot komt"), startsAt(at(2023, 2, 22, 10, 0))),
		activity("r-t1", title("Robotzorg in de praktijk"), startsAt(at(2023, 2, 20, 10, 0))),
		activity("r-t2", title("Robots in huis"), summary("Ook een robot"), startsAt(at(2023, 2, 20, 10, 0))),
		activity("r-none", title("Zomaar"), summary("Niets"), startsAt(at(2023, 2, 3, 10, 0))),
		activity("r-draft", title("Robot in concept"), startsAt(at(2023, 2, 20, 9, 0)), draft()),
	)
	list := func(o content.Order[content.ActivityOrderField]) lister {
		return activityLister(cat, content.ActivityFilter{Search: ptr("robot")}, o)
	}
	want := []string{"r-t1", "r-t2", "r-t3", "r-s1", "r-s2", "r-s3"}
	checkWalks(t, ctx, "search robot", list(content.Order[content.ActivityOrderField]{}), want)
	checkWalks(t, ctx, "search robot, start descending",
		list(content.Order[content.ActivityOrderField]{Field: content.ActivityByStart, Desc: true}),
		[]string{"r-t3", "r-t2", "r-t1", "r-s3", "r-s2", "r-s1"}) // ties by id, descending too
	checkWalks(t, ctx, "search robot, by title",
		list(content.Order[content.ActivityOrderField]{Field: content.ActivityByTitle}),
		[]string{"r-t3", "r-t2", "r-t1", "r-s2", "r-s3", "r-s1"})
	checkWalks(t, drafts, "search robot with drafts", list(content.Order[content.ActivityOrderField]{}),
		[]string{"r-draft", "r-t1", "r-t2", "r-t3", "r-s1", "r-s2", "r-s3"})
}

// filterActivities cover every filter of a list of activities.
func filterActivities() []*content.Activity {
	return []*content.Activity{
		activity("f-1", region("reg-noord"), themes("th-digi"), organizers("org-umcg"), format(content.FormatWorkshop),
			mode(content.ModeOnsite), startsAt(at(2023, 2, 7, 10, 0)), endsAt(at(2023, 2, 7, 12, 0))),
		activity("f-2", region("reg-oost"), themes("th-mental", "th-digi"), organizers("org-vilans"), format(content.FormatWebinar),
			mode(content.ModeOnline), startsAt(at(2023, 2, 14, 10, 0))),
		activity("f-3", region("reg-noord"), themes("th-mental"), organizers("org-umcg", "org-vilans"), initiative("ini-tour"),
			format(content.FormatVisit), mode(content.ModeOnsite), onDays(day(2023, 2, 8), nil)),
		activity("f-4", region("reg-zuid"), format(content.FormatOther)), // time unknown
		activity("f-5", edition("ed-2024"), region("reg-noord"), themes("th-digi"), mode(content.ModeHybrid),
			startsAt(at(2024, 2, 6, 10, 0))),
		activity("f-6", region("reg-noord"), themes("th-digi"), startsAt(at(2023, 2, 7, 11, 0)), draft()),
		activity("f-7", onDays(day(2023, 2, 6), day(2023, 2, 10))),
	}
}

func testFilters(t *testing.T, s content.Store) {
	as := filterActivities()
	cat := newCatalog(t, s, as...)
	byID := map[string]*content.Activity{}
	for _, a := range as {
		byID[a.ID] = a
	}
	ordered := func(ids ...string) []string {
		var sel []*content.Activity
		for _, id := range ids {
			sel = append(sel, byID[id])
		}
		return startOrder(sel)
	}
	tm := func(t time.Time) *time.Time { return &t }
	workshop, onsite := content.FormatWorkshop, content.ModeOnsite
	for _, tc := range []struct {
		what string
		ctx  context.Context
		f    content.ActivityFilter
		want []string
	}{
		{"no filter", ctx, content.ActivityFilter{}, ordered("f-1", "f-2", "f-3", "f-4", "f-5", "f-7")},
		{"edition 2023", ctx, content.ActivityFilter{EditionYear: ptr(2023)}, ordered("f-1", "f-2", "f-3", "f-4", "f-7")},
		{"edition 2024", ctx, content.ActivityFilter{EditionYear: ptr(2024)}, ordered("f-5")},
		{"region noord", ctx, content.ActivityFilter{RegionSlug: ptr("noord")}, ordered("f-1", "f-3", "f-5")},
		{"region noord, drafts", drafts, content.ActivityFilter{RegionSlug: ptr("noord")}, ordered("f-1", "f-3", "f-5", "f-6")},
		{"theme digitale-zorg", ctx, content.ActivityFilter{ThemeSlug: ptr("digitale-zorg")}, ordered("f-1", "f-2", "f-5")},
		{"theme mentale-gezondheid", ctx, content.ActivityFilter{ThemeSlug: ptr("mentale-gezondheid")}, ordered("f-2", "f-3")},
		{"organisation vilans", ctx, content.ActivityFilter{OrganizationSlug: ptr("vilans")}, ordered("f-2", "f-3")},
		{"organisation umcg", ctx, content.ActivityFilter{OrganizationSlug: ptr("umcg")}, ordered("f-1", "f-3")},
		{"initiative", ctx, content.ActivityFilter{InitiativeSlug: ptr("tour-de-beterdichtbij")}, ordered("f-3")},
		{"format", ctx, content.ActivityFilter{Format: &workshop}, ordered("f-1")},
		{"mode", ctx, content.ActivityFilter{Mode: &onsite}, ordered("f-1", "f-3")},
		{"region and theme", ctx, content.ActivityFilter{RegionSlug: ptr("noord"), ThemeSlug: ptr("digitale-zorg")}, ordered("f-1", "f-5")},
		{"region and theme, drafts", drafts, content.ActivityFilter{RegionSlug: ptr("noord"), ThemeSlug: ptr("digitale-zorg")}, ordered("f-1", "f-5", "f-6")},
		{"edition, region and theme", ctx, content.ActivityFilter{EditionYear: ptr(2023), RegionSlug: ptr("noord"), ThemeSlug: ptr("digitale-zorg")}, ordered("f-1")},
		{"region of a parent", ctx, content.ActivityFilter{RegionID: "reg-noord", ThemeID: "th-mental"}, ordered("f-3")},
		{"parent and matching slug", ctx, content.ActivityFilter{RegionID: "reg-noord", RegionSlug: ptr("noord")}, ordered("f-1", "f-3", "f-5")},
		{"parent and other slug", ctx, content.ActivityFilter{RegionID: "reg-noord", RegionSlug: ptr("oost")}, nil},
		{"from", ctx, content.ActivityFilter{From: tm(at(2023, 2, 8, 0, 0))}, ordered("f-2", "f-3", "f-5", "f-7")},
		{"to", ctx, content.ActivityFilter{To: tm(at(2023, 2, 7, 23, 0))}, ordered("f-1", "f-7")},
		{"from and to", ctx, content.ActivityFilter{From: tm(at(2023, 2, 7, 11, 0)), To: tm(at(2023, 2, 8, 12, 0))}, ordered("f-1", "f-3", "f-7")},
		{"from equals to", ctx, content.ActivityFilter{From: tm(at(2023, 2, 14, 10, 0)), To: tm(at(2023, 2, 14, 10, 0))}, ordered("f-2")},
		{"window after everything", ctx, content.ActivityFilter{From: tm(at(2030, 1, 1, 0, 0))}, nil},
	} {
		p, err := cat.ListActivities(tc.ctx, tc.f, content.Order[content.ActivityOrderField]{}, content.PageArgs{})
		if err != nil {
			t.Errorf("%s: %v", tc.what, err)
			continue
		}
		if got := actIDs(p.Items); !sameIDs(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.what, got, tc.want)
		}
		if n, err := p.TotalCount(tc.ctx); err != nil || n != len(tc.want) {
			t.Errorf("%s: totalCount %d, %v; want %d", tc.what, n, err, len(tc.want))
		}
	}
	_, err := cat.ListActivities(ctx, content.ActivityFilter{From: tm(at(2023, 2, 9, 0, 0)), To: tm(at(2023, 2, 8, 0, 0))},
		content.Order[content.ActivityOrderField]{}, content.PageArgs{})
	wantCode(t, err, content.EINVALID, "from after to")
}

func testUnknownSlugs(t *testing.T, s content.Store) {
	cat := newCatalog(t, s, filterActivities()...)
	for _, f := range []content.ActivityFilter{
		{RegionSlug: ptr("atlantis")},
		{ThemeSlug: ptr("nope")},
		{OrganizationSlug: ptr("nope")},
		{InitiativeSlug: ptr("nope")},
		{EditionYear: ptr(1999)},
		{RegionSlug: ptr("noord"), ThemeSlug: ptr("nope")},
		{RegionSlug: ptr("%"), Search: ptr("x")},
	} {
		p, err := cat.ListActivities(ctx, f, content.Order[content.ActivityOrderField]{}, content.PageArgs{First: ptr(10)})
		if err != nil {
			t.Errorf("filter %+v: %v; want an empty page", f, err)
			continue
		}
		n, err := p.TotalCount(ctx)
		if len(p.Items) != 0 || n != 0 || err != nil || p.HasNextPage || p.HasPreviousPage || p.EndCursor() != nil {
			t.Errorf("filter %+v: %d items, total %d (%v), want an empty page", f, len(p.Items), n, err)
		}
	}
}

func testCatalogGetMissing(t *testing.T, s content.Store) {
	cat := newCatalog(t, s, filterActivities()...)
	got, err := content.Get[content.Activity](ctx, cat, []string{"f-1", "missing", "f-2", "f-1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["f-1"] == nil || got["f-2"] == nil {
		t.Fatalf("get f-1, missing, f-2: %d records", len(got))
	}
	a := got["f-1"]
	if a.RegionID != "reg-noord" || !slices.Equal(a.ThemeIDs, []string{"th-digi"}) || a.Format == nil ||
		*a.Format != content.FormatWorkshop || a.StartsAt == nil || !a.StartsAt.Equal(at(2023, 2, 7, 10, 0)) {
		t.Errorf("f-1 decoded as %+v", a)
	}
	none, err := content.Get[content.Theme](ctx, cat, []string{"f-1"})
	if err != nil || len(none) != 0 {
		t.Errorf("get theme f-1: %d, %v", len(none), err)
	}
	th, err := content.BySlug[content.Theme](ctx, cat, "digitale-zorg")
	if err != nil || th == nil || th.ID != "th-digi" {
		t.Errorf("theme by slug: %v, %v", th, err)
	}
}

func testRelay(t *testing.T, s content.Store) {
	cat := newCatalog(t, s)
	order := func(l *content.Leg) int {
		if l == nil {
			return 0
		}
		return l.Order
	}
	for _, tc := range []struct {
		what                    string
		ctx                     context.Context
		at                      time.Time
		year                    int // 0: no relay status
		current, previous, next int
	}{
		{"week 2", ctx, at(2023, 2, 15, 12, 0), 2023, 2, 1, 3},
		{"weekend after week 2", ctx, at(2023, 2, 18, 12, 0), 2023, 2, 1, 3},
		{"first minutes in Amsterdam", ctx, at(2023, 2, 6, 0, 30), 2023, 1, 0, 2},
		{"last evening", ctx, at(2023, 3, 3, 23, 0), 2023, 4, 3, 0},
		{"day after the edition", ctx, at(2023, 3, 4, 0, 30), 0, 0, 0, 0},
		{"outside any edition", ctx, at(2023, 4, 1, 12, 0), 0, 0, 0, 0},
		{"edition without legs", ctx, at(2024, 2, 10, 12, 0), 2024, 0, 0, 0},
		{"draft edition, anonymous", ctx, at(2025, 2, 10, 12, 0), 0, 0, 0, 0},
		{"draft edition, drafts viewer", drafts, at(2025, 2, 10, 12, 0), 2025, 0, 0, 0},
	} {
		r, err := cat.Relay(tc.ctx, tc.at)
		if err != nil {
			t.Errorf("%s: %v", tc.what, err)
			continue
		}
		if tc.year == 0 {
			if r != nil {
				t.Errorf("%s: relay status of edition %d, want none", tc.what, r.Edition.Year)
			}
			continue
		}
		if r == nil || r.Edition == nil || r.Edition.Year != tc.year {
			t.Errorf("%s: %+v, want edition %d", tc.what, r, tc.year)
			continue
		}
		if order(r.Current) != tc.current || order(r.Previous) != tc.previous || order(r.Next) != tc.next {
			t.Errorf("%s: legs %d/%d/%d, want %d/%d/%d", tc.what, order(r.Current), order(r.Previous), order(r.Next),
				tc.current, tc.previous, tc.next)
		}
	}
	r, err := cat.Relay(ctx, at(2023, 2, 15, 12, 0))
	if err == nil && r != nil && (r.Current.RegionID != "reg-oost" || r.Current.EditionID != "ed-2023") {
		t.Errorf("current leg: region %q, edition %q", r.Current.RegionID, r.Current.EditionID)
	}
	e, err := cat.CurrentEdition(ctx)
	if err != nil || e == nil || e.Year != 2023 {
		t.Errorf("current edition: %v, %v", e, err)
	}
}

func testRegions(t *testing.T, s content.Store) {
	cat := newCatalog(t, s)
	m, err := cat.RegionsByProvince(ctx, []string{"groningen", "gelderland", "nowhere", "atlantis"})
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]string{"groningen": "reg-noord", "gelderland": "reg-oost", "drenthe": "reg-noord"} {
		if r := m[p]; r == nil || r.ID != want {
			t.Errorf("region of %s: %v, want %s", p, r, want)
		}
	}
	for _, p := range []string{"nowhere", "atlantis", "limburg"} {
		if r := m[p]; r != nil {
			t.Errorf("region of %s: %s, want none", p, r.ID)
		}
	}
	if m, err := cat.RegionsByProvince(ctx, nil); err != nil || len(m) != 0 {
		t.Errorf("regions of no provinces: %d, %v", len(m), err)
	}
	if m, err := cat.RegionsByProvince(drafts, []string{"atlantis"}); err != nil || m["atlantis"] == nil {
		t.Errorf("drafts viewer, region of atlantis: %v, %v", m, err)
	}
	regions, err := cat.Regions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range regions {
		ids = append(ids, r.ID)
	}
	if want := []string{"reg-noord", "reg-oost", "reg-zuid", "reg-west"}; !slices.Equal(ids, want) {
		t.Errorf("regions: %q, want %q", ids, want)
	}
	ths, err := cat.Themes(ctx)
	if err != nil || len(ths) != 2 || ths[0].ID != "th-digi" || ths[1].ID != "th-mental" {
		t.Errorf("themes: %v, %v", ths, err)
	}
}

func testEditions(t *testing.T, s content.Store) {
	cat := newCatalog(t, s)
	for _, tc := range []struct {
		ctx       context.Context
		ascending bool
		want      []int
	}{
		{ctx, false, []int{2024, 2023}},
		{ctx, true, []int{2023, 2024}},
		{drafts, false, []int{2025, 2024, 2023}},
	} {
		p, err := cat.ListEditions(tc.ctx, tc.ascending, content.PageArgs{})
		if err != nil {
			t.Fatal(err)
		}
		var years []int
		for _, e := range p.Items {
			years = append(years, e.Year)
		}
		if !slices.Equal(years, tc.want) {
			t.Errorf("editions (ascending %v): %v, want %v", tc.ascending, years, tc.want)
		}
	}
	e, err := cat.EditionByYear(ctx, 2023)
	if err != nil || e == nil || e.ID != "ed-2023" || len(e.Legs) != 4 {
		t.Fatalf("edition 2023: %v, %v", e, err)
	}
	for i, l := range e.Legs {
		if l.Order != i+1 || l.EditionID != "ed-2023" {
			t.Errorf("leg %d: order %d, edition %q", i, l.Order, l.EditionID)
		}
	}
	if e, err := cat.EditionByYear(ctx, 2025); err != nil || e != nil {
		t.Errorf("draft edition 2025, anonymous: %v, %v", e, err)
	}
}
