package main

import (
	"context"
	"fmt"

	"estafette/content"
	"estafette/internal/collections"
	"estafette/internal/metrics"
	"estafette/mongodb"
	"estafette/sqlite"
)

// optimizer is a store that can refresh its query planning statistics
// after a bulk load.
type optimizer interface {
	Optimize(ctx context.Context) error
}

// storeOption adjusts how openStore opens a MongoDB store.
type storeOption func(*mongodb.Options)

// withMetrics feeds the MongoDB driver's command monitor into m.
func withMetrics(m *metrics.Metrics) storeOption {
	return func(o *mongodb.Options) {
		o.OnCommand = func(e mongodb.CommandEvent) {
			m.ObserveMongoCommand(e.Command, e.Collection, e.Duration, e.Failed)
		}
	}
}

// openStore opens the store the configuration selects: MongoDB when
// MONGODB_URI is set, else the embedded SQLite store in DataDir.
func openStore(ctx context.Context, cfg Config, opts ...storeOption) (content.Store, error) {
	if cfg.MongoURI != "" {
		return openMongo(ctx, cfg, cfg.MongoURI, opts...)
	}
	s, err := sqlite.Open(ctx, cfg.DataDir, collections.All())
	if err != nil {
		return nil, fmt.Errorf("cannot open the store in %s: %w", cfg.DataDir, err)
	}
	return s, nil
}

// openMongo opens the MongoDB store at uri, in the database
// mongodb.DatabaseName names (MONGODB_DATABASE, else the URI's, else
// estafette). Its errors are one line, "cannot reach MongoDB at host:port: …".
func openMongo(ctx context.Context, cfg Config, uri string, opts ...storeOption) (*mongodb.Store, error) {
	o := cfg.Mongo
	for _, f := range opts {
		f(&o)
	}
	db, err := mongodb.DatabaseName(uri, cfg.MongoDatabase)
	if err != nil {
		return nil, err
	}
	return mongodb.Open(ctx, uri, db, collections.All(), o)
}
