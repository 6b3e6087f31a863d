// Package loaders batches the reads of one GraphQL request: every nested
// field that points at other records asks a loader, and each loader turns
// all the keys asked for in one tick into a single store call. Loaders live
// for one request only, so nothing is cached between requests and no
// replica keeps state another would need.
package loaders

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/vikstrous/dataloadgen"

	"estafette/content"
)

// wait is how long a loader collects keys before it calls the store.
const wait = time.Millisecond

// Loaders are the per-request loaders.
type Loaders struct {
	Edition      *dataloadgen.Loader[string, *content.Edition]
	Region       *dataloadgen.Loader[string, *content.Region]
	Initiative   *dataloadgen.Loader[string, *content.Initiative]
	Activity     *dataloadgen.Loader[string, *content.Activity]
	Organization *dataloadgen.Loader[string, *content.Organization]
	Theme        *dataloadgen.Loader[string, *content.Theme]
	Recap        *dataloadgen.Loader[string, *content.Recap]
	// RegionOfProvince loads the region that holds a province, by province slug.
	RegionOfProvince *dataloadgen.Loader[string, *content.Region]
	// LegsOfRegion loads a region's legs across editions, by region id.
	LegsOfRegion *dataloadgen.Loader[string, []*content.Leg]
}

// Option configures the loaders.
type Option func(*config)

type config struct {
	batchSizes prometheus.ObserverVec
	uncached   bool
}

// uncached makes loaders that batch but never remember: for subscriptions,
// whose one context serves events for as long as the connection lives.
func uncached() Option { return func(c *config) { c.uncached = true } }

// WithBatchSizes observes the number of keys of every store call a loader
// makes in h, labelled with the loader's name (edition, region, …,
// regionOfProvince, legsOfRegion). h must have exactly one label, loader.
func WithBatchSizes(h prometheus.ObserverVec) Option {
	return func(c *config) { c.batchSizes = h }
}

// New returns fresh loaders over cat. When batching is false every load is
// its own store call, uncached, as if there were no loaders: that is only
// for measuring what they save.
func New(cat *content.Catalog, batching bool, options ...Option) *Loaders {
	var cfg config
	for _, o := range options {
		o(&cfg)
	}
	opts := []dataloadgen.Option{dataloadgen.WithWait(wait)}
	if !batching {
		opts = append(opts, dataloadgen.WithBatchCapacity(1), dataloadgen.WithoutCache())
	} else if cfg.uncached {
		opts = append(opts, dataloadgen.WithoutCache())
	}
	return &Loaders{
		Edition:      byID[content.Edition](cat, "edition", cfg, opts),
		Region:       byID[content.Region](cat, "region", cfg, opts),
		Initiative:   byID[content.Initiative](cat, "initiative", cfg, opts),
		Activity:     byID[content.Activity](cat, "activity", cfg, opts),
		Organization: byID[content.Organization](cat, "organization", cfg, opts),
		Theme:        byID[content.Theme](cat, "theme", cfg, opts),
		Recap:        byID[content.Recap](cat, "recap", cfg, opts),
		RegionOfProvince: dataloadgen.NewLoader(observed(cfg, "regionOfProvince", func(ctx context.Context, slugs []string) ([]*content.Region, []error) {
			m, err := cat.RegionsByProvince(ctx, slugs)
			return aligned(slugs, m, err)
		}), opts...),
		LegsOfRegion: dataloadgen.NewLoader(observed(cfg, "legsOfRegion", func(ctx context.Context, ids []string) ([][]*content.Leg, []error) {
			m, err := cat.LegsOfRegions(ctx, ids)
			return aligned(ids, m, err)
		}), opts...),
	}
}

// observed wraps a batch function so that the size of every batch is
// observed, when the loaders have a histogram for it.
func observed[V any](cfg config, name string, fetch func(context.Context, []string) ([]V, []error)) func(context.Context, []string) ([]V, []error) {
	if cfg.batchSizes == nil {
		return fetch
	}
	return func(ctx context.Context, keys []string) ([]V, []error) {
		cfg.batchSizes.WithLabelValues(name).Observe(float64(len(keys)))
		return fetch(ctx, keys)
	}
}

// byID is a loader of records of one kind by id. Missing or invisible ids
// load as nil without an error.
func byID[T any, P interface {
	*T
	content.Record
}](cat *content.Catalog, name string, cfg config, opts []dataloadgen.Option) *dataloadgen.Loader[string, P] {
	return dataloadgen.NewLoader(observed(cfg, name, func(ctx context.Context, ids []string) ([]P, []error) {
		m, err := content.Get[T, P](ctx, cat, ids)
		return aligned(ids, m, err)
	}), opts...)
}

// aligned returns the values of m in the order of keys (zero for missing
// keys), or err for every key.
func aligned[V any](keys []string, m map[string]V, err error) ([]V, []error) {
	if err != nil {
		return nil, []error{err}
	}
	out := make([]V, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out, nil
}

type ctxKey struct{}

// Middleware gives every request its own loaders and a memo for slug
// lookups.
func Middleware(cat *content.Catalog, batching bool, next http.Handler, options ...Option) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		opts := options
		if Streaming(r) {
			opts = append(append([]Option(nil), options...), uncached())
		}
		next.ServeHTTP(w, r.WithContext(With(r.Context(), cat, batching, opts...)))
	})
}

