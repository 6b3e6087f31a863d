// Package app is the composition root of Estafette: it builds the whole
// object graph once, from a Config. The store and its decorators (metrics,
// the response cache's generation, tracing), the catalog with its outbox
// (change events and webhook deliveries), the services (API keys, the
// event bus, webhooks, persisted queries, the rate limiter, the response
// cache), the HTTP handler, the listeners and the background loops. The
// command (package main) and the tests (internal/apitest) both run it.
//
// The life of an App: New, then Open (the store and the services, seeded
// when empty; enough for a command-line tool), Start (also the handler and
// the background loops) or Run (also the listeners), and Close.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"

	"estafette/auth"
	"estafette/content"
	"estafette/events"
	"estafette/internal/metrics"
	"estafette/internal/tracing"
	"estafette/mail"
	"estafette/people"
	"estafette/submissions"
	"estafette/web/gqlhttp"
	"estafette/web/gqlhttp/persisted"
	"estafette/web/respcache"
	"estafette/webhooks"
)

// App is the program, wired.
type App struct {
	// Config is what New was given.
	Config Config
	// Metrics collects the metrics of everything the App runs.
	Metrics *metrics.Metrics

	o options

	store      content.Store    // the decorated store; background loops use it
	catalog    *content.Catalog // over the store of requests
	background *content.Catalog // over store, for the loops
	generation respcache.Generation
	tracer     *tracing.Provider
	keys       *auth.Keys
	people     *people.People
	persisted  *persisted.Queries
	cache      *respcache.Cache
	// health follows storage faults of writes, for /readyz.
	health   *content.Health
	bus      *events.Bus
	webhooks *webhooks.Service
	mail     *mail.Outbox
	// submissions handles the proposals of the public.
	submissions *submissions.Submissions
	handler     http.Handler
	// streams are the open subscriptions of handler, ended at Close.
	streams *gqlhttp.Streams

	stopLoops context.CancelFunc
	loops     *errgroup.Group

	server    *http.Server
	listener  net.Listener
	served    chan error
	admin     *http.Server
	adminAddr string
}

// New returns the App of cfg; nothing is opened before Open.
func New(cfg Config, opts ...Option) *App {
	a := &App{Config: cfg, Metrics: metrics.New(), o: defaultOptions()}
	for _, f := range opts {
		f(&a.o)
	}
	return a
}

// Start opens the App (see Open), builds the HTTP handler and starts the
// background loops; it serves nothing (see Run, or serve Handler).
func (a *App) Start(ctx context.Context) error {
	if err := a.Open(ctx); err != nil {
		return err
	}
	if a.handler == nil {
		a.handler = a.newHandler()
	}
	if a.loops == nil {
		a.startLoops(ctx)
	}
	return nil
}

// Handler returns the HTTP handler; nil before Start.
func (a *App) Handler() http.Handler { return a.handler }

// Catalog returns the catalog over the opened store.
func (a *App) Catalog() *content.Catalog { return a.catalog }

// Store returns the opened store, with its decorators.
func (a *App) Store() content.Store { return a.store }

// Keys returns the API keys.
func (a *App) Keys() *auth.Keys { return a.keys }

// People returns the people of the desk, their invitations and sessions.
func (a *App) People() *people.People { return a.people }

// Persisted returns the persisted queries.
func (a *App) Persisted() *persisted.Queries { return a.persisted }

// Webhooks returns the webhook service.
func (a *App) Webhooks() *webhooks.Service { return a.webhooks }

// Mail returns the outbox of emails: callers apply mail.Enqueue's write
// with their own and then Kick it (or Send a mail on its own).
func (a *App) Mail() *mail.Outbox { return a.mail }

// Submissions returns the public proposals of activities and their
// moderation.
func (a *App) Submissions() *submissions.Submissions { return a.submissions }

// OpenSubscriptions returns how many subscriptions are running, over
// Server-Sent Events and WebSockets.
func (a *App) OpenSubscriptions() int { return a.streams.Subscriptions() }

// Close stops accepting requests and lets in-flight ones finish within the
// shutdown timeout, while it ends every subscription: an SSE stream gets
// its complete event and ends, a WebSocket is closed with 1001 (going
// away). It stops the background loops and waits until every one
// returned, then closes the store. Close after Close does nothing.
func (a *App) Close() error {
	var errs []error
	if a.stopLoops != nil {
		a.stopLoops()
	}
	if a.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), a.Config.ShutdownTimeout)
		defer cancel()
		// Shutdown ends the streams once it stopped listening (see Run),
		// waits for the SSE responses among the requests in flight, but
		// not for the WebSockets, which Wait waits for.
		if err := a.server.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("shutdown: %w", err))
			_ = a.server.Close()
		}
		if err := a.streams.Wait(ctx); err != nil {
			errs = append(errs, fmt.Errorf("shutdown: subscriptions did not end: %w", err))
		}
		a.server = nil
	}
	a.streams.End()
	if a.admin != nil {
		_ = a.admin.Close()
		a.admin = nil
	}
	if a.loops != nil {
		errs = append(errs, a.loops.Wait())
	}
	if a.store != nil {
		errs = append(errs, a.store.Close())
		a.store = nil
	}
	if a.tracer != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := a.tracer.Shutdown(ctx); err != nil {
			slog.Warn("cannot export the last spans", "err", err)
		}
		a.tracer = nil
	}
	return errors.Join(errs...)
}
