package mongodb

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"estafette/content"
	"estafette/internal/collections"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// collOf returns how kind is stored.
func collOf(t testing.TB, kind content.Kind) *coll {
	t.Helper()
	c, ok := content.LookupCollection(collections.All(), kind)
	if !ok {
		t.Fatalf("no collection %s", kind)
	}
	co, err := newColl(c)
	if err != nil {
		t.Fatal(err)
	}
	return co
}

// golden compares doc, written as canonical Extended JSON, with
// testdata/name.json, or rewrites the file with -update.
func golden(t *testing.T, name string, doc bson.D) {
	t.Helper()
	got, err := bson.MarshalExtJSONIndent(doc, true, false, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name+".json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./mongodb -run %s -update to write it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what the package builds now; if the change is deliberate, run go test ./mongodb -run %s -update\n%s",
			path, t.Name(), firstDiff(string(got), string(want)))
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n  got:  %s\n  want: %s", i+1, gl, wl)
		}
	}
	return ""
}

// show writes a condition the way a test reads it.
func show(c *content.Cond) string {
	if c == nil {
		return "true"
	}
	var parts []string
	if c.Field != "" {
		parts = append(parts, c.Field)
	}
	for _, v := range c.Values {
		parts = append(parts, fmt.Sprintf("%q", v))
	}
	for _, sub := range c.Conds {
		parts = append(parts, show(sub))
	}
	name := c.Op.String()
	return strings.ToUpper(name[:1]) + name[1:] + "(" + strings.Join(parts, ", ") + ")"
}

// conds is a representative set of conditions on the activity collection:
// every operator on scalar, multi-valued and id fields, the edge cases of
// the conformance suite (empty In, empty prefix, metacharacters, empty
// junctions) and nestings.
func conds() []*content.Cond {
	E, In, Gt, Gte, Lt, Lte, P, Not, And, Or := content.Eq, content.In, content.Gt, content.Gte, content.Lt, content.Lte, content.Prefix,
		content.Not, content.And, content.Or
	return []*content.Cond{
		nil,
		E("format", "workshop"), E("format", ""), E("themes", "th-digi"), E("id", "act-1"),
		In("format", "a", "c"), In("format", "a"), In("format"), In("themes", "x", "z"), In("themes"), In("id", "d1", "d3"),
		Gt("format", ""), Gte("startKey", "2023-02-06T00:00:00.000Z"), Lt("titleKey", "m"), Lte("id", "d2"), Gt("tokens", "z"),
		P("titleKey", "B"), P("titleKey", ""), P("tokens", "beter"), P("tokens", "100%_*?.[a](b){c}|^$\\+"), P("titleKey", "é日本\U0010FFFF"),
		P("tokens", "line\nbreak\ttab"), P("id", "d"),
		Not(E("format", "a")), Not(In("themes")), Not(P("themes", "")), Not(Not(E("format", "a"))),
		And(E("status", "published"), E("region", "reg-noord")),
		And(E("themes", "x"), E("themes", "y")),
		And(Gte("format", "a"), Lte("format", "b")),
		And(P("tokens", "beter"), P("tokens", "dicht")),
		Or(E("format", "a"), E("themes", "z")),
		Or(And(E("themes", "x"), E("themes", "y")), E("format", "")),
		{Op: content.OpAnd}, {Op: content.OpOr}, Not(&content.Cond{Op: content.OpAnd}), Not(&content.Cond{Op: content.OpOr}),
		And(Or(E("format", "a"), E("format", "c")), Not(E("themes", "z"))),
		Not(And(E("themes", "x"), Not(E("format", "b")))),
		And(Or(E("a", "1"), E("b", "2")), Or(E("c", "3"), E("d", "4"))),
	}
}

func TestGoldenFilters(t *testing.T) {
	co := collOf(t, content.KindActivity)
	cases := bson.A{}
	for _, c := range conds() {
		f, err := co.filter(c)
		if err != nil {
			if strings.Contains(err.Error(), "has no field") {
				continue // the unknown fields a, b, c, d: see TestUnknownFields
			}
			t.Fatalf("%s: %v", show(c), err)
		}
		cases = append(cases, bson.D{{Key: "cond", Value: show(c)}, {Key: "filter", Value: f}})
	}
	golden(t, "filters", bson.D{{Key: "cases", Value: cases}})
}

