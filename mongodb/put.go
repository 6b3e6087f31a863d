package mongodb

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readconcern"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
	"go.mongodb.org/mongo-driver/v2/mongo/writeconcern"
	"go.mongodb.org/mongo-driver/v2/x/bsonx/bsoncore"

	"estafette/content"
)

// record is a document ready to be written: the stored BSON and what the
// checks need from it.
type record struct {
	kind    content.Kind
	id      string
	version string // the "version" field, "" when it has none
	raw     bson.Raw
	unique  map[string]string // unique field → value, for the fields that have one
}

// encode validates d like the embedded store does (an id, a JSON body,
// only fields of the collection, scalars with at most one value) and
// builds the stored document: _id, body, the scalar fields that have a
// value, the multi-valued fields that have values (without duplicates),
// and updatedAt, a BSON date of updatedKey.
func (t *coll) encode(d content.Doc) (record, error) {
	if d.ID == "" {
		return record{}, fmt.Errorf("mongodb: put %s: document without an id", d.Kind)
	}
	for f, v := range d.Fields {
		switch {
		case f == "id":
			if len(v) > 1 || (len(v) == 1 && v[0] != d.ID) {
				return record{}, fmt.Errorf("mongodb: put %s %s: field id differs from the document id", d.Kind, d.ID)
			}
		case t.isScalar[f]:
			if len(v) > 1 {
				return record{}, fmt.Errorf("mongodb: put %s %s: scalar field %q has %d values", d.Kind, d.ID, f, len(v))
			}
		case !t.isMulti[f]:
			return record{}, fmt.Errorf("mongodb: put %s %s: %s has no field %q", d.Kind, d.ID, d.Kind, f)
		}
	}
	r := record{kind: d.Kind, id: d.ID}
	idx, dst := bsoncore.AppendDocumentStart(make([]byte, 0, 256+2*len(d.Body)))
	dst = bsoncore.AppendStringElement(dst, idField, d.ID)
	dst, err := appendJSONElement(dst, bodyField, d.Body)
	if err != nil {
		return record{}, fmt.Errorf("mongodb: put %s %s: %w", d.Kind, d.ID, err)
	}
	for _, f := range t.scalars {
		if v := d.Fields[f]; len(v) == 1 {
			dst = bsoncore.AppendStringElement(dst, f, v[0])
		}
	}
	for _, f := range t.desc.Multis {
		vals := d.Fields[f]
		if len(vals) == 0 {
			continue
		}
		var aidx int32
		aidx, dst = bsoncore.AppendArrayElementStart(dst, f)
		n := 0
		for i, v := range vals {
			if slices.Contains(vals[:i], v) {
				continue
			}
			dst = bsoncore.AppendStringElement(dst, strconv.Itoa(n), v)
			n++
		}
		if dst, err = bsoncore.AppendArrayEnd(dst, aidx); err != nil {
			return record{}, err
		}
	}
	if v := d.Fields["updatedKey"]; t.isScalar["updatedKey"] && len(v) == 1 {
		if at, err := time.Parse(time.RFC3339Nano, v[0]); err == nil {
			dst = bsoncore.AppendDateTimeElement(dst, updatedField, at.UnixMilli())
		}
	}
	if dst, err = bsoncore.AppendDocumentEnd(dst, idx); err != nil {
		return record{}, err
	}
	r.raw = bson.Raw(dst)
	if v := d.Fields["version"]; len(v) == 1 {
		r.version = v[0]
	}
	for _, f := range t.desc.Unique {
		if v := d.Fields[f]; len(v) == 1 {
			if r.unique == nil {
				r.unique = map[string]string{}
			}
			r.unique[f] = v[0]
		}
	}
	return r, nil
}

// encodeDoc encodes a document of any kind.
func (s *Store) encodeDoc(d content.Doc) (record, error) {
	t, _, err := s.coll(d.Kind)
	if err != nil {
		return record{}, err
	}
	return t.encode(d)
}

// versionFilter selects the document id while it has version v (no
// version field when v is "").
func versionFilter(id, v string) bson.D {
	if v == "" {
		return bson.D{{Key: idField, Value: id}, {Key: "version", Value: bson.D{{Key: "$exists", Value: false}}}}
	}
	return bson.D{{Key: idField, Value: id}, {Key: "version", Value: v}}
}

// txOptions are the options of every transaction: a snapshot of majority
// committed data, committed with write concern majority, on the primary.
func txOptions() *options.TransactionOptionsBuilder {
	return options.Transaction().
		SetReadConcern(readconcern.Snapshot()).
		SetWriteConcern(writeconcern.Majority()).
		SetReadPreference(readpref.Primary())
}

// inTx runs fn in a transaction, retried by the driver on transient
// errors (a write conflict with a concurrent transaction).
func (s *Store) inTx(ctx context.Context, fn func(ctx context.Context) error) error {
	sess, err := s.client.StartSession()
	if err != nil {
		return fmt.Errorf("mongodb: start session: %w", err)
	}
	defer sess.EndSession(context.WithoutCancel(ctx))
	_, err = sess.WithTransaction(ctx, func(ctx context.Context) (any, error) { return nil, fn(ctx) }, txOptions())
	return err
}

