// Package web assembles Estafette's HTTP surface: the GraphQL endpoint,
// GraphiQL, the SDL, health and readiness probes and metrics, the OpenAPI
// description of the routes that are not GraphQL, behind the
// middleware every request passes (recovery, request id, access log, CORS,
// body limit).
package web

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/rs/cors"
	"github.com/vektah/gqlparser/v2/formatter"

	"estafette/auth"
	"estafette/content"
	"estafette/export"
	"estafette/graph"
	"estafette/internal/metrics"
	"estafette/loaders"
	"estafette/web/calendar"
	"estafette/web/embed"
	"estafette/web/gate"
	"estafette/web/gqlhttp"
	"estafette/web/gqlhttp/persisted"
	"estafette/web/graphiql"
	"estafette/web/insights"
	"estafette/web/openapi"
	"estafette/web/ratelimit"
	"estafette/web/requestid"
	"estafette/web/submit"
)

// MaxBodyBytes is the largest request body the API reads.
const MaxBodyBytes = 1 << 20

// Deps are what the HTTP surface is built from: the GraphQL endpoint's
// options, which the other routes share (metrics, logger, keys, origins,
// response cache), and what only the HTTP surface needs. Package app builds
// them; tests may build them by hand.
type Deps struct {
	// Catalog is the domain every route reads (and GraphQL writes).
	Catalog *content.Catalog
	// Options configure the GraphQL endpoint; the fields they share with
	// the rest of the surface (Metrics, Logger, Keys, Origins, Cache) serve
	// every route.
	gqlhttp.Options
	// NoBatching switches the loaders' batching off; only for measuring.
	NoBatching bool
	// RateLimit limits requests per client; nil means no limit.
	RateLimit *ratelimit.Limiter
	// RequestTimeout stops a GraphQL request that runs longer (default 10 s).
	RequestTimeout time.Duration
	// PublicURL is the origin the API is reached at from outside (absolute
	// links of the embed pages and the calendar feeds); empty: the
	// request's own.
	PublicURL string
	// EmbedAllowedParents are the sources allowed to frame the embed pages
	// (CSP frame-ancestors); empty means "*".
	EmbedAllowedParents []string
	// HeavyRequests bounds the exports, calendar feeds and insights pages
	// built at once (0: one per processor); see package gate.
	HeavyRequests int
	// NoPublicMetrics leaves /metrics off this handler (it is on the
	// operators' listener when ADMIN_ADDR is set).
	NoPublicMetrics bool
	// Desk, when set, serves the editorial desk at /desk and under /desk/
	// (sign-in and pages; see packages web/deskauth and web/desk).
	Desk http.Handler
	// Health, when set, makes /readyz answer 503 after a write failed for
	// a storage fault (a full disk), until a write succeeds; the store the
	// catalog writes through must report to it (Health.Store).
	Health *content.Health
}

// New returns the root handler.
func New(d Deps) http.Handler {
	h, _ := newHandler(d)
	return h
}

// routeMux is a ServeMux that remembers the patterns registered on it, so
// that a test can hold them against the OpenAPI document.
type routeMux struct {
	*http.ServeMux
	patterns []string
}

func (m *routeMux) Handle(pattern string, h http.Handler) {
	m.patterns = append(m.patterns, pattern)
	m.ServeMux.Handle(pattern, h)
}

func (m *routeMux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.Handle(pattern, http.HandlerFunc(h))
}

