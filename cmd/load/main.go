// Command load is Estafette's load test. It builds the real binary, seeds
// a temporary store, starts the server on loopback and measures it:
//
//	go run ./cmd/load mix [flags]     the realistic mix at a fixed rate (default 1,000 req/s for 60 s)
//	go run ./cmd/load report [flags]  every comparison of bench/RESULTS.md, side by side, as Markdown
//	go run ./cmd/load smoke           a few seconds of the mix, failing on any error (for CI)
//	go run ./cmd/load flood [flags]   hostile documents from one client, a simple query from another
//
// Every request goes to 127.0.0.1 only. See bench/RESULTS.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"estafette/internal/loadtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cmd, args := "mix", os.Args[1:]
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "mix":
		err = mixCommand(ctx, args)
	case "smoke":
		err = smokeCommand(ctx, args)
	case "flood":
		err = floodCommand(ctx, args)
	case "report":
		err = reportCommand(ctx, args)
	case "bare":
		fs := flag.NewFlagSet("bare", flag.ExitOnError)
		addr := fs.String("addr", "127.0.0.1:0", "listen address")
		body := fs.String("body", "", "file with the response body")
		typ := fs.String("type", "application/json", "Content-Type")
		_ = fs.Parse(args)
		err = loadtest.ServeBare(*addr, *body, *typ)
	default:
		err = fmt.Errorf("unknown command %q: use mix, report, smoke or flood", cmd)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

// env is the setup shared by the commands: the built binary and seeded
// data directories.
type env struct {
	root, work, bin string
	keep            bool
	seeded          map[int]string
}

func newEnv(ctx context.Context, keep bool) (*env, error) {
	root, err := loadtest.ModuleRoot()
	if err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp("", "estafette-load-")
	if err != nil {
		return nil, err
	}
	logf("building the binary")
	bin, err := loadtest.Build(ctx, root, work)
	if err != nil {
		return nil, err
	}
	return &env{root: root, work: work, bin: bin, keep: keep, seeded: map[int]string{}}, nil
}

func (e *env) close() { _ = os.RemoveAll(e.work) }

// data returns a data directory seeded with the seed content and n
// synthetic activities. With keep, it is kept in the temporary directory
// and reused by later runs (seeding 100,000 activities takes minutes).
func (e *env) data(ctx context.Context, n int) (string, error) {
	if d, ok := e.seeded[n]; ok {
		return d, nil
	}
	dir := filepath.Join(e.work, "data-"+strconv.Itoa(n))
	if e.keep {
		dir = filepath.Join(os.TempDir(), "estafette-bench-data", strconv.Itoa(n))
		if _, err := os.Stat(filepath.Join(dir, "seeded")); err == nil {
			logf("reusing the store with %d synthetic activities in %s", n, dir)
			e.seeded[n] = dir
			return dir, nil
		}
		_ = os.RemoveAll(dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	logf("seeding a store with %d synthetic activities", n)
	t := time.Now()
	if err := loadtest.Seed(ctx, e.bin, dir, n); err != nil {
		return "", err
	}
	logf("seeded in %s", time.Since(t).Round(time.Second))
	if err := os.WriteFile(filepath.Join(dir, "seeded"), nil, 0o644); err != nil {
		return "", err
	}
	e.seeded[n] = dir
	return dir, nil
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "# "+format+"\n", args...)
}

func mb(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/1e6) }

// mixRun starts a server over n activities and runs the mix against it.
type mixResult struct {
	res                   *loadtest.Result
	ready                 time.Duration
	idleRSS, peak         int64
	storeOpsPerReq, hitPc float64
}

func runMix(ctx context.Context, e *env, n int, cfg loadtest.Config, serverEnv []string) (*mixResult, error) {
	dir, err := e.data(ctx, n)
	if err != nil {
		return nil, err
	}
	p, err := loadtest.Start(ctx, e.bin, dir, serverEnv...)
	if err != nil {
		return nil, err
	}
	defer p.Stop()
	out := &mixResult{ready: p.Ready}
	time.Sleep(time.Second)
	_, out.idleRSS, _ = p.Memory()
	client := loadtest.NewClient(512, 0)
	slugs, err := loadtest.LoadSlugs(ctx, client, p.URL)
	if err != nil {
		return nil, err
	}
	ops0, _ := p.Metric("estafette_store_operations_total")
	hit0, _ := p.Metric("estafette_response_cache_lookups_total", `result="hit"`)
	all0, _ := p.Metric("estafette_response_cache_lookups_total")
	logf("mix over %d synthetic activities: %.0f req/s for %s (warm-up %s)", n, cfg.Rate, cfg.Duration, cfg.Warmup)
	out.res = loadtest.Run(ctx, client, p.URL, loadtest.MixGenerator(loadtest.Mix, slugs), cfg)
	ops1, _ := p.Metric("estafette_store_operations_total")
	hit1, _ := p.Metric("estafette_response_cache_lookups_total", `result="hit"`)
	all1, _ := p.Metric("estafette_response_cache_lookups_total")
	total := out.res.Requests
	if cfg.Warmup > 0 {
		total += int(cfg.Rate * cfg.Warmup.Seconds())
	}
	if total > 0 {
		out.storeOpsPerReq = (ops1 - ops0) / float64(total)
	}
	if all1 > all0 {
		out.hitPc = 100 * (hit1 - hit0) / (all1 - all0)
	}
	out.peak, _, err = p.Memory()
	return out, err
}

