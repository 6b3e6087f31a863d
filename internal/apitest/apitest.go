// Package apitest starts the real HTTP surface of Estafette over a fresh
// embedded store for tests: seeded with the real content, optionally with
// synthetic activities, and with every store operation counted.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"estafette/auth"
	"estafette/content"
	"estafette/events"
	"estafette/internal/collections"
	"estafette/internal/metrics"
	"estafette/seed"
	"estafette/sqlite"
	"estafette/web"
	"estafette/web/gqlhttp/limits"
	"estafette/web/gqlhttp/persisted"
	"estafette/web/ratelimit"
	"estafette/web/respcache"
	"estafette/webhooks"
)

// Env is a running API over a temporary store.
type Env struct {
	URL       string
	Catalog   *content.Catalog
	Store     *CountingStore
	Server    *httptest.Server
	Keys      *auth.Keys
	Metrics   *metrics.Metrics
	Persisted *persisted.Queries
}

// Options change what New starts.
type Options struct {
	Synthetic  int  // synthetic activities to add to the seed
	NoBatching bool // switch loader batching off
	Dir        string
	RateLimit  ratelimit.Config // zero: no rate limit
	Limits     limits.Config
	Production bool
	Timeout    time.Duration // per request; default 10 s
	Cache      bool          // cache anonymous reads
	// PersistedOnly runs registered persisted queries only.
	PersistedOnly bool
	// Webhooks tunes webhook deliveries (short backoffs for tests).
	Webhooks webhooks.Options
}

// New starts the API over a new store in a temporary directory, seeded with
// the real content and opts.Synthetic synthetic activities.
func New(tb testing.TB, opts Options) *Env {
	tb.Helper()
	quietLogs()
	ctx := context.Background()
	dir := opts.Dir
	if dir == "" {
		dir = tb.TempDir()
	}
	s, err := sqlite.Open(ctx, dir, collections.All())
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	cat := content.NewCatalog(s)
	if empty, err := seed.IsEmpty(ctx, s); err != nil {
		tb.Fatal(err)
	} else if empty {
		if _, err := seed.Load(ctx, cat); err != nil {
			tb.Fatalf("seed: %v", err)
		}
		if opts.Synthetic > 0 {
			if err := seed.LoadSynthetic(ctx, cat, opts.Synthetic, nil); err != nil {
				tb.Fatalf("synthetic: %v", err)
			}
		}
		if err := s.Optimize(ctx); err != nil {
			tb.Fatal(err)
		}
	}
	m := metrics.New()
	var gen respcache.Generation
	base := m.Store(gen.Store(s))
	counting := NewCountingStore(base)
	cat = content.NewCatalog(counting)
	keys := auth.New(counting)
	var cache *respcache.Cache
	if opts.Cache {
		cache = respcache.New(&gen, 1000)
	}
	pq := persisted.New(counting, opts.PersistedOnly)
	// The background work (subscriptions, webhooks) reads the store past
	// the counter, so that counts are those of the requests.
	hooks := webhooks.New(base, opts.Webhooks)
	cat.SetOutbox(events.Outbox{Fanout: hooks.Fanout})
	bus := events.NewBus(base, 50*time.Millisecond)
	bg, stop := context.WithCancel(context.Background())
	var running sync.WaitGroup
	running.Add(2)
	go func() { defer running.Done(); bus.Run(bg) }()
	go func() { defer running.Done(); hooks.Run(bg) }()
	tb.Cleanup(func() { stop(); running.Wait() })
	srv := httptest.NewServer(web.New(web.Deps{Catalog: cat, Metrics: m, NoBatching: opts.NoBatching,
		Introspection: !opts.Production, Production: opts.Production, Keys: keys,
		RateLimit: ratelimit.New(opts.RateLimit), Limits: opts.Limits, RequestTimeout: opts.Timeout,
		Cache: cache, Persisted: pq, Bus: bus, Webhooks: hooks}))
	tb.Cleanup(srv.Close)
	return &Env{URL: srv.URL, Catalog: cat, Store: counting, Server: srv, Keys: keys, Metrics: m, Persisted: pq}
}

