package graph_test

import (
	"strings"
	"testing"

	"estafette/internal/apitest"
)

// TestSyntheticLeftOut: with 300 synthetic activities loaded, no real
// organisation, initiative or theme lists a synthetic activity, and every
// public figure is the same as without them; synthetic: true gives the
// synthetic ones only.
func TestSyntheticLeftOut(t *testing.T) {
	with := apitest.New(t, apitest.Options{Synthetic: 300})
	without := apitest.New(t, apitest.Options{})
	for _, q := range []string{
		`{ activities(first: 100) { totalCount nodes { slug synthetic } facets(dimensions: [REGION, EDITION, THEME, ORGANIZATION_KIND]) { dimension values { value count } } } }`,
		`{ stats(groupBy: [EDITION, REGION]) { count } topOrganizations(limit: 10) { organization { slug } count } }`,
		`{ editionComparison { year activities { value previous change } initiatives { value } organizations { value } regions { value } themes { value } } }`,
		`{ organizations(first: 30) { totalCount nodes { slug activities(first: 20) { totalCount nodes { slug } } } } }`,
		`{ initiatives(first: 30) { totalCount nodes { slug activities(first: 20) { totalCount nodes { slug } } } } }`,
		`{ themes { slug activities(first: 20) { totalCount nodes { slug } } } }`,
	} {
		a, b := with.Query(t, q, nil), without.Query(t, q, nil)
		if strings.Contains(string(a.Raw), `"errors"`) {
			t.Fatalf("query failed: %s", a.Raw)
		}
		if string(a.Raw) != string(b.Raw) {
			t.Errorf("the public figures differ with synthetic activities loaded:\n%s\n%s", a.Raw, b.Raw)
		}
		if strings.Contains(string(a.Raw), "synthetic-") {
			t.Errorf("a public list shows a synthetic record: %s", a.Raw)
		}
	}
	var got struct {
		Activities struct {
			TotalCount int
			Nodes      []struct {
				Slug      string
				Synthetic bool
			}
		}
	}
	with.Query(t, `{ activities(first: 100, filter: {synthetic: true}) { totalCount nodes { slug synthetic } } }`, nil).Decode(t, &got)
	if got.Activities.TotalCount != 300 {
		t.Errorf("synthetic: true counts %d, want 300", got.Activities.TotalCount)
	}
	for _, n := range got.Activities.Nodes {
		if !n.Synthetic || !strings.HasPrefix(n.Slug, "synthetic-") {
			t.Errorf("synthetic: true lists %s (synthetic %v)", n.Slug, n.Synthetic)
		}
	}
}

// TestSourcePublishedMonth: the 2024 article's month is served at month
// precision, with no day, and seeded recaps have no publication date.
func TestSourcePublishedMonth(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	r := env.Query(t, `{ edition(year: 2024) { sources { title publishedOn published { value year month day precision } } }
		recaps(first: 20) { nodes { slug publishedAt } } }`, nil)
	raw := string(r.Raw)
	if !strings.Contains(raw, `"published":{"value":"2024-03","year":2024,"month":3,"day":null,"precision":"MONTH"}`) {
		t.Errorf("the 2024 source's month is not served at month precision: %s", raw)
	}
	if strings.Contains(raw, `"publishedAt":"`) || strings.Contains(raw, `"errors"`) {
		t.Errorf("a seeded recap has a publication date no source gives: %s", raw)
	}
}