func TestUnknownFields(t *testing.T) {
	co := collOf(t, content.KindActivity)
	for _, c := range []*content.Cond{
		content.Eq("nosuchfield", "x"),
		content.Not(content.Or(content.Eq("format", "a"), content.Gt("nosuchfield", "x"))),
		content.In("nosuchfield"),
		{Op: content.OpEq, Field: "format"},
		{Op: content.Op(99), Field: "format", Values: []string{"x"}},
		{Op: content.OpNot},
	} {
		if _, err := co.filter(c); err == nil {
			t.Errorf("%s: no error", show(c))
		}
	}
	for _, s := range [][]content.SortKey{{{Field: "themes"}}, {{Field: "nosuchfield"}}} {
		if _, err := co.sort(s); err == nil {
			t.Errorf("sort %v: no error", s)
		}
	}
	if _, err := co.groupPipeline(nil, []string{"nosuchfield"}); err == nil {
		t.Error("group by an unknown field: no error")
	}
	if _, err := co.find(content.Query{Kind: content.KindActivity, Limit: -1}); err == nil {
		t.Error("negative limit: no error")
	}
}

// keyset is the condition content puts on the page after (or, reversed,
// before) the item with the given keys in the order sort: its leading
// bound, then one alternative per sort key.
func keyset(sort []content.SortKey, keys []string) *content.Cond {
	var alts []*content.Cond
	for i, k := range sort {
		var eqs []*content.Cond
		for j := range i {
			eqs = append(eqs, content.Eq(sort[j].Field, keys[j]))
		}
		c := content.Gt(k.Field, keys[i])
		if k.Desc {
			c = content.Lt(k.Field, keys[i])
		}
		alts = append(alts, content.And(append(eqs, c)...))
	}
	lead := content.Gte(sort[0].Field, keys[0])
	if sort[0].Desc {
		lead = content.Lte(sort[0].Field, keys[0])
	}
	return content.And(lead, content.Or(alts...))
}

// queries are the finds of the golden file finds.json: lists as the
// catalog asks them, with keyset cursors in both directions.
func queries() []struct {
	name string
	q    content.Query
} {
	pub := content.Eq("status", "published")
	byStart := []content.SortKey{{Field: "startKey"}, {Field: "id"}}
	byStartDesc := []content.SortKey{{Field: "startKey", Desc: true}, {Field: "id", Desc: true}}
	keys := []string{"2023-02-06T09:00:00.000Z", "act-42"}
	search := content.And(content.Prefix("tokens", "beter"), content.Prefix("tokens", "dicht"))
	title := content.And(content.Prefix("titleTokens", "beter"), content.Prefix("titleTokens", "dicht"))
	return []struct {
		name string
		q    content.Query
	}{
		{"activities, first page", content.Query{Kind: content.KindActivity, Where: pub, Sort: byStart, Limit: 21}},
		{"activities of a region and a theme, after a cursor", content.Query{Kind: content.KindActivity,
			Where: content.And(pub, content.Eq("region", "reg-noord"), content.Eq("themes", "th-digi"), keyset(byStart, keys)), Sort: byStart, Limit: 51}},
		{"activities of a region, before a cursor (last: 20)", content.Query{Kind: content.KindActivity,
			Where: content.And(pub, content.Eq("region", "reg-noord"), keyset(byStartDesc, keys)), Sort: byStartDesc, Limit: 21}},
		{"activities by start, descending, after a cursor", content.Query{Kind: content.KindActivity,
			Where: content.And(pub, keyset(byStartDesc, keys)), Sort: byStartDesc, Limit: 21}},
		{"activities of an edition and region in a window", content.Query{Kind: content.KindActivity,
			Where: content.And(pub, content.Eq("edition", "ed-2023"), content.Eq("region", "reg-oost"),
				content.Gte("endKey", "2023-02-13T00:00:00.000Z"), content.Lt("startKey", "~"), content.Lte("startKey", "2023-02-17T23:59:59.999Z")),
			Sort: byStart, Limit: 21}},
		{"search, title matches (first segment)", content.Query{Kind: content.KindActivity,
			Where: content.And(pub, search, title), Sort: []content.SortKey{{Field: "titleKey"}, {Field: "id"}}, Limit: 21}},
		{"search, other matches (second segment)", content.Query{Kind: content.KindActivity,
			Where: content.And(pub, search, content.Not(title)), Sort: []content.SortKey{{Field: "titleKey"}, {Field: "id"}}, Limit: 21}},
		{"preview: published and drafts", content.Query{Kind: content.KindActivity,
			Where: content.And(content.In("status", "published", "draft"), content.Eq("initiative", "ini-tour")), Sort: byStart, Limit: 101}},
		{"organisations of a kind, after a cursor", content.Query{Kind: content.KindOrganization,
			Where: content.And(pub, content.Eq("orgKind", "hospital"),
				keyset([]content.SortKey{{Field: "nameKey"}, {Field: "id"}}, []string{"umcg", "org-umcg"})),
			Sort: []content.SortKey{{Field: "nameKey"}, {Field: "id"}}, Limit: 21}},
		{"recaps, newest first", content.Query{Kind: content.KindRecap, Where: pub,
			Sort: []content.SortKey{{Field: "publishedKey", Desc: true}, {Field: "id", Desc: true}}, Limit: 21}},
		{"region by slug", content.Query{Kind: content.KindRegion, Where: content.And(pub, content.Eq("slug", "noord")),
			Sort: []content.SortKey{{Field: "id"}}, Limit: 1}},
		{"regions of provinces", content.Query{Kind: content.KindRegion, Where: content.And(pub, content.In("provinces", "groningen", "limburg")),
			Sort: []content.SortKey{{Field: "id"}}}},
		{"copy: the next page by id", content.Query{Kind: content.KindTheme, Where: content.Gt("id", "th-digi"),
			Sort: []content.SortKey{{Field: "id"}}, Limit: 500}},
	}
}

