package storetest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"estafette/content"
)

// The store-level tests use the activity collection, whose fields are
// plain strings to a backend: "format" and "titleKey" are scalar, "themes"
// and "tokens" multi-valued, "slug" unique.
const kind = content.KindActivity

func runStore(t *testing.T, colls []content.Collection, open func(t *testing.T) content.Store) {
	coll, _ := content.LookupCollection(colls, kind)
	runCases(t, open, []testCase{
		{"RoundTrip", func(t *testing.T, s content.Store) { testRoundTrip(t, s, coll) }},
		{"GetMissing", testGetMissing},
		{"GetLargeBatch", testGetLargeBatch},
		{"Operators", testOperators},
		{"NullSemantics", testNullSemantics},
		{"InWithoutValues", testInWithoutValues},
		{"PrefixExact", testPrefixExact},
		{"Order", testOrder},
		{"Limit", testLimit},
		{"Count", testCount},
		{"Group", testGroup},
		{"UniqueConflict", testUniqueConflict},
		{"PutAtomic", testPutAtomic},
		{"UpsertReplacesTerms", func(t *testing.T, s content.Store) { testUpsertReplacesTerms(t, s, coll) }},
		{"Delete", testDelete},
		{"MixedKinds", testMixedKinds},
		{"Unknown", testUnknown},
		{"Ping", testPing},
		{"ApplyVersions", testApplyVersions},
		{"ApplyAtomic", testApplyAtomic},
		{"ApplyConcurrent", testApplyConcurrent},
	})
}

// doc returns an activity document with a small JSON body naming it.
func doc(id string, f content.Fields) content.Doc {
	body, _ := json.Marshal(map[string]any{"id": id, "note": "body of " + id})
	if f == nil {
		f = content.Fields{}
	}
	return content.Doc{Kind: kind, ID: id, Body: body, Fields: f}
}

func put(t *testing.T, s content.Store, docs ...content.Doc) {
	t.Helper()
	if err := s.Put(ctx, docs...); err != nil {
		t.Fatalf("put: %v", err)
	}
}

// find returns the ids of the documents of the store level kind that match
// where, by id.
func find(t *testing.T, s content.Store, where *content.Cond) []string {
	t.Helper()
	docs, err := s.Find(ctx, content.Query{Kind: kind, Where: where, Sort: []content.SortKey{{Field: "id"}}})
	if err != nil {
		t.Fatalf("find %s: %v", show(where), err)
	}
	return docIDs(docs)
}

func docIDs(docs []content.Doc) []string {
	ids := []string{}
	for _, d := range docs {
		ids = append(ids, d.ID)
	}
	return ids
}

func sameIDs(got, want []string) bool {
	if len(got) == 0 && len(want) == 0 {
		return true
	}
	return slices.Equal(got, want)
}

