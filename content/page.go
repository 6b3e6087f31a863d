package content

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
)

// Page sizes of connections.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// PageArgs are the Relay connection arguments of a list.
type PageArgs struct {
	First  *int
	After  *string
	Last   *int
	Before *string
}

// Page is one page of a list: the items with their cursors, whether more
// items exist on either side, and the total behind the list, counted only
// when asked for.
type Page[T any] struct {
	Items           []T
	Cursors         []string
	HasNextPage     bool
	HasPreviousPage bool
	count           func(context.Context) (int, error)
}

// TotalCount counts every item of the list, across all pages.
func (p *Page[T]) TotalCount(ctx context.Context) (int, error) {
	if p.count == nil {
		return len(p.Items), nil
	}
	return p.count(ctx)
}

// StartCursor returns the cursor of the first item, or nil.
func (p *Page[T]) StartCursor() *string {
	if len(p.Cursors) == 0 {
		return nil
	}
	return &p.Cursors[0]
}

// EndCursor returns the cursor of the last item, or nil.
func (p *Page[T]) EndCursor() *string {
	if len(p.Cursors) == 0 {
		return nil
	}
	return &p.Cursors[len(p.Cursors)-1]
}

// listing is a list as the domain defines it, ready to be paged through:
// the visible documents of a kind that match where, in order. When a search
// ranks its results, segments split the list into consecutive parts (title
// matches first); each part is ordered by sort.
type listing struct {
	kind     Kind
	order    string  // the name of the ordering, kept in cursors
	where    *Cond   // every item of the list
	segments []*Cond // consecutive parts of the list; nil means one part
	sort     []SortKey
}

// cursor is the decoded form of an opaque cursor: the ordering it belongs
// to, the segment of the item and its sort values (id last).
type cursor struct {
	Order   string   `json:"o"`
	Segment int      `json:"s"`
	Keys    []string `json:"k"`
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s, field string, l listing) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.Segment < 0 || c.Segment >= l.parts() || len(c.Keys) != len(l.sort)+1 {
		return c, Invalidf(field, "%q is not a cursor of this list; use a cursor from pageInfo or edges of the same query", s)
	}
	if c.Order != l.order {
		return c, Invalidf(field, "this cursor belongs to a list in another order (%s); ask again without %s", c.Order, field)
	}
	return c, nil
}

func (l listing) parts() int { return max(1, len(l.segments)) }

func (l listing) segment(i int) *Cond {
	if len(l.segments) == 0 {
		return nil
	}
	return l.segments[i]
}

// checkPageArgs validates the connection arguments.
func checkPageArgs(p PageArgs) error {
	if p.First != nil && p.Last != nil {
		return Invalidf("last", "give either first or last, not both")
	}
	if p.First != nil && (*p.First < 1 || *p.First > MaxPageSize) {
		return Invalidf("first", "first must be between 1 and %d; it was %d", MaxPageSize, *p.First)
	}
	if p.Last != nil && (*p.Last < 1 || *p.Last > MaxPageSize) {
		return Invalidf("last", "last must be between 1 and %d; it was %d", MaxPageSize, *p.Last)
	}
	return nil
}

// fetch pages through a listing with keyset cursors. The cost of a page does
// not depend on how deep it is: every query is bounded by the cursor on the
// index that backs the ordering.
func (c *Catalog) fetch(ctx context.Context, l listing, p PageArgs) ([]Doc, []string, bool, bool, error) {
	r, err := parsePage(l, p)
	if err != nil {
		return nil, nil, false, false, err
	}
	hits, err := c.pageHits(ctx, l, r)
	if err != nil {
		return nil, nil, false, false, err
	}
	more := len(hits) > r.limit
	if more {
		hits = hits[:r.limit]
	}
	if r.backward {
		slices.Reverse(hits)
	}
	docs := make([]Doc, len(hits))
	cursors := make([]string, len(hits))
	for i, h := range hits {
		docs[i] = h.doc
		cursors[i] = encodeCursor(cursor{Order: l.order, Segment: h.seg, Keys: cursorKeys(r.sort, h.doc)})
	}
	hasNext, hasPrev := more, r.after != nil
	if r.backward {
		hasNext, hasPrev = r.before != nil, more
	}
	return docs, cursors, hasNext, hasPrev, nil
}

