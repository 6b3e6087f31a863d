package content

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Catalog is the typed, rule-keeping view of a Store. Every read of the API
// goes through it: it decides what a caller may see, turns filters into
// store conditions, pages with cursors and decodes documents into records.
type Catalog struct {
	store  Store
	now    func() time.Time
	outbox Outbox
	// revisionsKeep is the retention of revisions (0: all).
	revisionsKeep int
	// noRevisions switches revisions off; only for the benchmark that
	// measures what they cost.
	noRevisions bool
}

// NewCatalog returns a Catalog over store.
func NewCatalog(store Store) *Catalog { return &Catalog{store: store, now: time.Now} }

// Store returns the store behind the catalog.
func (c *Catalog) Store() Store { return c.store }

// WithClock returns a copy of the catalog that reads the time from now.
func (c *Catalog) WithClock(now func() time.Time) *Catalog {
	cp := *c
	cp.now = now
	return &cp
}

// Now returns the catalog's current time.
func (c *Catalog) Now() time.Time { return c.now() }

// visible is the condition on the documents the caller of ctx may see:
// published ones, and drafts for callers allowed to preview. Deleted
// records are seen by nobody (an admin restores them through their id).
func visible(ctx context.Context) *Cond {
	if ViewerFrom(ctx).Drafts {
		return In("status", string(StatusPublished), string(StatusDraft))
	}
	return Eq("status", string(StatusPublished))
}

func visibleRecord(ctx context.Context, m *Meta) bool {
	if m.DeletedAt != nil {
		return false
	}
	return m.Status == StatusPublished || (m.Status == StatusDraft && ViewerFrom(ctx).Drafts)
}

// Get returns the visible records of kind K with the given ids, keyed by id.
// Missing and invisible ids are absent.
func Get[T any, P interface {
	*T
	Record
}](ctx context.Context, c *Catalog, ids []string) (map[string]P, error) {
	kind := P(new(T)).RecordKind()
	docs, err := c.store.Get(ctx, kind, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]P, len(docs))
	for id, d := range docs {
		r, err := decode[T, P](d)
		if err != nil {
			return nil, err
		}
		if visibleRecord(ctx, r.meta()) {
			out[id] = r
		}
	}
	return out, nil
}

// GetOne returns the visible record of kind K with id, or nil.
func GetOne[T any, P interface {
	*T
	Record
}](ctx context.Context, c *Catalog, id string) (P, error) {
	m, err := Get[T, P](ctx, c, []string{id})
	if err != nil {
		return nil, err
	}
	return m[id], nil
}

// BySlug returns the visible record of kind K with the slug, or nil. A
// slug the record had before (an alias) finds it too: compare the slug of
// the result to tell, for example to redirect to its current address.
func BySlug[T any, P interface {
	*T
	Record
}](ctx context.Context, c *Catalog, slug string) (P, error) {
	r, err := findOne[T, P](ctx, c, Eq("slug", slug))
	if err != nil || r != nil {
		return r, err
	}
	return aliased[T, P](ctx, c, slug)
}

func findOne[T any, P interface {
	*T
	Record
}](ctx context.Context, c *Catalog, where *Cond) (P, error) {
	kind := P(new(T)).RecordKind()
	docs, err := c.store.Find(ctx, Query{Kind: kind, Where: And(visible(ctx), where), Sort: []SortKey{{Field: "id"}}, Limit: 1})
	if err != nil || len(docs) == 0 {
		return nil, err
	}
	return decode[T, P](docs[0])
}

// all returns every visible record of kind K matching where, in sort order.
// Only for kinds that are small by nature (regions, themes).
func all[T any, P interface {
	*T
	Record
}](ctx context.Context, c *Catalog, where *Cond, sort ...SortKey) ([]P, error) {
	kind := P(new(T)).RecordKind()
	docs, err := c.store.Find(ctx, Query{Kind: kind, Where: And(visible(ctx), where), Sort: append(sort, SortKey{Field: "id"})})
	if err != nil {
		return nil, err
	}
	return decodeAll[T, P](docs)
}

