package content_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"estafette/content"
	"estafette/internal/collections"
	"estafette/seed"
	"estafette/sqlite"
)

// BenchmarkStats groups 1,000 and 100,000 synthetic activities (plus the
// seed) in the embedded store. The grouping runs in SQLite (GROUP BY over
// the index, the terms table for themes and organiser kinds), so the
// process allocates the same per call whatever the number of activities:
// compare allocs/op and B/op of the two sizes. Time grows with the rows
// SQLite reads.
func BenchmarkStats(b *testing.B) {
	groupings := map[string][]content.Dimension{
		"edition,region":  {content.DimensionEdition, content.DimensionRegion},
		"theme,orgkind":   {content.DimensionTheme, content.DimensionOrganizationKind},
		"month,weekday":   {content.DimensionMonth, content.DimensionWeekday},
		"facets(6 dims)":  nil,
		"edition compare": nil,
	}
	order := []string{"edition,region", "theme,orgkind", "month,weekday", "facets(6 dims)", "edition compare"}
	for _, n := range []int{1_000, 100_000} {
		dir, err := os.MkdirTemp("", fmt.Sprintf("estafette-stats-bench-%d-", n))
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		s, err := sqlite.Open(ctx, dir, collections.All())
		if err != nil {
			b.Fatal(err)
		}
		cat := content.NewCatalog(s)
		loaded := false
		load := func(b *testing.B) {
			if loaded {
				return
			}
			start := time.Now()
			if _, err := seed.Load(ctx, cat); err != nil {
				b.Fatal(err)
			}
			if err := seed.LoadSynthetic(ctx, cat, n, nil); err != nil {
				b.Fatal(err)
			}
			if err := s.Optimize(ctx); err != nil {
				b.Fatal(err)
			}
			b.Logf("loaded %d synthetic activities in %v", n, time.Since(start).Round(time.Millisecond))
			loaded = true
		}
		for _, name := range order {
			dims := groupings[name]
			b.Run(fmt.Sprintf("activities=%d/%s", n, name), func(b *testing.B) {
				load(b)
				f := content.ActivityFilter{}
				b.ReportAllocs()
				for b.Loop() {
					var err error
					switch name {
					case "facets(6 dims)":
						f := content.ActivityFilter{EditionYear: ptrTo(2023), RegionSlug: ptrTo("zuid")}
						_, err = cat.ActivityFacets(ctx, f, []content.Dimension{content.DimensionEdition, content.DimensionRegion,
							content.DimensionTheme, content.DimensionFormat, content.DimensionMode, content.DimensionOrganizationKind})
					case "edition compare":
						_, err = cat.EditionComparison(ctx, nil)
					default:
						_, err = cat.Stats(ctx, f, dims)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		s.Close()
		os.RemoveAll(dir)
	}
}
