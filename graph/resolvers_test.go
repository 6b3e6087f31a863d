package graph_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"estafette/internal/apitest"
)

// The queries of the "done when", exactly as a frontend sends them.

func TestRoute2023(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	var got struct {
		Edition struct {
			Legs []struct {
				Order    int
				StartsOn string
				EndsOn   string
				Region   struct {
					Slug      string
					Provinces []struct{ Name string }
				}
			}
		}
	}
	env.Query(t, `{ edition(year: 2023) { legs { order startsOn endsOn region { slug provinces { name } } } } }`, nil).Decode(t, &got)
	want := []struct {
		slug, from, to string
		provinces      []string
	}{
		{"oost", "2023-02-06", "2023-02-10", []string{"Overijssel", "Gelderland", "Flevoland"}},
		{"west", "2023-02-13", "2023-02-17", []string{"Noord-Holland", "Zuid-Holland", "Utrecht"}},
		{"noord", "2023-02-20", "2023-02-24", []string{"Groningen", "Friesland", "Drenthe"}},
		{"zuid", "2023-02-27", "2023-03-03", []string{"Zeeland", "Noord-Brabant", "Limburg"}},
	}
	if len(got.Edition.Legs) != len(want) {
		t.Fatalf("got %d legs, want %d", len(got.Edition.Legs), len(want))
	}
	for i, w := range want {
		l := got.Edition.Legs[i]
		var provinces []string
		for _, p := range l.Region.Provinces {
			provinces = append(provinces, p.Name)
		}
		if l.Order != i+1 || l.Region.Slug != w.slug || l.StartsOn != w.from || l.EndsOn != w.to || !slices.Equal(provinces, w.provinces) {
			t.Errorf("leg %d = %+v, want %v", i+1, l, w)
		}
	}
}

func TestRelay(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	cases := []struct {
		at            string
		current, next string
		null          bool
	}{
		{at: "2023-02-21T10:00:00+01:00", current: "noord", next: "zuid"},
		{at: "2021-02-22T10:00:00+01:00", current: "zuid", next: ""},
		{at: "2021-02-01T09:00:00+01:00", current: "oost", next: "west"},
		{at: "2022-06-01T10:00:00+02:00", null: true},
		{at: "2024-02-14T10:00:00+01:00", null: true}, // 2024's dates are unknown
	}
	for _, c := range cases {
		var got struct {
			Relay *struct {
				At      string
				Edition struct{ Year int }
				Current *struct{ Region struct{ Slug string } }
				Next    *struct{ Region struct{ Slug string } }
			}
		}
		env.Query(t, `query($at: DateTime) { relay(at: $at) { at edition { year } current { region { slug } } next { region { slug } } } }`,
			map[string]any{"at": c.at}).Decode(t, &got)
		if c.null {
			if got.Relay != nil {
				t.Errorf("relay(%s) = %+v, want null", c.at, got.Relay)
			}
			continue
		}
		if got.Relay == nil || got.Relay.Current == nil {
			t.Fatalf("relay(%s) has no current leg: %+v", c.at, got.Relay)
		}
		next := ""
		if got.Relay.Next != nil {
			next = got.Relay.Next.Region.Slug
		}
		if got.Relay.Current.Region.Slug != c.current || next != c.next {
			t.Errorf("relay(%s) = current %s next %q, want %s %q", c.at, got.Relay.Current.Region.Slug, next, c.current, c.next)
		}
	}
}

func TestSearchBeterDichtbij(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	var got struct {
		Initiatives struct {
			Nodes []struct {
				Name       string
				Activities struct {
					Nodes []struct {
						Venue struct {
							Province struct {
								Name   string
								Region struct{ Slug string }
							}
						}
						Region struct{ Slug string }
					}
				}
			}
		}
	}
	env.Query(t, `{ initiatives(filter: {search: "beterdichtbij"}) { nodes { name activities { nodes { region { slug } venue { province { name region { slug } } } } } } } }`, nil).Decode(t, &got)
	if len(got.Initiatives.Nodes) == 0 || got.Initiatives.Nodes[0].Name != "Tour de BeterDichtbij" {
		t.Fatalf("search beterdichtbij found %+v", got.Initiatives.Nodes)
	}
	var provinces []string
	for _, a := range got.Initiatives.Nodes[0].Activities.Nodes {
		p := a.Venue.Province
		provinces = append(provinces, p.Name)
		if p.Region.Slug != a.Region.Slug {
			t.Errorf("activity in %s has region %s, but the province's region is %s", p.Name, a.Region.Slug, p.Region.Slug)
		}
	}
	slices.Sort(provinces)
	if want := []string{"Drenthe", "Friesland", "Noord-Brabant"}; !slices.Equal(provinces, want) {
		t.Errorf("Tour de BeterDichtbij activities are in %v, want %v", provinces, want)
	}
}