func printMix(m *mixResult) {
	fmt.Printf("server ready in %s, idle RSS %s\n", m.ready.Round(time.Millisecond), mb(m.idleRSS))
	fmt.Printf("all      %s\n", m.res.Summary())
	for _, k := range m.res.Kinds() {
		fmt.Printf("%-8s %s\n", k, m.res.ByKind[k].Summary())
	}
	fmt.Printf("peak RSS of the server (VmHWM) %s; store operations per request %.2f; response cache hits %.1f%%\n",
		mb(m.peak), m.storeOpsPerReq, m.hitPc)
	for _, e := range m.res.FirstErrors {
		fmt.Println("error:", e)
	}
}

func mixCommand(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("mix", flag.ExitOnError)
	n := fs.Int("activities", 1000, "synthetic activities to add to the seed content")
	rate := fs.Float64("rate", 1000, "requests per second (0: closed loop with -concurrency workers)")
	conc := fs.Int("concurrency", 32, "workers of the closed loop")
	dur := fs.Duration("duration", 60*time.Second, "how long to fire")
	warm := fs.Duration("warmup", 5*time.Second, "warm-up before measuring")
	loadProcs := fs.Int("load-procs", 1, "GOMAXPROCS of the load generator (0: all cores)")
	serverProcs := fs.Int("server-procs", 0, "GOMAXPROCS of the server (0: all cores)")
	cache := fs.Bool("cache", true, "keep the response cache on (false: RESPONSE_CACHE_SIZE=0, every request executes)")
	keep := fs.Bool("keep", false, "keep seeded stores in the temporary directory and reuse them")
	var extra envFlag
	fs.Var(&extra, "env", "KEY=VALUE for the server's environment (repeatable), such as ADMIN_ADDR=127.0.0.1:6060 to profile it")
	_ = fs.Parse(args)
	if *loadProcs > 0 {
		runtime.GOMAXPROCS(*loadProcs)
	}
	e, err := newEnv(ctx, *keep)
	if err != nil {
		return err
	}
	defer e.close()
	var serverEnv []string
	if *serverProcs > 0 {
		serverEnv = append(serverEnv, "GOMAXPROCS="+strconv.Itoa(*serverProcs))
	}
	if !*cache {
		serverEnv = append(serverEnv, "RESPONSE_CACHE_SIZE=0")
	}
	serverEnv = append(serverEnv, extra...)
	m, err := runMix(ctx, e, *n, loadtest.Config{Rate: *rate, Concurrency: *conc, Duration: *dur, Warmup: *warm, Seed: 1}, serverEnv)
	if err != nil {
		return err
	}
	printMix(m)
	return nil
}

// smokeCommand runs the mix briefly and fails on any error: a check that
// the harness and the server's routes still fit together, not a
// measurement.
func smokeCommand(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("smoke", flag.ExitOnError)
	dur := fs.Duration("duration", 3*time.Second, "how long to fire")
	_ = fs.Parse(args)
	e, err := newEnv(ctx, false)
	if err != nil {
		return err
	}
	defer e.close()
	m, err := runMix(ctx, e, 200, loadtest.Config{Rate: 100, Duration: *dur, Seed: 1}, nil)
	if err != nil {
		return err
	}
	printMix(m)
	if m.res.Errors > 0 || m.res.Requests == 0 {
		return fmt.Errorf("smoke: %d errors in %d requests", m.res.Errors, m.res.Requests)
	}
	for _, s := range loadtest.Mix {
		if m.res.ByKind[s.Kind] == nil {
			return fmt.Errorf("smoke: no %s request was sent", s.Kind)
		}
	}
	return nil
}

// envFlag collects KEY=VALUE flags.
type envFlag []string

func (e *envFlag) String() string { return strings.Join(*e, " ") }

func (e *envFlag) Set(v string) error {
	if !strings.Contains(v, "=") {
		return fmt.Errorf("%q is not KEY=VALUE", v)
	}
	*e = append(*e, v)
	return nil
}
