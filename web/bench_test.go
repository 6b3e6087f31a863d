package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"estafette/content"
	"estafette/internal/collections"
	"estafette/seed"
	"estafette/sqlite"
	"estafette/web"
)

// The benchmarks run the real handler in process (no sockets), over an
// embedded store seeded with the real content plus synthetic activities.
// Results are recorded in README.md (Benchmarks); the load test over HTTP
// is in bench/ (bench/RESULTS.md).

var (
	benchMu       sync.Mutex
	benchHandlers = map[int]http.Handler{}
)

func benchHandler(b *testing.B, synthetic int) http.Handler {
	b.Helper()
	benchMu.Lock()
	defer benchMu.Unlock()
	if h, ok := benchHandlers[synthetic]; ok {
		return h
	}
	ctx := context.Background()
	dir, err := osMkdirTemp(fmt.Sprintf("estafette-bench-%d-", synthetic))
	if err != nil {
		b.Fatal(err)
	}
	s, err := sqlite.Open(ctx, dir, collections.All())
	if err != nil {
		b.Fatal(err)
	}
	cat := content.NewCatalog(s)
	if _, err := seed.Load(ctx, cat); err != nil {
		b.Fatal(err)
	}
	if err := seed.LoadSynthetic(ctx, cat, synthetic, nil); err != nil {
		b.Fatal(err)
	}
	if err := s.Optimize(ctx); err != nil {
		b.Fatal(err)
	}
	quiet()
	h := web.New(web.Deps{Catalog: cat})
	benchHandlers[synthetic] = h
	return h
}

func runQuery(b *testing.B, h http.Handler, query string) {
	b.Helper()
	body := `{"query":` + fmt.Sprintf("%q", query) + `}`
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 || strings.Contains(rec.Body.String(), `"errors"`) {
			b.Fatalf("status %d: %.300s", rec.Code, rec.Body.String())
		}
	}
}

// BenchmarkNestedActivities: a page of 100 activities with their edition,
// region, initiative, organizers and themes, over 1,000 activities.
func BenchmarkNestedActivities(b *testing.B) {
	h := benchHandler(b, 1000)
	runQuery(b, h, `{ activities(first: 100) { nodes { edition { year } region { name } initiative { name } organizers { name } themes { name } } } }`)
}

// BenchmarkRegionThemePage: a filtered page of 50 over 1,000 and 100,000
// activities; with indexes and keyset cursors the two should cost about
// the same.
func BenchmarkRegionThemePage(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprintf("activities=%d", n), func(b *testing.B) {
			h := benchHandler(b, n)
			runQuery(b, h, `{ activities(first: 50, filter: {region: "zuid", theme: "synthetic-thema-01", synthetic: true}) { nodes { slug title startsAt } pageInfo { endCursor hasNextPage } } }`)
		})
	}
}
