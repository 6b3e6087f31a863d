package loadtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Request is one request the load generator sends.
type Request struct {
	// Kind names the part of the mix the request belongs to ("list",
	// "detail", …); results are also reported per kind.
	Kind   string
	Method string // default GET
	Path   string // with the query string
	Body   []byte // sent as application/json
	Header http.Header
	// GraphQL requests fail when the body has an "errors" entry.
	GraphQL bool
}

// Generator returns the next request; it is called from one goroutine.
type Generator func(rng *rand.Rand) Request

// Config says how to fire the requests.
type Config struct {
	// Rate is the number of requests per second (open loop). When zero,
	// Concurrency workers send requests back to back (closed loop).
	Rate        float64
	Concurrency int
	Duration    time.Duration
	// Warmup runs the load first for this long without recording it.
	Warmup time.Duration
	// MaxInFlight bounds the open loop's outstanding requests (default
	// 2,000); a request that would exceed it counts as an error.
	MaxInFlight int
	// Timeout of one request (default 10 s).
	Timeout time.Duration
	Seed    uint64
}

// Result is what one run measured.
type Result struct {
	Requests  int
	Errors    int
	Elapsed   time.Duration
	Latencies []time.Duration // sorted
	// FirstErrors holds a few error descriptions.
	FirstErrors []string
	ByKind      map[string]*Result
}

// RPS returns completed requests per second.
func (r *Result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Percentile returns the latency at q (0 < q ≤ 1), nearest rank.
func (r *Result) Percentile(q float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	i := int(float64(len(r.Latencies))*q+0.999999) - 1
	i = max(0, min(i, len(r.Latencies)-1))
	return r.Latencies[i]
}

// Summary is one line: requests, req/s, p50/p95/p99, errors.
func (r *Result) Summary() string {
	return fmt.Sprintf("%7d req %9.1f req/s  p50 %8s  p95 %8s  p99 %8s  max %8s  errors %d",
		r.Requests, r.RPS(), ms(r.Percentile(.5)), ms(r.Percentile(.95)), ms(r.Percentile(.99)), ms(r.Percentile(1)), r.Errors)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }

// NewClient returns an HTTP client for the load: keep-alive connections,
// enough of them per host for the concurrency.
func NewClient(conns int, timeout time.Duration) *http.Client {
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	t := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &http.Client{Transport: t, Timeout: timeout}
}

type sample struct {
	kind    string
	latency time.Duration
	err     string
}

// Run fires the requests of gen at base for cfg.Duration (after the
// warm-up) and returns what it measured.
func Run(ctx context.Context, client *http.Client, base string, gen Generator, cfg Config) *Result {
	if cfg.MaxInFlight == 0 {
		cfg.MaxInFlight = 2000
	}
	if cfg.Concurrency == 0 {
		cfg.Concurrency = 1
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5e57afe77e))
	if cfg.Warmup > 0 {
		warm := cfg
		warm.Duration, warm.Warmup = cfg.Warmup, 0
		run(ctx, client, base, gen, warm, rng)
	}
	return run(ctx, client, base, gen, cfg, rng)
}

func run(ctx context.Context, client *http.Client, base string, gen Generator, cfg Config, rng *rand.Rand) *Result {
	var (
		mu      sync.Mutex
		samples = make([]sample, 0, 1024)
		wg      sync.WaitGroup
	)
	record := func(s sample) {
		mu.Lock()
		samples = append(samples, s)
		mu.Unlock()
	}
	start := time.Now()
	end := start.Add(cfg.Duration)
	if cfg.Rate > 0 {
		interval := time.Duration(float64(time.Second) / cfg.Rate)
		sem := make(chan struct{}, cfg.MaxInFlight)
		for i := 0; ; i++ {
			due := start.Add(time.Duration(i) * interval)
			if !due.Before(end) || ctx.Err() != nil {
				break
			}
			if d := time.Until(due); d > 0 {
				time.Sleep(d)
			}
			req := gen(rng)
			select {
			case sem <- struct{}{}:
			default:
				record(sample{kind: req.Kind, latency: time.Since(due), err: "too many requests in flight"})
				continue
			}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done() }()
				err := do(ctx, client, base, req)
				// Latency from the intended send time: a late start counts.
				record(sample{kind: req.Kind, latency: time.Since(due), err: err})
			}()
		}
	} else {
		var genMu sync.Mutex
		for range cfg.Concurrency {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for time.Now().Before(end) && ctx.Err() == nil {
					genMu.Lock()
					req := gen(rng)
					genMu.Unlock()
					t := time.Now()
					err := do(ctx, client, base, req)
					record(sample{kind: req.Kind, latency: time.Since(t), err: err})
				}
			}()
		}
	}
	wg.Wait()
	elapsed := time.Since(start)
	if cfg.Rate > 0 {
		elapsed = cfg.Duration // completions of the scheduled window
	}
	return summarize(samples, elapsed)
}