func TestSearchIsAccentAndCaseInsensitive(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	for _, q := range []string{"BETERDICHTBIJ", "dichtbij", "Béter", "tour beter"} {
		var got struct {
			Initiatives struct{ Nodes []struct{ Slug string } }
		}
		env.Query(t, `query($q: String) { initiatives(filter: {search: $q}) { nodes { slug } } }`, map[string]any{"q": q}).Decode(t, &got)
		if len(got.Initiatives.Nodes) == 0 || got.Initiatives.Nodes[0].Slug != "tour-de-beterdichtbij" {
			t.Errorf("search %q found %+v", q, got.Initiatives.Nodes)
		}
	}
}

func TestNestedBothWays(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	var got struct {
		Edition struct {
			Legs []struct {
				Region struct {
					Activities struct {
						Nodes []struct {
							Title      string
							Initiative *struct {
								Organizations []struct {
									Slug       string
									Activities struct{ TotalCount int }
								}
							}
						}
					}
				}
			}
			Initiatives struct{ TotalCount int }
			Recaps      struct{ Nodes []struct{ Slug string } }
		}
	}
	env.Query(t, `{ edition(year: 2024) {
		legs { region { activities(edition: 2024) { nodes { title initiative { organizations { slug activities { totalCount } } } } } } }
		initiatives { totalCount }
		recaps { nodes { slug } }
	} }`, nil).Decode(t, &got)
	if got.Edition.Initiatives.TotalCount != 5 {
		t.Errorf("2024 has %d initiatives, want 5", got.Edition.Initiatives.TotalCount)
	}
	if len(got.Edition.Recaps.Nodes) == 0 {
		t.Error("2024 has no recap")
	}

	var region struct {
		Region struct {
			Activities struct {
				TotalCount int
				Nodes      []struct {
					Edition    struct{ Year int }
					Initiative *struct {
						Slug          string
						Organizations []struct {
							Slug       string
							Activities struct{ Nodes []struct{ Slug string } }
						}
					}
				}
			}
		}
	}
	env.Query(t, `{ region(slug: "noord") { activities(edition: 2024) { totalCount nodes { edition { year } initiative { slug organizations { slug activities { nodes { slug } } } } } } } }`, nil).Decode(t, &region)
	acts := region.Region.Activities
	if acts.TotalCount != 2 || len(acts.Nodes) != 2 {
		t.Fatalf("noord 2024 has %d activities, want the 2 Tour visits in Sneek and Assen", acts.TotalCount)
	}
	for _, a := range acts.Nodes {
		if a.Edition.Year != 2024 || a.Initiative == nil || a.Initiative.Slug != "tour-de-beterdichtbij" {
			t.Errorf("unexpected activity %+v", a)
		}
		if len(a.Initiative.Organizations) == 0 || len(a.Initiative.Organizations[0].Activities.Nodes) < 3 {
			t.Errorf("BeterDichtbij organised fewer than 3 activities: %+v", a.Initiative.Organizations)
		}
	}
}

func TestLocale(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	name := func(r apitest.Response) string {
		var got struct{ Region struct{ Name string } }
		r.Decode(t, &got)
		return got.Region.Name
	}
	if got := name(env.Query(t, `{ region(slug: "oost") { name } }`, nil)); got != "Regio Oost" {
		t.Errorf("default name %q, want Dutch", got)
	}
	if got := name(env.Query(t, `{ region(slug: "oost") { name(locale: EN) } }`, nil)); got != "Region East" {
		t.Errorf("locale: EN gave %q", got)
	}
	if got := name(env.Query(t, `query @locale(lang: EN) { region(slug: "oost") { name } }`, nil)); got != "Region East" {
		t.Errorf("@locale(lang: EN) gave %q", got)
	}
	if got := name(env.Query(t, `{ region(slug: "oost") { name } }`, nil, "Accept-Language", "en-GB,en;q=0.9")); got != "Region East" {
		t.Errorf("Accept-Language en gave %q", got)
	}
	if got := name(env.Query(t, `query @locale(lang: EN) { region(slug: "oost") { name(locale: NL) } }`, nil)); got != "Regio Oost" {
		t.Errorf("an explicit locale argument must win over @locale: %q", got)
	}
}

