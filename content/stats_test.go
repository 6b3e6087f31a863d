package content_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"estafette/content"
	"estafette/internal/collections"
	"estafette/seed"
	"estafette/sqlite"
)

// These tests check the statistics against counts the test computes itself
// from a full listing of the activities (ListActivities, page by page), on
// the real seed content plus 10,000 synthetic activities in the embedded
// store.

const syntheticCount = 10_000

// bigCatalog returns a catalog over the seed and 10,000 synthetic
// activities in a store in dir.
func bigCatalog(tb testing.TB, dir string) *content.Catalog {
	tb.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, dir, collections.All())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	cat := content.NewCatalog(s)
	if _, err := seed.Load(ctx, cat); err != nil {
		tb.Fatal(err)
	}
	if err := seed.LoadSynthetic(ctx, cat, syntheticCount, nil); err != nil {
		tb.Fatal(err)
	}
	if err := s.Optimize(ctx); err != nil {
		tb.Fatal(err)
	}
	return cat
}

// TestAnalytics runs the checks over one store of 10,000 synthetic
// activities and the seed.
func TestAnalytics(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 10,000 activities")
	}
	cat := bigCatalog(t, t.TempDir())
	t.Run("StatsMatchListing", func(t *testing.T) { testStatsMatchListing(t, cat) })
	t.Run("FacetsConsistent", func(t *testing.T) { testFacetsConsistent(t, cat) })
	t.Run("TopOrganizationsAndComparison", func(t *testing.T) { testTopOrganizationsAndComparison(t, cat) })
}

// listAll pages through every activity that matches f, 100 at a time.
func listAll(tb testing.TB, ctx context.Context, cat *content.Catalog, f content.ActivityFilter) []*content.Activity {
	tb.Helper()
	var out []*content.Activity
	first := content.MaxPageSize
	p := content.PageArgs{First: &first}
	for {
		page, err := cat.ListActivities(ctx, f, content.Order[content.ActivityOrderField]{}, p)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, page.Items...)
		if !page.HasNextPage {
			return out
		}
		p.After = page.EndCursor()
	}
}

// world holds the records the test resolves activities' references with.
type world struct {
	editions map[string]*content.Edition
	regions  map[string]*content.Region
	themes   map[string]*content.Theme
	inis     map[string]*content.Initiative
	orgs     map[string]*content.Organization
}

func loadWorld(tb testing.TB, ctx context.Context, cat *content.Catalog) world {
	tb.Helper()
	w := world{editions: map[string]*content.Edition{}, regions: map[string]*content.Region{}, themes: map[string]*content.Theme{},
		inis: map[string]*content.Initiative{}, orgs: map[string]*content.Organization{}}
	for _, r := range append(seed.Content(), seed.SyntheticReferences()...) {
		switch r := r.(type) {
		case *content.Edition:
			w.editions[r.ID] = r
		case *content.Region:
			w.regions[r.ID] = r
		case *content.Theme:
			w.themes[r.ID] = r
		case *content.Initiative:
			w.inis[r.ID] = r
		case *content.Organization:
			w.orgs[r.ID] = r
		}
	}
	return w
}

// values returns the values of dimension d of activity a, as StatKey.Value
// writes them; "∅" stands for unknown.
func (w world) values(a *content.Activity, d content.Dimension) []string {
	one := func(v string) []string {
		if v == "" {
			return []string{"∅"}
		}
		return []string{v}
	}
	many := func(vs []string) []string {
		slices.Sort(vs)
		vs = slices.Compact(vs)
		if len(vs) == 0 {
			return []string{"∅"}
		}
		return vs
	}
	switch d {
	case content.DimensionEdition:
		if e := w.editions[a.EditionID]; e != nil {
			return []string{strconv.Itoa(e.Year)}
		}
		return one("")
	case content.DimensionRegion:
		if r := w.regions[a.RegionID]; r != nil {
			return one(r.Slug)
		}
		return one("")
	case content.DimensionProvince:
		if a.Venue != nil {
			return one(a.Venue.ProvinceSlug)
		}
		return one("")
	case content.DimensionInitiative:
		if i := w.inis[a.InitiativeID]; i != nil {
			return one(i.Slug)
		}
		return one("")
	case content.DimensionTheme:
		var vs []string
		for _, id := range a.ThemeIDs {
			vs = append(vs, w.themes[id].Slug)
		}
		return many(vs)
	case content.DimensionFormat:
		if a.Format != nil {
			return one(string(*a.Format))
		}
		return one("")
	case content.DimensionMode:
		if a.Mode != nil {
			return one(string(*a.Mode))
		}
		return one("")
	case content.DimensionOrganizationKind:
		var vs []string
		for _, id := range a.OrganizerIDs {
			if o := w.orgs[id]; o != nil && o.Kind != nil && o.IsPublished() {
				vs = append(vs, string(*o.Kind))
			}
		}
		return many(vs)
	case content.DimensionMonth:
		if s := a.Start(); s != nil {
			return one(s.In(content.Amsterdam).Format("2006-01"))
		}
		return one("")
	case content.DimensionWeekday:
		if s := a.Start(); s != nil {
			n := int(s.In(content.Amsterdam).Weekday())
			if n == 0 {
				n = 7
			}
			return one(strconv.Itoa(n))
		}
		return one("")
	}
	panic(d)
}