// show writes a condition for failure messages.
func show(c *content.Cond) string {
	if c == nil {
		return "true"
	}
	names := map[content.Op]string{content.OpAnd: "And", content.OpOr: "Or", content.OpNot: "Not",
		content.OpEq: "Eq", content.OpIn: "In", content.OpGt: "Gt", content.OpGte: "Gte",
		content.OpLt: "Lt", content.OpLte: "Lte", content.OpPrefix: "Prefix"}
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
	return names[c.Op] + "(" + strings.Join(parts, ", ") + ")"
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

func testRoundTrip(t *testing.T, s content.Store, coll content.Collection) {
	body := []byte(`{"id":"rt","title":{"nl":"Cliënten & zorg","en":"Clients"},"n":[1,2.5,null,true],"nested":{"a":{"b":"c"}}}`)
	in := content.Doc{Kind: kind, ID: "rt", Body: body, Fields: content.Fields{
		"slug":       {"round-trip"},
		"status":     {"published"},
		"updatedKey": {"2023-02-06T09:00:00.000Z"},
		"edition":    {"ed-1"},
		"region":     nil,
		"format":     {"workshop"},
		"startKey":   {"2023-02-06T09:00:00.000Z"},
		"titleKey":   {"clienten zorg"},
		"themes":     {"th-1", "th-2"},
		"tokens":     {"clienten", "zorg"},
	}}
	put(t, s, in)
	got, err := s.Get(ctx, kind, []string{"rt"})
	if err != nil {
		t.Fatal(err)
	}
	checkDoc(t, "get", got["rt"], in, coll)
	docs, err := s.Find(ctx, content.Query{Kind: kind, Where: content.Eq("slug", "round-trip"), Sort: []content.SortKey{{Field: "id"}}})
	if err != nil || len(docs) != 1 {
		t.Fatalf("find by slug: %d docs, %v", len(docs), err)
	}
	checkDoc(t, "find", docs[0], in, coll)
}

// checkDoc compares a document read back with the one written: kind, id,
// the body as JSON and every scalar field. Multi-valued fields may be left
// out of results; when present they must hold the written values. coll
// describes the document's kind.
func checkDoc(t *testing.T, what string, got, want content.Doc, coll content.Collection) {
	t.Helper()
	if got.Kind != want.Kind || got.ID != want.ID {
		t.Fatalf("%s: got %s %q, want %s %q", what, got.Kind, got.ID, want.Kind, want.ID)
	}
	if !jsonEqual(got.Body, want.Body) {
		t.Errorf("%s: body %s, want %s", what, got.Body, want.Body)
	}
	for _, f := range coll.Scalars {
		if g, w := got.Fields[f], want.Fields[f]; !(len(g) == 0 && len(w) == 0) && !slices.Equal(g, w) {
			t.Errorf("%s: field %s = %q, want %q", what, f, g, w)
		}
	}
	for _, f := range coll.Multis {
		g, ok := got.Fields[f]
		if !ok {
			continue
		}
		g, w := slices.Sorted(slices.Values(g)), slices.Sorted(slices.Values(want.Fields[f]))
		if !(len(g) == 0 && len(w) == 0) && !slices.Equal(g, w) {
			t.Errorf("%s: multi-valued field %s = %q, want %q", what, f, g, w)
		}
	}
}

func testGetMissing(t *testing.T, s content.Store) {
	put(t, s, doc("a", nil), doc("b", nil))
	got, err := s.Get(ctx, kind, []string{"a", "missing", "a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["a"].ID != "a" || got["b"].ID != "b" {
		t.Errorf("get a, missing, a, b: %v", mapKeys(got))
	}
	for _, ids := range [][]string{nil, {}, {"missing"}} {
		got, err := s.Get(ctx, kind, ids)
		if err != nil || len(got) != 0 {
			t.Errorf("get %q: %v, %v; want nothing, no error", ids, mapKeys(got), err)
		}
	}
	// Ids are per kind.
	got, err = s.Get(ctx, content.KindTheme, []string{"a"})
	if err != nil || len(got) != 0 {
		t.Errorf("get theme a: %v, %v; want nothing", mapKeys(got), err)
	}
}

func mapKeys(m map[string]content.Doc) []string {
	return slices.Sorted(func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	})
}

func testGetLargeBatch(t *testing.T, s content.Store) {
	const n = 1500
	var docs []content.Doc
	var ids []string
	for i := range n {
		id := fmt.Sprintf("bulk-%04d", i)
		docs = append(docs, doc(id, content.Fields{"slug": {id}, "themes": {"t" + fmt.Sprint(i%7)}}))
		if i%2 == 0 {
			ids = append(ids, id)
		}
		ids = append(ids, "nope-"+id)
	}
	put(t, s, docs...)
	got, err := s.Get(ctx, kind, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n/2 {
		t.Errorf("got %d documents, want %d", len(got), n/2)
	}
	for id, d := range got {
		if d.ID != id || !strings.HasPrefix(id, "bulk-") {
			t.Errorf("got %q under %q", d.ID, id)
		}
	}
	if c, err := s.Count(ctx, kind, content.Eq("themes", "t3")); err != nil || c != 214 {
		t.Errorf("count themes=t3: %d, %v; want 214", c, err)
	}
}

// opsDocs is the data of the operator tests: scalar "format" and
// "titleKey", multi-valued "themes" and "tokens", with nulls, an empty
// string, non-ASCII text and the metacharacters of LIKE, GLOB and regular
// expressions.
func opsDocs() []content.Doc {
	return []content.Doc{
		doc("d1", content.Fields{"format": {"b"}, "titleKey": {"Beta"}, "themes": {"x", "y"}, "tokens": {"100%", "a*b", `back\slash`}}),
		doc("d2", content.Fields{"format": {"c"}, "titleKey": {"alpha"}, "themes": {"z"}, "tokens": {"100_", "a[b]", "(paren)"}}),
		doc("d3", content.Fields{"format": nil, "titleKey": nil, "themes": nil, "tokens": nil}),
		doc("d4", content.Fields{"format": {"a"}, "titleKey": {"éclair"}, "themes": {"y"}, "tokens": {"10", "a?c", "é", "a.c"}}),
		doc("d5", content.Fields{"format": {""}, "titleKey": {"eclair"}, "themes": {""}, "tokens": {"1000", "éa", "e", "^$"}}),
		doc("d6", content.Fields{"format": {"b"}, "titleKey": {"Beta"}, "themes": {"x"}, "tokens": {"ab", "z\U0010FFFF", "z\U0010FFFFa", "日本語"}}),
	}
}

func testOperators(t *testing.T, s content.Store) {
	docs := opsDocs()
	put(t, s, docs...)
	E, In, Gt, Gte, Lt, Lte, P := content.Eq, content.In, content.Gt, content.Gte, content.Lt, content.Lte, content.Prefix
	conds := []*content.Cond{
		nil,
		E("format", "a"), E("format", "b"), E("format", ""), E("format", "zz"),
		In("format", "a", "c"), In("format", ""), In("format", "a"), In("format", "b", "b", "zz"),
		Gt("format", ""), Gt("format", "a"), Gte("format", "a"), Gte("format", ""),
		Lt("format", "c"), Lt("format", "a"), Lte("format", "b"), Lte("format", ""),
		P("format", ""), P("format", "b"),
		E("titleKey", "Beta"), Gt("titleKey", "Beta"), Lt("titleKey", "a"), Lte("titleKey", "alpha"),
		Gte("titleKey", "e"), Gt("titleKey", "eclair"), P("titleKey", "B"), P("titleKey", "b"), P("titleKey", "é"),
		E("themes", "x"), E("themes", "y"), E("themes", ""), In("themes", "x", "z"), In("themes", ""),
		Gt("themes", "x"), Gte("themes", "y"), Lt("themes", "y"), Lte("themes", "x"), Lt("themes", "a"),
		P("themes", ""), P("themes", "x"),
		P("tokens", "10"), P("tokens", "100"), P("tokens", "a"), P("tokens", "é"), P("tokens", "e"),
		Gt("tokens", "z"), Lt("tokens", "1"), Gte("tokens", "a?c"), In("tokens", "ab", "é", "nope"),
		E("id", "d1"), In("id", "d1", "d3", "dx"), Gt("id", "d3"), Lte("id", "d2"), P("id", "d"), P("id", "d1"),
		content.And(E("format", "b"), E("themes", "y")),
		content.And(E("format", "b"), E("themes", "x"), P("titleKey", "B")),
		content.Or(E("format", "a"), E("themes", "z")),
		content.Or(Lt("format", "b"), P("tokens", "日")),
		content.And(Gte("format", "a"), Lte("format", "b")),
		content.Or(content.And(E("themes", "x"), E("themes", "y")), E("format", "")),
		{Op: content.OpAnd}, {Op: content.OpOr},
		content.And(content.Or(E("format", "a"), E("format", "c")), content.Not(E("themes", "z"))),
		content.Not(content.Or(E("format", "a"), Lt("format", "b"))),
		content.Not(content.And(E("themes", "x"), content.Not(E("format", "b")))),
		content.Not(content.Not(E("format", "a"))),
		content.Not(content.And(P("tokens", "a"), P("titleKey", "B"))),
		content.Or(content.Not(E("format", "b")), E("themes", "x")),
	}
	for _, c := range conds {
		for _, c := range []*content.Cond{c, content.Not(c)} {
			var want []string
			for _, d := range docs {
				if match(d.ID, d.Fields, c) {
					want = append(want, d.ID)
				}
			}
			if got := find(t, s, c); !sameIDs(got, want) {
				t.Errorf("find %s: %q, want %q", show(c), got, want)
			}
			if n, err := s.Count(ctx, kind, c); err != nil || n != len(want) {
				t.Errorf("count %s: %d, %v; want %d", show(c), n, err, len(want))
			}
		}
	}
}

// expect checks the answers to conditions against hand-written results, so
// the reference semantics of match are not the only judge.
func expect(t *testing.T, s content.Store, cases map[string]struct {
	c    *content.Cond
	want []string
}) {
	t.Helper()
	for name, tc := range cases {
		if got := find(t, s, tc.c); !sameIDs(got, tc.want) {
			t.Errorf("%s: %s matched %q, want %q", name, show(tc.c), got, tc.want)
		}
	}
}

type expectation = map[string]struct {
	c    *content.Cond
	want []string
}

func testNullSemantics(t *testing.T, s content.Store) {
	put(t, s, opsDocs()...)
	expect(t, s, expectation{
		"not equal matches null":          {content.Not(content.Eq("format", "a")), []string{"d1", "d2", "d3", "d5", "d6"}},
		"empty string is not null":        {content.Eq("format", ""), []string{"d5"}},
		"greater than empty skips null":   {content.Gt("format", ""), []string{"d1", "d2", "d4", "d6"}},
		"at least empty skips null":       {content.Gte("format", ""), []string{"d1", "d2", "d4", "d5", "d6"}},
		"less than skips null":            {content.Lt("format", "zz"), []string{"d1", "d2", "d4", "d5", "d6"}},
		"at most skips null":              {content.Lte("format", "b"), []string{"d1", "d4", "d5", "d6"}},
		"empty prefix skips null":         {content.Prefix("format", ""), []string{"d1", "d2", "d4", "d5", "d6"}},
		"not less than matches null":      {content.Not(content.Lt("format", "b")), []string{"d1", "d2", "d3", "d6"}},
		"not prefix matches null":         {content.Not(content.Prefix("titleKey", "B")), []string{"d2", "d3", "d4", "d5"}},
		"double negation is the same":     {content.Not(content.Not(content.Eq("format", "a"))), []string{"d4"}},
		"multi: some value holds":         {content.Eq("themes", "y"), []string{"d1", "d4"}},
		"multi: not equal matches empty":  {content.Not(content.Eq("themes", "y")), []string{"d2", "d3", "d5", "d6"}},
		"multi: no values is null":        {content.Lt("themes", "zzz"), []string{"d1", "d2", "d4", "d5", "d6"}},
		"multi: both values in one doc":   {content.And(content.Eq("themes", "x"), content.Eq("themes", "y")), []string{"d1"}},
		"multi: any value, not all":       {content.Gt("themes", "x"), []string{"d1", "d2", "d4"}},
		"not over and with null operand":  {content.Not(content.And(content.Eq("format", "b"), content.Eq("titleKey", "Beta"))), []string{"d2", "d3", "d4", "d5"}},
		"or with a null operand is false": {content.Or(content.Eq("format", "zz"), content.Eq("titleKey", "zz")), nil},
	})
}

func testInWithoutValues(t *testing.T, s content.Store) {
	put(t, s, opsDocs()...)
	all := []string{"d1", "d2", "d3", "d4", "d5", "d6"}
	expect(t, s, expectation{
		"scalar in nothing":     {content.In("format"), nil},
		"not scalar in nothing": {content.Not(content.In("format")), all},
		"multi in nothing":      {content.In("themes"), nil},
		"not multi in nothing":  {content.Not(content.In("themes")), all},
		"id in nothing":         {content.In("id"), nil},
		"or of in nothing":      {content.Or(content.In("format"), content.Eq("format", "a")), []string{"d4"}},
	})
	for _, c := range []*content.Cond{content.In("format"), content.In("themes")} {
		if n, err := s.Count(ctx, kind, c); err != nil || n != 0 {
			t.Errorf("count %s: %d, %v; want 0", show(c), n, err)
		}
	}
}

func testPrefixExact(t *testing.T, s content.Store) {
	values := []string{"100%", "100_", "10", "1000", "1%0", "a*b", "a[b]", "a?c", "ab", "a.c", "a\\b", "a'b", `a"b`,
		"é", "éa", "e", "ea", "E", "日本", "日本語", "z\U0010FFFF", "z\U0010FFFFa", "z", "%", "_", "*", "[", "?", "^", "$", " a", "a b"}
	var docs []content.Doc
	for i, v := range values {
		docs = append(docs, doc(fmt.Sprintf("p%02d", i), content.Fields{"titleKey": {v}, "tokens": {v, "common"}}))
	}
	put(t, s, docs...)
	prefixes := []string{"", "100%", "100_", "100", "10", "1%", "%", "_", "*", "[", "?", "a*", "a[", "a[b", "a?", "a.", "a\\",
		"a'", `a"`, "a", "é", "e", "E", "日", "日本", "日本語", "z\U0010FFFF", "z", "^", "$", " ", "a ", "zz", "\U0010FFFF"}
	for _, p := range prefixes {
		var want []string
		for i, v := range values {
			if strings.HasPrefix(v, p) {
				want = append(want, fmt.Sprintf("p%02d", i))
			}
		}
		for _, field := range []string{"titleKey", "tokens"} {
			c := content.Prefix(field, p)
			if field == "tokens" && p == "" {
				continue // every document has the token "common"
			}
			if got := find(t, s, c); !sameIDs(got, want) {
				t.Errorf("find %s: %q, want %q", show(c), got, want)
			}
		}
	}
	// Spot checks that do not rely on strings.HasPrefix.
	expect(t, s, expectation{
		"percent is literal":       {content.Prefix("titleKey", "100%"), []string{"p00"}},
		"underscore is literal":    {content.Prefix("titleKey", "100_"), []string{"p01"}},
		"star is literal":          {content.Prefix("titleKey", "a*"), []string{"p05"}},
		"bracket is literal":       {content.Prefix("titleKey", "a["), []string{"p06"}},
		"question mark is literal": {content.Prefix("tokens", "a?"), []string{"p07"}},
		"accent is not the letter": {content.Prefix("titleKey", "e"), []string{"p15", "p16"}},
		"case matters":             {content.Prefix("titleKey", "E"), []string{"p17"}},
	})
}

// orderDocs have ties, a null and values whose byte order differs from
// their alphabetical order.
func orderDocs() []content.Doc {
	f := func(title, format string) content.Fields {
		out := content.Fields{"format": {format}}
		if title != "" {
			out["titleKey"] = []string{title}
		}
		return out
	}
	return []content.Doc{
		doc("s3", f("B", "x")), doc("s1", f("a", "y")), doc("s2", f("Z", "x")), doc("s4", f("é", "y")),
		doc("s5", f("e", "x")), doc("s6", f("", "y")), doc("s7", f("a", "x")), doc("s0", f("a", "y")),
	}
}

func testOrder(t *testing.T, s content.Store) {
	put(t, s, orderDocs()...)
	cases := []struct {
		sort []content.SortKey
		want []string
	}{
		{[]content.SortKey{{Field: "titleKey"}, {Field: "id"}}, []string{"s6", "s3", "s2", "s0", "s1", "s7", "s5", "s4"}},
		{[]content.SortKey{{Field: "titleKey", Desc: true}, {Field: "id", Desc: true}}, []string{"s4", "s5", "s7", "s1", "s0", "s2", "s3", "s6"}},
		{[]content.SortKey{{Field: "format"}, {Field: "titleKey", Desc: true}, {Field: "id"}}, []string{"s5", "s7", "s2", "s3", "s4", "s0", "s1", "s6"}},
		{[]content.SortKey{{Field: "id", Desc: true}}, []string{"s7", "s6", "s5", "s4", "s3", "s2", "s1", "s0"}},
	}
	for _, tc := range cases {
		docs, err := s.Find(ctx, content.Query{Kind: kind, Sort: tc.sort})
		if err != nil {
			t.Fatal(err)
		}
		if got := docIDs(docs); !slices.Equal(got, tc.want) {
			t.Errorf("sort %v: %q, want %q", tc.sort, got, tc.want)
		}
	}
	// With a condition, and the sort fields come back for cursors.
	docs, err := s.Find(ctx, content.Query{Kind: kind, Where: content.Gte("titleKey", "a"),
		Sort: []content.SortKey{{Field: "titleKey", Desc: true}, {Field: "id"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := docIDs(docs); !slices.Equal(got, []string{"s4", "s5", "s0", "s1", "s7"}) {
		t.Errorf("titleKey >= a, desc: %q", got)
	}
	for _, d := range docs {
		if len(d.Fields["titleKey"]) != 1 || len(d.Fields["format"]) != 1 {
			t.Errorf("%s: scalar fields not returned by find: %v", d.ID, d.Fields)
		}
	}
}

func testLimit(t *testing.T, s content.Store) {
	put(t, s, orderDocs()...)
	sort := []content.SortKey{{Field: "titleKey"}, {Field: "id"}}
	for _, tc := range []struct {
		limit int
		want  []string
	}{
		{1, []string{"s6"}},
		{3, []string{"s6", "s3", "s2"}},
		{0, []string{"s6", "s3", "s2", "s0", "s1", "s7", "s5", "s4"}},
		{100, []string{"s6", "s3", "s2", "s0", "s1", "s7", "s5", "s4"}},
	} {
		docs, err := s.Find(ctx, content.Query{Kind: kind, Sort: sort, Limit: tc.limit})
		if err != nil {
			t.Fatal(err)
		}
		if got := docIDs(docs); !slices.Equal(got, tc.want) {
			t.Errorf("limit %d: %q, want %q", tc.limit, got, tc.want)
		}
	}
	docs, err := s.Find(ctx, content.Query{Kind: kind, Where: content.Eq("format", "y"), Sort: sort, Limit: 2})
	if err != nil || !slices.Equal(docIDs(docs), []string{"s6", "s0"}) {
		t.Errorf("format=y limit 2: %q, %v", docIDs(docs), err)
	}
}

func testCount(t *testing.T, s content.Store) {
	if n, err := s.Count(ctx, kind, nil); err != nil || n != 0 {
		t.Errorf("count of an empty store: %d, %v", n, err)
	}
	put(t, s, opsDocs()...)
	for _, tc := range []struct {
		c    *content.Cond
		want int
	}{
		{nil, 6},
		{content.Eq("format", "b"), 2},
		{content.Eq("themes", "x"), 2},
		{content.Not(content.Eq("themes", "x")), 4},
		{content.Prefix("tokens", "a"), 4},
		{content.Eq("format", "none"), 0},
	} {
		if n, err := s.Count(ctx, kind, tc.c); err != nil || n != tc.want {
			t.Errorf("count %s: %d, %v; want %d", show(tc.c), n, err, tc.want)
		}
	}
	if n, err := s.Count(ctx, content.KindTheme, nil); err != nil || n != 0 {
		t.Errorf("count of themes: %d, %v; want 0", n, err)
	}
}

func testGroup(t *testing.T, s content.Store) {
	put(t, s,
		doc("g1", content.Fields{"format": {"a"}, "themes": {"x", "y"}}),
		doc("g2", content.Fields{"format": {"a"}, "themes": {"y"}}),
		doc("g3", content.Fields{"format": {"b"}, "themes": nil}),
		doc("g4", content.Fields{"format": nil, "themes": {"x"}}),
		doc("g5", content.Fields{"format": {""}, "themes": {"z"}}),
	)
	b := func(count int, keys ...string) content.Bucket { return content.Bucket{Keys: keys, Count: count} }
	for _, tc := range []struct {
		name  string
		where *content.Cond
		by    []string
		want  []content.Bucket
	}{
		{"scalar, null and empty merged", nil, []string{"format"}, []content.Bucket{b(2, ""), b(2, "a"), b(1, "b")}},
		{"multi, one bucket per value", nil, []string{"themes"}, []content.Bucket{b(2, "x"), b(2, "y"), b(1, "z")}},
		{"scalar by multi", nil, []string{"format", "themes"}, []content.Bucket{b(1, "", "x"), b(1, "", "z"), b(1, "a", "x"), b(2, "a", "y")}},
		{"multi by scalar", nil, []string{"themes", "format"}, []content.Bucket{b(1, "x", ""), b(1, "x", "a"), b(2, "y", "a"), b(1, "z", "")}},
		{"filtered", content.Eq("format", "a"), []string{"themes"}, []content.Bucket{b(1, "x"), b(2, "y")}},
		{"filtered on the grouped multi", content.Eq("themes", "x"), []string{"themes"}, []content.Bucket{b(2, "x"), b(1, "y")}},
		{"no match", content.Eq("format", "none"), []string{"format"}, nil},
		{"by nothing", content.Not(content.Eq("format", "b")), nil, []content.Bucket{b(4)}},
		{"by nothing, no match", content.Eq("format", "none"), nil, nil},
	} {
		got, err := s.Group(ctx, kind, tc.where, tc.by)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !sameBuckets(got, tc.want) {
			t.Errorf("%s: group %s by %q: %v, want %v", tc.name, show(tc.where), tc.by, got, tc.want)
		}
	}
	if _, err := s.Group(ctx, kind, nil, []string{"nosuchfield"}); err == nil {
		t.Error("group by an unknown field: no error")
	}
}

func sameBuckets(got, want []content.Bucket) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i].Count != want[i].Count || len(got[i].Keys) != len(want[i].Keys) ||
			(len(want[i].Keys) > 0 && !slices.Equal(got[i].Keys, want[i].Keys)) {
			return false
		}
	}
	return true
}

func testUniqueConflict(t *testing.T, s content.Store) {
	put(t, s, doc("u1", content.Fields{"slug": {"taken"}, "themes": {"x"}}))
	err := s.Put(ctx, doc("u2", content.Fields{"slug": {"taken"}, "themes": {"y"}}))
	wantCode(t, err, content.ECONFLICT, "put a second document with slug taken")
	if msg := content.ErrorMessage(err); !strings.Contains(msg, "slug") || !strings.Contains(msg, "taken") {
		t.Errorf("conflict message %q does not name the field and the value", msg)
	}
	if got, _ := s.Get(ctx, kind, []string{"u2"}); len(got) != 0 {
		t.Error("the conflicting document was written")
	}
	if ids := find(t, s, content.Eq("themes", "y")); len(ids) != 0 {
		t.Errorf("the terms of the conflicting document were written: %q", ids)
	}
	// Replacing a document keeps its own value without conflict.
	put(t, s, doc("u1", content.Fields{"slug": {"taken"}, "themes": {"z"}}))
	// Null is not a value: any number of documents may lack a slug.
	put(t, s, doc("n1", nil), doc("n2", content.Fields{"slug": nil}), doc("n3", nil))
	// Two documents of one Put that share a value conflict too.
	err = s.Put(ctx, doc("v1", content.Fields{"slug": {"same"}}), doc("v2", content.Fields{"slug": {"same"}}))
	wantCode(t, err, content.ECONFLICT, "put two documents with one slug")
	if got, _ := s.Get(ctx, kind, []string{"v1", "v2"}); len(got) != 0 {
		t.Errorf("documents of a failed put were written: %v", mapKeys(got))
	}
	// Uniqueness is per kind.
	put(t, s, content.Doc{Kind: content.KindTheme, ID: "u1", Body: []byte(`{}`), Fields: content.Fields{"slug": {"taken"}}})
	// A value freed by a change can be taken.
	put(t, s, doc("u1", content.Fields{"slug": {"renamed"}}))
	put(t, s, doc("u3", content.Fields{"slug": {"taken"}}))
}

func testPutAtomic(t *testing.T, s content.Store) {
	put(t, s, doc("keep", content.Fields{"slug": {"keep"}, "format": {"old"}, "themes": {"old"}}))
	err := s.Put(ctx,
		doc("n1", content.Fields{"slug": {"n1"}, "themes": {"new"}}),
		doc("keep", content.Fields{"slug": {"keep"}, "format": {"new"}, "themes": {"new"}}),
		doc("n3", content.Fields{"slug": {"keep"}, "themes": {"new"}}),
	)
	wantCode(t, err, content.ECONFLICT, "put of 3 documents where the 3rd conflicts")
	if got, _ := s.Get(ctx, kind, []string{"n1", "n3"}); len(got) != 0 {
		t.Errorf("documents of a failed put were written: %v", mapKeys(got))
	}
	got, _ := s.Get(ctx, kind, []string{"keep"})
	if f := got["keep"].Fields["format"]; !slices.Equal(f, []string{"old"}) {
		t.Errorf("a failed put changed a stored document: format %q", f)
	}
	if ids := find(t, s, content.Eq("themes", "new")); len(ids) != 0 {
		t.Errorf("terms of a failed put were written: %q", ids)
	}
	if ids := find(t, s, content.Eq("themes", "old")); !slices.Equal(ids, []string{"keep"}) {
		t.Errorf("a failed put changed stored terms: %q", ids)
	}
	if n, _ := s.Count(ctx, kind, nil); n != 1 {
		t.Errorf("%d documents after a failed put, want 1", n)
	}
}

func testUpsertReplacesTerms(t *testing.T, s content.Store, coll content.Collection) {
	put(t, s, doc("r1", content.Fields{"slug": {"r1"}, "format": {"a"}, "titleKey": {"t"}, "themes": {"x", "y"}, "tokens": {"old"}}))
	replaced := doc("r1", content.Fields{"slug": {"r1-new"}, "format": {"b"}, "themes": {"z"}})
	replaced.Body = []byte(`{"replaced":true}`)
	put(t, s, replaced)
	expect(t, s, expectation{
		"old multi value":      {content.Eq("themes", "x"), nil},
		"other old value":      {content.In("themes", "x", "y"), nil},
		"removed multi field":  {content.Prefix("tokens", "o"), nil},
		"new multi value":      {content.Eq("themes", "z"), []string{"r1"}},
		"old scalar value":     {content.Eq("format", "a"), nil},
		"new scalar value":     {content.Eq("format", "b"), []string{"r1"}},
		"scalar now null":      {content.Prefix("titleKey", ""), nil},
		"old slug":             {content.Eq("slug", "r1"), nil},
		"negation on new null": {content.Not(content.Eq("titleKey", "t")), []string{"r1"}},
	})
	got, _ := s.Get(ctx, kind, []string{"r1"})
	checkDoc(t, "replaced", got["r1"], replaced, coll)
	if n, _ := s.Count(ctx, kind, nil); n != 1 {
		t.Errorf("%d documents after replacing one, want 1", n)
	}
	buckets, err := s.Group(ctx, kind, nil, []string{"themes"})
	if err != nil || !sameBuckets(buckets, []content.Bucket{{Keys: []string{"z"}, Count: 1}}) {
		t.Errorf("group by themes after replace: %v, %v", buckets, err)
	}
}

func testDelete(t *testing.T, s content.Store) {
	put(t, s, opsDocs()...)
	put(t, s, content.Doc{Kind: content.KindTheme, ID: "d1", Body: []byte(`{}`)})
	if err := s.Delete(ctx, kind, "d1", "d4", "missing"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, kind); err != nil {
		t.Errorf("delete of no ids: %v", err)
	}
	if got, _ := s.Get(ctx, kind, []string{"d1", "d4", "d2"}); !slices.Equal(mapKeys(got), []string{"d2"}) {
		t.Errorf("after delete, get d1, d4, d2: %v", mapKeys(got))
	}
	expect(t, s, expectation{
		"terms of deleted documents": {content.In("themes", "x", "y"), []string{"d6"}},
		"scalar of deleted document": {content.Eq("format", "a"), nil},
		"the rest":                   {nil, []string{"d2", "d3", "d5", "d6"}},
	})
	if n, _ := s.Count(ctx, kind, content.Eq("themes", "y")); n != 0 {
		t.Errorf("count themes=y after delete: %d", n)
	}
	if b, _ := s.Group(ctx, kind, nil, []string{"themes"}); !sameBuckets(b, []content.Bucket{{Keys: []string{""}, Count: 1}, {Keys: []string{"x"}, Count: 1}, {Keys: []string{"z"}, Count: 1}}) {
		t.Errorf("group by themes after delete: %v", b)
	}
	if got, _ := s.Get(ctx, content.KindTheme, []string{"d1"}); len(got) != 1 {
		t.Error("delete removed a document of another kind")
	}
	// The id and the unique values of a deleted document are free again.
	put(t, s, doc("del", content.Fields{"slug": {"del"}}))
	if err := s.Delete(ctx, kind, "del"); err != nil {
		t.Fatal(err)
	}
	put(t, s, doc("del2", content.Fields{"slug": {"del"}}), doc("d1", content.Fields{"themes": {"fresh"}}))
	if ids := find(t, s, content.Eq("themes", "fresh")); !slices.Equal(ids, []string{"d1"}) {
		t.Errorf("re-put after delete: %q", ids)
	}
}

func testMixedKinds(t *testing.T, s content.Store) {
	put(t, s,
		doc("same-id", content.Fields{"slug": {"a1"}, "themes": {"th1"}}),
		content.Doc{Kind: content.KindTheme, ID: "th1", Body: []byte(`{"name":"theme"}`), Fields: content.Fields{"slug": {"digital"}, "nameKey": {"digital"}}},
		content.Doc{Kind: content.KindRegion, ID: "same-id", Body: []byte(`{"name":"region"}`), Fields: content.Fields{"slug": {"a1"}, "provinces": {"groningen"}}},
	)
	for _, tc := range []struct {
		kind content.Kind
		id   string
		body string
	}{
		{kind, "same-id", `{"id":"same-id","note":"body of same-id"}`},
		{content.KindTheme, "th1", `{"name":"theme"}`},
		{content.KindRegion, "same-id", `{"name":"region"}`},
	} {
		got, err := s.Get(ctx, tc.kind, []string{tc.id})
		if err != nil || got[tc.id].Kind != tc.kind || !jsonEqual(got[tc.id].Body, []byte(tc.body)) {
			t.Errorf("get %s %s: %+v, %v", tc.kind, tc.id, got[tc.id], err)
		}
	}
	docs, err := s.Find(ctx, content.Query{Kind: content.KindRegion, Where: content.Eq("provinces", "groningen")})
	if err != nil || !slices.Equal(docIDs(docs), []string{"same-id"}) || docs[0].Kind != content.KindRegion {
		t.Errorf("find region by province: %v, %v", docIDs(docs), err)
	}
	// A failed mixed put writes none of the kinds.
	err = s.Put(ctx,
		content.Doc{Kind: content.KindTheme, ID: "th2", Body: []byte(`{}`), Fields: content.Fields{"slug": {"other"}}},
		doc("act2", content.Fields{"slug": {"a1"}}),
	)
	wantCode(t, err, content.ECONFLICT, "mixed put with a conflict")
	if got, _ := s.Get(ctx, content.KindTheme, []string{"th2"}); len(got) != 0 {
		t.Error("a failed mixed put wrote a theme")
	}
}

func testUnknown(t *testing.T, s content.Store) {
	put(t, s, opsDocs()...)
	bad := []struct {
		what string
		err  func() error
	}{
		{"find on an unknown field", func() error {
			_, err := s.Find(ctx, content.Query{Kind: kind, Where: content.Eq("nosuchfield", "x")})
			return err
		}},
		{"find with an unknown field under not", func() error {
			_, err := s.Find(ctx, content.Query{Kind: kind, Where: content.Not(content.Or(content.Eq("format", "a"), content.Gt("nosuchfield", "x")))})
			return err
		}},
		{"sort on an unknown field", func() error {
			_, err := s.Find(ctx, content.Query{Kind: kind, Sort: []content.SortKey{{Field: "nosuchfield"}}})
			return err
		}},
		{"sort on a multi-valued field", func() error {
			_, err := s.Find(ctx, content.Query{Kind: kind, Sort: []content.SortKey{{Field: "themes"}}})
			return err
		}},
		{"find of an unknown kind", func() error {
			_, err := s.Find(ctx, content.Query{Kind: "nosuchkind"})
			return err
		}},
		{"get of an unknown kind", func() error {
			_, err := s.Get(ctx, "nosuchkind", []string{"x"})
			return err
		}},
		{"count on an unknown field", func() error {
			_, err := s.Count(ctx, kind, content.In("nosuchfield", "x"))
			return err
		}},
		{"put of an unknown kind", func() error {
			return s.Put(ctx, content.Doc{Kind: "nosuchkind", ID: "x", Body: []byte(`{}`)})
		}},
	}
	for _, b := range bad {
		if err := b.err(); err == nil {
			t.Errorf("%s: no error", b.what)
		} else if code := content.ErrorCode(err); code != content.EINTERNAL {
			t.Errorf("%s: code %q, want %q", b.what, code, content.EINTERNAL)
		}
	}
}

func testPing(t *testing.T, s content.Store) {
	if err := s.Ping(ctx); err != nil {
		t.Errorf("ping: %v", err)
	}
}
