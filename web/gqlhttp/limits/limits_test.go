package limits

import (
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

const schema = `
type Query { items(first: Int, last: Int): ItemConnection! tags: [Tag!]! node(id: ID!): Item nodes(ids: [ID!]!): [Item]! }
type ItemConnection { nodes: [Item!]! edges: [Edge!]! totalCount: Int! }
type Edge { node: Item! cursor: String! }
type Item { name: String! tags: [Tag!]! related(first: Int): ItemConnection! }
type Tag { name: String! }
`

func measure(t *testing.T, query string, vars map[string]any) Size {
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
		{`{ items { totalCount } }`, nil, 1, 2},
		{`{ items(first: 5) { nodes { name } } }`, nil, 1, 3},
		{`{ items(first: 5) { nodes { tags { name } } } }`, nil, 1 + 5*1, 4},
		{`{ items(first: 5) { edges { node { tags { name } } } } }`, nil, 1 + 5*(1+1), 5},
		{`query($n: Int) { items(first: $n) { nodes { related(first: 3) { nodes { name } } } } }`, map[string]any{"n": 10}, 1 + 10*1, 5},
		{`{ items(last: 7) { nodes { related { nodes { tags { name } } } } } }`, nil, 1 + 7*(1+20*1), 6},
		{`{ tags { name } }`, nil, 1, 2},
		{`{ nodes(ids: ["a", "b", "c"]) { tags { name } } }`, nil, 1 + 3*1, 3},
		{`{ __schema { types { fields { type { ofType { ofType { name } } } } } } }`, nil, 0, 0},
		{`{ ...F } fragment F on Query { items(first: 2) { nodes { tags { name } } } }`, nil, 1 + 2*1, 4},
	}
	for _, c := range cases {
		m := measure(t, c.query, c.vars)
		if m.Cost != c.cost || m.Depth != c.depth {
			t.Errorf("%s: cost %d depth %d, want %d and %d", c.query, m.Cost, m.Depth, c.cost, c.depth)
		}
	}
}

func TestAliasesAndDirectives(t *testing.T) {
	m := measure(t, `query { a: tags { name } b: tags { n: name @include(if: true) } tags { name @skip(if: false) } }`, nil)
	if m.Aliases != 3 || m.Directives != 2 {
		t.Errorf("aliases %d directives %d, want 3 and 2", m.Aliases, m.Directives)
	}
}
