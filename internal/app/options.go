package app

import (
	"context"
	"log/slog"
	"time"

	"estafette/content"
	"estafette/seed"
)

// An Option changes how New wires the program; production uses none,
// tests use them to observe or steer it.
type Option func(*options)

type options struct {
	store     content.Store
	requests  func(content.Store) content.Store
	seed      func(context.Context, *content.Catalog) (int, error)
	now       func() time.Time
	logger    *slog.Logger
	eventPoll time.Duration
}

func defaultOptions() options {
	return options{seed: seed.Load, eventPoll: 250 * time.Millisecond}
}

// WithStore serves from s instead of the store the configuration selects;
// the App decorates it as any other and closes it on Close.
func WithStore(s content.Store) Option { return func(o *options) { o.store = s } }

// WithRequestStore wraps the store that requests use (the catalog, the API
// keys, the persisted queries) in wrap; the background loops read the
// store past it. Tests count the store calls of requests with it.
func WithRequestStore(wrap func(content.Store) content.Store) Option {
	return func(o *options) { o.requests = wrap }
}

// WithSeed replaces what Open loads into an empty store (default
// seed.Load); fn returns the number of records it stored.
func WithSeed(fn func(ctx context.Context, cat *content.Catalog) (int, error)) Option {
	return func(o *options) { o.seed = fn }
}

// WithClock makes the catalog read the time from now.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithLogger sends the access log and the errors of requests to l
// (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithEventPoll sets how often the event bus looks for change events of
// other replicas (default 250 ms).
func WithEventPoll(d time.Duration) Option { return func(o *options) { o.eventPoll = d } }
