package app

import (
	"context"
	"log/slog"
	"time"

	"golang.org/x/sync/errgroup"

	"estafette/content"
	"estafette/events"
	"estafette/mail"
	"estafette/submissions"
	"estafette/webhooks"
)

// startLoops starts the background loops under one errgroup: the purge of
// old records, the poll for writes of other replicas (for the response
// cache), the event bus, the webhook deliveries and the scheduler of
// planned publications (every replica runs one; each action still
// happens once, see content.Catalog.RunDue) and the mail outbox (each
// mail is claimed by one replica, see package mail). They run until Close,
// whatever becomes of ctx.
func (a *App) startLoops(ctx context.Context) {
	ctx, a.stopLoops = context.WithCancel(context.WithoutCancel(ctx))
	a.loops = new(errgroup.Group)
	store, cat, hooks, outbox := a.store, a.background, a.webhooks, a.mail
	for _, loop := range []func(context.Context){
		func(ctx context.Context) { purgeDeleted(ctx, cat, store, hooks, outbox) },
		func(ctx context.Context) { a.generation.Poll(ctx, store, time.Second) },
		a.bus.Run,
		hooks.Run,
		a.mail.Run,
		func(ctx context.Context) { sweepProposals(ctx, a.submissions) },
		func(ctx context.Context) { cat.RunScheduler(ctx, schedulePoll(a.Config.SchedulePoll)) },
	} {
		a.loops.Go(func() error { loop(ctx); return nil })
	}
}

// purgeDeleted removes, every hour, the records deleted longer ago than
// content.RetainDeleted, and change events, delivered webhooks and sent or
// failed mails (with their addresses) as old.
// Several replicas may do it at once: a record purged by one is skipped by
// the others.
func purgeDeleted(ctx context.Context, cat *content.Catalog, store content.Store, hooks *webhooks.Service, outbox *mail.Outbox) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		cutoff := cat.Now().Add(-content.RetainDeleted)
		n, err := cat.Purge(ctx, cutoff)
		if err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "cannot purge deleted records", "err", err)
		} else if n > 0 {
			slog.InfoContext(ctx, "purged deleted records", "count", n)
		}
		// Change events and finished deliveries are kept as long.
		if n, err := events.Purge(ctx, store, cutoff); err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "cannot purge old change events", "err", err)
		} else if n > 0 {
			slog.InfoContext(ctx, "purged old change events", "count", n)
		}
		if n, err := hooks.PurgeDelivered(ctx, cutoff); err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "cannot purge old webhook deliveries", "err", err)
		} else if n > 0 {
			slog.InfoContext(ctx, "purged old webhook deliveries", "count", n)
		}
		if n, err := outbox.Purge(ctx, cutoff); err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "cannot purge old mails", "err", err)
		} else if n > 0 {
			slog.InfoContext(ctx, "purged old mails", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// sweepProposals, every 10 minutes (the first time 10 minutes after the
// start, so that a starting replica does not add to the store's load),
// deletes the unconfirmed proposals past
// submissions.ConfirmWithin and erases the contacts of proposals whose
// edition ended longer ago than PROPOSAL_CONTACT_RETENTION (each erasure
// audited). Several replicas may do it at once: each change is guarded by
// the proposal's version.
func sweepProposals(ctx context.Context, s *submissions.Submissions) {
	tick := time.NewTicker(10 * time.Minute)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if n, err := s.Expire(ctx); err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "cannot expire unconfirmed proposals", "err", err)
		} else if n > 0 {
			slog.InfoContext(ctx, "expired unconfirmed proposals", "count", n)
		}
		if n, err := s.EraseContacts(ctx); err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "cannot erase the contacts of old proposals", "err", err)
		} else if n > 0 {
			slog.InfoContext(ctx, "erased the contacts of proposals", "count", n)
		}
	}
}

// schedulePoll is the interval of the scheduler: d, or a second.
func schedulePoll(d time.Duration) time.Duration {
	if d <= 0 {
		return time.Second
	}
	return d
}
