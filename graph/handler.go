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

	"estafette/content"
	"estafette/gqlhttp"
	"estafette/metrics"
)

// Options configure the GraphQL handler.
type Options struct {
	// Metrics, when set, times every operation by name.
	Metrics *metrics.Metrics
	// Introspection allows schema introspection (GraphiQL needs it).
	Introspection bool
	// Logger receives internal errors and panics; default slog.Default().
	Logger *slog.Logger
}

// NewHandler returns the GraphQL HTTP handler over cat. The handler needs
// loaders in the request context (wrap it in loaders.Middleware).
func NewHandler(cat *content.Catalog, opts Options) *handler.Server {
	srv := handler.New(NewExecutableSchema(Config{Resolvers: &Resolver{Catalog: cat}}))
	srv.AddTransport(gqlhttp.Transport{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	if opts.Introspection {
		srv.Use(extension.Introspection{})
	}
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
