package content

import (
	"context"
	"fmt"
	"strings"
)

// CopyCount is the number of documents Copy copied of one kind.
type CopyCount struct {
	Kind Kind
	N    int
}

// CopyProgress is what Copy reports as it goes: once a collection is
// counted (Done 0), after every page, and when the collection is finished.
type CopyProgress struct {
	Kind     Kind
	Done     int  // documents of Kind copied so far
	Total    int  // documents of Kind in the source (at least Done)
	Finished bool // Kind is copied; later reports are of other kinds
}

// Copy copies every collection of colls from src into dst, page documents
// at a time in id order (so memory stays constant however large a
// collection is), reporting to progress when it is not nil. Content
// records are encoded anew through a catalog over src, so every index
// value, the denormalised ones included, is written in full; the other
// kinds (the audit log, API keys, …) must have scalar fields only, since
// Find does not return multi-valued ones, and are copied as they are. Put
// replaces by id, so copying again is harmless. At the end Copy compares
// the number of documents of every collection in both stores and fails on
// a difference. It returns the counts of the collections it copied, in
// the order of colls, also with an error.
func Copy(ctx context.Context, src, dst Store, colls []Collection, page int, progress func(CopyProgress)) ([]CopyCount, error) {
	if page < 1 {
		return nil, Invalidf("page", "a page must hold 1 or more documents, not %d", page)
	}
	if progress == nil {
		progress = func(CopyProgress) {}
	}
	cat := NewCatalog(src)
	var out []CopyCount
	for _, coll := range colls {
		n, err := copyCollection(ctx, cat, dst, coll, page, progress)
		if err != nil {
			return out, err
		}
		out = append(out, CopyCount{coll.Kind, n})
	}
	return out, verifyCopy(ctx, src, dst, out)
}

// copyCollection copies the documents of one collection, page by page,
// and returns how many it copied.
func copyCollection(ctx context.Context, cat *Catalog, dst Store, coll Collection, page int, progress func(CopyProgress)) (int, error) {
	kind, src := coll.Kind, cat.store
	decode := IsContentKind(kind)
	if !decode && len(coll.Multis) > 0 {
		return 0, fmt.Errorf("cannot copy %s: its multi-valued fields cannot be read back", kind)
	}
	total, err := src.Count(ctx, kind, nil)
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", kind, err)
	}
	progress(CopyProgress{Kind: kind, Total: total})
	done, last := 0, ""
	for {
		var where *Cond
		if done > 0 {
			where = Gt("id", last)
		}
		docs, err := src.Find(ctx, Query{Kind: kind, Where: where, Sort: []SortKey{{Field: "id"}}, Limit: page})
		if err != nil {
			return done, fmt.Errorf("read %s: %w", kind, err)
		}
		if len(docs) == 0 {
			break
		}
		last = docs[len(docs)-1].ID
		if decode {
			if docs, err = reencode(ctx, cat, docs); err != nil {
				return done, fmt.Errorf("encode %s: %w", kind, err)
			}
		}
		if err := dst.Put(ctx, docs...); err != nil {
			return done, fmt.Errorf("write %s after %s: %w", kind, last, err)
		}
		done += len(docs)
		progress(CopyProgress{Kind: kind, Done: done, Total: max(total, done)})
		if len(docs) < page {
			break
		}
	}
	progress(CopyProgress{Kind: kind, Done: done, Total: max(total, done), Finished: true})
	return done, nil
}

// reencode decodes content documents and encodes them again through cat,
// so that every index value is computed by this build.
func reencode(ctx context.Context, cat *Catalog, docs []Doc) ([]Doc, error) {
	records := make([]Record, len(docs))
	for i, d := range docs {
		var err error
		if records[i], err = Decode(d); err != nil {
			return nil, err
		}
	}
	return cat.Encode(ctx, records...)
}

// verifyCopy checks that every collection copied holds as many documents
// in src as were copied and as many in dst as in src.
func verifyCopy(ctx context.Context, src, dst Store, copied []CopyCount) error {
	var mismatches []string
	for _, c := range copied {
		n, err := src.Count(ctx, c.Kind, nil)
		if err != nil {
			return fmt.Errorf("count %s: %w", c.Kind, err)
		}
		m, err := dst.Count(ctx, c.Kind, nil)
		if err != nil {
			return fmt.Errorf("count %s in the destination: %w", c.Kind, err)
		}
		switch {
		case n != c.N:
			mismatches = append(mismatches, fmt.Sprintf("%s: %d copied but the source now has %d (it changed during the copy; run copy again)", c.Kind, c.N, n))
		case m != n:
			mismatches = append(mismatches, fmt.Sprintf("%s: %d in the source, %d in the destination (it had records the source does not have)", c.Kind, n, m))
		}
	}
	if len(mismatches) > 0 {
		return fmt.Errorf("the copy does not match:\n  %s", strings.Join(mismatches, "\n  "))
	}
	return nil
}
