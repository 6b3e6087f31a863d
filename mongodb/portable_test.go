package mongodb

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"estafette/content"
	"estafette/internal/collections"
	"estafette/seed"
	"estafette/sqlite"
)

// The portable subset: what MongoDB 6.0 and the MongoDB-compatible engines
// (DocumentDB, Cosmos DB for MongoDB, FerretDB) all run.
var (
	portableStages       = set("$match", "$group", "$sort", "$project", "$unwind", "$skip", "$limit", "$count")
	portableAccumulators = set("$sum", "$avg", "$min", "$max", "$first")
	portableQuery        = set("$and", "$or", "$nor", "$eq", "$in", "$gt", "$gte", "$lt", "$lte", "$regex", "$exists")
)

func set(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

// checkFilter reports every operator of a find filter outside the subset.
func checkFilter(where string, v any) []string {
	var bad []string
	switch x := v.(type) {
	case bson.D:
		for _, e := range x {
			if strings.HasPrefix(e.Key, "$") && !portableQuery[e.Key] {
				bad = append(bad, fmt.Sprintf("%s: query operator %s", where, e.Key))
			}
			bad = append(bad, checkFilter(where+"."+e.Key, e.Value)...)
		}
	case bson.A:
		for i, y := range x {
			bad = append(bad, checkFilter(fmt.Sprintf("%s[%d]", where, i), y)...)
		}
	case string, int, int32, int64, float64, bool, nil:
	default:
		bad = append(bad, fmt.Sprintf("%s: unexpected %T", where, v))
	}
	return bad
}

// checkExpr accepts what $group, $project and $unwind may hold here:
// numbers, field paths ("$field") and documents of those; any operator is
// refused, since expression operators are outside the subset.
func checkExpr(where string, v any) []string {
	switch x := v.(type) {
	case bson.D:
		var bad []string
		for _, e := range x {
			if strings.HasPrefix(e.Key, "$") {
				bad = append(bad, fmt.Sprintf("%s: expression operator %s", where, e.Key))
			}
			bad = append(bad, checkExpr(where+"."+e.Key, e.Value)...)
		}
		return bad
	case string, int, int32, int64, float64, bool, nil:
		return nil
	}
	return []string{fmt.Sprintf("%s: unexpected %T", where, v)}
}

// checkPipeline reports every stage, accumulator or operator of an
// aggregation outside the subset, and two forms that FerretDB 1.x accepts
// but answers wrongly: a $project that computes a field (it takes "$f"
// for the string "$f"; only inclusion and exclusion are portable), and a
// stage after $unwind that uses a field other than _id and the unwound
// one (its $unwind keeps only those two).
func checkPipeline(p bson.A) []string {
	var bad []string
	var unwound map[string]bool // after an $unwind: the fields left
	for i, st := range p {
		stage, ok := st.(bson.D)
		if !ok || len(stage) != 1 {
			bad = append(bad, fmt.Sprintf("stage %d is not one {$stage: …}: %v", i, st))
			continue
		}
		name, arg := stage[0].Key, stage[0].Value
		where := fmt.Sprintf("stage %d %s", i, name)
		if !portableStages[name] {
			bad = append(bad, where+": not a portable stage")
			continue
		}
		if unwound != nil {
			for _, f := range fieldsUsed(name, arg) {
				if !unwound[f] {
					bad = append(bad, fmt.Sprintf("%s: uses %s after $unwind, which FerretDB drops (only _id and the unwound field are left)", where, f))
				}
			}
		}
		switch name {
		case "$match":
			bad = append(bad, checkFilter(where, arg)...)
		case "$group":
			unwound = nil // a new shape: _id and the accumulators
			g, ok := arg.(bson.D)
			if !ok {
				bad = append(bad, where+": not a document")
				continue
			}
			for _, e := range g {
				if e.Key == "_id" {
					bad = append(bad, checkExpr(where+"._id", e.Value)...)
					continue
				}
				acc, ok := e.Value.(bson.D)
				if !ok || len(acc) != 1 || !portableAccumulators[acc[0].Key] {
					bad = append(bad, fmt.Sprintf("%s.%s: not one portable accumulator: %v", where, e.Key, e.Value))
					continue
				}
				bad = append(bad, checkExpr(where+"."+e.Key, acc[0].Value)...)
			}
		case "$project":
			d, ok := arg.(bson.D)
			if !ok {
				bad = append(bad, where+": not a document")
				continue
			}
			for _, e := range d {
				switch e.Value.(type) {
				case int, int32, int64, float64, bool: // inclusion or exclusion
				default:
					bad = append(bad, fmt.Sprintf("%s.%s: a computed field (%v); FerretDB takes it for a literal, only inclusion and exclusion are portable", where, e.Key, e.Value))
				}
			}
		case "$unwind":
			bad = append(bad, checkExpr(where, arg)...)
			path, ok := arg.(string)
			if !ok || !strings.HasPrefix(path, "$") {
				bad = append(bad, where+": not a field path")
				continue
			}
			unwound = map[string]bool{"_id": true, strings.TrimPrefix(path, "$"): true}
		case "$sort":
			bad = append(bad, checkExpr(where, arg)...)
		case "$count":
			if _, ok := arg.(string); !ok {
				bad = append(bad, where+": not a field name")
			}
		case "$skip", "$limit":
			bad = append(bad, checkExpr(where, arg)...)
		}
	}
	return bad
}

// fieldsUsed returns the top-level fields a stage reads: the keys of a
// filter, a sort or a projection, and the field paths ("$f.g" reads f) of
// a $group or an $unwind.
func fieldsUsed(stage string, arg any) []string {
	var out []string
	var paths func(v any)
	paths = func(v any) {
		switch x := v.(type) {
		case string:
			if strings.HasPrefix(x, "$") {
				f, _, _ := strings.Cut(strings.TrimPrefix(x, "$"), ".")
				out = append(out, f)
			}
		case bson.D:
			for _, e := range x {
				paths(e.Value)
			}
		case bson.A:
			for _, y := range x {
				paths(y)
			}
		}
	}
	var keys func(v any)
	keys = func(v any) {
		switch x := v.(type) {
		case bson.D:
			for _, e := range x {
				if strings.HasPrefix(e.Key, "$") {
					keys(e.Value)
					continue
				}
				f, _, _ := strings.Cut(e.Key, ".")
				out = append(out, f)
			}
		case bson.A:
			for _, y := range x {
				keys(y)
			}
		}
	}
	switch stage {
	case "$match", "$sort", "$project":
		keys(arg)
	case "$group", "$unwind":
		paths(arg)
	}
	return out
}

// TestPortableSubsetAccepts shows that the walker lets the portable forms
// through.
func TestPortableSubsetAccepts(t *testing.T) {
	for _, p := range []bson.A{
		{bson.D{{Key: "$match", Value: bson.D{{Key: "status", Value: "published"}}}}, bson.D{{Key: "$project", Value: bson.D{{Key: "themes", Value: 1}}}},
			bson.D{{Key: "$unwind", Value: "$themes"}}, bson.D{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$themes"}, {Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}}}},
			bson.D{{Key: "$sort", Value: bson.D{{Key: "n", Value: -1}}}}, bson.D{{Key: "$limit", Value: 10}}},
		{bson.D{{Key: "$group", Value: bson.D{{Key: "_id", Value: bson.D{{Key: "k0", Value: "$format"}, {Key: "k1", Value: "$themes"}}}, {Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}}}}},
	} {
		if bad := checkPipeline(p); len(bad) != 0 {
			t.Errorf("pipeline %v: %v", p, bad)
		}
	}
}

// TestPortableSubsetRejects shows that the walker catches what it must.
func TestPortableSubsetRejects(t *testing.T) {
	for _, p := range []bson.A{
		{bson.D{{Key: "$lookup", Value: bson.D{{Key: "from", Value: "x"}}}}},
		{bson.D{{Key: "$facet", Value: bson.D{}}}},
		{bson.D{{Key: "$group", Value: bson.D{{Key: "_id", Value: nil}, {Key: "all", Value: bson.D{{Key: "$push", Value: "$x"}}}}}}},
		{bson.D{{Key: "$group", Value: bson.D{{Key: "_id", Value: bson.D{{Key: "$ifNull", Value: bson.A{"$x", ""}}}}}}}},
		{bson.D{{Key: "$match", Value: bson.D{{Key: "$text", Value: bson.D{{Key: "$search", Value: "x"}}}}}}},
		{bson.D{{Key: "$match", Value: bson.D{{Key: "x", Value: bson.D{{Key: "$elemMatch", Value: bson.D{}}}}}}}},
		{bson.D{{Key: "$match", Value: bson.D{{Key: "$expr", Value: bson.D{}}}}}},
		{bson.D{{Key: "$project", Value: bson.D{{Key: "x", Value: bson.D{{Key: "$concat", Value: bson.A{"a"}}}}}}}},
		// What FerretDB 1.x gets wrong: a field path in $project, and
		// using a field that $unwind dropped.
		{bson.D{{Key: "$project", Value: bson.D{{Key: "k0", Value: "$format"}}}}},
		{bson.D{{Key: "$unwind", Value: "$themes"}}, bson.D{{Key: "$group", Value: bson.D{{Key: "_id", Value: bson.D{{Key: "f", Value: "$format"}, {Key: "t", Value: "$themes"}}}}}}},
		{bson.D{{Key: "$unwind", Value: "$themes"}}, bson.D{{Key: "$unwind", Value: "$orgKinds"}}},
		{bson.D{{Key: "$unwind", Value: "$themes"}}, bson.D{{Key: "$sort", Value: bson.D{{Key: "format", Value: 1}}}}},
	} {
		if bad := checkPipeline(p); len(bad) == 0 {
			t.Errorf("pipeline %v passed the check", p)
		}
	}
}

// recorder is a content.Store (the embedded one, for real answers) that
// remembers every query the catalog asks of it.
type recorder struct {
	content.Store
	finds  []content.Query
	counts []content.Query
	groups []struct {
		kind  content.Kind
		where *content.Cond
		by    []string
	}
}

func (r *recorder) Find(ctx context.Context, q content.Query) ([]content.Doc, error) {
	r.finds = append(r.finds, q)
	return r.Store.Find(ctx, q)
}

func (r *recorder) Count(ctx context.Context, kind content.Kind, where *content.Cond) (int, error) {
	r.counts = append(r.counts, content.Query{Kind: kind, Where: where})
	return r.Store.Count(ctx, kind, where)
}

func (r *recorder) Group(ctx context.Context, kind content.Kind, where *content.Cond, by []string) ([]content.Bucket, error) {
	r.groups = append(r.groups, struct {
		kind  content.Kind
		where *content.Cond
		by    []string
	}{kind, where, by})
	return r.Store.Group(ctx, kind, where, by)
}

func ptr[T any](v T) *T { return &v }

// workout asks the catalog, over the seed content, the questions the API
// asks: every list with its filters and orderings, paged both ways, with
// drafts, search, statistics and facets.
func workout(t *testing.T, cat *content.Catalog) {
	t.Helper()
	ctx := content.WithMemo(context.Background())
	preview := content.WithViewer(ctx, content.Viewer{Drafts: true})
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	orders := []content.Order[content.ActivityOrderField]{{}, {Desc: true}, {Field: content.ActivityByTitle}, {Field: content.ActivityByTitle, Desc: true}}
	from, to := mustTime("2023-02-01T00:00:00Z"), mustTime("2023-03-01T00:00:00Z")
	filters := []content.ActivityFilter{
		{}, {EditionYear: ptr(2023)}, {RegionSlug: ptr("noord")}, {EditionYear: ptr(2023), RegionSlug: ptr("zuid")},
		{ThemeSlug: ptr("digitale-zorg")}, {OrganizationSlug: ptr("vilans")}, {InitiativeSlug: ptr("tour-de-beterdichtbij")},
		{Format: ptr(content.FormatVisit)}, {Mode: ptr(content.ModeOnline)}, {From: &from, To: &to},
		{Search: ptr("beterdichtbij zorg")}, {Search: ptr("cliënten")}, {RegionSlug: ptr("nosuchregion")},
	}
	for _, c := range []context.Context{ctx, preview} {
		for _, f := range filters {
			for _, o := range orders {
				page, err := cat.ListActivities(c, f, o, content.PageArgs{First: ptr(3)})
				must("list activities", err)
				_, err = page.TotalCount(c)
				must("count activities", err)
				if page.HasNextPage {
					next, err := cat.ListActivities(c, f, o, content.PageArgs{First: ptr(3), After: page.EndCursor()})
					must("next page", err)
					if len(next.Items) > 0 {
						_, err = cat.ListActivities(c, f, o, content.PageArgs{Last: ptr(2), Before: next.StartCursor()})
						must("previous page", err)
					}
				}
			}
			_, err := cat.Stats(c, f, []content.Dimension{content.DimensionRegion})
			must("stats", err)
		}
		for _, d := range content.Dimensions {
			_, err := cat.Stats(c, content.ActivityFilter{}, []content.Dimension{d})
			must("stats by "+string(d), err)
		}
		_, err := cat.Stats(c, content.ActivityFilter{EditionYear: ptr(2023)}, []content.Dimension{content.DimensionTheme, content.DimensionFormat, content.DimensionMonth})
		must("stats by three", err)
		_, err = cat.ActivityFacets(c, content.ActivityFilter{RegionSlug: ptr("noord")}, content.Dimensions)
		must("facets", err)
		_, err = cat.TopOrganizations(c, content.ActivityFilter{}, 5)
		must("top organisations", err)
		_, err = cat.EditionComparison(c, []int{2021, 2023, 2024})
		must("edition comparison", err)
		_, err = cat.ListOrganizations(c, content.OrganizationFilter{Kind: ptr(content.OrgHospital)}, content.PageArgs{First: ptr(2)})
		must("organisations", err)
		_, err = cat.ListInitiatives(c, content.InitiativeFilter{}, content.PageArgs{Last: ptr(2)})
		must("initiatives", err)
		_, err = cat.ListRecaps(c, content.RecapFilter{}, content.PageArgs{})
		must("recaps", err)
		_, err = cat.ListEditions(c, false, content.PageArgs{})
		must("editions", err)
		_, err = cat.Regions(c)
		must("regions", err)
		_, err = cat.RegionsByProvince(c, []string{"groningen", "limburg"})
		must("regions by province", err)
		_, err = cat.Themes(c)
		must("themes", err)
		_, err = cat.Relay(c, mustTime("2023-02-21T10:00:00+01:00"))
		must("relay", err)
	}
}

// TestPortableSubset walks every filter and pipeline the store builds,
// through the functions the store uses, for a representative set of
// conditions, queries and groupings: those of the golden files, those the
// writes use, and every query the catalog asks while serving the lists,
// searches, statistics and facets of the API over the seed content. It
// fails on any stage, accumulator or operator outside the portable subset.
func TestPortableSubset(t *testing.T) {
	ctx := context.Background()
	lite, err := sqlite.Open(ctx, t.TempDir(), collections.All())
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	rec := &recorder{Store: lite}
	cat := content.NewCatalog(rec).WithClock(func() time.Time { return mustTime("2023-02-21T10:00:00+01:00") })
	if _, err := seed.Load(ctx, cat); err != nil {
		t.Fatal(err)
	}
	workout(t, cat)
	if len(rec.finds) < 100 || len(rec.groups) < 10 || len(rec.counts) < 10 {
		t.Fatalf("the workout asked too little: %d finds, %d counts, %d groups", len(rec.finds), len(rec.counts), len(rec.groups))
	}

	var bad []string
	walked := 0
	filter := func(what string, f bson.D) {
		walked++
		bad = append(bad, checkFilter(what, f)...)
	}
	pipeline := func(what string, p bson.A) {
		walked++
		for _, b := range checkPipeline(p) {
			bad = append(bad, what+": "+b)
		}
	}
	act := collOf(t, content.KindActivity)
	for _, c := range conds() {
		if f, err := act.filter(c); err == nil {
			filter(show(c), f)
		}
	}
	for _, q := range queries() {
		p, err := collOf(t, q.q.Kind).find(q.q)
		if err != nil {
			t.Fatal(err)
		}
		filter(q.name, p.Filter)
		filter(q.name+" (sort)", p.Sort)
		filter(q.name+" (projection)", p.Projection)
	}
	for _, g := range groupings() {
		gp, err := act.groupPipeline(g.where, g.by)
		if err != nil {
			t.Fatal(err)
		}
		pipeline("group", gp.Pipeline)
		p, err := act.countPipeline(g.where)
		if err != nil {
			t.Fatal(err)
		}
		pipeline("count", p)
	}
	for _, q := range rec.finds {
		p, err := collOf(t, q.Kind).find(q)
		if err != nil {
			t.Fatalf("find %s %s: %v", q.Kind, show(q.Where), err)
		}
		filter("catalog find "+show(q.Where), p.Filter)
		filter("catalog sort", p.Sort)
	}
	for _, q := range rec.counts {
		p, err := collOf(t, q.Kind).countPipeline(q.Where)
		if err != nil {
			t.Fatal(err)
		}
		pipeline("catalog count "+show(q.Where), p)
	}
	for _, g := range rec.groups {
		p, err := collOf(t, g.kind).groupPipeline(g.where, g.by)
		if err != nil {
			t.Fatal(err)
		}
		pipeline(fmt.Sprintf("catalog group %s by %v", show(g.where), g.by), p.Pipeline)
	}
	// The writes: Get, the unique check, the guarded writes and their undo.
	filter("get", getFilter([]string{"a", "b"}))
	filter("guarded", versionFilter("a", content.VersionKey(3)))
	filter("guarded, no version", versionFilter("a", ""))
	filter("lock", bson.D{{Key: "_id", Value: lockID(docKey{content.KindActivity, "a"})}})
	filter("lock of an owner", ownedBy(lockID(docKey{content.KindActivity, "a"}), newOwner()))
	filter("locks of an owner", allOwnedBy([]string{lockID(docKey{content.KindActivity, "a"}), lockID(docKey{content.KindActivity, "b"})}, newOwner()))
	for _, c := range collections.All() {
		co := collOf(t, c.Kind)
		vals := map[string][]string{}
		for _, f := range c.Unique {
			vals[f] = []string{"x", "y"}
		}
		if f, p := co.uniqueQuery(vals); f != nil {
			filter("unique check", f)
			filter("unique check (projection)", p)
		}
		for _, ix := range co.indexes() {
			filter("index "+ix.Name, ix.Keys)
		}
	}
	for _, b := range bad {
		t.Error(b)
	}
	t.Logf("walked %d filters and pipelines (%d catalog finds, %d counts, %d groups)", walked, len(rec.finds), len(rec.counts), len(rec.groups))
}
