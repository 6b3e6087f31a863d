package loadtest

import (
	"estafette/internal/errcode"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
)

// The hostile documents of the abuse-resistance work: each must be refused
// before it costs anything (web/abuse_test.go asserts it through the real
// handler; the flood command measures what they do to other clients).

// FragmentChain is a document of n fragments where each spreads the next
// one twice: 2^n fields when expanded, about 45 bytes a level.
func FragmentChain(n int) string {
	var b strings.Builder
	b.WriteString("query { ...F1 }\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "fragment F%d on Query { regions { slug } }\n", n)
	return b.String()
}

// TypenameFlood is one selection set of n __typename fields.
func TypenameFlood(n int) string { return "{" + strings.Repeat(" __typename", n) + " }" }

// CostlyAliases is nine aliases of a page of 100 whose themes each list a
// page of 100 scalars: it cost 9,909 when scalars were free.
func CostlyAliases() string {
	var b strings.Builder
	b.WriteString("{")
	for i := range 9 {
		fmt.Fprintf(&b, " a%d: activities(first: 100) { nodes { themes { activities(first: 100) { nodes { id title summary } } } } }", i)
	}
	b.WriteString(" }")
	return b.String()
}

// IntrospectionAliases is n aliases of __schema.
func IntrospectionAliases(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, " s%d: __schema { types { name } }", i)
	}
	b.WriteString(" }")
	return b.String()
}

// ManyNodeIDs is nodes(ids:) with n ids.
func ManyNodeIDs(n int) string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%q", fmt.Sprintf("QWN0aXZpdHk6%d", i))
	}
	return "{ nodes(ids: [" + strings.Join(ids, ", ") + "]) { id } }"
}

// HostileDocument is a hostile document with the code that refuses it.
type HostileDocument struct{ Name, Query, Code string }

// HostileDocuments lists them.
func HostileDocuments() []HostileDocument {
	return []HostileDocument{
		{"32 levels of fragments spread twice", FragmentChain(32), errcode.MaxFieldsExceeded},
		{"8,000 __typename", TypenameFlood(8000), errcode.MaxFieldsExceeded},
		{"300 aliases of __schema", IntrospectionAliases(300), errcode.MaxIntrospectionExceeded},
		{"two introspection fields", `{ __schema { queryType { name } } __type(name: "Query") { name } }`, errcode.MaxIntrospectionExceeded},
		{"9 aliases of nested pages of scalars", CostlyAliases(), errcode.MaxCostExceeded},
		{"nodes with 101 ids", ManyNodeIDs(101), errcode.MaxNodeIdsExceeded},
	}
}

// HostileGenerator sends the hostile documents in turn, as POSTs whose
// refusal counts as success (the flood measures its effect on others).
func HostileGenerator() Generator {
	docs := HostileDocuments()
	return func(rng *rand.Rand) Request {
		d := docs[rng.IntN(len(docs))]
		r := GraphQLPost("hostile", d.Query, nil)
		r.GraphQL = false
		r.Header = http.Header{"Accept": {"application/json"}}
		return r
	}
}