func TestGoldenFinds(t *testing.T) {
	cases := bson.A{}
	for _, c := range queries() {
		p, err := collOf(t, c.q.Kind).find(c.q)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		cases = append(cases, bson.D{{Key: "name", Value: c.name}, {Key: "collection", Value: string(c.q.Kind)},
			{Key: "filter", Value: p.Filter}, {Key: "sort", Value: p.Sort}, {Key: "limit", Value: p.Limit}})
	}
	cases = append(cases, bson.D{{Key: "name", Value: "get"}, {Key: "filter", Value: getFilter([]string{"act-1", "act-2", "act-3"})}})
	golden(t, "finds", bson.D{{Key: "cases", Value: cases}})
}

// groupings are the Count and Group calls of the golden file
// pipelines.json.
func groupings() []struct {
	where *content.Cond
	by    []string
} {
	pub := content.Eq("status", "published")
	return []struct {
		where *content.Cond
		by    []string
	}{
		{nil, nil},
		{pub, nil},
		{pub, []string{"format"}},
		{pub, []string{"themes"}},
		{content.And(pub, content.Eq("edition", "ed-2023")), []string{"region", "themes"}},
		{pub, []string{"themes", "format"}},
		{content.Not(content.Prefix("themes", "")), []string{"format"}},
		{pub, []string{"orgKinds", "month", "weekday"}},
		{pub, []string{"id"}},
		{pub, []string{"organizers", "organizers"}},
	}
}

func TestGoldenPipelines(t *testing.T) {
	co := collOf(t, content.KindActivity)
	cases := bson.A{}
	for _, g := range groupings() {
		if g.by == nil {
			p, err := co.countPipeline(g.where)
			if err != nil {
				t.Fatal(err)
			}
			cases = append(cases, bson.D{{Key: "count", Value: show(g.where)}, {Key: "pipeline", Value: p}})
		}
		p, err := co.groupPipeline(g.where, g.by)
		if err != nil {
			t.Fatal(err)
		}
		by := bson.A{}
		for _, f := range g.by {
			by = append(by, f)
		}
		cases = append(cases, bson.D{{Key: "group", Value: show(g.where)}, {Key: "by", Value: by}, {Key: "pipeline", Value: p.Pipeline}})
	}
	golden(t, "pipelines", bson.D{{Key: "cases", Value: cases}})
}