func summarize(samples []sample, elapsed time.Duration) *Result {
	all := &Result{Elapsed: elapsed, ByKind: map[string]*Result{}}
	for _, s := range samples {
		k := all.ByKind[s.kind]
		if k == nil {
			k = &Result{Elapsed: elapsed}
			all.ByKind[s.kind] = k
		}
		for _, r := range []*Result{all, k} {
			r.Requests++
			r.Latencies = append(r.Latencies, s.latency)
			if s.err != "" {
				r.Errors++
				if len(r.FirstErrors) < 5 {
					r.FirstErrors = append(r.FirstErrors, s.kind+": "+s.err)
				}
			}
		}
	}
	for _, r := range append([]*Result{all}, mapValues(all.ByKind)...) {
		slices.Sort(r.Latencies)
	}
	return all
}

func mapValues(m map[string]*Result) []*Result {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]*Result, 0, len(keys))
	for _, k := range keys {
		out = append(out, m[k])
	}
	return out
}

// Kinds returns the kinds of r.ByKind, sorted.
func (r *Result) Kinds() []string {
	keys := make([]string, 0, len(r.ByKind))
	for k := range r.ByKind {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// do sends one request and returns "" or what went wrong.
func do(ctx context.Context, client *http.Client, base string, r Request) string {
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+r.Path, body)
	if err != nil {
		return err.Error()
	}
	for k, v := range r.Header {
		req.Header[k] = v
	}
	if r.Body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := client.Do(req)
	if err != nil {
		return err.Error()
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return "reading the body: " + err.Error()
	}
	if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusNotModified {
		return fmt.Sprintf("status %d: %.200s", res.StatusCode, b)
	}
	if r.GraphQL && bytes.Contains(b, []byte(`"errors":`)) {
		return fmt.Sprintf("GraphQL errors: %.300s", b)
	}
	return ""
}

// Fetch sends one request and returns the body, failing on any error.
func Fetch(ctx context.Context, client *http.Client, base string, r Request) ([]byte, http.Header, error) {
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+r.Path, body)
	if err != nil {
		return nil, nil, err
	}
	for k, v := range r.Header {
		req.Header[k] = v
	}
	if r.Body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, nil, err
	}
	if res.StatusCode != http.StatusOK || (r.GraphQL && bytes.Contains(b, []byte(`"errors":`))) {
		return nil, nil, fmt.Errorf("%s %s: status %d: %.300s", method, r.Path, res.StatusCode, strings.TrimSpace(string(b)))
	}
	return b, res.Header, nil
}

// Merge combines the results of several runs (of the same requests) into
// one, as if they were one run of their total duration.
func Merge(rs ...*Result) *Result {
	var samples []sample
	var elapsed time.Duration
	for _, r := range rs {
		elapsed += r.Elapsed
		for _, k := range r.Kinds() {
			kr := r.ByKind[k]
			for i, l := range kr.Latencies {
				s := sample{kind: k, latency: l}
				if i < kr.Errors {
					s.err = "error"
				}
				samples = append(samples, s)
			}
		}
	}
	m := summarize(samples, elapsed)
	for _, r := range rs {
		for _, e := range r.FirstErrors {
			if len(m.FirstErrors) < 5 {
				m.FirstErrors = append(m.FirstErrors, e)
			}
		}
	}
	// The error strings were placeholders; keep the real first errors.
	return m
}

// LoadAverage returns the first three fields of /proc/loadavg: how busy
// the machine was, which other processes share with the measurement.
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
