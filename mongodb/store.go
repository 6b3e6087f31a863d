package mongodb

import (
	"context"
	"encoding/json"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/x/bsonx/bsoncore"

	"estafette/content"
)

// maxIDs is the most ids one $in carries; a Get of more (never asked by
// the API, whose pages hold at most a hundred) is split to stay far below
// the 16 MiB limit of a command.
const maxIDs = 50_000

// coll returns how kind is stored and its collection handle.
func (s *Store) coll(kind content.Kind) (*coll, *mongo.Collection, error) {
	t := s.colls[kind]
	if t == nil {
		return nil, nil, fmt.Errorf("mongodb: unknown kind %q", kind)
	}
	return t, s.handle[kind], nil
}

// Get returns the documents of kind with the given ids, keyed by id, with
// one find {_id: {$in: ids}}; ids that do not exist are absent.
func (s *Store) Get(ctx context.Context, kind content.Kind, ids []string) (map[string]content.Doc, error) {
	t, c, err := s.coll(kind)
	if err != nil {
		return nil, err
	}
	ids = unique(ids)
	out := make(map[string]content.Doc, len(ids))
	for start := 0; start < len(ids); start += maxIDs {
		chunk := ids[start:min(start+maxIDs, len(ids))]
		cur, err := c.Find(ctx, getFilter(chunk), options.Find().SetProjection(t.projection))
		if err != nil {
			return nil, fmt.Errorf("mongodb: get %s: %w", kind, err)
		}
		if err := read(ctx, t, cur, func(d content.Doc) { out[d.ID] = d }); err != nil {
			return nil, fmt.Errorf("mongodb: get %s: %w", kind, err)
		}
	}
	return out, nil
}

// Find returns the documents that match q, in q's order: one find with the
// filter, sort, limit and a projection of the body and the scalar fields.
func (s *Store) Find(ctx context.Context, q content.Query) ([]content.Doc, error) {
	t, c, err := s.coll(q.Kind)
	if err != nil {
		return nil, err
	}
	p, err := t.find(q)
	if err != nil {
		return nil, err
	}
	o := options.Find().SetProjection(p.Projection)
	if p.Sort != nil {
		o.SetSort(p.Sort)
	}
	var out []content.Doc
	if p.Limit > 0 {
		o.SetLimit(p.Limit)
		out = make([]content.Doc, 0, min(p.Limit, 128))
	}
	cur, err := c.Find(ctx, p.Filter, o)
	if err != nil {
		return nil, fmt.Errorf("mongodb: find %s: %w", q.Kind, err)
	}
	if err := read(ctx, t, cur, func(d content.Doc) { out = append(out, d) }); err != nil {
		return nil, fmt.Errorf("mongodb: find %s: %w", q.Kind, err)
	}
	return out, nil
}

// read decodes every document of a cursor and hands it to fn, then closes
// the cursor.
func read(ctx context.Context, t *coll, cur *mongo.Cursor, fn func(content.Doc)) error {
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		d, err := t.decode(cur.Current)
		if err != nil {
			return err
		}
		fn(d)
	}
	return cur.Err()
}

// decode turns a stored document into a content.Doc: the id, the body as
// JSON and the scalar fields that are present. Multi-valued fields are
// not read (the body holds them).
func (t *coll) decode(raw bson.Raw) (content.Doc, error) {
	d := content.Doc{Kind: t.desc.Kind}
	elems, err := bsoncore.Document(raw).Elements()
	if err != nil {
		return d, err
	}
	n := 0
	for _, e := range elems {
		if t.isScalar[e.Key()] {
			n++
		}
	}
	d.Fields = make(content.Fields, n)
	backing := make([]string, n) // one array for every field's value
	var body []byte
	for _, e := range elems {
		key, v := e.Key(), e.Value()
		switch {
		case key == idField:
			id, ok := v.StringValueOK()
			if !ok {
				return d, fmt.Errorf("document with a %s _id, not a string", v.Type)
			}
			d.ID = id
		case key == bodyField:
			if body, err = appendJSON(nil, v); err != nil {
				return d, fmt.Errorf("body of %s: %w", d.ID, err)
			}
		case t.isScalar[key]:
			if s, ok := v.StringValueOK(); ok && len(backing) > 0 {
				backing[0] = s
				d.Fields[key] = backing[:1:1]
				backing = backing[1:]
			}
		}
	}
	if body == nil {
		body = []byte("null")
	}
	d.Body = json.RawMessage(body)
	return d, nil
}

// Count returns the number of documents of kind that match where, with
// the aggregation [$match, $count].
func (s *Store) Count(ctx context.Context, kind content.Kind, where *content.Cond) (int, error) {
	t, c, err := s.coll(kind)
	if err != nil {
		return 0, err
	}
	p, err := t.countPipeline(where)
	if err != nil {
		return 0, err
	}
	cur, err := c.Aggregate(ctx, p)
	if err != nil {
		return 0, fmt.Errorf("mongodb: count %s: %w", kind, err)
	}
	defer cur.Close(ctx)
	n := 0
	for cur.Next(ctx) {
		v, ok := cur.Current.Lookup("n").AsInt64OK()
		if !ok {
			return 0, fmt.Errorf("mongodb: count %s: no number in %s", kind, cur.Current)
		}
		n += int(v)
	}
	if err := cur.Err(); err != nil {
		return 0, fmt.Errorf("mongodb: count %s: %w", kind, err)
	}
	return n, nil
}

// Group counts the documents of kind that match where, grouped by the
// values of the fields by, with the aggregation [$match, $group {$sum: 1}]
// on the plain fields (a multi-valued one by its whole array), expanded
// here: a document counts once per value of a multi-valued field, and not
// at all without one. A null or missing scalar groups under "", merged
// with a stored ""; buckets come ordered by their keys, byte-wise.
func (s *Store) Group(ctx context.Context, kind content.Kind, where *content.Cond, by []string) ([]content.Bucket, error) {
	t, c, err := s.coll(kind)
	if err != nil {
		return nil, err
	}
	g, err := t.groupPipeline(where, by)
	if err != nil {
		return nil, err
	}
	cur, err := c.Aggregate(ctx, g.Pipeline)
	if err != nil {
		return nil, fmt.Errorf("mongodb: group %s: %w", kind, err)
	}
	defer cur.Close(ctx)
	var b bucketSet
	for cur.Next(ctx) {
		if err := g.add(&b, cur.Current); err != nil {
			return nil, fmt.Errorf("mongodb: group %s: %w", kind, err)
		}
	}
	if err := cur.Err(); err != nil {
		return nil, fmt.Errorf("mongodb: group %s: %w", kind, err)
	}
	return b.sorted(), nil
}

// unique returns ids without duplicates, in their first order.
func unique(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
