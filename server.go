// Command estafette is the headless GraphQL content API of the Slimme Zorg
// Estafette. Without arguments it serves the API; subcommands manage the
// content:
//
//	estafette                         serve the API (same as "serve")
//	estafette seed                    load the real seed content (idempotent)
//	estafette seed --synthetic N      add N synthetic activities for scale tests
//
// Configuration comes from the environment; see README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	oteltrace "go.opentelemetry.io/otel/trace"

	"estafette/auth"
	"estafette/content"
	"estafette/events"
	"estafette/internal/metrics"
	"estafette/internal/tracing"
	"estafette/mongodb"
	"estafette/seed"
	"estafette/web"
	"estafette/web/gqlhttp/limits"
	"estafette/web/gqlhttp/persisted"
	"estafette/web/ratelimit"
	"estafette/web/respcache"
	"estafette/webhooks"
)

// Config is the configuration of the program, read from the environment.
type Config struct {
	Addr            string   // listen address; from PORT (default 8080)
	DataDir         string   // where the embedded store keeps its files; DATA_DIR (default ./data)
	CORSOrigins     []string // CORS_ALLOWED_ORIGINS, comma-separated (default *)
	LogLevel        slog.Level
	Production      bool          // ENV=production: introspection off
	ShutdownTimeout time.Duration // how long in-flight requests may finish
	NoSeed          bool          // SEED=false: do not load the seed into an empty store

	Limits         limits.Config    // MAX_QUERY_DEPTH, MAX_QUERY_COST, MAX_QUERY_ALIASES
	RateLimit      ratelimit.Config // RATE_LIMIT (per second per client, 0 = off), RATE_LIMIT_BURST, TRUSTED_PROXIES
	RequestTimeout time.Duration    // REQUEST_TIMEOUT (default 10s)

	PersistedOnly     bool             // PERSISTED_QUERIES=only: run registered queries only
	Webhooks          webhooks.Options // WEBHOOK_BASE_BACKOFF, WEBHOOK_POLL: tuning of deliveries
	ResponseCacheSize int              // RESPONSE_CACHE_SIZE: responses kept in memory (default 5000, 0 = off)

	AdminAddr          string        // ADMIN_ADDR: listen address of pprof and /metrics for operators (default off)
	SlowQueryThreshold time.Duration // SLOW_QUERY_THRESHOLD: log GraphQL operations slower than this (default 500ms, off: none)
	Tracing            bool          // OTEL_EXPORTER_OTLP_ENDPOINT (or …_TRACES_ENDPOINT) is set: export traces over OTLP/HTTP
	NoBatching         bool          // LOADER_BATCHING=off: switch the loaders' batching off (only to measure what it saves)

	MongoURI      string          // MONGODB_URI: serve from MongoDB instead of the embedded store
	MongoDatabase string          // MONGODB_DATABASE (default: the URI's database, else estafette)
	Mongo         mongodb.Options // MONGODB_CONNECT_TIMEOUT, MONGODB_MAX_POOL_SIZE, MONGODB_TRANSACTIONS
}