// write runs fn in a transaction where the deployment has them; else
// directly, under the locks of the documents guarded (see lock.go),
// undoing what fn wrote when it fails before the locks are released.
func (s *Store) write(ctx context.Context, guarded []docKey, fn func(ctx context.Context, u *undoLog) error) error {
	var err error
	if s.tx {
		err = s.inTx(ctx, func(ctx context.Context) error { return fn(ctx, nil) })
	} else {
		err = s.fallback(ctx, guarded, fn)
	}
	return s.explain(ctx, err)
}

// fallback runs fn without a transaction: it takes the locks of the
// guarded documents, runs fn, undoes what fn wrote when it fails, and
// releases the locks. Writes and undo stop when the locks could not be
// renewed in time (see lock.go).
func (s *Store) fallback(ctx context.Context, guarded []docKey, fn func(ctx context.Context, u *undoLog) error) error {
	keep := context.Background()
	if len(guarded) > 0 {
		h, err := s.lock(ctx, guarded)
		if err != nil {
			return err
		}
		defer h.release()
		keep = h.keep
		wctx, cancel := context.WithCancelCause(ctx)
		defer cancel(nil)
		defer context.AfterFunc(keep, func() { cancel(context.Cause(keep)) })()
		ctx = wctx
	}
	u := &undoLog{}
	err := fn(ctx, u)
	if err != nil {
		if cause := context.Cause(ctx); errors.Is(cause, errLockLost) {
			err = fmt.Errorf("mongodb: %w: %w", cause, err)
		}
		if uerr := u.run(s, keep); uerr != nil {
			err = fmt.Errorf("%w; and undoing the writes done so far failed: %v", err, uerr)
		}
	}
	return err
}

// Put inserts or replaces documents by id, all or none: in one
// transaction where the deployment has them, else checked first and
// undone on failure (see the package documentation). A value of a unique
// field that another document has gives ECONFLICT, and nothing is written.
// A write that fails for lack of space gives EUNAVAILABLE (as do Apply and
// Delete).
func (s *Store) Put(ctx context.Context, docs ...content.Doc) (err error) {
	defer faultp(&err)
	if len(docs) == 0 {
		return nil
	}
	recs := make([]record, len(docs))
	for i, d := range docs {
		r, err := s.encodeDoc(d)
		if err != nil {
			return err
		}
		recs[i] = r
	}
	return s.write(ctx, nil, func(ctx context.Context, u *undoLog) error { return s.put(ctx, recs, u) })
}

// byKind splits records by kind, in the order the kinds first appear.
func byKind(recs []record) ([]content.Kind, map[content.Kind][]record) {
	var kinds []content.Kind
	m := map[content.Kind][]record{}
	for _, r := range recs {
		if m[r.kind] == nil {
			kinds = append(kinds, r.kind)
		}
		m[r.kind] = append(m[r.kind], r)
	}
	return kinds, m
}

func (s *Store) put(ctx context.Context, recs []record, u *undoLog) error {
	kinds, groups := byKind(recs)
	before := map[content.Kind]map[string]bson.Raw{}
	for _, k := range kinds {
		group := groups[k]
		touched := map[string]bool{}
		final := map[string]record{}
		var ids []string
		for _, r := range group {
			if !touched[r.id] {
				ids = append(ids, r.id)
			}
			touched[r.id] = true
			final[r.id] = r
		}
		finals := make([]record, 0, len(ids))
		for _, id := range ids {
			finals = append(finals, final[id])
		}
		if err := s.checkUnique(ctx, k, finals, touched); err != nil {
			return err
		}
		if u != nil {
			old, err := s.fetch(ctx, k, ids)
			if err != nil {
				return err
			}
			before[k] = old
		}
	}
	for _, k := range kinds {
		group := groups[k]
		models := make([]mongo.WriteModel, len(group))
		for i, r := range group {
			models[i] = mongo.NewReplaceOneModel().SetFilter(bson.D{{Key: idField, Value: r.id}}).SetReplacement(r.raw).SetUpsert(true)
		}
		_, err := s.handle[k].BulkWrite(ctx, models, options.BulkWrite().SetOrdered(true))
		if u != nil {
			// Undo the writes that happened: put back the document each
			// replaced, or remove the one it created, unless another
			// writer changed it since.
			for _, r := range group[:applied(err, len(group))] {
				if old, ok := before[k][r.id]; ok {
					u.add(undoStep{kind: k, filter: versionFilter(r.id, r.version), restore: old})
				} else {
					u.add(undoStep{kind: k, filter: versionFilter(r.id, r.version)})
				}
			}
		}
		if err != nil {
			if r, ok := failedRecord(err, group); ok && mongo.IsDuplicateKeyError(err) {
				return &conflict{rec: r, cause: causeUnique}
			}
			return fmt.Errorf("mongodb: put %s: %w", k, err)
		}
	}
	return nil
}

