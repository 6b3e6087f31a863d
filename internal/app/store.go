package app

import (
	"context"
	"fmt"

	"estafette/content"
	"estafette/internal/collections"
	"estafette/internal/metrics"
	"estafette/mongodb"
	"estafette/sqlite"
)

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

// OpenStore opens the store the configuration selects, without the
// program's decorators, for commands that work on the store itself
// (backup, check).
func OpenStore(ctx context.Context, cfg Config) (content.Store, error) { return openStore(ctx, cfg) }

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

// OpenMongo opens the MongoDB store at uri (which may differ from the
// configuration's, as for estafette copy), in the database mongodb.DatabaseName
// names, with the configuration's MongoDB options. Its errors are one
// line, "cannot reach MongoDB at host:port: …".
func OpenMongo(ctx context.Context, cfg Config, uri string) (*mongodb.Store, error) {
	return openMongo(ctx, cfg, uri)
}

// openMongo is OpenMongo with options for the program's own store.
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
