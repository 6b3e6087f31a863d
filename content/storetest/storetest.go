// Package storetest is the conformance suite of content.Store: one set of
// tests that every storage backend runs, so that the backends agree on the
// semantics the API depends on.
//
// A backend's test calls Run with the collections the store is opened
// with and a function that opens a fresh, empty store with them:
//
//	func TestConformance(t *testing.T) {
//		colls := collections.All()
//		storetest.Run(t, colls, func(t *testing.T) content.Store {
//			s, err := sqlite.Open(context.Background(), t.TempDir(), colls)
//			if err != nil {
//				t.Fatal(err)
//			}
//			return s
//		})
//	}
//
// The suite uses only the content.Store interface and content.Catalog. It
// checks the store level (documents, every operator on scalar and
// multi-valued fields, null semantics, byte-wise order, counting, grouping,
// unique fields, atomic writes) and the catalog level (keyset paging in
// both directions, page argument errors, draft visibility, search and its
// ranking, filters, relay status) and the history of records (revisions
// written with every change and never with a refused one, restores,
// retention, slug aliases, purges, scheduled publishing with schedulers
// racing).
//
// The semantics, as the suite checks them:
//   - A comparison (Eq, In, Gt, Gte, Lt, Lte, Prefix) on a null scalar is
//     false. On a multi-valued field it holds when it holds for at least one
//     value; a field without values behaves as null.
//   - Not is true whenever its operand is not true, so Not(Eq(f, v))
//     matches documents where f is null.
//   - In with no values is false.
//   - Prefix is a byte-wise prefix test with no metacharacters.
//   - Values compare byte-wise (UTF-8 byte order); null sorts before every
//     value in ascending order.
//   - The non-null values of a unique field are unique; any number of
//     documents may have it null.
//   - Group buckets a null scalar under "" (merged with a stored ""), gives
//     one bucket per value of a multi-valued field and none for a document
//     without values, and orders buckets by their keys.
package storetest

import (
	"context"
	"reflect"
	"testing"

	"estafette/content"
)

// Run runs the conformance suite. colls are the collections open opens
// stores with; they must include content.Collections unchanged, which the
// suite writes. Each subtest calls open for a fresh, empty store and
// closes it when the subtest ends; open may register its own cleanup (such
// as dropping a database) with t.Cleanup.
func Run(t *testing.T, colls []content.Collection, open func(t *testing.T) content.Store) {
	t.Helper()
	for _, want := range content.Collections {
		got, ok := content.LookupCollection(colls, want.Kind)
		if !ok || !reflect.DeepEqual(got, want) {
			t.Fatalf("the collections lack %s as content.Collections describes it", want.Kind)
		}
	}
	t.Run("Store", func(t *testing.T) { runStore(t, colls, open) })
	t.Run("Catalog", func(t *testing.T) { runCatalog(t, open) })
	t.Run("Analytics", func(t *testing.T) { runAnalytics(t, open) })
	t.Run("History", func(t *testing.T) { runHistory(t, open) })
}

// fresh opens a store for the test and closes it at the end of it.
func fresh(t *testing.T, open func(t *testing.T) content.Store) content.Store {
	t.Helper()
	s := open(t)
	if s == nil {
		t.Fatal("open returned a nil store")
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

// testCase is one named test of the suite.
type testCase struct {
	name string
	fn   func(t *testing.T, s content.Store)
}

func runCases(t *testing.T, open func(t *testing.T) content.Store, cases []testCase) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.fn(t, fresh(t, open)) })
	}
}

var ctx = context.Background()

// wantCode fails the test unless err has the code.
func wantCode(t *testing.T, err error, code string, what string) {
	t.Helper()
	if got := content.ErrorCode(err); got != code {
		t.Errorf("%s: error code %q (%v), want %q", what, got, err, code)
	}
}