// Streaming reports whether r opens a stream of responses (a WebSocket or
// Server-Sent Events) rather than asking for one.
func Streaming(r *http.Request) bool {
	return r.Header.Get("Upgrade") != "" || strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}

// With returns ctx carrying fresh loaders over cat.
func With(ctx context.Context, cat *content.Catalog, batching bool, options ...Option) context.Context {
	return context.WithValue(content.WithMemo(ctx), ctxKey{}, New(cat, batching, options...))
}

// For returns the loaders of the request in ctx. It panics when the
// request did not pass through Middleware or With: that is a wiring bug.
func For(ctx context.Context) *Loaders {
	l, ok := ctx.Value(ctxKey{}).(*Loaders)
	if !ok {
		panic("loaders: context has no loaders; wrap the handler in loaders.Middleware")
	}
	return l
}

// one loads a single record, nil for an empty id.
func one[V any](ctx context.Context, l *dataloadgen.Loader[string, *V], id string) (*V, error) {
	if id == "" {
		return nil, nil
	}
	return l.Load(ctx, id)
}

// many loads records by ids and leaves out those that do not exist or are
// not visible, keeping the order of ids.
func many[V any](ctx context.Context, l *dataloadgen.Loader[string, *V], ids []string) ([]*V, error) {
	if len(ids) == 0 {
		return []*V{}, nil
	}
	vs, err := l.LoadAll(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*V, 0, len(vs))
	for _, v := range vs {
		if v != nil {
			out = append(out, v)
		}
	}
	return out, nil
}

// Edition loads an edition by id; nil when missing.
func Edition(ctx context.Context, id string) (*content.Edition, error) {
	return one(ctx, For(ctx).Edition, id)
}

// Region loads a region by id; nil when missing.
func Region(ctx context.Context, id string) (*content.Region, error) {
	return one(ctx, For(ctx).Region, id)
}

// Initiative loads an initiative by id; nil when missing.
func Initiative(ctx context.Context, id string) (*content.Initiative, error) {
	return one(ctx, For(ctx).Initiative, id)
}

// Activity loads an activity by id; nil when missing.
func Activity(ctx context.Context, id string) (*content.Activity, error) {
	return one(ctx, For(ctx).Activity, id)
}

// Organization loads an organisation by id; nil when missing.
func Organization(ctx context.Context, id string) (*content.Organization, error) {
	return one(ctx, For(ctx).Organization, id)
}

// Theme loads a theme by id; nil when missing.
func Theme(ctx context.Context, id string) (*content.Theme, error) {
	return one(ctx, For(ctx).Theme, id)
}

// Recap loads a recap by id; nil when missing.
func Recap(ctx context.Context, id string) (*content.Recap, error) {
	return one(ctx, For(ctx).Recap, id)
}

// Editions loads editions by ids, leaving out missing ones.
func Editions(ctx context.Context, ids []string) ([]*content.Edition, error) {
	return many(ctx, For(ctx).Edition, ids)
}

// Regions loads regions by ids, leaving out missing ones.
func Regions(ctx context.Context, ids []string) ([]*content.Region, error) {
	return many(ctx, For(ctx).Region, ids)
}

// Initiatives loads initiatives by ids, leaving out missing ones.
func Initiatives(ctx context.Context, ids []string) ([]*content.Initiative, error) {
	return many(ctx, For(ctx).Initiative, ids)
}

// Organizations loads organisations by ids, leaving out missing ones.
func Organizations(ctx context.Context, ids []string) ([]*content.Organization, error) {
	return many(ctx, For(ctx).Organization, ids)
}

// Themes loads themes by ids, leaving out missing ones.
func Themes(ctx context.Context, ids []string) ([]*content.Theme, error) {
	return many(ctx, For(ctx).Theme, ids)
}

// RegionOfProvince loads the region holding the province with the slug.
func RegionOfProvince(ctx context.Context, slug string) (*content.Region, error) {
	return one(ctx, For(ctx).RegionOfProvince, slug)
}

// LegsOfRegion loads the legs of a region across editions, oldest first.
func LegsOfRegion(ctx context.Context, regionID string) ([]*content.Leg, error) {
	return For(ctx).LegsOfRegion.Load(ctx, regionID)
}

// Prime puts records that a write just stored into the request's loaders,
// so that the fields of a mutation's payload cost no further store calls.
func Prime(ctx context.Context, records ...content.Record) {
	l, ok := ctx.Value(ctxKey{}).(*Loaders)
	if !ok {
		return
	}
	for _, r := range records {
		switch v := r.(type) {
		case *content.Edition:
			prime(l.Edition, v.ID, v)
		case *content.Region:
			prime(l.Region, v.ID, v)
		case *content.Initiative:
			prime(l.Initiative, v.ID, v)
		case *content.Activity:
			prime(l.Activity, v.ID, v)
		case *content.Organization:
			prime(l.Organization, v.ID, v)
		case *content.Theme:
			prime(l.Theme, v.ID, v)
		case *content.Recap:
			prime(l.Recap, v.ID, v)
		}
	}
}

func prime[V any](l *dataloadgen.Loader[string, V], id string, v V) {
	l.Clear(id)
	l.Prime(id, v)
}