// applied returns how many of n ordered writes took effect, given the
// error of the command: those before the first failed one. When the
// outcome is unknown (a network error), all may have.
func applied(err error, n int) int {
	if err == nil {
		return n
	}
	var bwe mongo.BulkWriteException
	if errors.As(err, &bwe) && len(bwe.WriteErrors) > 0 {
		return min(bwe.WriteErrors[0].Index, n)
	}
	var we mongo.WriteException
	if errors.As(err, &we) && len(we.WriteErrors) > 0 {
		return min(we.WriteErrors[0].Index, n)
	}
	return n
}

// failedRecord returns the record whose write failed in an ordered batch.
func failedRecord(err error, recs []record) (record, bool) {
	i := applied(err, len(recs))
	if i < len(recs) {
		return recs[i], true
	}
	if len(recs) == 1 {
		return recs[0], true
	}
	return record{}, false
}

// fetch returns the stored documents of kind with the given ids, whole.
func (s *Store) fetch(ctx context.Context, kind content.Kind, ids []string) (map[string]bson.Raw, error) {
	out := map[string]bson.Raw{}
	for start := 0; start < len(ids); start += maxIDs {
		chunk := ids[start:min(start+maxIDs, len(ids))]
		cur, err := s.handle[kind].Find(ctx, getFilter(chunk))
		if err != nil {
			return nil, fmt.Errorf("mongodb: read %s: %w", kind, err)
		}
		for cur.Next(ctx) {
			id, _ := cur.Current.Lookup(idField).StringValueOK()
			out[id] = slices.Clone(cur.Current)
		}
		err = cur.Err()
		cur.Close(ctx)
		if err != nil {
			return nil, fmt.Errorf("mongodb: read %s: %w", kind, err)
		}
	}
	return out, nil
}

// checkUnique refuses records of kind that share the value of a unique
// field with each other, or with a stored document that the same call
// does not write (touched ids are rewritten, so their stored values do
// not count).
func (s *Store) checkUnique(ctx context.Context, kind content.Kind, recs []record, touched map[string]bool) error {
	t, c, _ := s.coll(kind)
	if len(t.desc.Unique) == 0 {
		return nil
	}
	owner := map[string]map[string]string{} // field → value → id
	vals := map[string][]string{}
	for _, f := range t.desc.Unique {
		owner[f] = map[string]string{}
		for _, r := range recs {
			v, ok := r.unique[f]
			if !ok {
				continue
			}
			if other, ok := owner[f][v]; ok && other != r.id {
				return uniqueConflict(kind, r.id, f, v, other)
			}
			owner[f][v] = r.id
			vals[f] = append(vals[f], v)
		}
	}
	filter, projection := t.uniqueQuery(vals)
	if filter == nil {
		return nil
	}
	cur, err := c.Find(ctx, filter, options.Find().SetProjection(projection))
	if err != nil {
		return fmt.Errorf("mongodb: put %s: check unique fields: %w", kind, err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		id, _ := cur.Current.Lookup(idField).StringValueOK()
		if touched[id] {
			continue
		}
		for _, f := range t.desc.Unique {
			v, ok := cur.Current.Lookup(f).StringValueOK()
			if !ok {
				continue
			}
			if mine, ok := owner[f][v]; ok && mine != id {
				return uniqueConflict(kind, mine, f, v, id)
			}
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("mongodb: put %s: check unique fields: %w", kind, err)
	}
	return nil
}

// uniqueQuery is the find of the stored documents that have one of the
// given values of a unique field: {$or: [{f: {$in: values}}, …]} and a
// projection of those fields. It returns a nil filter when there are no
// values.
func (t *coll) uniqueQuery(vals map[string][]string) (filter, projection bson.D) {
	var or bson.A
	for _, f := range t.desc.Unique {
		if len(vals[f]) == 0 {
			continue
		}
		a := make(bson.A, len(vals[f]))
		for i, v := range vals[f] {
			a[i] = v
		}
		or = append(or, bson.D{{Key: f, Value: bson.D{{Key: "$in", Value: a}}}})
		projection = append(projection, bson.E{Key: f, Value: 1})
	}
	switch len(or) {
	case 0:
		return nil, nil
	case 1:
		return or[0].(bson.D), projection
	}
	return bson.D{{Key: "$or", Value: or}}, projection
}

func uniqueConflict(kind content.Kind, id, field, value, other string) error {
	return &content.Error{Code: content.ECONFLICT, Message: fmt.Sprintf(
		"%s %s cannot have %s %q: %s %s already has it, and no two records of a kind may share a %s",
		kind, id, field, value, kind, other, field)}
}

// Delete removes the documents of kind with the given ids; ids that do
// not exist are ignored.
func (s *Store) Delete(ctx context.Context, kind content.Kind, ids ...string) (err error) {
	defer faultp(&err)
	_, c, err := s.coll(kind)
	if err != nil {
		return err
	}
	ids = unique(ids)
	for start := 0; start < len(ids); start += maxIDs {
		chunk := ids[start:min(start+maxIDs, len(ids))]
		if _, err := c.DeleteMany(ctx, getFilter(chunk)); err != nil {
			return fmt.Errorf("mongodb: delete %s: %w", kind, err)
		}
	}
	return nil
}
