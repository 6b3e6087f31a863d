package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"

	"estafette/internal/loadtest"
)

// row is one line of the report's table.
type row struct {
	figure, measured, target string
	ok                       bool
}

func (r row) String() string {
	mark := "holds"
	if !r.ok {
		mark = "**misses**"
	}
	return fmt.Sprintf("| %s | %s | %s | %s |", r.figure, r.measured, r.target, mark)
}

// reportCommand runs every comparison of the report, one after the other
// on the same machine, and prints the figures as Markdown.
func reportCommand(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("report", flag.ExitOnError)
	dur := fs.Duration("duration", 10*time.Second, "how long each side of a comparison is measured")
	mixDur := fs.Duration("mix-duration", 60*time.Second, "how long the mix runs")
	mixRate := fs.Float64("mix-rate", 1000, "requests per second of the mix")
	large := fs.Int("large", 100000, "synthetic activities of the large store of (d)")
	keep := fs.Bool("keep", false, "keep seeded stores in the temporary directory and reuse them")
	only := fs.String("only", "abcdem", "which figures to measure: letters of a-e, m for the mix")
	_ = fs.Parse(args)
	e, err := newEnv(ctx, *keep)
	if err != nil {
		return err
	}
	defer e.close()
	small, err := e.data(ctx, 1000)
	if err != nil {
		return err
	}
	var rows []row
	var notes []string
	add := func(r row) {
		rows = append(rows, r)
		fmt.Fprintln(os.Stderr, r)
	}
	note := func(format string, args ...any) {
		s := fmt.Sprintf(format, args...)
		notes = append(notes, s)
		fmt.Fprintln(os.Stderr, "# "+s)
	}
	loadStart := loadtest.LoadAverage()
	client := loadtest.NewClient(256, 0)
	has := func(c byte) bool { return strings.IndexByte(*only, c) >= 0 }

	if has('a') {
		// (a) loaders on and off: store calls per request and throughput.
		on, err := loadtest.Start(ctx, e.bin, small, "RESPONSE_CACHE_SIZE=0", "LOADER_BATCHING=on")
		if err != nil {
			return err
		}
		off, err := loadtest.Start(ctx, e.bin, small, "RESPONSE_CACHE_SIZE=0", "LOADER_BATCHING=off")
		if err != nil {
			on.Stop()
			return err
		}
		req := loadtest.Fixed(loadtest.GraphQLPost("nested", loadtest.NestedQuery, nil))
		ops0on, _ := on.Metric("estafette_store_operations_total")
		ops0off, _ := off.Metric("estafette_store_operations_total")
		ron, roff := sideBySide(*dur, func(d time.Duration) *loadtest.Result {
			return loadtest.Run(ctx, client, on.URL, req, slice(8, d))
		}, func(d time.Duration) *loadtest.Result {
			return loadtest.Run(ctx, client, off.URL, req, slice(8, d))
		})
		ops1on, _ := on.Metric("estafette_store_operations_total")
		ops1off, _ := off.Metric("estafette_store_operations_total")
		on.Stop()
		off.Stop()
		perOn, perOff := (ops1on-ops0on)/float64(ron.sent), (ops1off-ops0off)/float64(roff.sent)
		note("(a) loader batching on: %s; %.1f store operations per request", ron.Summary(), perOn)
		note("(a) loader batching off: %s; %.1f store operations per request", roff.Summary(), perOff)
		calls := perOff / perOn
		add(row{"(a) store calls, loaders off ÷ on (nested page of 100 activities, 5 relations)",
			fmt.Sprintf("%.1fx (%.0f vs %.1f per request)", calls, perOff, perOn), "≥ 10x", calls >= 10})
		tp := ron.RPS() / roff.RPS()
		add(row{"(a) throughput, loaders on ÷ off (8 clients)", fmt.Sprintf("%.2fx (%.0f vs %.0f req/s)", tp, ron.RPS(), roff.RPS()), "≥ 3x", tp >= 3})
		add(row{"(a) p50 latency, loaders off ÷ on", fmt.Sprintf("%.2fx (%s vs %s)", float64(roff.Percentile(.5))/float64(ron.Percentile(.5)), msd(roff.Percentile(.5)), msd(ron.Percentile(.5))), "(no target)", true})
	}

	if has('c') {
		// (c) cached GETs against a bare net/http handler with the same bytes.
		p, err := loadtest.Start(ctx, e.bin, small)
		if err != nil {
			return err
		}
		const pq = `query Route { edition(year: 2023) { name legs { order startsOn endsOn region { slug name provinces { name } } } } }`
		sum := sha256.Sum256([]byte(pq))
		ext := `{"persistedQuery":{"version":1,"sha256Hash":"` + hex.EncodeToString(sum[:]) + `"}}`
		register := loadtest.Request{Path: "/query?" + url.Values{"query": {pq}, "extensions": {ext}}.Encode(), GraphQL: true}
		if _, _, err := loadtest.Fetch(ctx, client, p.URL, register); err != nil {
			p.Stop()
			return fmt.Errorf("registering the persisted query: %w", err)
		}
		slugs, err := loadtest.LoadSlugs(ctx, client, p.URL)
		if err != nil {
			p.Stop()
			return err
		}
		targets := []struct {
			name string
			req  loadtest.Request
		}{
			{"persisted query (GET with only the hash)", loadtest.Request{Kind: "pq", Path: "/query?" + url.Values{"extensions": {ext}}.Encode(), GraphQL: true}},
			{"recap embed /embed/recaps/" + slugs.Recaps[0], loadtest.Request{Kind: "embed", Path: "/embed/recaps/" + slugs.Recaps[0]}},
		}
		self, err := os.Executable()
		if err != nil {
			p.Stop()
			return err
		}
		for _, t := range targets {
			b, h, err := loadtest.Fetch(ctx, client, p.URL, t.req)
			if err != nil {
				p.Stop()
				return err
			}
			bare, err := loadtest.StartBare(ctx, self, e.work, b, h.Get("Content-Type"))
			if err != nil {
				p.Stop()
				return err
			}
			ra, rb := sideBySide(*dur, func(d time.Duration) *loadtest.Result {
				return loadtest.Run(ctx, client, p.URL, loadtest.Fixed(t.req), slice(16, d))
			}, func(d time.Duration) *loadtest.Result {
				return loadtest.Run(ctx, client, bare.URL, loadtest.Fixed(loadtest.Request{Kind: "bare", Path: "/"}), slice(16, d))
			})
			bare.Stop()
			note("(c) API %s (%d bytes): %s", t.name, len(b), ra.Summary())
			note("(c) bare net/http handler, same %d bytes: %s", len(b), rb.Summary())
			ratio := ra.RPS() / rb.RPS()
			add(row{"(c) " + t.name + " ÷ bare net/http handler, same bytes (throughput, 16 clients)",
				fmt.Sprintf("%.2f (%.0f vs %.0f req/s)", ratio, ra.RPS(), rb.RPS()), "≥ 0.5", ratio >= 0.5})
		}
		hits, _ := p.Metric("estafette_response_cache_lookups_total", `result="hit"`)
		all, _ := p.Metric("estafette_response_cache_lookups_total")
		note("(c) response cache: %.0f hits of %.0f lookups", hits, all)
		p.Stop()
	}

	if has('d') {
		// (d) the same list page over 1,000 and over many activities.
		big, err := e.data(ctx, *large)
		if err != nil {
			return err
		}
		ps := make([]*loadtest.Process, 2)
		for i, dir := range []string{small, big} {
			if ps[i], err = loadtest.Start(ctx, e.bin, dir, "RESPONSE_CACHE_SIZE=0"); err != nil {
				if i == 1 {
					ps[0].Stop()
				}
				return err
			}
		}
		req := loadtest.Fixed(loadtest.GraphQLPost("list", loadtest.RegionThemePage, nil))
		r0, r1 := sideBySide(*dur, func(d time.Duration) *loadtest.Result {
			return loadtest.Run(ctx, client, ps[0].URL, req, slice(1, d))
		}, func(d time.Duration) *loadtest.Result {
			return loadtest.Run(ctx, client, ps[1].URL, req, slice(1, d))
		})
		ps[0].Stop()
		ps[1].Stop()
		res := [2]*sided{r0, r1}
		note("(d) list page over 1,000: %s", r0.Summary())
		note("(d) list page over %d: %s", *large, r1.Summary())
		ratio := float64(res[1].Percentile(.5)) / float64(res[0].Percentile(.5))
		add(row{fmt.Sprintf("(d) list page p50, %d ÷ 1,000 activities", *large),
			fmt.Sprintf("%.2f (%s vs %s)", ratio, msd(res[1].Percentile(.5)), msd(res[0].Percentile(.5))), "≤ 1.5", ratio <= 1.5})
	}

	if has('e') {
		// (e) cold start on a seeded store and idle RSS.
		for _, n := range []int{1000, *large} {
			if n == *large && !has('d') && !*keep {
				continue
			}
			dir, err := e.data(ctx, n)
			if err != nil {
				return err
			}
			var best time.Duration
			var rss int64
			for i := range 3 {
				p, err := loadtest.Start(ctx, e.bin, dir)
				if err != nil {
					return err
				}
				time.Sleep(2 * time.Second)
				_, cur, _ := p.Memory()
				p.Stop()
				if i == 0 || p.Ready < best {
					best = p.Ready
				}
				rss = max(rss, cur)
			}
			add(row{fmt.Sprintf("(e) cold start to ready, seeded store with %d synthetic activities (best of 3)", n), best.Round(time.Millisecond).String(), "< 1 s", best < time.Second})
			add(row{fmt.Sprintf("(e) idle RSS after start, %d synthetic activities (largest of 3)", n), mb(rss), "< 50 MB", rss < 50e6})
		}
	}

	if has('b') {
		// (b) in process: the API against the catalog and store alone.
		ovs, err := loadtest.MeasureOverhead(ctx, small)
		if err != nil {
			return err
		}
		for _, o := range ovs {
			note("(b) %s: API %s, %d allocs/op; store %s, %d allocs/op", o.Name,
				time.Duration(o.API.NsPerOp()), o.API.AllocsPerOp(), time.Duration(o.Store.NsPerOp()), o.Store.AllocsPerOp())
			add(row{"(b) GraphQL overhead, API ÷ store alone, " + o.Name + " (wall clock, one request at a time)",
				fmt.Sprintf("%.2fx (%s vs %s per request)", o.Ratio(), msd(time.Duration(o.API.NsPerOp())), msd(time.Duration(o.Store.NsPerOp()))), "≤ 2x", o.Ratio() <= 2})
			add(row{"(b) the same in processor time (no waiting, no other processes)",
				fmt.Sprintf("%.2fx (%s vs %s per request)", o.CPURatio(), msd(o.APICPU), msd(o.StoreCPU)), "(≤ 2x)", o.CPURatio() <= 2})
		}
	}

	if has('m') {
		// The mix at a fixed rate.
		prev := runtime.GOMAXPROCS(1)
		m, err := runMix(ctx, e, 1000, loadtest.Config{Rate: *mixRate, Duration: *mixDur, Warmup: 5 * time.Second, Seed: 1}, nil)
		runtime.GOMAXPROCS(prev)
		if err != nil {
			return err
		}
		note("mix: %s; cache hits %.1f%%, %.2f store operations per request", m.res.Summary(), m.hitPc, m.storeOpsPerReq)
		for _, k := range m.res.Kinds() {
			note("mix %s: %s", k, m.res.ByKind[k].Summary())
		}
		for _, e := range m.res.FirstErrors {
			note("mix error: %s", e)
		}
		label := fmt.Sprintf("mix at %.0f req/s for %s", *mixRate, *mixDur)
		add(row{label + ": errors", fmt.Sprintf("%d of %d", m.res.Errors, m.res.Requests), "0", m.res.Errors == 0})
		add(row{label + ": p99", msd(m.res.Percentile(.99)) + fmt.Sprintf(" (p50 %s, p95 %s, %.0f req/s done)", msd(m.res.Percentile(.5)), msd(m.res.Percentile(.95)), m.res.RPS()), "< 50 ms", m.res.Percentile(.99) < 50*time.Millisecond})
		add(row{label + ": peak RSS (VmHWM)", mb(m.peak), "< 150 MB", m.peak < 150e6})
	}

	fmt.Printf("Measured %s on %s, %d cores (%s); load average %s at the start, %s at the end.\n\n",
		time.Now().Format("2006-01-02 15:04"), hostname(), runtime.NumCPU(), runtime.Version(), loadStart, loadtest.LoadAverage())
	fmt.Println("| figure | measured | target | |")
	fmt.Println("| --- | --- | --- | --- |")
	for _, r := range rows {
		fmt.Println(r)
	}
	fmt.Println()
	for _, n := range notes {
		fmt.Println("- " + n)
	}
	return nil
}

