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
	"estafette/internal/app"
	"estafette/internal/collections"
	"estafette/internal/metrics"
	"estafette/mail"
	"estafette/seed"
	"estafette/sqlite"
	"estafette/web/gqlhttp/limits"
	"estafette/web/gqlhttp/persisted"
	"estafette/web/ratelimit"
	"estafette/webhooks"
)

// Env is a running API over a temporary store, wired by internal/app as
// the program wires it.
type Env struct {
	URL       string
	Catalog   *content.Catalog
	Store     *CountingStore
	Server    *httptest.Server
	Keys      *auth.Keys
	Metrics   *metrics.Metrics
	Persisted *persisted.Queries
	// App is the program behind the server.
	App *app.App
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
	// SMTPURL, when set, is the mail server of the outbox (the URL of a
	// mailtest.Server), with MailFrom as the sender (default
	// "Estafette <noreply@estafette.example>"); unset, mails stay in the
	// outbox.
	SMTPURL, MailFrom string
	// Mail tunes the outbox (short backoffs and polls for tests).
	Mail mail.Options
	// Logger, when set, receives the program's logs (default: the slog
	// default, discarded unless the tests run with -v).
	Logger *slog.Logger
}

// Config returns the configuration New runs the program with: the
// defaults of an empty environment, with the store in dir and opts
// applied (no rate limit and no response cache unless asked for).
func (opts Options) Config(dir string) app.Config {
	cfg := app.DefaultConfig()
	cfg.DataDir = dir
	cfg.NoBatching = opts.NoBatching
	cfg.RateLimit = opts.RateLimit
	cfg.Limits = opts.Limits
	cfg.Production = opts.Production
	if opts.Timeout > 0 {
		cfg.RequestTimeout = opts.Timeout
	}
	cfg.ResponseCacheSize = 0
	if opts.Cache {
		cfg.ResponseCacheSize = 1000
	}
	cfg.PersistedOnly = opts.PersistedOnly
	cfg.Webhooks = opts.Webhooks
	cfg.SMTPURL, cfg.MailFrom, cfg.Mail = opts.SMTPURL, opts.MailFrom, opts.Mail
	if cfg.SMTPURL != "" && cfg.MailFrom == "" {
		cfg.MailFrom = "Estafette <noreply@estafette.example>"
	}
	return cfg
}

// New starts the API over a new store in a temporary directory (or
// opts.Dir), seeded with the real content and opts.Synthetic synthetic
// activities when empty. The store calls of requests are counted in
// Env.Store; the background loops (subscriptions, webhooks, purges) read
// the store past the counter, so that counts are those of the requests.
func New(tb testing.TB, opts Options) *Env {
	tb.Helper()
	quietLogs()
	dir := opts.Dir
	if dir == "" {
		dir = tb.TempDir()
	}
	var counting *CountingStore
	appOpts := []app.Option{}
	if opts.Logger != nil {
		appOpts = append(appOpts, app.WithLogger(opts.Logger))
	}
	a := app.New(opts.Config(dir), append(appOpts,
		app.WithRequestStore(func(s content.Store) content.Store {
			counting = NewCountingStore(s)
			return counting
		}),
		app.WithSeed(func(ctx context.Context, cat *content.Catalog) (int, error) {
			n, err := seed.Load(ctx, cat)
			if err != nil || opts.Synthetic == 0 {
				return n, err
			}
			return n + opts.Synthetic, seed.LoadSynthetic(ctx, cat, opts.Synthetic, nil)
		}),
		app.WithEventPoll(50*time.Millisecond))...)
	tb.Cleanup(func() {
		if err := a.Close(); err != nil {
			tb.Errorf("close: %v", err)
		}
	})
	if err := a.Start(context.Background()); err != nil {
		tb.Fatalf("start: %v", err)
	}
	counting.Reset()
	srv := httptest.NewServer(a.Handler())
	tb.Cleanup(srv.Close)
	return &Env{URL: srv.URL, Catalog: a.Catalog(), Store: counting, Server: srv, Keys: a.Keys(),
		Metrics: a.Metrics, Persisted: a.Persisted(), App: a}
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
