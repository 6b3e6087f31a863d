package export_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"estafette/content"
	"estafette/export"
	"estafette/internal/collections"
	"estafette/seed"
	"estafette/sqlite"
)

// BenchmarkExport streams the activities export of 1,000 and 100,000
// synthetic activities (plus the seed) from the embedded store in each
// format to io.Discard. Besides the time per export it reports the
// largest heap seen while it ran (peak-heap-MB, sampled every 5 ms): an
// export that streams has about the same peak at both sizes.
func BenchmarkExport(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		dir, err := os.MkdirTemp("", fmt.Sprintf("estafette-export-bench-%d-", n))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { os.RemoveAll(dir) })
		ctx := context.Background()
		s, err := sqlite.Open(ctx, dir, collections.All())
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		cat := content.NewCatalog(s)
		var once sync.Once
		load := func(b *testing.B) {
			once.Do(func() {
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
			})
		}
		for _, f := range []export.Format{export.Parquet, export.NDJSON, export.CSV} {
			b.Run(fmt.Sprintf("activities=%d/%s", n, f), func(b *testing.B) {
				load(b)
				req := export.Request{Entity: export.Activities, Format: f, Activities: everyActivity()}
				var peak atomic.Uint64
				stop := make(chan struct{})
				done := make(chan struct{})
				go func() {
					defer close(done)
					var m runtime.MemStats
					for {
						runtime.ReadMemStats(&m)
						if m.HeapInuse > peak.Load() {
							peak.Store(m.HeapInuse)
						}
						select {
						case <-stop:
							return
						case <-time.After(5 * time.Millisecond):
						}
					}
				}()
				rows := 0
				for b.Loop() {
					if rows, err = export.Write(ctx, cat, io.Discard, req, nil); err != nil {
						b.Fatal(err)
					}
				}
				close(stop)
				<-done
				if rows < n {
					b.Fatalf("exported %d rows of %d", rows, n)
				}
				b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
				b.ReportMetric(float64(rows), "rows")
			})
		}
	}
}
