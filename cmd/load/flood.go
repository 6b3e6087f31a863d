package main

import (
	"context"
	"flag"
	"fmt"
	"sync"
	"time"

	"estafette/internal/loadtest"
)

// floodCommand measures what a flood of hostile documents from one client
// does to another client: the flood runs closed loop, back to back from
// -concurrency connections, while the other client sends a simple query at
// a fixed rate; it reports the latencies of both and the server's memory.
// The rate limit is off (as in every command of the harness), so that the
// refusals themselves are measured, not the 429s.
func floodCommand(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("flood", flag.ExitOnError)
	n := fs.Int("activities", 1000, "synthetic activities to add to the seed content")
	conc := fs.Int("concurrency", 8, "connections of the flooding client")
	rate := fs.Float64("rate", 20, "requests per second of the other client")
	dur := fs.Duration("duration", 20*time.Second, "how long to flood")
	cache := fs.Bool("cache", false, "keep the response cache on (off: the other client's query executes every time)")
	_ = fs.Parse(args)
	e, err := newEnv(ctx, false)
	if err != nil {
		return err
	}
	defer e.close()
	dir, err := e.data(ctx, *n)
	if err != nil {
		return err
	}
	var serverEnv []string
	if !*cache {
		serverEnv = append(serverEnv, "RESPONSE_CACHE_SIZE=0")
	}
	p, err := loadtest.Start(ctx, e.bin, dir, serverEnv...)
	if err != nil {
		return err
	}
	defer p.Stop()
	simple := loadtest.GraphQLPost("simple", `{ editions { nodes { year name } } }`, nil)
	var alone *loadtest.Result
	logf("the other client alone for 5 s")
	alone = loadtest.Run(ctx, loadtest.NewClient(16, 0), p.URL, loadtest.Fixed(simple), loadtest.Config{Rate: *rate, Duration: 5 * time.Second, Seed: 2})
	logf("flood: %d connections of hostile documents for %s, the other client at %.0f req/s", *conc, *dur, *rate)
	var flood, other *loadtest.Result
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		flood = loadtest.Run(ctx, loadtest.NewClient(*conc, 0), p.URL, loadtest.HostileGenerator(), loadtest.Config{Concurrency: *conc, Duration: *dur, Seed: 1})
	}()
	go func() {
		defer wg.Done()
		other = loadtest.Run(ctx, loadtest.NewClient(16, 0), p.URL, loadtest.Fixed(simple), loadtest.Config{Rate: *rate, Duration: *dur, Seed: 3})
	}()
	wg.Wait()
	peak, _, _ := p.Memory()
	fmt.Printf("other client alone     %s\n", alone.Summary())
	fmt.Printf("hostile flood          %s\n", flood.Summary())
	fmt.Printf("other client in flood  %s\n", other.Summary())
	fmt.Printf("peak RSS of the server (VmHWM) %s\n", mb(peak))
	for _, e := range append(flood.FirstErrors, other.FirstErrors...) {
		fmt.Println("error:", e)
	}
	if other.Errors > 0 {
		return fmt.Errorf("flood: the other client got %d errors", other.Errors)
	}
	return nil
}