func TestGoldenIndexes(t *testing.T) {
	out := bson.D{}
	for _, c := range collections.All() {
		co := collOf(t, c.Kind)
		specs := bson.A{}
		for _, ix := range co.indexes() {
			spec := bson.D{{Key: "name", Value: ix.Name}, {Key: "key", Value: ix.Keys}}
			if ix.Unique {
				spec = append(spec, bson.E{Key: "unique", Value: true})
			}
			if ix.Sparse {
				spec = append(spec, bson.E{Key: "sparse", Value: true})
			}
			specs = append(specs, spec)
		}
		out = append(out, bson.E{Key: co.name, Value: specs})
	}
	golden(t, "indexes", out)
}

// sampleActivity is the activity of the golden file document.json.
func sampleActivity() content.Doc {
	return content.Doc{Kind: content.KindActivity, ID: "act-42",
		Body: []byte(`{"id":"act-42","slug":"opening-noord","status":"published","version":3,"title":{"nl":"Opening van de week in Noord","en":"Opening of the week in the North"},"startsAt":"2023-02-06T10:00:00+01:00","themes":["th-digi","th-mental"],"attendees":120,"rating":4.5,"online":false,"url":null}`),
		Fields: content.Fields{
			"slug": {"opening-noord"}, "status": {"published"}, "version": {content.VersionKey(3)}, "updatedKey": {"2023-01-10T09:00:00.000Z"},
			"edition": {"ed-2023"}, "region": {"reg-noord"}, "startKey": {"2023-02-06T09:00:00.000Z"}, "titleKey": {"opening van de week in noord"},
			"format": nil, "themes": {"th-digi", "th-mental", "th-digi"}, "organizers": {}, "tokens": {"opening", "van", "de", "week", "in", "noord"},
			"titleTokens": {"opening", "week", "noord"},
		}}
}

func TestGoldenDocument(t *testing.T) {
	co := collOf(t, content.KindActivity)
	d := sampleActivity()
	r, err := co.encode(d)
	if err != nil {
		t.Fatal(err)
	}
	var doc bson.D
	if err := bson.Unmarshal(r.raw, &doc); err != nil {
		t.Fatal(err)
	}
	golden(t, "document", bson.D{
		{Key: "stored", Value: doc},
		{Key: "guardedReplace", Value: versionFilter(d.ID, content.VersionKey(2))},
		{Key: "guardedInsertUndo", Value: versionFilter(d.ID, "")},
	})
	// And it reads back as it was written.
	back, err := co.decode(r.raw)
	if err != nil {
		t.Fatal(err)
	}
	if back.ID != d.ID || !jsonSame(back.Body, d.Body) || back.Fields["slug"][0] != "opening-noord" || back.Fields["format"] != nil {
		t.Errorf("read back %+v", back)
	}
	if _, ok := back.Fields["themes"]; ok {
		t.Error("multi-valued fields were read back")
	}
}

func TestEncodeRefuses(t *testing.T) {
	co := collOf(t, content.KindActivity)
	for name, d := range map[string]content.Doc{
		"no id":            {Kind: content.KindActivity, Body: []byte(`{}`)},
		"not JSON":         {Kind: content.KindActivity, ID: "x", Body: []byte(`{`)},
		"unknown field":    {Kind: content.KindActivity, ID: "x", Body: []byte(`{}`), Fields: content.Fields{"nosuch": {"1"}}},
		"two scalars":      {Kind: content.KindActivity, ID: "x", Body: []byte(`{}`), Fields: content.Fields{"format": {"a", "b"}}},
		"another id field": {Kind: content.KindActivity, ID: "x", Body: []byte(`{}`), Fields: content.Fields{"id": {"y"}}},
	} {
		if _, err := co.encode(d); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	for _, c := range []content.Collection{
		{Kind: "bad kind"},
		{Kind: "x", Scalars: []string{"body"}},
		{Kind: "x", Scalars: []string{"updatedAt"}},
		{Kind: "x", Scalars: []string{"a.b"}},
		{Kind: "x", Scalars: []string{"$a"}},
		{Kind: "x", Scalars: []string{"a"}, Multis: []string{"a"}},
		{Kind: "x", Multis: []string{"m"}, Unique: []string{"m"}},
		{Kind: "x", Multis: []string{"m"}, Indexes: [][]string{{"m"}}},
	} {
		if _, err := newColl(c); err == nil {
			t.Errorf("collection %+v: no error", c)
		}
	}
}

// jsonSame reports whether two JSON texts hold the same value.
func jsonSame(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}