// expected counts the activities per combination of dimension values.
func (w world) expected(as []*content.Activity, dims []content.Dimension) map[string]int {
	out := map[string]int{}
	for _, a := range as {
		combos := [][]string{{}}
		for _, d := range dims {
			var next [][]string
			for _, c := range combos {
				for _, v := range w.values(a, d) {
					next = append(next, append(slices.Clone(c), v))
				}
			}
			combos = next
		}
		for _, c := range combos {
			out[strings.Join(c, "|")]++
		}
	}
	return out
}

// got turns buckets into the form of expected, checking that every key has
// a label and the dimension asked.
func got(tb testing.TB, buckets []content.StatBucket, dims []content.Dimension) map[string]int {
	tb.Helper()
	out := map[string]int{}
	for _, b := range buckets {
		if len(b.Keys) != len(dims) {
			tb.Fatalf("bucket with %d keys, want %d", len(b.Keys), len(dims))
		}
		var parts []string
		for i, k := range b.Keys {
			if k.Dimension != dims[i] || k.Label == "" {
				tb.Errorf("key %d of %v: dimension %q label %q", i, b, k.Dimension, k.Label)
			}
			if k.Value == nil {
				parts = append(parts, "∅")
			} else {
				parts = append(parts, *k.Value)
			}
		}
		key := strings.Join(parts, "|")
		if _, dup := out[key]; dup {
			tb.Errorf("bucket %s twice", key)
		}
		out[key] = b.Count
	}
	return out
}

func diff(got, want map[string]int) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if got[k] != want[k] {
			fmt.Fprintf(&b, "  %s: got %d, want %d\n", k, got[k], want[k])
		}
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[k]; !ok {
			fmt.Fprintf(&b, "  %s: got %d, want none\n", k, got[k])
		}
	}
	return b.String()
}

func ptrTo[T any](v T) *T { return &v }

// statFilters are the filters the tests compare under.
var statFilters = map[string]content.ActivityFilter{
	"all":               {},
	"edition 2023":      {EditionYear: ptrTo(2023)},
	"zuid workshops":    {RegionSlug: ptrTo("zuid"), Format: ptrTo(content.FormatWorkshop)},
	"online 2024":       {EditionYear: ptrTo(2024), Mode: ptrTo(content.ModeOnline)},
	"search dementie":   {Search: ptrTo("dementiezorg")},
	"february 2021":     {From: ptrTo(time.Date(2021, 2, 1, 0, 0, 0, 0, content.Amsterdam)), To: ptrTo(time.Date(2021, 2, 28, 0, 0, 0, 0, content.Amsterdam))},
	"unknown region":    {RegionSlug: ptrTo("atlantis")},
	"first theme 2023":  {EditionYear: ptrTo(2023), ThemeSlug: ptrTo(firstThemeSlug())},
	"an initiative":     {InitiativeSlug: ptrTo(firstInitiativeSlug())},
	"first org in 2024": {EditionYear: ptrTo(2024), OrganizationSlug: ptrTo(firstOrgSlug())},
}

func firstThemeSlug() string      { return firstOf[*content.Theme]() }
func firstInitiativeSlug() string { return firstOf[*content.Initiative]() }
func firstOrgSlug() string        { return firstOf[*content.Organization]() }

func firstOf[P content.Record]() string {
	for _, r := range seed.SyntheticReferences() {
		if p, ok := r.(P); ok {
			return content.MetaOf(p).Slug
		}
	}
	panic("none")
}

