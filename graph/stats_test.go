package graph_test

import (
	"testing"

	"estafette/internal/apitest"
)

// stats(groupBy: [EDITION, REGION]) over the seed matches the activities
// listed per edition and region.
func TestStatsMatchListing(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	var got struct {
		Stats []struct {
			Keys []struct {
				Dimension string
				Value     *string
				Label, ID string
			}
			Count int
		}
	}
	env.Query(t, `{ stats(groupBy: [EDITION, REGION]) { keys { dimension value label id } count } }`, nil).Decode(t, &got)
	if len(got.Stats) == 0 {
		t.Fatal("no buckets")
	}
	total := 0
	for _, b := range got.Stats {
		total += b.Count
		filter := map[string]any{}
		if v := b.Keys[0].Value; v != nil {
			filter["edition"] = atoi(*v)
		}
		if v := b.Keys[1].Value; v != nil {
			filter["region"] = *v
		} else {
			continue // activities without a region have no filter that selects them alone
		}
		var list struct{ Activities struct{ TotalCount int } }
		env.Query(t, `query($f: ActivityFilter) { activities(filter: $f) { totalCount } }`, map[string]any{"f": filter}).Decode(t, &list)
		if list.Activities.TotalCount != b.Count {
			t.Errorf("%v: stats %d, listing %d", filter, b.Count, list.Activities.TotalCount)
		}
		if b.Keys[1].ID == "" || b.Keys[1].Label == "" {
			t.Errorf("region key without id or label: %+v", b.Keys[1])
		}
	}
	var all struct{ Activities struct{ TotalCount int } }
	env.Query(t, `{ activities { totalCount } }`, nil).Decode(t, &all)
	if total != all.Activities.TotalCount {
		t.Errorf("buckets add up to %d, there are %d activities", total, all.Activities.TotalCount)
	}
}

func TestFacetsAndComparison(t *testing.T) {
	env := apitest.New(t, apitest.Options{Synthetic: 300})
	var got struct {
		Activities struct {
			TotalCount int
			Facets     []struct {
				Dimension string
				Values    []struct {
					Value    *string
					Count    int
					Selected bool
					ID       *string
				}
			}
		}
		EditionComparison []struct {
			Year       int
			Activities struct {
				Value    int
				Previous *int
				Change   *int
			}
		}
		TopOrganizations []struct {
			Organization struct{ Slug string }
			Count        int
		}
	}
	env.Query(t, `{ activities(filter: {region: "zuid", edition: 2023, synthetic: true}) { totalCount facets(dimensions: [REGION, EDITION, FORMAT]) { dimension values { value count selected id } } }
		editionComparison { year activities { value previous change } }
		topOrganizations(limit: 3) { organization { slug } count } }`, nil).Decode(t, &got)
	for _, f := range got.Activities.Facets {
		for _, v := range f.Values {
			if v.Selected && v.Count != got.Activities.TotalCount {
				t.Errorf("%s: the selected value counts %d, the list %d", f.Dimension, v.Count, got.Activities.TotalCount)
			}
			if f.Dimension == "REGION" && v.Value != nil && v.ID == nil {
				t.Errorf("region facet value without id")
			}
		}
	}
	if len(got.EditionComparison) != 4 || got.EditionComparison[0].Activities.Previous != nil || got.EditionComparison[3].Activities.Change == nil {
		t.Errorf("comparison %+v", got.EditionComparison)
	}
	if len(got.TopOrganizations) != 3 || got.TopOrganizations[0].Count < got.TopOrganizations[2].Count {
		t.Errorf("top organisations %+v", got.TopOrganizations)
	}
	r := env.Query(t, `{ stats(groupBy: [EDITION, REGION, THEME, MODE]) { count } }`, nil)
	if r.Code() != "BAD_USER_INPUT" {
		t.Errorf("four dimensions: %s", r.Raw)
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
