package gqlhttp

import (
	"context"
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"go.opentelemetry.io/otel/trace"

	"estafette/auth"
	"estafette/content"
	"estafette/events"
	"estafette/graph"
	"estafette/internal/metrics"
	"estafette/internal/tracing"
	"estafette/submissions"
	"estafette/web/gqlhttp/limits"
	"estafette/web/gqlhttp/persisted"
	"estafette/web/ratelimit"
	"estafette/web/respcache"
	"estafette/webhooks"
)

// Options configure the GraphQL endpoint. Package web takes them as they
// are for the whole HTTP surface: the metrics, the logger, the keys, the
// origins and the response cache serve the other routes too.
type Options struct {
	// Metrics, when set, times every operation by name.
	Metrics *metrics.Metrics
	// Introspection allows schema introspection (GraphiQL needs it).
	Introspection bool
	// Logger receives internal errors and panics; default slog.Default().
	Logger *slog.Logger
	// Keys manages the API keys (for the admin fields).
	Keys *auth.Keys
	// Limits bound the size and cost of operations; zero values are the
	// defaults of the limits package.
	Limits limits.Config
	// DocumentCacheBytes bounds the cache of parsed documents (0: the
	// default, gqlhttp.DefaultDocumentCacheBytes).
	DocumentCacheBytes int64
	// MaxTokens bounds the number of tokens of a document (default 15,000).
	MaxTokens int
	// NoSuggestions leaves "did you mean" hints out of validation errors,
	// so that a production schema cannot be guessed field by field.
	NoSuggestions bool
	// Cache, when set, caches the responses of anonymous reads.
	Cache *respcache.Cache
	// Persisted, when set, serves persisted queries (APQ) from the store.
	Persisted *persisted.Queries
	// SlowQueryThreshold: operations that take longer are logged at warn
	// level with their name, duration and cost; 0 means
	// DefaultSlowQueryThreshold, a negative value logs none.
	SlowQueryThreshold time.Duration
	// Tracer, when set, traces every operation and every resolver call
	// (OpenTelemetry); nil adds nothing.
	Tracer trace.Tracer
	// MaxConcurrent bounds the operations that execute at once (queries
	// answered from the response cache do not count); the others wait.
	// 0 means DefaultMaxConcurrent(), a negative value no bound.
	MaxConcurrent int
	// Bus feeds the subscriptions; without it subscriptions are refused.
	Bus *events.Bus
	// Webhooks manages webhook endpoints (admin fields).
	Webhooks *webhooks.Service
	// Submissions handles the proposals of the public; nil refuses them.
	Submissions *submissions.Submissions
	// OperationTimeout stops a query or mutation that runs longer, over
	// every transport (0: none; package web sets its RequestTimeout).
	OperationTimeout time.Duration
	// StreamLimiter counts every operation sent over a WebSocket against
	// its client's rate (package web sets its RateLimit); nil: no limit.
	StreamLimiter *ratelimit.Limiter
	// MaxSubscriptionsPerConnection and MaxSubscriptionsPerClient bound
	// open subscriptions (0: DefaultMaxSubscriptionsPerConnection and
	// DefaultMaxSubscriptionsPerClient).
	MaxSubscriptionsPerConnection, MaxSubscriptionsPerClient int
	// Streams, when set, are where the subscriptions end when the server
	// goes down (Streams.End); wrap the handler in Sockets with the same.
	Streams *Streams
	// Origins are the browser origins allowed to call the API (CORS) and
	// to open WebSockets; empty or "*" allows every origin (without
	// credentials).
	Origins []string
}

// NewHandler returns the GraphQL HTTP handler over cat: the resolvers of
// package graph behind the transports (GraphQL over HTTP, and SSE and
// WebSockets when there is a Bus) and the extensions (access, limits,
// persisted queries, tracing, the slow query log, admission, metrics). The handler needs
// loaders in the request context (wrap it in loaders.Middleware).
func NewHandler(cat *content.Catalog, opts Options) *handler.Server {
	srv := handler.New(graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{Catalog: cat, Keys: opts.Keys, Bus: opts.Bus, Webhooks: opts.Webhooks, Submissions: opts.Submissions}}))
	if opts.Bus != nil {
		srv.AddTransport(transport.SSE{})
		srv.AddTransport(websocketTransport(opts.Keys, opts.Origins))
	}
	srv.AddTransport(Transport{Cache: opts.Cache})
	docs := NewDocumentCache(opts.DocumentCacheBytes)
	srv.SetQueryCache(docs)
	if opts.MaxTokens == 0 {
		opts.MaxTokens = 15000
	}
	srv.SetParserTokenLimit(opts.MaxTokens)
	srv.SetDisableSuggestion(opts.NoSuggestions)
	if opts.Introspection {
		srv.Use(extension.Introspection{})
	}
	if opts.Persisted != nil {
		srv.Use(persisted.Allowlist{Queries: opts.Persisted})
		srv.Use(persisted.APQ{Queries: opts.Persisted})
	}
	srv.Use(QueriesOnlyOverGET{})
	srv.Use(graph.Access{})
	lim := limits.New(opts.Limits)
	lim.Known, lim.Refused = docs.Known, docs.Forget
	srv.Use(lim)
	srv.Use(newStreamGuard(opts.StreamLimiter, opts.Streams, opts.MaxSubscriptionsPerConnection, opts.MaxSubscriptionsPerClient))
	srv.AroundRootFields(graph.PreviewRootField)
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	srv.AroundOperations(logStopped(log))
	srv.AroundOperations(operationTimeout(opts.OperationTimeout))
	if opts.Tracer != nil {
		srv.Use(tracing.Extension{Tracer: opts.Tracer})
	}
	if opts.SlowQueryThreshold == 0 {
		opts.SlowQueryThreshold = DefaultSlowQueryThreshold
	}
	if opts.SlowQueryThreshold > 0 {
		srv.Use(slowQueryLog{log: log, threshold: opts.SlowQueryThreshold})
	}
	if opts.MaxConcurrent == 0 {
		opts.MaxConcurrent = DefaultMaxConcurrent()
	}
	if opts.MaxConcurrent > 0 {
		srv.Use(admission{slots: make(chan struct{}, opts.MaxConcurrent)})
	}
	srv.SetErrorPresenter(presentError(log))
	srv.SetRecoverFunc(recoverPanic(log))
	srv.AroundOperations(localeOfOperation)
	if opts.Metrics != nil {
		m := opts.Metrics
		srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
			op := graphql.GetOperationContext(ctx)
			start := time.Now()
			h := next(ctx)
			return func(ctx context.Context) *graphql.Response {
				resp := h(ctx)
				name := "other"
				if persisted.Registered(op) && op.Operation.Name != "" {
					name = op.Operation.Name
				}
				m.ObserveGraphQL(name, string(op.Operation.Operation), time.Since(start))
				return resp
			}
		})
	}
	return srv
}

// localeOfOperation sets the default locale of an operation: the @locale
// directive on the operation, else the Accept-Language header, else Dutch.
func localeOfOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	op := graphql.GetOperationContext(ctx)
	loc := AcceptLanguage(op.Headers.Get("Accept-Language"))
	if d := op.Operation.Directives.ForName("locale"); d != nil {
		if v, ok := d.ArgumentMap(op.Variables)["lang"].(string); ok {
			if l, ok := content.ParseLocale(v); ok {
				loc = l
			}
		}
	}
	return next(content.WithLocale(ctx, loc))
}