// newHandler returns the root handler and the patterns of its routes, in
// the order they are registered.
func newHandler(d Deps) (http.Handler, []string) {
	if d.Metrics == nil {
		d.Metrics = metrics.New()
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Keys == nil {
		d.Keys = auth.New(d.Catalog.Store())
	}
	if d.RequestTimeout == 0 {
		d.RequestTimeout = 10 * time.Second
	}
	if d.Persisted == nil {
		d.Persisted = persisted.New(d.Catalog.Store(), false)
	}
	if guard := d.RateLimit.KeyLookups(); guard != nil {
		d.Keys.SetLookupGuard(guard)
	}
	log := slog.New(requestid.LogHandler(d.Logger.Handler()))
	d.Logger = log
	m := d.Metrics
	if d.Cache != nil {
		d.Cache.OnLookup = m.ObserveCacheLookup
	}
	if d.OperationTimeout == 0 {
		d.OperationTimeout = d.RequestTimeout
	}
	if d.StreamLimiter == nil {
		d.StreamLimiter = d.RateLimit
	}
	gql := gqlhttp.Sockets(d.Streams, gqlhttp.NewHandler(d.Catalog, d.Options))

	mux := &routeMux{ServeMux: http.NewServeMux()}
	mux.Handle("/query", timeout(d.RequestTimeout, loaders.Middleware(d.Catalog, !d.NoBatching, limitBody(gql),
		loaders.WithBatchSizes(m.LoaderBatchSizes))))
	mux.Handle("GET /schema.graphql", sdlHandler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.Handle("GET /readyz", readyHandler(log, d.Catalog.Store(), d.Health))
	mux.Handle("GET "+openapi.Path, openapi.Handler())
	if !d.NoPublicMetrics {
		mux.Handle("GET /metrics", m.Handler())
	}
	ide := graphiql.Handler("/query")
	mux.Handle("/{$}", ide)
	mux.Handle("/graphiql/", ide)
	var emb http.Handler = embed.New(d.Catalog, embed.Options{PublicURL: d.PublicURL, AllowedParents: d.EmbedAllowedParents, Logger: log})
	if d.Cache != nil {
		// Rendered embed pages are kept like GraphQL responses: per content
		// generation, for anonymous readers.
		emb = d.Cache.Pages(1000).Handler(emb)
	}
	mux.Handle("GET /embed/", emb)
	mux.Handle("GET /oembed", emb)
	// Exports, feeds and insights cost seconds of processor time on a
	// large store: they pass a gate, and feeds and insights are kept per
	// content generation like the embed pages.
	heavy := gate.New(d.HeavyRequests, 0)
	mux.Handle("GET /export/{file}", heavy.Handler(export.Handler(d.Catalog, log)))
	cal := heavy.Handler(calendar.Handler(d.Catalog, calendar.Options{PublicURL: d.PublicURL, Logger: log}))
	ins := heavy.Handler(insights.Handler(d.Catalog, log))
	if d.Cache != nil {
		cal = d.Cache.Pages(200).Handler(cal)
		ins = d.Cache.Pages(200).Handler(ins)
	}
	mux.Handle("GET /calendar/", cal)
	if d.Submissions != nil {
		// The public form to propose an activity and the organiser's page.
		sub := submit.Handler(d.Submissions, d.Catalog, d.RateLimit, log, d.EmbedAllowedParents)
		mux.Handle("/aanmelden", sub)
		mux.Handle("/aanmelden/", sub)
		mux.Handle("/en/submit", sub)
	}
	mux.Handle("GET /insights", ins)
	mux.Handle("GET /insights/", ins)
	// Browsers ask every site for /favicon.ico; an empty answer keeps a
	// 404 out of their consoles (the pages name their own icons).
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.WriteHeader(http.StatusNoContent)
	})
	if d.Desk != nil {
		mux.Handle("/desk", d.Desk)
		mux.Handle("/desk/", d.Desk)
	}

	return requestid.Middleware(recoverer(log, accessLog(log, m,
		corsHandler(d.Origins).Handler(d.Keys.Middleware(d.RateLimit.Middleware(routeOf(mux.ServeMux))))))), mux.patterns
}

type routeKey struct{}

// routeOf tells accessLog which route pattern the mux matched: the mux sets
// it on the request it is given, which is not the request accessLog holds
// once a middleware in between has added to the context.
func routeOf(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if p, ok := r.Context().Value(routeKey{}).(*string); ok {
			*p = r.Pattern
		}
	})
}