var groupings = [][]content.Dimension{
	{},
	{content.DimensionEdition},
	{content.DimensionRegion},
	{content.DimensionProvince},
	{content.DimensionInitiative},
	{content.DimensionTheme},
	{content.DimensionFormat},
	{content.DimensionMode},
	{content.DimensionOrganizationKind},
	{content.DimensionMonth},
	{content.DimensionWeekday},
	{content.DimensionEdition, content.DimensionRegion},
	{content.DimensionTheme, content.DimensionOrganizationKind},
	{content.DimensionOrganizationKind, content.DimensionEdition, content.DimensionTheme},
	{content.DimensionMonth, content.DimensionWeekday, content.DimensionMode},
}

// TestStatsMatchListing compares every grouping under every filter with
// counts computed from the full listing.
func testStatsMatchListing(t *testing.T, cat *content.Catalog) {
	ctx := context.Background()
	w := loadWorld(t, ctx, cat)
	total := 0
	for name, f := range statFilters {
		// The world is synthetic: ask for it (a filter without Synthetic
		// leaves it out).
		f.Synthetic = ptrTo(true)
		as := listAll(t, ctx, cat, f)
		if name == "all" {
			total = len(as)
		}
		for _, dims := range groupings {
			buckets, err := cat.Stats(ctx, f, dims)
			if err != nil {
				t.Fatalf("%s by %v: %v", name, dims, err)
			}
			want := w.expected(as, dims)
			if len(dims) == 0 && len(want) == 0 {
				want = map[string]int{"": 0}
			}
			if d := diff(got(t, buckets, dims), want); d != "" {
				t.Errorf("%s, grouped by %v (%d activities):\n%s", name, dims, len(as), d)
			}
		}
	}
	if total < syntheticCount {
		t.Fatalf("listed %d activities, want at least %d", total, syntheticCount)
	}
}

// TestStatsSeedEditionRegion is the check on the real content:
// stats by edition and region equal the activities listed per edition and
// region.
func TestStatsSeedEditionRegion(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, t.TempDir(), collections.All())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cat := content.NewCatalog(s)
	if _, err := seed.Load(ctx, cat); err != nil {
		t.Fatal(err)
	}
	buckets, err := cat.Stats(ctx, content.ActivityFilter{}, []content.Dimension{content.DimensionEdition, content.DimensionRegion})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, b := range buckets {
		f := content.ActivityFilter{}
		if v := b.Keys[0].Value; v != nil {
			y, _ := strconv.Atoi(*v)
			f.EditionYear = &y
		}
		if v := b.Keys[1].Value; v != nil {
			f.RegionSlug = v
		}
		n := 0
		for _, a := range listAll(t, ctx, cat, f) {
			if b.Keys[1].Value != nil || a.RegionID == "" {
				n++
			}
		}
		if b.Keys[0].Value == nil || n != b.Count {
			t.Errorf("%s %s: stats %d, listing %d", b.Keys[0].Label, b.Keys[1].Label, b.Count, n)
		}
		sum += b.Count
	}
	if all := len(listAll(t, ctx, cat, content.ActivityFilter{})); sum != all || all == 0 {
		t.Errorf("buckets add up to %d, the listing has %d", sum, all)
	}
	// Labels are resolved in the locale of the context.
	en, err := cat.Stats(content.WithLocale(ctx, content.EN), content.ActivityFilter{EditionYear: ptrTo(2021)}, []content.Dimension{content.DimensionRegion, content.DimensionMode})
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, b := range en {
		labels = append(labels, b.Keys[0].Label+"/"+b.Keys[1].Label)
	}
	if !slices.Contains(labels, "Region South/Online") {
		t.Errorf("English labels: %q", labels)
	}
}