// ConfigFromEnv reads the configuration from environment variables.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{Addr: ":8080", DataDir: "./data", ShutdownTimeout: 10 * time.Second}
	if p := getenv("PORT"); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 0 || n > 65535 {
			return c, fmt.Errorf("PORT=%q is not a port number", p)
		}
		c.Addr = ":" + p
	}
	if d := getenv("DATA_DIR"); d != "" {
		c.DataDir = d
	}
	for o := range strings.SplitSeq(getenv("CORS_ALLOWED_ORIGINS"), ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.CORSOrigins = append(c.CORSOrigins, o)
		}
	}
	if l := getenv("LOG_LEVEL"); l != "" {
		if err := c.LogLevel.UnmarshalText([]byte(l)); err != nil {
			return c, fmt.Errorf("LOG_LEVEL=%q is not one of debug, info, warn, error", l)
		}
	}
	c.Production = strings.EqualFold(getenv("ENV"), "production")
	c.NoSeed = strings.EqualFold(getenv("SEED"), "false")
	c.RateLimit = ratelimit.Config{PerSecond: 50, Burst: 100}
	c.ResponseCacheSize = 5000
	switch v := getenv("PERSISTED_QUERIES"); v {
	case "", "auto":
	case "only":
		c.PersistedOnly = true
	default:
		return c, fmt.Errorf("PERSISTED_QUERIES=%q: use auto (clients may add queries) or only (registered queries only)", v)
	}
	for _, d := range []struct {
		env string
		dst *time.Duration
	}{{"WEBHOOK_BASE_BACKOFF", &c.Webhooks.BaseBackoff}, {"WEBHOOK_POLL", &c.Webhooks.Poll}} {
		if v := getenv(d.env); v != "" {
			t, err := time.ParseDuration(v)
			if err != nil || t <= 0 {
				return c, fmt.Errorf("%s=%q is not a duration such as 10s", d.env, v)
			}
			*d.dst = t
		}
	}
	if v := getenv("RESPONSE_CACHE_SIZE"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return c, fmt.Errorf("RESPONSE_CACHE_SIZE=%q is not a number of responses (0 switches the cache off)", v)
		}
		c.ResponseCacheSize = n
	}
	c.RequestTimeout = 10 * time.Second
	for _, n := range []struct {
		env string
		dst *int
	}{
		{"MAX_QUERY_DEPTH", &c.Limits.MaxDepth}, {"MAX_QUERY_COST", &c.Limits.MaxCost},
		{"MAX_QUERY_ALIASES", &c.Limits.MaxAliases}, {"RATE_LIMIT_BURST", &c.RateLimit.Burst},
	} {
		if v := getenv(n.env); v != "" {
			i, err := strconv.Atoi(v)
			if err != nil || i < 1 {
				return c, fmt.Errorf("%s=%q is not a positive whole number", n.env, v)
			}
			*n.dst = i
		}
	}
	if v := getenv("RATE_LIMIT"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if v == "off" {
			f, err = 0, nil
		}
		if err != nil || f < 0 {
			return c, fmt.Errorf("RATE_LIMIT=%q is not a number of requests per second (or off)", v)
		}
		c.RateLimit.PerSecond = f
	}
	for p := range strings.SplitSeq(getenv("TRUSTED_PROXIES"), ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			addr, aerr := netip.ParseAddr(p)
			if aerr != nil {
				return c, fmt.Errorf("TRUSTED_PROXIES: %q is not an address or network", p)
			}
			prefix = netip.PrefixFrom(addr, addr.BitLen())
		}
		c.RateLimit.TrustedProxies = append(c.RateLimit.TrustedProxies, prefix)
	}
	if v := getenv("REQUEST_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return c, fmt.Errorf("REQUEST_TIMEOUT=%q is not a duration such as 10s", v)
		}
		c.RequestTimeout = d
	}
	c.AdminAddr = getenv("ADMIN_ADDR")
	c.SlowQueryThreshold = 500 * time.Millisecond
	if v := getenv("SLOW_QUERY_THRESHOLD"); v == "off" {
		c.SlowQueryThreshold = -1
	} else if v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return c, fmt.Errorf("SLOW_QUERY_THRESHOLD=%q is not a duration such as 500ms (or off)", v)
		}
		c.SlowQueryThreshold = d
		if d == 0 {
			c.SlowQueryThreshold = time.Nanosecond // log every operation
		}
	}
	c.Tracing = tracing.Enabled(getenv)
	switch v := getenv("LOADER_BATCHING"); v {
	case "", "on":
	case "off":
		c.NoBatching = true
	default:
		return c, fmt.Errorf("LOADER_BATCHING=%q: use on or off", v)
	}
	mongo, err := mongodb.OptionsFromEnv(getenv)
	if err != nil {
		return c, err
	}
	c.MongoURI, c.MongoDatabase, c.Mongo = getenv("MONGODB_URI"), getenv("MONGODB_DATABASE"), mongo
	return c, nil
}

