package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"estafette/content"
	"estafette/internal/app"
	"estafette/internal/collections"
	"estafette/sqlite"
)

// copyPage is the number of documents copy reads and writes at a time.
const copyPage = 500

// copyCommand copies every collection from the store --from names to the
// one --to names, and checks the counts.
func copyCommand(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("copy", flag.ContinueOnError)
	from := fs.String("from", "", "the store to copy from: sqlite:DIR or a mongodb:// URI")
	to := fs.String("to", "", "the store to copy to: sqlite:DIR or a mongodb:// URI")
	page := fs.Int("page", copyPage, "documents per read and write")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *from == "" || *to == "" || fs.NArg() > 0 {
		return usageErrorf("usage: estafette copy --from sqlite:./data --to mongodb://host:27017 (or the reverse)")
	}
	if *page < 1 {
		return usageErrorf("copy: --page must be 1 or more, not %d", *page)
	}
	if *from == *to {
		return usageErrorf("copy: --from and --to name the same store (%s)", describeStore(*from))
	}
	src, err := openSpec(ctx, cfg, *from, true)
	if err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	defer src.Close()
	dst, err := openSpec(ctx, cfg, *to, false)
	if err != nil {
		return fmt.Errorf("--to: %w", err)
	}
	defer dst.Close()
	counts, err := content.Copy(ctx, src, dst, collections.All(), *page, copyProgress(stderr))
	if err != nil {
		return err
	}
	total := 0
	for _, c := range counts {
		fmt.Fprintf(stdout, "%-14s %8d\n", c.Kind, c.N)
		total += c.N
	}
	if total == 0 {
		return fmt.Errorf("%s holds no records: nothing was copied (a wrong directory or database?)", describeStore(*from))
	}
	fmt.Fprintf(stdout, "copied %d records from %s to %s; the counts of every collection match\n", total, describeStore(*from), describeStore(*to))
	return nil
}

// openSpec opens the store a --from or --to names: sqlite:DIR, or a
// mongodb:// or mongodb+srv:// URI (database: MONGODB_DATABASE, else the
// URI's, else estafette). An SQLite source must exist already.
func openSpec(ctx context.Context, cfg app.Config, spec string, source bool) (content.Store, error) {
	switch {
	case strings.HasPrefix(spec, "sqlite:"):
		dir := strings.TrimPrefix(spec, "sqlite:")
		if dir == "" {
			return nil, fmt.Errorf("%q names no directory; write sqlite:./data", spec)
		}
		if source {
			if _, err := os.Stat(filepath.Join(dir, sqlite.FileName)); err != nil {
				return nil, fmt.Errorf("no store in %s (%s not found)", dir, sqlite.FileName)
			}
		}
		s, err := sqlite.Open(ctx, dir, collections.All())
		if err != nil {
			return nil, fmt.Errorf("cannot open the store in %s: %w", dir, err)
		}
		return s, nil
	case strings.HasPrefix(spec, "mongodb://"), strings.HasPrefix(spec, "mongodb+srv://"):
		return app.OpenMongo(ctx, cfg, spec)
	}
	return nil, fmt.Errorf("%q is neither sqlite:DIR nor a mongodb:// or mongodb+srv:// URI", describeStore(spec))
}

// describeStore names a store for messages, without credentials.
func describeStore(spec string) string {
	if i := strings.Index(spec, "://"); i >= 0 {
		if j := strings.LastIndex(spec, "@"); j > i {
			return spec[:i+3] + "…@" + spec[j+1:]
		}
	}
	return spec
}

// copyProgress draws a progress bar per collection on w for content.Copy.
func copyProgress(w io.Writer) func(content.CopyProgress) {
	var bar *progress
	return func(p content.CopyProgress) {
		if bar == nil {
			bar = newProgress(w, fmt.Sprintf("%-14s", p.Kind), p.Total)
		}
		if p.Finished {
			bar.Done()
			bar = nil
		} else if p.Done > 0 {
			bar.Set(p.Done, p.Total)
		}
	}
}
