package app

import (
	"context"
	"fmt"
	"log/slog"

	"estafette/auth"
	"estafette/content"
	"estafette/events"
	"estafette/internal/tracing"
	"estafette/mail"
	"estafette/people"
	"estafette/seed"
	"estafette/sqlite"
	"estafette/submissions"
	"estafette/web/gqlhttp/persisted"
	"estafette/web/respcache"
	"estafette/webhooks"
)

// Open opens the store (creating its schema), builds the catalog and the
// services over it, and loads the seed content into an empty store unless
// the configuration says not to. Open after Open does nothing.
func (a *App) Open(ctx context.Context) error {
	if a.store != nil {
		return nil
	}
	raw := a.o.store
	if raw == nil {
		var err error
		if raw, err = openStore(ctx, a.Config, withMetrics(a.Metrics)); err != nil {
			return err
		}
	}
	a.health = &content.Health{}
	if db, ok := content.StoreAs[*sqlite.Store](raw); ok {
		a.health.Probe = db.ProbeWrite
	}
	a.store = a.health.Store(a.Metrics.Store(a.generation.Store(raw)))
	if a.Config.Tracing && a.tracer == nil {
		tp, err := tracing.New(ctx)
		if err != nil {
			return err
		}
		a.tracer = tp
		a.store = tracing.Store(a.store, tp.Tracer())
	}
	requests := a.store
	if a.o.requests != nil {
		requests = a.o.requests(a.store)
	}
	a.webhooks = webhooks.New(a.store, a.Config.Webhooks)
	sender, err := a.Config.mailSender()
	if err != nil {
		return err
	}
	mailOpts := a.Config.Mail
	if a.o.now != nil {
		mailOpts.Now = a.o.now
	}
	a.mail = mail.New(a.store, sender, mailOpts)
	a.catalog = a.newCatalog(requests)
	a.background = a.newCatalog(a.store)
	a.bus = events.NewBus(a.store, a.o.eventPoll)
	a.submissions = submissions.New(a.catalog, submissions.Options{Secret: []byte(a.Config.ProposalFormSecret),
		BaseURL: a.Config.PublicURL, Mail: a.mail, Fanout: a.webhooks.Fanout, RetainContact: a.Config.ProposalContactRetention})
	a.keys = auth.New(requests)
	a.people = people.New(requests)
	if a.o.now != nil {
		a.people.SetClock(a.o.now)
	}
	a.persisted = persisted.New(requests, a.Config.PersistedOnly)
	a.persisted.SetMaxAutomatic(a.Config.PersistedMax)
	if a.Config.ResponseCacheSize > 0 {
		maxBytes := a.Config.ResponseCacheBytes
		if maxBytes == 0 {
			maxBytes = respcache.DefaultMaxBytes
		}
		a.cache = respcache.NewBounded(&a.generation, a.Config.ResponseCacheSize, maxBytes)
	}
	if a.Config.NoSeed {
		return nil
	}
	return a.seed(ctx, raw)
}

// newCatalog returns a catalog over s with the App's clock and outbox.
func (a *App) newCatalog(s content.Store) *content.Catalog {
	cat := content.NewCatalog(s)
	if a.o.now != nil {
		cat = cat.WithClock(a.o.now)
	}
	cat.SetOutbox(events.Outbox{Fanout: a.webhooks.Fanout})
	cat.SetRevisionsKeep(a.Config.RevisionsKeep)
	return cat
}

// optimizer is a store that can refresh its query planning statistics
// after a bulk load.
type optimizer interface {
	Optimize(ctx context.Context) error
}

// seed loads the seed content when the store is empty.
func (a *App) seed(ctx context.Context, raw content.Store) error {
	empty, err := seed.IsEmpty(ctx, a.store)
	if err != nil || !empty {
		return err
	}
	n, err := a.o.seed(ctx, a.catalog)
	if err != nil {
		return fmt.Errorf("cannot load the seed content: %w", err)
	}
	slog.InfoContext(ctx, "loaded the seed content into an empty store", "records", n)
	if o, ok := raw.(optimizer); ok {
		if err := o.Optimize(ctx); err != nil {
			slog.WarnContext(ctx, "cannot optimise the store after seeding", "err", err)
		}
	}
	return nil
}
