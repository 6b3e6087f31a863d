package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
)

// GraphQL returns a GraphQL query sent with GET and its variables in the
// query string, the way frontends and CDNs cache them.
func GraphQL(kind, query string, vars map[string]any) Request {
	q := url.Values{"query": {query}}
	if len(vars) > 0 {
		b, _ := json.Marshal(vars)
		q.Set("variables", string(b))
	}
	return Request{Kind: kind, Path: "/query?" + q.Encode(), GraphQL: true}
}

// GraphQLPost returns a GraphQL query sent with POST.
func GraphQLPost(kind, query string, vars map[string]any) Request {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return Request{Kind: kind, Method: http.MethodPost, Path: "/query", Body: b, GraphQL: true}
}

// The queries of the mix and the comparisons.
const (
	// NestedQuery is a page of 100 activities with five relations: the
	// query of TestStoreCalls and of comparison (a).
	NestedQuery = `{ activities(first: 100) { nodes { edition { year } region { name } initiative { name } organizers { name } themes { name } } } }`
	// ListQuery is a filtered list page as a listing shows it.
	ListQuery = `query ActivityList($edition: Int, $region: String, $theme: String, $first: Int, $after: String) {
  activities(first: $first, after: $after, filter: {edition: $edition, region: $region, theme: $theme}) {
    totalCount
    nodes { slug title startsOn startsAt mode format region { slug name } themes { slug name } }
    pageInfo { endCursor hasNextPage }
  }
}`
	// RegionThemePage is the page of comparison (d) (and of the in-process
	// benchmark BenchmarkRegionThemePage).
	RegionThemePage = `{ activities(first: 50, filter: {region: "zuid", theme: "digitale-vaardigheden"}) { nodes { slug title startsAt } pageInfo { endCursor hasNextPage } } }`
	activityDetail  = `query Activity($slug: String!) {
  activity(slug: $slug) {
    slug title summary startsOn startsAt endsAt mode format registrationUrl audiences
    edition { year name } region { slug name provinces { name } }
    initiative { slug name summary organizations { name kind } }
    organizers { slug name kind website } themes { slug name }
    venue { name city province { name } }
    sources { title url }
  }
}`
	initiativeDetail = `query Initiative($slug: String!) {
  initiative(slug: $slug) {
    slug name summary website
    organizations { slug name kind } themes { slug name } regions { name } editions { year }
    activities(first: 10) { totalCount nodes { slug title startsOn startsAt region { name } venue { city } } }
  }
}`
	initiativeSearch = `query Search($q: String!) { initiatives(first: 10, filter: {search: $q}) { nodes { slug name summary } } }`
	relayQuery       = `query Relay { relay { edition { year } current { order startsOn endsOn region { slug name } } next { order startsOn region { slug name } } } currentEdition { year name } }`
	routeQuery       = `query Route($year: Int!) { edition(year: $year) { name legs { order startsOn endsOn region { slug name provinces { name } } } } }`
)

// Slugs are the records the mix picks from.
type Slugs struct {
	Activities, Initiatives, Recaps, Regions, Themes []string
}

// LoadSlugs asks the server for slugs to pick from: the first 500
// activities of each edition, every initiative, recap, region and theme.
func LoadSlugs(ctx context.Context, client *http.Client, base string) (*Slugs, error) {
	var s Slugs
	get := func(query string, vars map[string]any, into any) error {
		b, _, err := Fetch(ctx, client, base, GraphQLPost("setup", query, vars))
		if err != nil {
			return err
		}
		return json.Unmarshal(b, into)
	}
	var lists struct {
		Data struct {
			Initiatives struct{ Nodes []struct{ Slug string } }
			Recaps      struct{ Nodes []struct{ Slug string } }
			Regions     []struct{ Slug string }
			Themes      []struct{ Slug string }
		}
	}
	if err := get(`{ initiatives(first: 100) { nodes { slug } } recaps(first: 100) { nodes { slug } } regions { slug } themes { slug } }`, nil, &lists); err != nil {
		return nil, err
	}
	for _, n := range lists.Data.Initiatives.Nodes {
		s.Initiatives = append(s.Initiatives, n.Slug)
	}
	for _, n := range lists.Data.Recaps.Nodes {
		s.Recaps = append(s.Recaps, n.Slug)
	}
	for _, n := range lists.Data.Regions {
		s.Regions = append(s.Regions, n.Slug)
	}
	for _, n := range lists.Data.Themes {
		s.Themes = append(s.Themes, n.Slug)
	}
	for _, year := range []int{2021, 2023, 2024} {
		after := any(nil)
		for range 5 {
			var page struct {
				Data struct {
					Activities struct {
						Nodes    []struct{ Slug string }
						PageInfo struct {
							EndCursor   string
							HasNextPage bool
						}
					}
				}
			}
			if err := get(`query($y: Int, $after: String) { activities(first: 100, after: $after, filter: {edition: $y}) { nodes { slug } pageInfo { endCursor hasNextPage } } }`,
				map[string]any{"y": year, "after": after}, &page); err != nil {
				return nil, err
			}
			for _, n := range page.Data.Activities.Nodes {
				s.Activities = append(s.Activities, n.Slug)
			}
			if !page.Data.Activities.PageInfo.HasNextPage {
				break
			}
			after = page.Data.Activities.PageInfo.EndCursor
		}
	}
	if len(s.Activities) == 0 || len(s.Initiatives) == 0 || len(s.Recaps) == 0 {
		return nil, fmt.Errorf("the store has too little content: %d activities, %d initiatives, %d recaps", len(s.Activities), len(s.Initiatives), len(s.Recaps))
	}
	return &s, nil
}

