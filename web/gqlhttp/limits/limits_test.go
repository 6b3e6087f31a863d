package limits

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

const schema = `
type Query { items(first: Int, last: Int): ItemConnection! tags: [Tag!]! node(id: ID!): Item nodes(ids: [ID!]!): [Item]! }
type ItemConnection { nodes: [Item!]! edges: [Edge!]! totalCount: Int! }
type Edge { node: Item! cursor: String! }
type Item { name: String! tags: [Tag!]! related(first: Int): ItemConnection! }
type Tag { name: String! items(first: Int): ItemConnection! }
`

func measureQuery(t *testing.T, query string, vars map[string]any) Size {
	t.Helper()
	s := gqlparser.MustLoadSchema(&ast.Source{Input: schema})
	doc, errs := gqlparser.LoadQuery(s, query)
	if errs != nil {
		t.Fatal(errs)
	}
	return Measure(Config{}, doc.Operations[0], vars)
}

func TestCost(t *testing.T) {
	cases := []struct {
		query string
		vars  map[string]any
		cost  int
		depth int
	}{
		{`{ items { totalCount } }`, nil, 1 + 1, 2},
		{`{ items(first: 5) { nodes { name } } }`, nil, 1 + (1 + 5*1), 3},
		{`{ items(first: 5) { totalCount nodes { name } } }`, nil, 1 + 1 + (1 + 5*1), 3},
		{`{ items(first: 5) { nodes { tags { name } } } }`, nil, 1 + (1 + 5*(1+10*1)), 4},
		{`{ items(first: 5) { edges { cursor node { tags { name } } } } }`, nil, 1 + (1 + 5*(1+1+(1+10*1))), 5},
		{`query($n: Int) { items(first: $n) { nodes { related(first: 3) { nodes { name } } } } }`, map[string]any{"n": 10}, 1 + (1 + 10*(1+(1+3*1))), 5},
		{`{ items(last: 7) { nodes { related { nodes { tags { name } } } } } }`, nil, 1 + (1 + 7*(1+(1+20*(1+10*1)))), 6},
		{`{ tags { name } }`, nil, 1 + 10*1, 2},
		{`{ __typename tags { __typename } }`, nil, 1 + 1 + 10*1, 2},
		{`{ nodes(ids: ["a", "b", "c"]) { tags { name } } }`, nil, 1 + 3*(1+10*1), 3},
		// Introspection: lists are not multiplied, ofType adds no depth.
		{`{ __schema { types { fields { type { ofType { ofType { name } } } } } } }`, nil, 7, 5},
		{`{ ...F } fragment F on Query { items(first: 2) { nodes { tags { name } } } }`, nil, 1 + (1 + 2*(1+10*1)), 4},
		// A fragment spread twice counts twice, as the expanded document.
		{`{ ...F ...G } fragment F on Query { tags { name } } fragment G on Query { ...F }`, nil, 2 * (1 + 10*1), 2},
	}
	for _, c := range cases {
		m := measureQuery(t, c.query, c.vars)
		if m.Cost != c.cost || m.Depth != c.depth {
			t.Errorf("%s: cost %d depth %d, want %d and %d", c.query, m.Cost, m.Depth, c.cost, c.depth)
		}
	}
}

func TestAliasesAndDirectives(t *testing.T) {
	m := measureQuery(t, `query { a: tags { name } b: tags { n: name @include(if: true) } tags { name @skip(if: false) } }`, nil)
	if m.Aliases != 3 || m.Directives != 2 {
		t.Errorf("aliases %d directives %d, want 3 and 2", m.Aliases, m.Directives)
	}
}

// The attack of the issue: nine aliases of a page of 100 whose themes list
// a page of 100 each cost 9,909 when scalars were free; now each alias
// alone is far over the budget.
func TestScalarsCount(t *testing.T) {
	q := `{ items(first: 100) { nodes { tags { items(first: 100) { nodes { name } } } } } }`
	m := measureQuery(t, q, nil)
	if m.Cost <= DefaultMaxCost {
		t.Errorf("cost %d, want more than the budget %d", m.Cost, DefaultMaxCost)
	}
}

func TestIntrospectionAndNodeIDs(t *testing.T) {
	m := measureQuery(t, `{ a: __schema { queryType { name } } b: __schema { queryType { name } } }`, nil)
	if m.Introspection != 2 || m.Aliases != 2 {
		t.Errorf("introspection %d aliases %d, want 2 and 2", m.Introspection, m.Aliases)
	}
	ids := make([]string, 101)
	for i := range ids {
		ids[i] = fmt.Sprintf("%q", fmt.Sprint(i))
	}
	m = measureQuery(t, `{ nodes(ids: [`+strings.Join(ids, ",")+`]) { name } }`, nil)
	if m.MaxNodeIDs != 101 {
		t.Errorf("node ids %d, want 101", m.MaxNodeIDs)
	}
}

// fragmentChain is a document of n fragments where each spreads the next
// one twice: 2^n fields when expanded, about 40 bytes a level.
func fragmentChain(n int) string {
	var b strings.Builder
	b.WriteString("query { ...F1 }\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "fragment F%d on Query { tags { name } }\n", n)
	return b.String()
}

func TestExponentialFragments(t *testing.T) {
	doc, err := parser.ParseQuery(&ast.Source{Input: fragmentChain(64)})
	if err != nil {
		t.Fatal(err)
	}
	s, err := MeasureShape(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	if s.Expanded <= DefaultMaxExpandedFields || s.Fields > 200 {
		t.Errorf("expanded %d fields %d, want expanded past %d and about 128 written", s.Expanded, s.Fields, DefaultMaxExpandedFields)
	}
	// The validated measure saturates instead of overflowing.
	m := measureQuery(t, fragmentChain(64), nil)
	if m.Cost <= DefaultMaxCost || m.Cost < 0 {
		t.Errorf("cost %d, want a saturated cost past the budget", m.Cost)
	}
}

func TestShapeOfFloods(t *testing.T) {
	flood := "{" + strings.Repeat(" __typename", 8000) + " }"
	doc, err := parser.ParseQuery(&ast.Source{Input: flood})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := MeasureShape(context.Background(), doc)
	if s.SetSelections != 8000 || s.Fields != 8000 || s.Expanded != 8000 {
		t.Errorf("shape %+v, want 8000 everywhere", s)
	}
}

func TestWalkersStopWithTheRequest(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	flood := "{" + strings.Repeat(" __typename", 1000) + " }"
	doc, _ := parser.ParseQuery(&ast.Source{Input: flood})
	if _, err := MeasureShape(ctx, doc); err == nil {
		t.Error("MeasureShape went on after the request ended")
	}
	s := gqlparser.MustLoadSchema(&ast.Source{Input: schema})
	vdoc, _ := gqlparser.LoadQuery(s, flood)
	if _, err := MeasureContext(ctx, Config{}, vdoc.Operations[0], nil); err == nil {
		t.Error("MeasureContext went on after the request ended")
	}
}

// BenchmarkRefuse measures what the checks cost on the hostile documents
// of the abuse issue (the figures are in bench/RESULTS.md).
func BenchmarkRefuse(b *testing.B) {
	s := gqlparser.MustLoadSchema(&ast.Source{Input: schema})
	for _, c := range []struct{ name, query string }{
		{"fragments32", fragmentChain(32)},
		{"typename8000", "{" + strings.Repeat(" __typename", 8000) + " }"},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				doc, err := parser.ParseQuery(&ast.Source{Input: c.query})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := MeasureShape(context.Background(), doc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	_ = s
}
