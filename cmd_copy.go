package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"estafette/content"
	"estafette/internal/app"
	"estafette/sqlite"
)

// copyPage is the number of documents copy reads and writes at a time.
const copyPage = 500

func copyCommand(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("copy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "the store to copy from: sqlite:DIR or a mongodb:// URI")
	to := fs.String("to", "", "the store to copy to: sqlite:DIR or a mongodb:// URI")
	page := fs.Int("page", copyPage, "documents per read and write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" || *to == "" || fs.NArg() > 0 {
		return errors.New("usage: estafette copy --from sqlite:./data --to mongodb://host:27017 (or the reverse)")
	}
	if *page < 1 {
		return fmt.Errorf("--page must be 1 or more, not %d", *page)
	}
	if *from == *to {
		return fmt.Errorf("--from and --to name the same store (%s)", describeStore(*from))
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
	counts, err := copyStore(ctx, src, dst, *page, stderr)
	if err != nil {
		return err
	}
	total := 0
	for _, c := range counts {
		fmt.Fprintf(stdout, "%-14s %8d\n", c.kind, c.n)
		total += c.n
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
		s, err := sqlite.Open(ctx, dir)
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

// copied is the number of documents copied of a kind.
type copied struct {
	kind content.Kind
	n    int
}

// copyStore copies every collection of src into dst, page documents at a
// time in id order (so memory stays constant however large a collection
// is), with a progress bar per collection on progress. Content records are
// encoded anew through a catalog over src, so every index value, the
// denormalised ones included, is written in full; the other kinds (the
// audit log, API keys) have scalar fields only and are copied as they
// are. Put replaces by id, so running it again is harmless. At the end it
// compares the number of documents of every collection in both stores and
// fails on a difference.
func copyStore(ctx context.Context, src, dst content.Store, page int, progress io.Writer) ([]copied, error) {
	cat := content.NewCatalog(src)
	var out []copied
	for _, coll := range content.Collections {
		kind := coll.Kind
		decode := content.IsContentKind(kind)
		if !decode && len(coll.Multis) > 0 {
			return out, fmt.Errorf("cannot copy %s: its multi-valued fields cannot be read back", kind)
		}
		total, err := src.Count(ctx, kind, nil)
		if err != nil {
			return out, fmt.Errorf("count %s: %w", kind, err)
		}
		bar := newProgress(progress, fmt.Sprintf("%-14s", kind), total)
		done, last := 0, ""
		for {
			var where *content.Cond
			if done > 0 {
				where = content.Gt("id", last)
			}
			docs, err := src.Find(ctx, content.Query{Kind: kind, Where: where, Sort: []content.SortKey{{Field: "id"}}, Limit: page})
			if err != nil {
				return out, fmt.Errorf("read %s: %w", kind, err)
			}
			if len(docs) == 0 {
				break
			}
			last = docs[len(docs)-1].ID
			if decode {
				records := make([]content.Record, len(docs))
				for i, d := range docs {
					if records[i], err = content.Decode(d); err != nil {
						return out, err
					}
				}
				if docs, err = cat.Encode(ctx, records...); err != nil {
					return out, fmt.Errorf("encode %s: %w", kind, err)
				}
			}
			if err := dst.Put(ctx, docs...); err != nil {
				return out, fmt.Errorf("write %s after %s: %w", kind, last, err)
			}
			done += len(docs)
			bar.Set(done, max(total, done))
			if len(docs) < page {
				break
			}
		}
		bar.Done()
		out = append(out, copied{kind, done})
	}
	// Verify: every collection holds as many documents on both sides.
	var mismatches []string
	for _, c := range out {
		n, err := src.Count(ctx, c.kind, nil)
		if err != nil {
			return out, fmt.Errorf("count %s: %w", c.kind, err)
		}
		m, err := dst.Count(ctx, c.kind, nil)
		if err != nil {
			return out, fmt.Errorf("count %s in the destination: %w", c.kind, err)
		}
		switch {
		case n != c.n:
			mismatches = append(mismatches, fmt.Sprintf("%s: %d copied but the source now has %d (it changed during the copy; run copy again)", c.kind, c.n, n))
		case m != n:
			mismatches = append(mismatches, fmt.Sprintf("%s: %d in the source, %d in the destination (it had records the source does not have)", c.kind, n, m))
		}
	}
	if len(mismatches) > 0 {
		return out, fmt.Errorf("the copy does not match:\n  %s", strings.Join(mismatches, "\n  "))
	}
	return out, nil
}
