package loadtest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"estafette/content"
	"estafette/internal/collections"
	"estafette/sqlite"
	"estafette/web"
	"estafette/web/gqlhttp"
)

// Overhead is comparison (b): the same data through the whole API (the
// HTTP handler, GraphQL parsing, validation, execution with loaders and
// JSON encoding, in process, without the response cache) and straight from
// the catalog and its store, each measured with testing.Benchmark.
type Overhead struct {
	Name       string
	API, Store testing.BenchmarkResult
	// APICPU and StoreCPU are the processor time (user and system) per
	// operation: unlike the wall-clock time they leave out waiting (the
	// loaders' 1 ms) and other processes on the machine.
	APICPU, StoreCPU time.Duration
}

// CPURatio is the API's processor time per operation over the store's.
func (o Overhead) CPURatio() float64 { return float64(o.APICPU) / float64(o.StoreCPU) }

// cpuPerOp runs f n times and returns the processor time of the process
// per run.
func cpuPerOp(n int, f func() error) (time.Duration, error) {
	n = max(n, 1)
	before := cpuTime()
	for range n {
		if err := f(); err != nil {
			return 0, err
		}
	}
	return (cpuTime() - before) / time.Duration(n), nil
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Ratio is the API's time per operation over the store's.
func (o Overhead) Ratio() float64 {
	return float64(o.API.NsPerOp()) / float64(o.Store.NsPerOp())
}

// MeasureOverhead opens the store in dataDir (the server must not be
// running on it) and measures the list page and the nested page.
func MeasureOverhead(ctx context.Context, dataDir string) ([]Overhead, error) {
	s, err := sqlite.Open(ctx, dataDir, collections.All())
	if err != nil {
		return nil, err
	}
	defer s.Close()
	cat := content.NewCatalog(s)
	h := web.New(web.Deps{Catalog: cat, Options: gqlhttp.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), SlowQueryThreshold: -1}})

	region, theme, first50, first100 := "zuid", "digitale-vaardigheden", 50, 100
	list := func(ctx context.Context) error {
		p, err := cat.ListActivities(content.WithMemo(ctx), content.ActivityFilter{RegionSlug: &region, ThemeSlug: &theme},
			content.Order[content.ActivityOrderField]{Field: content.ActivityByStart}, content.PageArgs{First: &first50})
		if err == nil && len(p.Items) == 0 {
			err = fmt.Errorf("the list page is empty")
		}
		return err
	}
	nested := func(ctx context.Context) error {
		ctx = content.WithMemo(ctx)
		p, err := cat.ListActivities(ctx, content.ActivityFilter{},
			content.Order[content.ActivityOrderField]{Field: content.ActivityByStart}, content.PageArgs{First: &first100})
		if err != nil {
			return err
		}
		// What the loaders fetch: each relation's distinct ids, one call each.
		ids := map[string]map[string]bool{}
		add := func(kind string, vs ...string) {
			if ids[kind] == nil {
				ids[kind] = map[string]bool{}
			}
			for _, v := range vs {
				if v != "" {
					ids[kind][v] = true
				}
			}
		}
		for _, a := range p.Items {
			add("edition", a.EditionID)
			add("region", a.RegionID)
			add("initiative", a.InitiativeID)
			add("organization", a.OrganizerIDs...)
			add("theme", a.ThemeIDs...)
		}
		keys := func(kind string) []string {
			out := make([]string, 0, len(ids[kind]))
			for k := range ids[kind] {
				out = append(out, k)
			}
			return out
		}
		if _, err := content.Get[content.Edition](ctx, cat, keys("edition")); err != nil {
			return err
		}
		if _, err := content.Get[content.Region](ctx, cat, keys("region")); err != nil {
			return err
		}
		if _, err := content.Get[content.Initiative](ctx, cat, keys("initiative")); err != nil {
			return err
		}
		if _, err := content.Get[content.Organization](ctx, cat, keys("organization")); err != nil {
			return err
		}
		_, err = content.Get[content.Theme](ctx, cat, keys("theme"))
		return err
	}
	var out []Overhead
	for _, c := range []struct {
		name, query string
		store       func(context.Context) error
	}{
		{"list page: 50 activities by region and theme", RegionThemePage, list},
		{"nested page: 100 activities with 5 relations", NestedQuery, nested},
	} {
		if err := c.store(ctx); err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		body := `{"query":` + fmt.Sprintf("%q", c.query) + `}`
		var failed error
		api := testing.Benchmark(func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != 200 || strings.Contains(rec.Body.String(), `"errors"`) {
					failed = fmt.Errorf("status %d: %.300s", rec.Code, rec.Body.String())
					b.SkipNow()
				}
			}
		})
		store := testing.Benchmark(func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := c.store(ctx); err != nil {
					failed = err
					b.SkipNow()
				}
			}
		})
		if failed != nil {
			return nil, fmt.Errorf("%s: %w", c.name, failed)
		}
		apiCPU, err := cpuPerOp(api.N, func() error {
			req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			h.ServeHTTP(httptest.NewRecorder(), req)
			return nil
		})
		if err != nil {
			return nil, err
		}
		storeCPU, err := cpuPerOp(store.N, func() error { return c.store(ctx) })
		if err != nil {
			return nil, err
		}
		out = append(out, Overhead{Name: c.name, API: api, Store: store, APICPU: apiCPU, StoreCPU: storeCPU})
	}
	return out, nil
}
