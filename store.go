package main

import (
	"context"
	"fmt"

	"estafette/content"
	"estafette/sqlite"
)

// optimizer is a store that can refresh its query planning statistics
// after a bulk load.
type optimizer interface {
	Optimize(ctx context.Context) error
}

// openStore opens the store the configuration selects: the embedded SQLite
// store in DataDir by default.
func openStore(ctx context.Context, cfg Config) (content.Store, error) {
	s, err := sqlite.Open(ctx, cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("cannot open the store in %s: %w", cfg.DataDir, err)
	}
	return s, nil
}