// timeout gives a request a deadline; the store calls of a request that
// runs over it are cancelled and the request answers REQUEST_TIMEOUT.
func timeout(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if loaders.Streaming(r) {
			// A subscription lives as long as its client wants: no
			// deadline, and no write timeout of the server either.
			_ = http.NewResponseController(w).SetWriteDeadline(time.Time{})
			next.ServeHTTP(w, r)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// CORSAllowedHeaders are the request headers a browser on another origin
// may send: every header the API documents (Authorization for keys,
// X-Preview for drafts, If-None-Match for revalidation, X-Request-Id for
// tracing) and the ones Apollo Client sends to pass CSRF prevention.
var CORSAllowedHeaders = []string{
	"Accept", "Accept-Language", "Authorization", "Content-Type", "If-None-Match",
	requestid.Header, auth.PreviewHeader, "apollo-require-preflight", "x-apollo-operation-name",
}

// CORSExposedHeaders are the response headers a script on another origin
// may read: the ETag to revalidate with, the request id to quote, and
// Retry-After on 429 and 503.
var CORSExposedHeaders = []string{"ETag", requestid.Header, "Retry-After"}

func corsHandler(origins []string) *cors.Cors {
	if len(origins) == 0 {
		origins = []string{"*"}
	}
	return cors.New(cors.Options{
		AllowedOrigins:   origins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost, http.MethodHead},
		AllowedHeaders:   CORSAllowedHeaders,
		ExposedHeaders:   CORSExposedHeaders,
		AllowCredentials: false,
		MaxAge:           600,
	})
}

// limitBody caps the size of request bodies.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		next.ServeHTTP(w, r)
	})
}

// sdlHandler serves the schema in the GraphQL schema definition language.
func sdlHandler() http.Handler {
	sdl := []byte(SDL())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=300")
		_, _ = w.Write(sdl)
	})
}

// readyHandler answers 200 when the store answers a ping within two seconds
// and health (when not nil) has seen no write fail since the last that
// succeeded; otherwise 503 with the reason.
func readyHandler(log *slog.Logger, store content.Store, health *content.Health) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := store.Ping(ctx); err != nil {
			log.WarnContext(ctx, "store not ready", "err", err)
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": "the store does not answer"})
			return
		}
		if health != nil {
			if err := health.Ready(ctx); err != nil {
				log.WarnContext(ctx, "store not ready", "err", err)
				writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": content.ErrorMessage(err)})
				return
			}
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// SDL returns the schema of the API in the schema definition language,
// without gqlgen's own @goField directive, which is a code generation hint.
func SDL() string {
	var b bytes.Buffer
	formatter.NewFormatter(&b, formatter.WithIndent("  ")).FormatSchema(graph.NewExecutableSchema(graph.Config{}).Schema())
	var out []string
	for line := range strings.Lines(b.String()) {
		if strings.HasPrefix(line, "directive @goField") {
			continue
		}
		out = append(out, strings.Replace(line, " @goField(omittable: true)", "", 1))
	}
	return strings.Join(out, "")
}

// recoverer turns a panic outside GraphQL into a logged 500 without details.
func recoverer(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				log.ErrorContext(r.Context(), "panic in an HTTP handler", "panic", p, "stack", string(debug.Stack()))
				writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "Internal error.", "requestId": requestid.From(r.Context())})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// accessLog writes one log record per request and times it in the metrics
// under its route: the pattern the mux matched (see routeOf), or
// "unmatched".
func accessLog(log *slog.Logger, m *metrics.Metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		var route string
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), routeKey{}, &route)))
		if route == "" {
			route = "unmatched"
		}
		m.ObserveHTTP(route, r.Method, rec.status, time.Since(start))
		log.InfoContext(r.Context(), "request",
			"method", r.Method, "path", r.URL.Path, "status", rec.status,
			"bytes", rec.bytes, "duration_ms", float64(time.Since(start).Microseconds())/1000,
			"remote", r.RemoteAddr, "user_agent", r.UserAgent())
	})
}

type recorder struct {
	http.ResponseWriter
	status int
	bytes  int
	wrote  bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Flush sends buffered data to the client (Server-Sent Events need it).
func (r *recorder) Flush() { _ = http.NewResponseController(r.ResponseWriter).Flush() }