// Main is the running program: tests start it on a free port with a
// temporary data directory, exactly as main does.
type Main struct {
	Config  Config
	Metrics *metrics.Metrics

	store     content.Store
	catalog   *content.Catalog
	server    *http.Server
	listener  net.Listener
	served    chan error
	stopPurge context.CancelFunc
	admin     *http.Server
	adminAddr string
	tracer    *tracing.Provider
	// generation counts content changes, for the response cache.
	generation respcache.Generation
	// bus feeds subscriptions with the change events of the store.
	bus *events.Bus
	// webhooks sends the change events to the registered endpoints.
	webhooks *webhooks.Service
}

// purgeDeleted removes, every hour, the records deleted longer ago than
// content.RetainDeleted, and change events and delivered webhooks as old. Several replicas may do it at once: a record
// purged by one is skipped by the others.
func (m *Main) purgeDeleted(ctx context.Context) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		cutoff := m.catalog.Now().Add(-content.RetainDeleted)
		n, err := m.catalog.Purge(ctx, cutoff)
		if err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "cannot purge deleted records", "err", err)
		} else if n > 0 {
			slog.InfoContext(ctx, "purged deleted records", "count", n)
		}
		// Change events and finished deliveries are kept as long.
		if n, err := events.Purge(ctx, m.store, cutoff); err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "cannot purge old change events", "err", err)
		} else if n > 0 {
			slog.InfoContext(ctx, "purged old change events", "count", n)
		}
		if n, err := m.webhooks.PurgeDelivered(ctx, cutoff); err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "cannot purge old webhook deliveries", "err", err)
		} else if n > 0 {
			slog.InfoContext(ctx, "purged old webhook deliveries", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// NewMain returns a Main for cfg.
func NewMain(cfg Config) *Main { return &Main{Config: cfg, Metrics: metrics.New()} }

// Open opens the store (creating its schema) and loads the seed content into
// an empty store.
func (m *Main) Open(ctx context.Context) error {
	s, err := openStore(ctx, m.Config, withMetrics(m.Metrics))
	if err != nil {
		return err
	}
	m.store = m.Metrics.Store(m.generation.Store(s))
	if m.Config.Tracing && m.tracer == nil {
		if m.tracer, err = tracing.New(ctx); err != nil {
			_ = s.Close()
			return err
		}
		m.store = tracing.Store(m.store, m.tracer.Tracer())
	}
	m.catalog = content.NewCatalog(m.store)
	m.webhooks = webhooks.New(m.store, m.Config.Webhooks)
	m.catalog.SetOutbox(events.Outbox{Fanout: m.webhooks.Fanout})
	m.bus = events.NewBus(m.store, 250*time.Millisecond)
	if m.Config.NoSeed {
		return nil
	}
	empty, err := seed.IsEmpty(ctx, m.store)
	if err != nil {
		return err
	}
	if empty {
		n, err := seed.Load(ctx, m.catalog)
		if err != nil {
			return fmt.Errorf("cannot load the seed content: %w", err)
		}
		slog.InfoContext(ctx, "loaded the seed content into an empty store", "records", n)
		if o, ok := s.(optimizer); ok {
			if err := o.Optimize(ctx); err != nil {
				slog.WarnContext(ctx, "cannot optimise the store after seeding", "err", err)
			}
		}
	}
	return nil
}

// Run opens the store and starts serving; it returns once the server
// listens. Errors of the running server arrive on Done.
func (m *Main) Run(ctx context.Context) error {
	if err := m.Open(ctx); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", m.Config.Addr, err)
	}
	m.listener = ln
	if m.Config.AdminAddr != "" {
		if err := m.serveAdmin(ctx); err != nil {
			_ = ln.Close()
			return err
		}
	}
	var trace oteltrace.Tracer
	if m.tracer != nil {
		trace = m.tracer.Tracer()
	}
	var cache *respcache.Cache
	if m.Config.ResponseCacheSize > 0 {
		cache = respcache.New(&m.generation, m.Config.ResponseCacheSize)
	}
	m.server = &http.Server{
		Handler: web.New(web.Deps{
			Catalog:        m.catalog,
			Metrics:        m.Metrics,
			CORSOrigins:    m.Config.CORSOrigins,
			Introspection:  !m.Config.Production,
			Production:     m.Config.Production,
			Keys:           auth.New(m.store),
			Limits:         m.Config.Limits,
			RateLimit:      ratelimit.New(m.Config.RateLimit),
			RequestTimeout: m.Config.RequestTimeout,
			Cache:          cache,
			Persisted:      persisted.New(m.store, m.Config.PersistedOnly),
			NoBatching:     m.Config.NoBatching,

			SlowQueryThreshold: m.Config.SlowQueryThreshold,
			Tracer:             trace,
			Bus:                m.bus,
			Webhooks:           m.webhooks,
		}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn),
	}
	purgeCtx, stopPurge := context.WithCancel(context.WithoutCancel(ctx))
	m.stopPurge = stopPurge
	go m.purgeDeleted(purgeCtx)
	go m.generation.Poll(purgeCtx, m.store, time.Second)
	go m.bus.Run(purgeCtx)
	go m.webhooks.Run(purgeCtx)
	m.served = make(chan error, 1)
	go func() {
		err := m.server.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		m.served <- err
	}()
	slog.InfoContext(ctx, "serving", "addr", ln.Addr().String(), "data_dir", m.Config.DataDir)
	return nil
}

// serveAdmin starts the admin listener: pprof and the metrics, for
// operators only.
func (m *Main) serveAdmin(ctx context.Context) error {
	ln, err := net.Listen("tcp", m.Config.AdminAddr)
	if err != nil {
		return fmt.Errorf("cannot listen on ADMIN_ADDR %s: %w", m.Config.AdminAddr, err)
	}
	m.admin = &http.Server{
		Handler:           web.Admin(m.Metrics),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn),
	}
	m.adminAddr = ln.Addr().String()
	go func() { _ = m.admin.Serve(ln) }()
	slog.InfoContext(ctx, "admin listener (pprof, metrics)", "addr", ln.Addr().String())
	return nil
}

