package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"estafette/internal/app"
	"estafette/seed"
)

// seedCommand loads the seed content, and with --synthetic N synthetic
// activities.
func seedCommand(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	synthetic := fs.Int("synthetic", 0, "add this many synthetic activities")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *synthetic < 0 {
		return usageErrorf("seed: --synthetic must be 0 or more, not %d", *synthetic)
	}
	cfg.NoSeed = true
	m := app.New(cfg)
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	n, err := seed.Load(ctx, m.Catalog())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seed content: %d records\n", n)
	if *synthetic > 0 {
		bar := newProgress(stderr, "synthetic activities", *synthetic)
		if err := seed.LoadSynthetic(ctx, m.Catalog(), *synthetic, bar.Set); err != nil {
			return err
		}
		bar.Done()
		fmt.Fprintf(stdout, "synthetic activities: %d\n", *synthetic)
	}
	return nil
}