func TestNodeAndNodes(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	var list struct {
		Regions []struct{ ID, Slug string }
	}
	env.Query(t, `{ regions { id slug } }`, nil).Decode(t, &list)
	if len(list.Regions) != 4 {
		t.Fatalf("got %d regions", len(list.Regions))
	}
	ids := []string{}
	for _, r := range list.Regions {
		if strings.Contains(r.ID, r.Slug) {
			t.Errorf("global id %q is not opaque", r.ID)
		}
		ids = append(ids, r.ID)
	}
	var got struct {
		Node  *struct{ Slug string }
		Nodes []*struct{ Slug string }
	}
	missing := "QWN0aXZpdHk6bm9wZQ" // Activity:nope
	env.Query(t, `query($id: ID!, $ids: [ID!]!) { node(id: $id) { ... on Region { slug } } nodes(ids: $ids) { ... on Region { slug } } }`,
		map[string]any{"id": ids[2], "ids": append(ids, missing)}).Decode(t, &got)
	if got.Node == nil || got.Node.Slug != list.Regions[2].Slug {
		t.Errorf("node(%s) = %+v", ids[2], got.Node)
	}
	if len(got.Nodes) != 5 || got.Nodes[4] != nil || got.Nodes[0].Slug != "oost" {
		t.Errorf("nodes = %+v, want the four regions and null", got.Nodes)
	}
	// A malformed id among good ones is null in its place, not an error
	// that empties the whole answer.
	r := env.Query(t, `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Region { slug } } }`,
		map[string]any{"ids": []string{ids[0], "not-an-id", missing}})
	var mixed struct{ Nodes []*struct{ Slug string } }
	r.Decode(t, &mixed)
	if len(r.Errors) > 0 || len(mixed.Nodes) != 3 || mixed.Nodes[0] == nil || mixed.Nodes[0].Slug != "oost" || mixed.Nodes[1] != nil || mixed.Nodes[2] != nil {
		t.Errorf("nodes with a malformed id = %s", r.Raw)
	}
	r = env.Query(t, `{ node(id: "not-an-id") { id } }`, nil)
	if r.Code() != "BAD_USER_INPUT" {
		t.Errorf("a malformed id gave %s", r.Raw)
	}
}

