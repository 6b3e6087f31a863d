package app

import (
	"context"
	"log/slog"
	"time"

	"golang.org/x/sync/errgroup"

	"estafette/content"
	"estafette/events"
)

// startLoops starts the background loops under one errgroup: the purge of
// old records, the poll for writes of other replicas (for the response
// cache), the event bus and the webhook deliveries. They run until Close,
// whatever becomes of ctx.
func (a *App) startLoops(ctx context.Context) {
	ctx, a.stopLoops = context.WithCancel(context.WithoutCancel(ctx))
	a.loops = new(errgroup.Group)
	for _, loop := range []func(context.Context){
		a.purgeDeleted,
		func(ctx context.Context) { a.generation.Poll(ctx, a.store, time.Second) },
		a.bus.Run,
		a.webhooks.Run,
	} {
		a.loops.Go(func() error { loop(ctx); return nil })
	}
}

// purgeDeleted removes, every hour, the records deleted longer ago than
// content.RetainDeleted, and change events and delivered webhooks as old.
// Several replicas may do it at once: a record purged by one is skipped by
// the others.
func (a *App) purgeDeleted(ctx context.Context) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		cutoff := a.background.Now().Add(-content.RetainDeleted)
		n, err := a.background.Purge(ctx, cutoff)
		if err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "cannot purge deleted records", "err", err)
		} else if n > 0 {
			slog.InfoContext(ctx, "purged deleted records", "count", n)
		}
		// Change events and finished deliveries are kept as long.
		if n, err := events.Purge(ctx, a.store, cutoff); err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "cannot purge old change events", "err", err)
		} else if n > 0 {
			slog.InfoContext(ctx, "purged old change events", "count", n)
		}
		if n, err := a.webhooks.PurgeDelivered(ctx, cutoff); err != nil && ctx.Err() == nil {
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
