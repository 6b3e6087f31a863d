package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"

	"estafette/content"
	"estafette/internal/app"
)

// reindexCommand re-encodes the records of one kind, or of every kind, in
// place. It is safe while the API runs: a record changed in the meantime is
// skipped, since its writer encoded it anew.
func reindexCommand(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("reindex", flag.ContinueOnError)
	kind := fs.String("kind", "", "only this kind: edition, region, initiative, activity, organization, theme or recap")
	quiet := fs.Bool("quiet", false, "no progress bar")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	kinds := []content.Kind{content.KindEdition, content.KindRegion, content.KindInitiative, content.KindActivity,
		content.KindOrganization, content.KindTheme, content.KindRecap}
	if *kind != "" {
		if !slices.Contains(kinds, content.Kind(*kind)) {
			return usageErrorf("reindex: --kind %q is not a kind of record; use %s", *kind, words(kinds))
		}
		kinds = []content.Kind{content.Kind(*kind)}
	}
	cfg.NoSeed = true
	m := app.New(cfg)
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	cat := m.Catalog()
	for _, k := range kinds {
		total, err := cat.Store().Count(ctx, k, nil)
		if err != nil {
			return err
		}
		var report func(int)
		var bar *progress
		if !*quiet {
			bar = newProgress(stderr, "reindex "+string(k), total)
			report = func(done int) { bar.Set(done, total) }
		}
		n, err := cat.Reindex(ctx, k, report)
		if err != nil {
			return err
		}
		if bar != nil {
			bar.Done()
		}
		fmt.Fprintf(stdout, "%s: %d of %d re-indexed\n", k, n, total)
	}
	return nil
}