func decodeAll[T any, P interface {
	*T
	Record
}](docs []Doc) ([]P, error) {
	out := make([]P, len(docs))
	for i, d := range docs {
		r, err := decode[T, P](d)
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

// list pages through a listing and decodes the page.
func list[T any, P interface {
	*T
	Record
}](ctx context.Context, c *Catalog, l listing, p PageArgs) (*Page[P], error) {
	l.where = And(visible(ctx), l.where)
	docs, cursors, hasNext, hasPrev, err := c.fetch(ctx, l, p)
	if err != nil {
		return nil, err
	}
	items, err := decodeAll[T, P](docs)
	if err != nil {
		return nil, err
	}
	where := l.where
	return &Page[P]{
		Items: items, Cursors: cursors, HasNextPage: hasNext, HasPreviousPage: hasPrev,
		count: func(ctx context.Context) (int, error) { return c.store.Count(ctx, l.kind, where) },
	}, nil
}

// emptyPage is the page of a list that cannot have items, such as one
// filtered on a slug that does not exist. Its arguments are checked as for
// any other page of l, so a bad cursor is refused here too.
func emptyPage[P any](l listing, p PageArgs) (*Page[P], error) {
	if err := checkPageArgs(p); err != nil {
		return nil, err
	}
	for _, c := range []struct {
		field  string
		cursor *string
	}{{"after", p.After}, {"before", p.Before}} {
		if c.cursor != nil {
			if _, err := decodeCursor(*c.cursor, c.field, l); err != nil {
				return nil, err
			}
		}
	}
	return &Page[P]{count: func(context.Context) (int, error) { return 0, nil }}, nil
}

// Save stores records as they are (the caller set their metadata), all or
// none. The documents carry the denormalised index values of Encode.
func (c *Catalog) Save(ctx context.Context, records ...Record) error {
	docs, err := c.Encode(ctx, records...)
	if err != nil {
		return err
	}
	return c.store.Put(ctx, docs...)
}

// refs resolves the slugs that filters name into record ids, remembering
// the answers for the rest of the request when the context carries a memo.
type refKey struct {
	kind Kind
	slug string
}

type memoKey struct{}

type memo struct {
	mu  sync.Mutex
	ids map[refKey][]string
}

// WithMemo returns a context that remembers slug lookups for the rest of a
// request, so that nested lists filtered on the same slug cost one lookup.
func WithMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, memoKey{}, &memo{ids: map[refKey][]string{}})
}

// resolve returns the ids of the visible records of kind with the slug
// (none or one), using the request memo when there is one.
func (c *Catalog) resolve(ctx context.Context, kind Kind, field, value string) ([]string, error) {
	m, _ := ctx.Value(memoKey{}).(*memo)
	key := refKey{kind, field + "=" + value}
	if m != nil {
		m.mu.Lock()
		ids, ok := m.ids[key]
		m.mu.Unlock()
		if ok {
			return ids, nil
		}
	}
	docs, err := c.store.Find(ctx, Query{Kind: kind, Where: And(visible(ctx), Eq(field, value)), Sort: []SortKey{{Field: "id"}}, Limit: 1})
	if err != nil {
		return nil, err
	}
	ids := []string{}
	for _, d := range docs {
		ids = append(ids, d.ID)
	}
	if len(ids) == 0 && field == "slug" {
		// An earlier slug leads to the record too.
		if a, _, err := c.alias(ctx, kind, value); err != nil {
			return nil, err
		} else if a != nil {
			r, err := c.GetAny(ctx, kind, a.RecordID)
			if err != nil {
				return nil, err
			}
			if r != nil {
				ids = append(ids, a.RecordID)
			}
		}
	}
	if m != nil {
		m.mu.Lock()
		m.ids[key] = ids
		m.mu.Unlock()
	}
	return ids, nil
}

// ref narrows a filter field to the id of a referenced record given by id
// and/or slug. It reports false when no record can match, so the list is
// empty.
func (c *Catalog) ref(ctx context.Context, kind Kind, id string, lookupField string, lookup *string) (string, bool, error) {
	if lookup == nil {
		return id, true, nil
	}
	ids, err := c.resolve(ctx, kind, lookupField, *lookup)
	if err != nil || len(ids) == 0 {
		return "", false, err
	}
	if id != "" && !slices.Contains(ids, id) {
		return "", false, nil
	}
	return ids[0], true, nil
}

// GetAny returns the visible record of kind with id, or nil.
func (c *Catalog) GetAny(ctx context.Context, kind Kind, id string) (Record, error) {
	docs, err := c.store.Get(ctx, kind, []string{id})
	if err != nil {
		return nil, err
	}
	d, ok := docs[id]
	if !ok {
		return nil, nil
	}
	r, err := Decode(d)
	if err != nil || !visibleRecord(ctx, r.meta()) {
		return nil, err
	}
	return r, nil
}
