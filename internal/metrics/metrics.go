// Package metrics defines Estafette's Prometheus metrics: store operations
// by collection and operation, HTTP request latency by route, and GraphQL
// operation latency by operation name. Each Metrics value owns its own
// registry, so tests and several servers in one process never collide.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"estafette/content"
)

// Metrics holds the collectors and the registry they are registered in.
type Metrics struct {
	Registry        *prometheus.Registry
	StoreOperations *prometheus.CounterVec
	StoreLatency    *prometheus.HistogramVec
	HTTPLatency     *prometheus.HistogramVec
	GraphQLLatency  *prometheus.HistogramVec
	// MongoCommands counts the commands the MongoDB driver sends, by
	// command, collection and outcome; MongoCommandLatency times them.
	// Both stay empty on the embedded store.
	MongoCommands       *prometheus.CounterVec
	MongoCommandLatency *prometheus.HistogramVec
	// CacheLookups counts lookups in the response cache by result (hit or
	// miss).
	CacheLookups *prometheus.CounterVec
	// LoaderBatchSizes observes the number of keys of every batched store
	// call of a loader, by loader name.
	LoaderBatchSizes *prometheus.HistogramVec
}

// New creates the metrics in a fresh registry, with the Go runtime and
// process collectors.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		StoreOperations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "estafette_store_operations_total",
			Help: "Store operations by collection, operation and outcome.",
		}, []string{"collection", "operation", "outcome"}),
		StoreLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "estafette_store_operation_duration_seconds",
			Help:    "Latency of store operations by collection and operation.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1},
		}, []string{"collection", "operation"}),
		HTTPLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "estafette_http_request_duration_seconds",
			Help:    "Latency of HTTP requests by route, method and status code.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "method", "code"}),
		GraphQLLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "estafette_graphql_operation_duration_seconds",
			Help:    "Latency of GraphQL operations by operation name and type.",
			Buckets: prometheus.DefBuckets,
		}, []string{"operation", "type"}),
		MongoCommands: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "estafette_mongodb_commands_total",
			Help: "Commands sent to MongoDB by command, collection and outcome (ok or error).",
		}, []string{"command", "collection", "outcome"}),
		MongoCommandLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "estafette_mongodb_command_duration_seconds",
			Help:    "Round-trip latency of MongoDB commands by command.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"command"}),
		CacheLookups: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "estafette_response_cache_lookups_total",
			Help: "Lookups in the response cache of anonymous reads, by result (hit or miss).",
		}, []string{"result"}),
		LoaderBatchSizes: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "estafette_loader_batch_size",
			Help:    "Keys per store call of the per-request loaders, by loader.",
			Buckets: []float64{1, 2, 5, 10, 20, 50, 100, 200, 500},
		}, []string{"loader"}),
	}
	m.Registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.StoreOperations, m.StoreLatency, m.HTTPLatency, m.GraphQLLatency,
		m.MongoCommands, m.MongoCommandLatency, m.CacheLookups, m.LoaderBatchSizes,
	)
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
}

// ObserveCacheLookup counts a lookup in the response cache, hit or miss;
// the hit ratio is hits / (hits + misses).
func (m *Metrics) ObserveCacheLookup(hit bool) {
	result := "miss"
	if hit {
		result = "hit"
	}
	m.CacheLookups.WithLabelValues(result).Inc()
}

// ObserveHTTP records one HTTP request: its route pattern (never the raw
// path, so the label set stays small), method, status code and duration.
func (m *Metrics) ObserveHTTP(route, method string, code int, d time.Duration) {
	if route == "" {
		route = "none"
	}
	if code < 100 || code > 599 {
		code = 0
	}
	m.HTTPLatency.WithLabelValues(route, Method(method), strconv.Itoa(code)).Observe(d.Seconds())
}

// Method returns an HTTP method as a label: one of the methods the API
// knows, or "other", so that clients cannot grow the label set.
func Method(method string) string {
	switch method {
	case "GET", "HEAD", "POST", "OPTIONS", "PUT", "PATCH", "DELETE":
		return method
	}
	return "other"
}

// ObserveGraphQL records one GraphQL operation. name is the operation's
// name only when the document is a registered persisted query (the caller
// decides), else "other": clients choose names, and labels must not grow
// with them. kind is query, mutation or subscription.
func (m *Metrics) ObserveGraphQL(name, kind string, d time.Duration) {
	if name == "" {
		name = "other"
	}
	switch kind {
	case "query", "mutation", "subscription":
	default:
		kind = "other"
	}
	m.GraphQLLatency.WithLabelValues(name, kind).Observe(d.Seconds())
}

// ObserveMongoCommand records one command of the MongoDB driver (fed by
// its command monitor): its name, the collection it addressed ("" for
// none), its round trip and whether it failed.
func (m *Metrics) ObserveMongoCommand(command, collection string, d time.Duration, failed bool) {
	outcome := "ok"
	if failed {
		outcome = "error"
	}
	m.MongoCommands.WithLabelValues(command, collection, outcome).Inc()
	m.MongoCommandLatency.WithLabelValues(command).Observe(d.Seconds())
}

// Store wraps a content.Store so that every operation is counted and timed
// (a content.Instrument observer).
func (m *Metrics) Store(s content.Store) content.Store { return content.Instrument(s, m.observeStore) }

// observeStore counts and times one store operation, by kind ("mixed" for
// a put or an apply of nothing), operation and outcome.
func (m *Metrics) observeStore(ctx context.Context, op *content.StoreOp) (context.Context, func(error)) {
	kind := op.Kind
	if kind == "" && (op.Name == content.StorePut || op.Name == content.StoreApply) {
		kind = "mixed"
	}
	start := time.Now()
	return ctx, func(err error) {
		outcome := "ok"
		if err != nil {
			outcome = "error"
		}
		m.StoreOperations.WithLabelValues(string(kind), op.Name, outcome).Inc()
		m.StoreLatency.WithLabelValues(string(kind), op.Name).Observe(time.Since(start).Seconds())
	}
}
