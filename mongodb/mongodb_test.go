package mongodb

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"estafette/content"
	"estafette/content/storetest"
)

// The conformance suite and the other tests against a real server run when
// MONGODB_URI is set; each test gets a database of its own, dropped when
// it ends.

const skipMessage = "MONGODB_URI is not set; to run the MongoDB conformance suite: MONGODB_URI=mongodb://127.0.0.1:27017 go test ./mongodb/"

var dbSeq atomic.Int64

// openTest opens a store on a fresh database of the server at MONGODB_URI
// and drops the database when the test ends; it skips the test when
// MONGODB_URI is not set.
func openTest(t *testing.T, opts Options) *Store {
	t.Helper()
	uri := os.Getenv("MONGODB_URI")
	if uri == "" {
		t.Skip(skipMessage)
	}
	name := fmt.Sprintf("estafette_test_%d_%d_%d", os.Getpid(), time.Now().Unix()%100000, dbSeq.Add(1))
	s, err := Open(context.Background(), uri, name, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// A second client: the suite closes the store it was given.
		d, err := Open(context.Background(), uri, name, Options{})
		if err != nil {
			t.Errorf("drop %s: %v", name, err)
			return
		}
		defer d.Close()
		if err := d.Drop(context.Background()); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	if os.Getenv("MONGODB_URI") == "" {
		t.Skip(skipMessage)
	}
	var tx bool
	storetest.Run(t, func(t *testing.T) content.Store {
		s := openTest(t, Options{})
		tx = s.Transactions()
		return s
	})
	t.Logf("transactions: %v", tx)
}

// TestConformanceFallback runs the suite once more with the fallback
// without transactions, on a deployment that has them (on one that does
// not, TestConformance ran the fallback already).
func TestConformanceFallback(t *testing.T) {
	probe := openTest(t, Options{})
	tx := probe.Transactions()
	probe.Close()
	if !tx {
		t.Skip("the deployment has no transactions: TestConformance ran the fallback")
	}
	storetest.Run(t, func(t *testing.T) content.Store { return openTest(t, Options{NoTransactions: true}) })
}

// TestServer checks what the suite does not: indexes are made once and
// kept, the command monitor reports, Ping answers.
func TestServer(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	s := openTest(t, Options{OnCommand: func(e CommandEvent) {
		mu.Lock()
		seen[e.Command+" "+e.Collection]++
		mu.Unlock()
	}})
	defer s.Close()
	ctx := context.Background()
	if err := s.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, content.Doc{Kind: content.KindTheme, ID: "th1", Body: []byte(`{"n":1}`),
		Fields: content.Fields{"slug": {"th1"}, "updatedKey": {"2024-01-02T03:04:05.000Z"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, content.KindTheme, []string{"th1"}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if seen["find theme"] == 0 || seen["ping "] == 0 {
		t.Errorf("commands seen: %v", seen)
	}
	mu.Unlock()
	// Every wanted index exists, and opening again changes nothing.
	for _, c := range content.Collections {
		have, err := listIndexes(ctx, s.handle[c.Kind])
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range s.colls[c.Kind].indexes() {
			if h, ok := have[w.Name]; !ok || !sameIndex(h, w) {
				t.Errorf("%s: index %s is %+v, want %+v", c.Kind, w.Name, h, w)
			}
		}
	}
	for _, c := range content.Collections {
		if err := ensureIndexes(ctx, s.handle[c.Kind], s.colls[c.Kind].indexes()); err != nil {
			t.Errorf("second index pass: %v", err)
		}
	}
	// updatedAt is a date operators can query.
	n, err := s.handle[content.KindTheme].CountDocuments(ctx, map[string]any{"updatedAt": map[string]any{"$gte": time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}})
	if err != nil || n != 1 {
		t.Errorf("themes updated in 2024: %d, %v", n, err)
	}
}
