package loaders_test

import (
	"context"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"estafette/content"
	"estafette/internal/collections"
	"estafette/loaders"
	"estafette/seed"
	"estafette/sqlite"
)

func newCatalog(t *testing.T) *content.Catalog {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, t.TempDir(), collections.All())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	cat := content.NewCatalog(s)
	if _, err := seed.Load(ctx, cat); err != nil {
		t.Fatal(err)
	}
	return cat
}

// observed returns the count and sum of the histogram's series for loader.
func observed(t *testing.T, h *prometheus.HistogramVec, loader string) (count uint64, sum float64) {
	t.Helper()
	var m dto.Metric
	if err := h.WithLabelValues(loader).(prometheus.Metric).Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetHistogram().GetSampleCount(), m.GetHistogram().GetSampleSum()
}

// TestBatchSizes: the loaders observe the number of keys of each batch in
// the histogram they are given, by loader name.
func TestBatchSizes(t *testing.T) {
	cat := newCatalog(t)
	ctx := context.Background()
	regions, err := cat.Regions(ctx)
	if err != nil || len(regions) < 3 {
		t.Fatalf("regions: %d, %v", len(regions), err)
	}
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "batch", Buckets: []float64{1, 2, 5, 10}}, []string{"loader"})
	ctx = loaders.With(ctx, cat, true, loaders.WithBatchSizes(h))
	ids := []string{regions[0].ID, regions[1].ID, regions[2].ID}
	got, err := loaders.Regions(ctx, ids)
	if err != nil || len(got) != 3 {
		t.Fatalf("got %d regions, %v", len(got), err)
	}
	// A second load of the same ids is answered from the loader's cache.
	if _, err := loaders.Regions(ctx, ids); err != nil {
		t.Fatal(err)
	}
	if _, err := loaders.Edition(ctx, "no-such-edition"); err != nil {
		t.Fatal(err)
	}
	if n, sum := observed(t, h, "region"); n != 1 || sum != 3 {
		t.Errorf("region: %d batches of %v keys in all, want 1 batch of 3", n, sum)
	}
	if n, sum := observed(t, h, "edition"); n != 1 || sum != 1 {
		t.Errorf("edition: %d batches of %v keys in all, want 1 batch of 1", n, sum)
	}
}

// TestWithoutBatchSizes: without the option nothing is observed and the
// loaders work as before.
func TestWithoutBatchSizes(t *testing.T) {
	cat := newCatalog(t)
	ctx := loaders.With(context.Background(), cat, false)
	regions, err := cat.Regions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := loaders.Region(ctx, regions[0].ID)
	if err != nil || got == nil || got.ID != regions[0].ID {
		t.Fatalf("got %v, %v", got, err)
	}
}