// TestFacetsConsistent checks the facet semantics against filtered totals:
// the selected value's count is the total of the list, another value's
// count is the total when the filter selects that value instead, and the
// counts of a scalar dimension without a filter add up to the total.
func testFacetsConsistent(t *testing.T, cat *content.Catalog) {
	ctx := context.Background()
	count := func(f content.ActivityFilter) int {
		b, err := cat.Stats(ctx, f, nil)
		if err != nil {
			t.Fatal(err)
		}
		return b[0].Count
	}
	for _, f := range []content.ActivityFilter{
		{EditionYear: ptrTo(2024), RegionSlug: ptrTo("zuid"), Format: ptrTo(content.FormatWorkshop)},
		{EditionYear: ptrTo(2023), ThemeSlug: ptrTo(firstThemeSlug()), Mode: ptrTo(content.ModeHybrid)},
		{InitiativeSlug: ptrTo(firstInitiativeSlug()), Search: ptrTo("zorg")},
		{},
	} {
		total := count(f)
		if n := len(listAll(t, ctx, cat, f)); n != total {
			t.Fatalf("%+v: count %d, listing %d", f, total, n)
		}
		facets, err := cat.ActivityFacets(ctx, f, content.Dimensions)
		if err != nil {
			t.Fatal(err)
		}
		if len(facets) != len(content.Dimensions) {
			t.Fatalf("%d facets", len(facets))
		}
		for _, facet := range facets {
			d := facet.Dimension
			sel := selectedValue(f, d)
			sum, selCount, selSeen := 0, 0, false
			for _, v := range facet.Values {
				sum += v.Count
				isSel := v.Value != nil && sel != nil && *v.Value == *sel
				if v.Selected != isSel {
					t.Errorf("%+v %s %v: selected %v", f, d, v.Label, v.Selected)
				}
				if isSel {
					selCount, selSeen = v.Count, true
				}
				// Choosing this value instead gives its count as the total.
				if g, ok := withValue(f, d, v.Value); ok && v.Count != count(g) {
					t.Errorf("%+v %s %s: facet %d, filtered total %d", f, d, *v.Value, v.Count, count(g))
				}
			}
			if sel != nil && (!selSeen || selCount != total) {
				t.Errorf("%+v %s: selected value count %d (seen %v), total %d", f, d, selCount, selSeen, total)
			}
			multi := d == content.DimensionTheme || d == content.DimensionOrganizationKind
			if sel == nil && !multi && sum != total {
				t.Errorf("%+v %s: counts add up to %d, total %d", f, d, sum, total)
			}
			if sel == nil && multi && sum < total {
				t.Errorf("%+v %s: counts add up to %d, less than total %d", f, d, sum, total)
			}
		}
	}
	// A selected value without activities is listed with count 0.
	f := content.ActivityFilter{EditionYear: ptrTo(2022), RegionSlug: ptrTo("zuid"), Search: ptrTo("qqqzzz")}
	facets, err := cat.ActivityFacets(ctx, f, []content.Dimension{content.DimensionEdition, content.DimensionRegion})
	if err != nil {
		t.Fatal(err)
	}
	for _, facet := range facets {
		found := false
		for _, v := range facet.Values {
			if v.Selected {
				found = v.Count == 0
			}
		}
		if !found {
			t.Errorf("%s: the selected value without activities is missing: %+v", facet.Dimension, facet.Values)
		}
	}
	if _, err := cat.ActivityFacets(ctx, content.ActivityFilter{}, []content.Dimension{"colour"}); content.ErrorCode(err) != content.EINVALID {
		t.Errorf("unknown dimension: %v", err)
	}
}

func selectedValue(f content.ActivityFilter, d content.Dimension) *string {
	switch d {
	case content.DimensionEdition:
		if f.EditionYear != nil {
			return ptrTo(strconv.Itoa(*f.EditionYear))
		}
	case content.DimensionRegion:
		return f.RegionSlug
	case content.DimensionInitiative:
		return f.InitiativeSlug
	case content.DimensionTheme:
		return f.ThemeSlug
	case content.DimensionFormat:
		if f.Format != nil {
			return ptrTo(string(*f.Format))
		}
	case content.DimensionMode:
		if f.Mode != nil {
			return ptrTo(string(*f.Mode))
		}
	}
	return nil
}

// withValue returns f filtered on value v of d instead, when d has a filter.
func withValue(f content.ActivityFilter, d content.Dimension, v *string) (content.ActivityFilter, bool) {
	if v == nil {
		return f, false
	}
	switch d {
	case content.DimensionEdition:
		y, _ := strconv.Atoi(*v)
		f.EditionYear = &y
	case content.DimensionRegion:
		f.RegionSlug = v
	case content.DimensionInitiative:
		f.InitiativeSlug = v
	case content.DimensionTheme:
		f.ThemeSlug = v
	case content.DimensionFormat:
		f.Format = ptrTo(content.Format(*v))
	case content.DimensionMode:
		f.Mode = ptrTo(content.Mode(*v))
	default:
		return f, false
	}
	return f, true
}