// Key creates an API key with the role and returns the header pair that
// sends it, ready to pass to Query or Do.
func (e *Env) Key(tb testing.TB, name string, role content.Role) []string {
	tb.Helper()
	secret, _, err := e.Keys.Create(auth.CommandLine(context.Background(), "test"), name, role)
	if err != nil {
		tb.Fatal(err)
	}
	return []string{"Authorization", "Bearer " + secret}
}

var quiet sync.Once

// quietLogs keeps the access log out of test output unless -v is given.
func quietLogs() {
	quiet.Do(func() {
		if !testing.Verbose() {
			slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
		}
	})
}

// CountingStore counts the operations that reach the store (reads, puts
// and applies; not deletes and pings).
type CountingStore struct {
	content.Store
	calls atomic.Int64
}

// NewCountingStore returns a CountingStore over s (a content.Instrument
// observer).
func NewCountingStore(s content.Store) *CountingStore {
	c := &CountingStore{}
	c.Store = content.Instrument(s, func(ctx context.Context, op *content.StoreOp) (context.Context, func(error)) {
		if op.Name != content.StoreDelete && op.Name != content.StorePing {
			c.calls.Add(1)
		}
		return ctx, nil
	})
	return c
}

// Calls returns the number of operations so far.
func (c *CountingStore) Calls() int64 { return c.calls.Load() }

// Reset sets the count to zero.
func (c *CountingStore) Reset() { c.calls.Store(0) }

// Response is a decoded GraphQL response.
type Response struct {
	Status  int
	Header  http.Header
	Raw     []byte
	Data    json.RawMessage `json:"data"`
	HasData bool            `json:"-"`
	Errors  []Error         `json:"errors"`
}

// Error is a GraphQL error as the API sends it.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Code returns extensions.code of the first error, or "".
func (r Response) Code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	s, _ := r.Errors[0].Extensions["code"].(string)
	return s
}

// Decode unmarshals data into v, failing the test on errors in the response.
func (r Response) Decode(tb testing.TB, v any) {
	tb.Helper()
	if len(r.Errors) > 0 {
		tb.Fatalf("unexpected errors: %s", r.Raw)
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		tb.Fatalf("decode %s: %v", r.Data, err)
	}
}

// Query posts a GraphQL query with variables as application/json.
func (e *Env) Query(tb testing.TB, query string, vars map[string]any, headers ...string) Response {
	tb.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return e.Do(tb, http.MethodPost, "/query", bytes.NewReader(body), append([]string{"Content-Type", "application/json"}, headers...)...)
}

// Do sends any request and decodes the answer as a GraphQL response when
// it is JSON. headers are name, value pairs.
func (e *Env) Do(tb testing.TB, method, path string, body io.Reader, headers ...string) Response {
	tb.Helper()
	req, err := http.NewRequest(method, e.URL+path, body)
	if err != nil {
		tb.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	r := Response{Status: res.StatusCode, Header: res.Header, Raw: raw}
	var probe map[string]json.RawMessage
	if json.Unmarshal(raw, &probe) == nil {
		_, r.HasData = probe["data"]
		_ = json.Unmarshal(raw, &r)
	}
	return r
}

// Catalog returns a catalog over a new embedded store in a temporary
// directory, seeded with the real content and synthetic activities; for
// tests that need the domain without the HTTP surface.
func Catalog(tb testing.TB, synthetic int) *content.Catalog {
	tb.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, tb.TempDir(), collections.All())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	cat := content.NewCatalog(s)
	if _, err := seed.Load(ctx, cat); err != nil {
		tb.Fatal(err)
	}
	if err := seed.LoadSynthetic(ctx, cat, synthetic, nil); err != nil {
		tb.Fatal(err)
	}
	return cat
}
