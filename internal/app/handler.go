package app

import (
	"log/slog"
	"net/http"

	oteltrace "go.opentelemetry.io/otel/trace"

	"estafette/web"
	"estafette/web/gqlhttp"
	"estafette/web/ratelimit"
)

// newHandler builds the HTTP surface over the opened App.
func (a *App) newHandler() http.Handler {
	var trace oteltrace.Tracer
	if a.tracer != nil {
		trace = a.tracer.Tracer()
	}
	log := a.o.logger
	if log == nil {
		log = slog.Default()
	}
	a.streams = gqlhttp.NewStreams()
	return web.New(web.Deps{
		Catalog: a.catalog,
		Options: gqlhttp.Options{
			Metrics:            a.Metrics,
			Introspection:      !a.Config.Production,
			NoSuggestions:      a.Config.Production,
			Logger:             log,
			Keys:               a.keys,
			Limits:             a.Config.Limits,
			Cache:              a.cache,
			Persisted:          a.persisted,
			SlowQueryThreshold: a.Config.SlowQueryThreshold,
			Tracer:             trace,
			Bus:                a.bus,
			Webhooks:           a.webhooks,
			Submissions:        a.submissions,
			Origins:            a.Config.CORSOrigins,
			Streams:            a.streams,
			DocumentCacheBytes: a.Config.DocumentCacheBytes,

			MaxSubscriptionsPerConnection: a.Config.SubscriptionsPerConnection,
			MaxSubscriptionsPerClient:     a.Config.SubscriptionsPerClient,
		},
		HeavyRequests:       a.Config.HeavyRequests,
		NoPublicMetrics:     a.Config.AdminAddr != "" && !a.Config.MetricsPublic,
		Health:              a.health,
		NoBatching:          a.Config.NoBatching,
		RateLimit:           ratelimit.New(a.Config.RateLimit),
		RequestTimeout:      a.Config.RequestTimeout,
		PublicURL:           a.Config.PublicURL,
		EmbedAllowedParents: a.Config.EmbedAllowedParents,
		Desk:                a.newDesk(log),
	})
}
