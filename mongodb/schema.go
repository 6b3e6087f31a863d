package mongodb

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"estafette/content"
)

// Reserved top-level names of a stored document.
const (
	idField      = "_id"
	bodyField    = "body"
	updatedField = "updatedAt" // a BSON date of the updatedKey field
	indexPrefix  = "est_"      // the names of the indexes this package manages
)

// fieldName is what a field of content may be called: a plain name, so
// that it is a top-level field path with no dots or operators in it.
var fieldName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// coll is how one kind is stored: its collection and its fields.
type coll struct {
	desc       content.Collection
	name       string
	scalars    []string // scalar fields besides id, in the order of desc
	isScalar   map[string]bool
	isMulti    map[string]bool
	projection bson.D // what Get and Find read: the body and the scalars
}

// newColl checks a collection description and derives how it is stored.
func newColl(c content.Collection) (*coll, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	if !fieldName.MatchString(string(c.Kind)) {
		return nil, fmt.Errorf("kind %q cannot name a collection", c.Kind)
	}
	t := &coll{desc: c, name: string(c.Kind), isScalar: map[string]bool{}, isMulti: map[string]bool{}}
	t.projection = bson.D{{Key: bodyField, Value: 1}}
	for _, f := range append(slices.Clone(c.Scalars), c.Multis...) {
		if f != "id" && (!fieldName.MatchString(f) || f == bodyField || f == updatedField) {
			return nil, fmt.Errorf("%s: field %q cannot be stored (reserved or not a plain name)", c.Kind, f)
		}
	}
	for _, f := range c.Scalars {
		if f == "id" {
			continue
		}
		t.scalars = append(t.scalars, f)
		t.isScalar[f] = true
		t.projection = append(t.projection, bson.E{Key: f, Value: 1})
	}
	for _, f := range c.Multis {
		t.isMulti[f] = true
	}
	return t, nil
}

// path returns the document path of a field of the collection, and
// whether the field is multi-valued. "id" is _id.
func (t *coll) path(field string) (string, bool, error) {
	switch {
	case field == "id":
		return idField, false, nil
	case t.isScalar[field]:
		return field, false, nil
	case t.isMulti[field]:
		return field, true, nil
	}
	return "", false, fmt.Errorf("mongodb: %s has no field %q", t.desc.Kind, field)
}

// indexSpec is an index this package manages.
type indexSpec struct {
	Name   string
	Keys   bson.D
	Unique bool
	Sparse bool
	Other  bool // has options this package does not set (a collation, a partial filter)
}

// indexes returns the indexes of the collection: the unique fields, the
// compound indexes of the description with _id appended, and one multikey
// index {status, field, _id} per multi-valued field.
func (t *coll) indexes() []indexSpec {
	var out []indexSpec
	for _, f := range t.desc.Unique {
		out = append(out, indexSpec{Name: indexPrefix + "unique_" + f, Keys: bson.D{{Key: f, Value: 1}}, Unique: true, Sparse: true})
	}
	compound := func(fields []string) indexSpec {
		keys := bson.D{}
		for _, f := range fields {
			keys = append(keys, bson.E{Key: f, Value: 1})
		}
		keys = append(keys, bson.E{Key: idField, Value: 1})
		return indexSpec{Name: indexPrefix + strings.Join(fields, "_") + "__id", Keys: keys}
	}
	for _, idx := range t.desc.Indexes {
		out = append(out, compound(idx))
	}
	for _, f := range t.desc.Multis {
		if t.isScalar["status"] {
			out = append(out, compound([]string{"status", f}))
		} else {
			out = append(out, compound([]string{f}))
		}
	}
	return out
}