// MixShare is one part of the mix: its weight and how it makes requests.
type MixShare struct {
	Kind   string
	Weight int
	Make   func(rng *rand.Rand, s *Slugs) Request
}

func pick(rng *rand.Rand, xs []string) string { return xs[rng.IntN(len(xs))] }

// Mix is the realistic mix: what the ministry's and the regions' sites,
// their embeds and an analyst ask during an edition.
//
//	list      30%  filtered activity list pages (edition, region, theme, page size, 1 in 5 a second page)
//	detail    20%  an activity page (nested: edition, region, initiative, organisers, venue) or an initiative page
//	search     5%  initiative search
//	relay     15%  the live relay status, or an edition's route
//	embed     20%  a recap embed /embed/recaps/{slug}, Dutch or English
//	analyst   10%  /insights/{year} pages and a filtered CSV export (no stats field in the schema yet)
var Mix = []MixShare{
	{"list", 30, func(rng *rand.Rand, s *Slugs) Request {
		vars := map[string]any{"first": []int{10, 20, 50}[rng.IntN(3)]}
		if rng.IntN(4) > 0 {
			vars["edition"] = []int{2021, 2023, 2024}[rng.IntN(3)]
		}
		if rng.IntN(2) == 0 {
			vars["region"] = pick(rng, s.Regions)
		}
		if rng.IntN(3) == 0 {
			vars["theme"] = pick(rng, s.Themes)
		}
		return GraphQL("list", ListQuery, vars)
	}},
	{"detail", 20, func(rng *rand.Rand, s *Slugs) Request {
		if rng.IntN(3) == 0 {
			return GraphQL("detail", initiativeDetail, map[string]any{"slug": pick(rng, s.Initiatives)})
		}
		return GraphQL("detail", activityDetail, map[string]any{"slug": pick(rng, s.Activities)})
	}},
	{"search", 5, func(rng *rand.Rand, s *Slugs) Request {
		return GraphQL("search", initiativeSearch, map[string]any{"q": []string{"zorg", "digitaal", "beterdichtbij", "ouderen", "thuis", "ehealth"}[rng.IntN(6)]})
	}},
	{"relay", 15, func(rng *rand.Rand, s *Slugs) Request {
		if rng.IntN(3) == 0 {
			return GraphQL("relay", routeQuery, map[string]any{"year": []int{2021, 2023}[rng.IntN(2)]})
		}
		return GraphQL("relay", relayQuery, nil)
	}},
	{"embed", 20, func(rng *rand.Rand, s *Slugs) Request {
		p := "/embed/recaps/" + pick(rng, s.Recaps)
		if rng.IntN(3) == 0 {
			p += "?locale=en"
		}
		return Request{Kind: "embed", Path: p}
	}},
	{"analyst", 10, func(rng *rand.Rand, s *Slugs) Request {
		if rng.IntN(10) == 0 {
			return Request{Kind: "analyst", Path: "/export/activities.csv?edition=2023&region=" + pick(rng, s.Regions)}
		}
		return Request{Kind: "analyst", Path: fmt.Sprintf("/insights/%d", []int{2021, 2023, 2024}[rng.IntN(3)])}
	}},
}

// MixGenerator returns a generator of the mix over the slugs.
func MixGenerator(shares []MixShare, s *Slugs) Generator {
	total := 0
	for _, sh := range shares {
		total += sh.Weight
	}
	return func(rng *rand.Rand) Request {
		n := rng.IntN(total)
		for _, sh := range shares {
			if n < sh.Weight {
				return sh.Make(rng, s)
			}
			n -= sh.Weight
		}
		panic("unreachable")
	}
}

// Fixed returns a generator that always sends r.
func Fixed(r Request) Generator { return func(*rand.Rand) Request { return r } }