// AdminAddr returns the address of the admin listener, "" when it is off.
func (m *Main) AdminAddr() string {
	if m.admin == nil {
		return ""
	}
	return m.adminAddr
}

// Addr returns the address the server listens on.
func (m *Main) Addr() string { return m.listener.Addr().String() }

// Catalog returns the catalog over the opened store.
func (m *Main) Catalog() *content.Catalog { return m.catalog }

// Done delivers the error that stopped the server, or nil after Close.
func (m *Main) Done() <-chan error { return m.served }

// Close stops accepting requests, lets in-flight ones finish within the
// shutdown timeout, and closes the store.
func (m *Main) Close() error {
	var errs []error
	if m.stopPurge != nil {
		m.stopPurge()
	}
	if m.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), m.Config.ShutdownTimeout)
		defer cancel()
		if err := m.server.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("shutdown: %w", err))
			_ = m.server.Close()
		}
	}
	if m.admin != nil {
		_ = m.admin.Close()
	}
	if m.store != nil {
		errs = append(errs, m.store.Close())
	}
	if m.tracer != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := m.tracer.Shutdown(ctx); err != nil {
			slog.Warn("cannot export the last spans", "err", err)
		}
	}
	return errors.Join(errs...)
}

func main() {
	if err := run(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "estafette:", err)
		os.Exit(exitCode(err))
	}
}