// pageRequest is a page of a listing as fetch reads it: the decoded
// cursors, the direction, the page size and the full sort order.
type pageRequest struct {
	after, before *cursor
	backward      bool // last given: the page ends at before (or the end)
	limit         int
	sort          []SortKey // the listing's, with id last
}

// parsePage checks the connection arguments of a page and decodes its
// cursors.
func parsePage(l listing, p PageArgs) (pageRequest, error) {
	var r pageRequest
	if err := checkPageArgs(p); err != nil {
		return r, err
	}
	if p.After != nil {
		a, err := decodeCursor(*p.After, "after", l)
		if err != nil {
			return r, err
		}
		r.after = &a
	}
	if p.Before != nil {
		b, err := decodeCursor(*p.Before, "before", l)
		if err != nil {
			return r, err
		}
		r.before = &b
	}
	r.backward = p.Last != nil
	r.limit = DefaultPageSize
	switch {
	case p.First != nil:
		r.limit = *p.First
	case p.Last != nil:
		r.limit = *p.Last
	}
	// Ties are broken by id in the direction of the last key, so that one
	// index (…, key, id) serves the ordering in either direction.
	r.sort = append(slices.Clone(l.sort), SortKey{Field: "id", Desc: l.sort[len(l.sort)-1].Desc})
	return r, nil
}

// pageHit is a document of a page and the segment it belongs to.
type pageHit struct {
	doc Doc
	seg int
}

// pageHits reads up to limit+1 documents of the page, segment by segment
// in the direction of the page, so that one more than the page tells
// whether there are more.
func (c *Catalog) pageHits(ctx context.Context, l listing, r pageRequest) ([]pageHit, error) {
	first, last := 0, l.parts()-1
	if r.after != nil {
		first = r.after.Segment
	}
	if r.before != nil {
		last = r.before.Segment
	}
	order := r.sort
	if r.backward {
		order = reverse(r.sort)
	}
	var hits []pageHit
	for i := range l.parts() {
		seg := first + i
		if r.backward {
			seg = last - i
		}
		if seg < first || seg > last || len(hits) > r.limit {
			break
		}
		docs, err := c.store.Find(ctx, Query{Kind: l.kind, Where: segmentWhere(l, r, seg), Sort: order, Limit: r.limit + 1 - len(hits)})
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			hits = append(hits, pageHit{d, seg})
		}
	}
	return hits, nil
}

// segmentWhere is the condition of the documents of segment seg of the
// listing that lie between the page's cursors.
func segmentWhere(l listing, r pageRequest, seg int) *Cond {
	where := And(l.where, l.segment(seg))
	if r.after != nil && seg == r.after.Segment {
		where = And(where, keysetAfter(r.sort, r.after.Keys))
	}
	if r.before != nil && seg == r.before.Segment {
		where = And(where, keysetAfter(reverse(r.sort), r.before.Keys))
	}
	return where
}

// cursorKeys returns the sort values of d in the order sort, id last, as
// a cursor keeps them.
func cursorKeys(sort []SortKey, d Doc) []string {
	keys := make([]string, len(sort))
	for j, k := range sort {
		if k.Field == "id" {
			keys[j] = d.ID
		} else if v := d.Fields[k.Field]; len(v) > 0 {
			keys[j] = v[0]
		}
	}
	return keys
}

// keysetAfter is the condition "strictly after keys in the order sort". Its
// first clause bounds the leading sort field, so a backend can seek on the
// index instead of scanning.
func keysetAfter(sort []SortKey, keys []string) *Cond {
	cmp := func(k SortKey, v string) *Cond {
		if k.Desc {
			return Lt(k.Field, v)
		}
		return Gt(k.Field, v)
	}
	var alts []*Cond
	for i, k := range sort {
		var eqs []*Cond
		for j := range i {
			eqs = append(eqs, Eq(sort[j].Field, keys[j]))
		}
		alts = append(alts, And(append(eqs, cmp(k, keys[i]))...))
	}
	lead := Gte(sort[0].Field, keys[0])
	if sort[0].Desc {
		lead = Lte(sort[0].Field, keys[0])
	}
	return And(lead, Or(alts...))
}

func reverse(sort []SortKey) []SortKey {
	r := make([]SortKey, len(sort))
	for i, k := range sort {
		r[i] = SortKey{Field: k.Field, Desc: !k.Desc}
	}
	return r
}