// TestTopOrganizationsAndComparison checks the top organisations and the
// edition comparison against the listing.
func testTopOrganizationsAndComparison(t *testing.T, cat *content.Catalog) {
	ctx := context.Background()
	w := loadWorld(t, ctx, cat)

	f := content.ActivityFilter{EditionYear: ptrTo(2023)}
	as := listAll(t, ctx, cat, f)
	per := map[string]int{}
	for _, a := range as {
		for _, id := range a.OrganizerIDs {
			per[id]++
		}
	}
	top, err := cat.TopOrganizations(ctx, f, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(top) != min(5, len(per)) {
		t.Fatalf("%d organisations", len(top))
	}
	for i, oc := range top {
		if per[oc.Organization.ID] != oc.Count {
			t.Errorf("%s: %d, listing %d", oc.Organization.ID, oc.Count, per[oc.Organization.ID])
		}
		if i > 0 && top[i-1].Count < oc.Count {
			t.Errorf("not sorted: %d before %d", top[i-1].Count, oc.Count)
		}
	}
	for _, oc := range top {
		delete(per, oc.Organization.ID)
	}
	for id, n := range per {
		if n > top[len(top)-1].Count {
			t.Errorf("%s has %d activities and is not in the top", id, n)
		}
	}
	if _, err := cat.TopOrganizations(ctx, f, 0); content.ErrorCode(err) != content.EINVALID {
		t.Errorf("limit 0: %v", err)
	}

	cmp, err := cat.EditionComparison(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cmp) != 4 {
		t.Fatalf("%d editions", len(cmp))
	}
	all := listAll(t, ctx, cat, content.ActivityFilter{})
	for i, e := range cmp {
		var acts int
		orgs, regions, themes := map[string]bool{}, map[string]bool{}, map[string]bool{}
		for _, a := range all {
			if a.EditionID != e.Edition.ID {
				continue
			}
			acts++
			for _, id := range a.OrganizerIDs {
				orgs[id] = true
			}
			if a.RegionID != "" {
				regions[a.RegionID] = true
			}
			for _, id := range a.ThemeIDs {
				themes[id] = true
			}
		}
		// Regions and themes of the route count too.
		for _, l := range e.Edition.Legs {
			regions[l.RegionID] = true
			for _, id := range l.ThemeIDs {
				themes[id] = true
			}
		}
		if e.ActivitiesUnknown != (acts == 0) || e.Activities.Unknown != (acts == 0) {
			t.Errorf("%d: %d activities, unknown %v/%v", e.Year, acts, e.ActivitiesUnknown, e.Activities.Unknown)
		}
		inis := 0
		for _, ini := range w.inis {
			if !ini.Synthetic && slices.Contains(ini.EditionIDs, e.Edition.ID) {
				inis++
			}
		}
		if e.Activities.Value != acts || e.Organizations.Value != len(orgs) || e.Regions.Value != len(regions) ||
			e.Themes.Value != len(themes) || e.Initiatives.Value != inis {
			t.Errorf("%d: %d activities, %d organisations, %d regions, %d themes, %d initiatives; want %d, %d, %d, %d, %d",
				e.Year, e.Activities.Value, e.Organizations.Value, e.Regions.Value, e.Themes.Value, e.Initiatives.Value,
				acts, len(orgs), len(regions), len(themes), inis)
		}
		if i == 0 {
			if e.Activities.Previous != nil || e.Activities.Change != nil || e.Activities.RelativeChange != nil {
				t.Errorf("%d has no previous edition: %+v", e.Year, e.Activities)
			}
			continue
		}
		prev := cmp[i-1].Activities.Value
		// Against an edition whose activities are unknown (or for one)
		// there is no change.
		if e.ActivitiesUnknown || cmp[i-1].ActivitiesUnknown {
			if !e.Activities.Incomplete || e.Activities.Change != nil || e.Activities.RelativeChange != nil || e.Regions.Change != nil {
				t.Errorf("%d: a change against unknown activities: %+v", e.Year, e.Activities)
			}
			if cmp[i-1].ActivitiesUnknown && e.Activities.Previous != nil {
				t.Errorf("%d: previous %d, but it is unknown", e.Year, *e.Activities.Previous)
			}
			continue
		}
		if e.Activities.Previous == nil || *e.Activities.Previous != prev || *e.Activities.Change != acts-prev {
			t.Errorf("%d: %+v, previous %d", e.Year, e.Activities, prev)
		}
		if (prev == 0) != (e.Activities.RelativeChange == nil) {
			t.Errorf("%d: relative change %v with previous %d", e.Year, e.Activities.RelativeChange, prev)
		} else if prev != 0 && *e.Activities.RelativeChange != float64(acts-prev)/float64(prev) {
			t.Errorf("%d: relative change %v", e.Year, *e.Activities.RelativeChange)
		}
	}
	one, err := cat.EditionComparison(ctx, []int{2024, 1999, 2024})
	if err != nil || len(one) != 1 || one[0].Year != 2024 || one[0].Activities.Previous == nil {
		t.Errorf("comparison of 2024 alone: %+v, %v", one, err)
	}
}