func TestMissingLookupsAreNull(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	r := env.Query(t, `{ edition(year: 1999) { year } region(slug: "midden") { name } activity(slug: "nope") { title } initiative(slug: "nope") { name } organization(slug: "nope") { name } recap(slug: "nope") { title } theme(slug: "nope") { name } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("missing lookups gave errors: %s", r.Raw)
	}
	var got map[string]any
	_ = json.Unmarshal(r.Data, &got)
	for k, v := range got {
		if v != nil {
			t.Errorf("%s = %v, want null", k, v)
		}
	}
	var list struct{ Activities struct{ TotalCount int } }
	env.Query(t, `{ activities(filter: {region: "midden"}) { totalCount } }`, nil).Decode(t, &list)
	if list.Activities.TotalCount != 0 {
		t.Errorf("an unknown region filter matched %d activities", list.Activities.TotalCount)
	}
}

func TestPagingThroughActivities(t *testing.T) {
	env := apitest.New(t, apitest.Options{Synthetic: 120})
	type page struct {
		Activities struct {
			Edges []struct {
				Cursor string
				Node   struct{ Slug string }
			}
			PageInfo struct {
				HasNextPage, HasPreviousPage bool
				StartCursor, EndCursor       *string
			}
			TotalCount int
		}
	}
	var forward []string
	var after any
	total := 0
	for i := 0; i < 20; i++ {
		var p page
		env.Query(t, `query($after: String) { activities(first: 17, after: $after, filter: {edition: 2023, synthetic: true}) { edges { cursor node { slug } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount } }`,
			map[string]any{"after": after}).Decode(t, &p)
		total = p.Activities.TotalCount
		for _, e := range p.Activities.Edges {
			forward = append(forward, e.Node.Slug)
		}
		if (after != nil) != p.Activities.PageInfo.HasPreviousPage {
			t.Errorf("hasPreviousPage = %v after %v", p.Activities.PageInfo.HasPreviousPage, after)
		}
		if !p.Activities.PageInfo.HasNextPage {
			break
		}
		after = *p.Activities.PageInfo.EndCursor
	}
	if len(forward) != total || total < 20 {
		t.Fatalf("paged %d activities forwards, totalCount %d", len(forward), total)
	}
	var backward []string
	var before any
	for i := 0; i < 20; i++ {
		var p page
		env.Query(t, `query($before: String) { activities(last: 13, before: $before, filter: {edition: 2023, synthetic: true}) { edges { cursor node { slug } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount } }`,
			map[string]any{"before": before}).Decode(t, &p)
		var slugs []string
		for _, e := range p.Activities.Edges {
			slugs = append(slugs, e.Node.Slug)
		}
		backward = append(slugs, backward...)
		if !p.Activities.PageInfo.HasPreviousPage {
			break
		}
		before = *p.Activities.PageInfo.StartCursor
	}
	if !slices.Equal(forward, backward) {
		t.Errorf("forward and backward paging disagree:\n%v\n%v", forward, backward)
	}
	seen := map[string]bool{}
	for _, s := range forward {
		if seen[s] {
			t.Errorf("%s appears twice", s)
		}
		seen[s] = true
	}
}

// TestStoreCalls proves that the store work of a request follows the depth
// of the query, not the number of rows: a page of 100 activities with their
// edition, region, initiative, organizers and themes costs a handful of
// store operations however many rows it touches.
func TestStoreCalls(t *testing.T) {
	env := apitest.New(t, apitest.Options{Synthetic: 1000})
	var count struct{ Activities struct{ TotalCount int } }
	env.Query(t, `{ activities(filter: {synthetic: true}) { totalCount } }`, nil).Decode(t, &count)
	if count.Activities.TotalCount < 1000 {
		t.Fatalf("only %d activities", count.Activities.TotalCount)
	}
	env.Store.Reset()
	var got struct {
		Activities struct {
			Nodes []struct {
				Edition    struct{ Year int }
				Region     *struct{ Name string }
				Initiative *struct{ Name string }
				Organizers []struct{ Name string }
				Themes     []struct{ Name string }
			}
		}
	}
	env.Query(t, `{ activities(first: 100, filter: {synthetic: true}) { nodes { edition { year } region { name } initiative { name } organizers { name } themes { name } } } }`, nil).Decode(t, &got)
	calls := env.Store.Calls()
	if len(got.Activities.Nodes) != 100 {
		t.Fatalf("got %d activities", len(got.Activities.Nodes))
	}
	withOrganizers := 0
	for _, a := range got.Activities.Nodes {
		if a.Edition.Year == 0 {
			t.Fatal("an activity has no edition")
		}
		if len(a.Organizers) > 0 {
			withOrganizers++
		}
	}
	if withOrganizers < 50 {
		t.Errorf("only %d of 100 activities have organizers; the test would prove little", withOrganizers)
	}
	t.Logf("store operations for 100 activities with 5 relations: %d", calls)
	if calls > 8 {
		t.Errorf("the nested query took %d store operations, want at most 8", calls)
	}

	// The same query without batching shows what the loaders save.
	plain := apitest.New(t, apitest.Options{Synthetic: 1000, NoBatching: true})
	plain.Store.Reset()
	plain.Query(t, `{ activities(first: 100, filter: {synthetic: true}) { nodes { edition { year } region { name } initiative { name } organizers { name } themes { name } } } }`, nil).Decode(t, &got)
	if n := plain.Store.Calls(); n < 10*calls {
		t.Errorf("without batching %d operations, with %d: batching should save at least 10x", n, calls)
	} else {
		t.Logf("without batching: %d store operations (%.0fx)", n, float64(n)/float64(calls))
	}
}

func TestRecapFields(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	var got struct {
		Recaps struct {
			Nodes []struct {
				Slug, Body, BodyHtml, Excerpt string
				ReadingTimeMinutes            int
				AvailableLocales              []string
				Activities                    struct{ TotalCount int }
				Edition                       struct{ Year int }
			}
		}
	}
	env.Query(t, `{ recaps { nodes { slug body bodyHtml excerpt(length: 80) readingTimeMinutes availableLocales activities { totalCount } edition { year } } } }`, nil).Decode(t, &got)
	if len(got.Recaps.Nodes) < 3 {
		t.Fatalf("only %d recaps", len(got.Recaps.Nodes))
	}
	for _, r := range got.Recaps.Nodes {
		if !strings.Contains(r.BodyHtml, "<p>") || strings.Contains(r.BodyHtml, "<script") {
			t.Errorf("%s: bodyHtml %.80q", r.Slug, r.BodyHtml)
		}
		if n := len([]rune(r.Excerpt)); n == 0 || n > 80 || !strings.HasPrefix(r.Body, strings.Fields(r.Excerpt)[0]) && !strings.Contains(r.Body, strings.Fields(r.Excerpt)[0]) {
			t.Errorf("%s: excerpt %q", r.Slug, r.Excerpt)
		}
		if r.ReadingTimeMinutes < 1 || len(r.AvailableLocales) != 2 {
			t.Errorf("%s: reading time %d, locales %v", r.Slug, r.ReadingTimeMinutes, r.AvailableLocales)
		}
		if (r.Edition.Year == 2021 || r.Edition.Year == 2024) && r.Activities.TotalCount < 3 {
			t.Errorf("%s (%d) is about %d activities", r.Slug, r.Edition.Year, r.Activities.TotalCount)
		}
	}
	r := env.Query(t, `{ recaps { nodes { excerpt(length: 0) } } }`, nil)
	if r.Code() != "BAD_USER_INPUT" {
		t.Errorf("excerpt(length: 0): %s", r.Raw)
	}
}