// ensureIndexes brings the indexes of the collection up to date: it
// creates the missing ones and drops the managed ones (named est_…) that
// are not wanted any more or whose definition changed. It is idempotent.
// With noSparse (a server that accepts the sparse option but does not
// keep it, see sameIndex), an index listed without sparse counts as the
// sparse one wanted.
func ensureIndexes(ctx context.Context, c *mongo.Collection, want []indexSpec, noSparse bool) error {
	have, err := listIndexes(ctx, c)
	if err != nil {
		return err
	}
	var missing []mongo.IndexModel
	wanted := map[string]bool{}
	for _, w := range want {
		wanted[w.Name] = true
		h, ok := have[w.Name]
		if ok && sameIndex(h, w, noSparse) {
			continue
		}
		if ok {
			if err := c.Indexes().DropOne(ctx, w.Name); err != nil {
				return fmt.Errorf("drop index %s.%s (its definition changed): %w", c.Name(), w.Name, err)
			}
		}
		o := options.Index().SetName(w.Name)
		if w.Unique {
			o.SetUnique(true)
		}
		if w.Sparse {
			o.SetSparse(true)
		}
		missing = append(missing, mongo.IndexModel{Keys: w.Keys, Options: o})
	}
	for name := range have {
		if strings.HasPrefix(name, indexPrefix) && !wanted[name] {
			if err := c.Indexes().DropOne(ctx, name); err != nil {
				return fmt.Errorf("drop index %s.%s: %w", c.Name(), name, err)
			}
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if _, err := c.Indexes().CreateMany(ctx, missing); err != nil {
		return fmt.Errorf("create indexes on %s: %w", c.Name(), err)
	}
	return nil
}

// listIndexes returns the indexes of a collection by name; a collection
// that does not exist yet has none.
func listIndexes(ctx context.Context, c *mongo.Collection) (map[string]indexSpec, error) {
	cur, err := c.Indexes().List(ctx)
	if err != nil {
		var ce mongo.CommandError
		if errors.As(err, &ce) && ce.Code == 26 { // NamespaceNotFound
			return map[string]indexSpec{}, nil
		}
		return nil, fmt.Errorf("list indexes of %s: %w", c.Name(), err)
	}
	defer cur.Close(ctx)
	out := map[string]indexSpec{}
	for cur.Next(ctx) {
		ix := cur.Current
		name, _ := ix.Lookup("name").StringValueOK()
		var keys bson.D
		if err := ix.Lookup("key").Unmarshal(&keys); err != nil {
			return nil, fmt.Errorf("list indexes of %s: index %s: %w", c.Name(), name, err)
		}
		out[name] = indexSpec{Name: name, Keys: keys, Unique: truthy(ix.Lookup("unique")), Sparse: truthy(ix.Lookup("sparse")),
			// An index with a collation or a filter would not serve the
			// byte-wise queries of this package.
			Other: ix.Lookup("collation").Type != 0 || ix.Lookup("partialFilterExpression").Type != 0}
	}
	if err := cur.Err(); err != nil {
		return nil, fmt.Errorf("list indexes of %s: %w", c.Name(), err)
	}
	return out, nil
}

// truthy reads an index option that servers answer as a boolean or as a
// number.
func truthy(v bson.RawValue) bool {
	if b, ok := v.BooleanOK(); ok {
		return b
	}
	if f, ok := v.AsFloat64OK(); ok {
		return f != 0
	}
	return false
}

// sameIndex reports whether an existing index has the wanted definition.
// Key directions compare as numbers: servers answer 1 as int32, int64 or
// double. With noSparse the sparse option is not compared: FerretDB 1.x
// accepts it, ignores it and lists every index as not sparse (its unique
// indexes, on SQLite or PostgreSQL, never count a missing field as a
// duplicate anyway), so comparing it would drop and rebuild every unique
// index at every start.
func sameIndex(have, want indexSpec, noSparse bool) bool {
	if noSparse {
		have.Sparse = want.Sparse
	}
	if have.Unique != want.Unique || have.Sparse != want.Sparse || have.Other != want.Other || len(have.Keys) != len(want.Keys) {
		return false
	}
	for i := range want.Keys {
		if have.Keys[i].Key != want.Keys[i].Key || direction(have.Keys[i].Value) != direction(want.Keys[i].Value) {
			return false
		}
	}
	return true
}

func direction(v any) float64 {
	switch n := v.(type) {
	case int:
		return float64(n)
	case int32:
		return float64(n)
	case int64:
		return float64(n)
	case float64:
		return n
	}
	return 0
}
