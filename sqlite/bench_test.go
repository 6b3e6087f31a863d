package sqlite

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"estafette/content"
	"estafette/internal/collections"
)

// BenchmarkFindRegionTheme lists the first 50 published activities of a
// region and a theme by start time, through content.Catalog, on databases
// of 1,000 and 100,000 generated activities. The page costs the same on
// both: the (status, region, startKey, id) index is read in order and each
// candidate is probed for the theme, until 51 match.
func BenchmarkFindRegionTheme(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		var once sync.Once
		var s *Store
		dir := b.TempDir() // the parent's: one database per size for all runs
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			once.Do(func() {
				ctx := context.Background()
				var err error
				if s, err = Open(ctx, dir, collections.All()); err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				seed(b, s, n)
				if err := s.Optimize(ctx); err != nil {
					b.Fatal(err)
				}
				b.Logf("seeded %d activities in %v", n, time.Since(start).Round(time.Millisecond))
			})
			if s == nil {
				b.Fatal("no store")
			}
			ctx := context.Background()
			cat := content.NewCatalog(s)
			f := content.ActivityFilter{RegionSlug: ptr("region-1"), ThemeSlug: ptr("theme-3")}
			first := 50
			b.ReportAllocs()
			for b.Loop() {
				page, err := cat.ListActivities(ctx, f, content.Order[content.ActivityOrderField]{}, content.PageArgs{First: &first})
				if err != nil {
					b.Fatal(err)
				}
				if len(page.Items) != first || !page.HasNextPage {
					b.Fatalf("%d items, next page %v", len(page.Items), page.HasNextPage)
				}
			}
		})
		// The totalCount of the same list: it reads every match, from the
		// terms index of the theme.
		b.Run(fmt.Sprintf("count/docs=%d", n), func(b *testing.B) {
			if s == nil {
				b.Skip("no store")
			}
			ctx := context.Background()
			cat := content.NewCatalog(s)
			f := content.ActivityFilter{RegionSlug: ptr("region-1"), ThemeSlug: ptr("theme-3")}
			first := 1
			page, err := cat.ListActivities(ctx, f, content.Order[content.ActivityOrderField]{}, content.PageArgs{First: &first})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if n, err := page.TotalCount(ctx); err != nil || n == 0 {
					b.Fatalf("count %d, %v", n, err)
				}
			}
		})
		if s != nil {
			s.Close()
		}
	}
}
