package graph

import (
	"context"
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"

	"estafette/auth"
	"estafette/content"
	"estafette/gqlhttp"
	"estafette/limits"
	"estafette/metrics"
	"estafette/persisted"
	"estafette/respcache"
)

// Options configure the GraphQL handler.
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
	// MaxTokens bounds the number of tokens of a document (default 15,000).
	MaxTokens int
	// NoSuggestions leaves "did you mean" hints out of validation errors,
	// so that a production schema cannot be guessed field by field.
	NoSuggestions bool
	// Cache, when set, caches the responses of anonymous reads.
	Cache *respcache.Cache
	// Persisted, when set, serves persisted queries (APQ) from the store.
	Persisted *persisted.Queries
}

// NewHandler returns the GraphQL HTTP handler over cat. The handler needs
// loaders in the request context (wrap it in loaders.Middleware).
func NewHandler(cat *content.Catalog, opts Options) *handler.Server {
	srv := handler.New(NewExecutableSchema(Config{Resolvers: &Resolver{Catalog: cat, Keys: opts.Keys}}))
	srv.AddTransport(gqlhttp.Transport{Cache: opts.Cache})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
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
		srv.Use(extension.AutomaticPersistedQuery{Cache: opts.Persisted})
	}
	srv.Use(gqlhttp.QueriesOnlyOverGET{})
	srv.Use(access{})
	srv.Use(limits.New(opts.Limits))
	srv.AroundRootFields(previewRootField)
	log := opts.Logger
	if log == nil {
		log = slog.Default()
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
				name := op.Operation.Name
				if name == "" {
					name = "anonymous"
				}
				m.GraphQLLatency.WithLabelValues(name, string(op.Operation.Operation)).Observe(time.Since(start).Seconds())
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
	loc := content.AcceptLanguage(op.Headers.Get("Accept-Language"))
	if d := op.Operation.Directives.ForName("locale"); d != nil {
		if v, ok := d.ArgumentMap(op.Variables)["lang"].(string); ok {
			if l, ok := content.ParseLocale(v); ok {
				loc = l
			}
		}
	}
	return next(content.WithLocale(ctx, loc))
}
