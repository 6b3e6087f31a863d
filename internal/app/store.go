package app

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"estafette/content"
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

// openStore opens the store the configuration selects: MongoDB when
// MONGODB_URI is set, else the embedded SQLite store in DataDir.
func openStore(ctx context.Context, cfg Config, opts ...storeOption) (content.Store, error) {
	if cfg.MongoURI != "" {
		return openMongo(ctx, cfg, cfg.MongoURI, opts...)
	}
	s, err := sqlite.Open(ctx, cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("cannot open the store in %s: %w", cfg.DataDir, err)
	}
	return s, nil
}

// OpenMongo opens the MongoDB store at uri (which may differ from the
// configuration's, as for estafette copy), in the database mongoDatabase
// names, with the configuration's MongoDB options. Its errors are one
// line, "cannot reach MongoDB at host:port: …".
func OpenMongo(ctx context.Context, cfg Config, uri string) (*mongodb.Store, error) {
	return openMongo(ctx, cfg, uri)
}

func openMongo(ctx context.Context, cfg Config, uri string, opts ...storeOption) (*mongodb.Store, error) {
	o := cfg.Mongo
	for _, f := range opts {
		f(&o)
	}
	return mongodb.Open(ctx, uri, mongoDatabase(uri, cfg.MongoDatabase), o)
}

// mongoDatabase is the database of a MongoDB store: MONGODB_DATABASE when
// set, else the database named in the URI's path
// (mongodb://host/otherdb), else mongodb.DefaultDatabase ("estafette").
func mongoDatabase(uri, env string) string {
	if env != "" {
		return env
	}
	rest := uri
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	if i := strings.Index(rest, "?"); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndex(rest, "@"); i >= 0 {
		rest = rest[i+1:]
	}
	if i := strings.Index(rest, "/"); i >= 0 {
		if db, err := url.PathUnescape(rest[i+1:]); err == nil && db != "" {
			return db
		}
	}
	return mongodb.DefaultDatabase
}