// sided is the merged result of one side of a comparison and the number
// of requests sent to it, warm-up included.
type sided struct {
	*loadtest.Result
	sent int
}

// rounds is how many times a comparison alternates between its sides, so
// that both see the same machine: other processes come and go, and a
// side measured in one block could meet a busier machine than the other.
const rounds = 5

// sideBySide measures a and b alternately: a warm-up of each, then rounds
// slices of each, total d per side; it merges each side's slices.
func sideBySide(d time.Duration, a, b func(time.Duration) *loadtest.Result) (*sided, *sided) {
	wa, wb := a(time.Second), b(time.Second)
	ra, rb := []*loadtest.Result{}, []*loadtest.Result{}
	sa, sb := wa.Requests, wb.Requests
	for range rounds {
		x, y := a(d/rounds), b(d/rounds)
		ra, rb = append(ra, x), append(rb, y)
		sa, sb = sa+x.Requests, sb+y.Requests
	}
	return &sided{loadtest.Merge(ra...), sa}, &sided{loadtest.Merge(rb...), sb}
}

// slice is a closed loop of c clients for d.
func slice(c int, d time.Duration) loadtest.Config {
	return loadtest.Config{Concurrency: c, Duration: d, Seed: 1}
}

func msd(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func hostname() string {
	h, _ := os.Hostname()
	return h
}
