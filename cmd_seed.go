package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"estafette/content"
	"estafette/internal/app"
	"estafette/seed"
)

// seedCommand writes the seed content without undoing anyone's work (see
// seed.Sync), or, with --synthetic, adds synthetic activities only, or,
// with --remove-synthetic, removes every synthetic record (audited, actor
// seed).
func seedCommand(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	synthetic := fs.Int("synthetic", 0, "add this many synthetic activities (only those missing), and leave the seed content as it is")
	remove := fs.Bool("remove-synthetic", false, "remove every synthetic record (activities and their synthetic organisations, initiatives and themes), audited, and leave the seed content as it is")
	reset := fs.Bool("reset-edited", false, "put seed records that someone edited back to the seed content, as a new version (needs --yes)")
	yes := fs.Bool("yes", false, "confirm --reset-edited")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("seed takes flags only, not %q", fs.Args())
	}
	if *synthetic < 0 {
		return usageErrorf("seed: --synthetic must be 0 or more, not %d", *synthetic)
	}
	if *reset && *synthetic > 0 {
		return fmt.Errorf("--reset-edited and --synthetic do not go together: run them one after the other")
	}
	if *remove && (*reset || *synthetic > 0) {
		return fmt.Errorf("--remove-synthetic goes alone: not with --synthetic or --reset-edited")
	}
	if *reset && !*yes {
		return fmt.Errorf("seed --reset-edited puts every seed record that someone edited back to the seed content " +
			"(as a new version, in the audit log; earlier versions are not kept) and undoes those edits; " +
			"add --yes to do that")
	}
	cfg.NoSeed = true
	m := app.New(cfg)
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	cat := m.Catalog()
	if *remove {
		n, err := seed.RemoveSynthetic(ctx, cat)
		if err != nil {
			return fmt.Errorf("seed --remove-synthetic: %s (%d removed before the error; run it again to finish)", content.ErrorMessage(err), n)
		}
		fmt.Fprintf(stdout, "synthetic records removed: %d\n", n)
		return nil
	}
	if *synthetic > 0 {
		// Synthetic activities refer to the seed content: a store that has
		// none gets it first (there is nothing to overwrite); otherwise the
		// seed content is left as it is.
		empty, err := seed.IsEmpty(ctx, cat.Store())
		if err != nil {
			return err
		}
		if empty {
			if err := syncSeed(ctx, cat, content.SeedOptions{}, stdout); err != nil {
				return err
			}
		}
		bar := newProgress(stderr, "synthetic activities", *synthetic)
		if err := seed.LoadSynthetic(ctx, cat, *synthetic, bar.Set); err != nil {
			return err
		}
		bar.Done()
		fmt.Fprintf(stdout, "synthetic activities: %d (those that existed kept as they are)\n", *synthetic)
		return nil
	}
	return syncSeed(ctx, cat, content.SeedOptions{ResetEdited: *reset}, stdout)
}

// syncSeed writes the seed content and reports what it did.
func syncSeed(ctx context.Context, cat *content.Catalog, opts content.SeedOptions, stdout io.Writer) error {
	rep, err := seed.Sync(ctx, cat, opts)
	if err != nil {
		return fmt.Errorf("seed: %s", content.ErrorMessage(err))
	}
	fmt.Fprintf(stdout, "seed content: %d created, %d updated, %d unchanged\n", rep.Created, rep.Updated, rep.Unchanged)
	if len(rep.Edited) > 0 {
		fmt.Fprintf(stdout, "kept %d records that someone edited: %s (seed --reset-edited --yes puts them back)\n",
			len(rep.Edited), strings.Join(rep.Edited, ", "))
	}
	if len(rep.Deleted) > 0 {
		fmt.Fprintf(stdout, "left %d deleted records deleted: %s\n", len(rep.Deleted), strings.Join(rep.Deleted, ", "))
	}
	return nil
}
