package mongodb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"estafette/content"
)

// Apply performs versioned writes, all or none: in one transaction where
// the deployment has them, else with the fallback of the package
// documentation (check everything, write the Also documents then the
// guarded change filtered on {_id, version}, undo on failure). A guarded
// document whose stored version is not the expected one, an Also document
// that exists, or a duplicate unique value gives ECONFLICT.
func (s *Store) Apply(ctx context.Context, writes ...content.Write) (err error) {
	defer faultp(&err)
	if len(writes) == 0 {
		return nil
	}
	ws := make([]encodedWrite, len(writes))
	for i, w := range writes {
		r, err := s.encodeDoc(w.Doc)
		if err != nil {
			return err
		}
		ws[i] = encodedWrite{doc: r, delete: w.Delete, expect: w.Expect}
		for _, a := range w.Also {
			ar, err := s.encodeDoc(a)
			if err != nil {
				return err
			}
			ws[i].also = append(ws[i].also, ar)
		}
	}
	guarded := make([]docKey, len(ws))
	for i, w := range ws {
		guarded[i] = docKey{w.doc.kind, w.doc.id}
	}
	return s.write(ctx, guarded, func(ctx context.Context, u *undoLog) error { return s.apply(ctx, ws, u) })
}

// encodedWrite is a content.Write with its documents encoded.
type encodedWrite struct {
	doc    record
	delete bool
	expect string
	also   []record
}

// state is what a document is (or will be, after the writes so far):
// whether it exists, its version and its stored form.
type state struct {
	exists  bool
	version string
	raw     bson.Raw
}

type docKey struct {
	kind content.Kind
	id   string
}

func (s *Store) apply(ctx context.Context, ws []encodedWrite, u *undoLog) error {
	// 1. Read every document the writes touch.
	need := map[content.Kind][]string{}
	seen := map[docKey]bool{}
	touch := func(r record) {
		k := docKey{r.kind, r.id}
		if !seen[k] {
			seen[k] = true
			need[r.kind] = append(need[r.kind], r.id)
		}
	}
	for _, w := range ws {
		for _, a := range w.also {
			touch(a)
		}
		touch(w.doc)
	}
	cur := map[docKey]*state{}
	for kind, ids := range need {
		stored, err := s.fetch(ctx, kind, ids)
		if err != nil {
			return err
		}
		for _, id := range ids {
			st := &state{}
			if raw, ok := stored[id]; ok {
				v, _ := raw.Lookup("version").StringValueOK()
				st = &state{exists: true, version: v, raw: raw}
			}
			cur[docKey{kind, id}] = st
		}
	}
	// 2. Check every write in order against the state the writes before
	// it leave, and remember what each guarded document was before.
	pre := make([]state, len(ws))
	for i, w := range ws {
		for _, a := range w.also {
			st := cur[docKey{a.kind, a.id}]
			if st.exists {
				return content.Errorf(content.ECONFLICT, "%s %s already exists", a.kind, a.id)
			}
			*st = state{exists: true, version: a.version, raw: a.raw}
		}
		st := cur[docKey{w.doc.kind, w.doc.id}]
		if err := content.CheckVersion(w.doc.kind, w.doc.id, w.expect, st.version, st.exists); err != nil {
			return err
		}
		pre[i] = *st
		if w.delete {
			*st = state{}
		} else {
			*st = state{exists: true, version: w.doc.version, raw: w.doc.raw}
		}
	}
	// 3. Check the unique values of what will be stored.
	finals := map[content.Kind][]record{}
	written := map[docKey]bool{}
	for i := len(ws) - 1; i >= 0; i-- { // the last write of a document is what stays
		w := ws[i]
		for _, r := range append([]record{w.doc}, w.also...) {
			k := docKey{r.kind, r.id}
			if written[k] {
				continue
			}
			written[k] = true
			if cur[k].exists {
				finals[r.kind] = append(finals[r.kind], r)
			}
		}
	}
	for kind, ids := range need {
		touched := map[string]bool{}
		for _, id := range ids {
			touched[id] = true
		}
		if err := s.checkUnique(ctx, kind, finals[kind], touched); err != nil {
			return err
		}
	}
	// 4. Write: the records of a change first, then the guarded change.
	for i, w := range ws {
		if err := s.insertAlso(ctx, w.also, u); err != nil {
			return err
		}
		if err := s.guarded(ctx, w, pre[i], u); err != nil {
			return err
		}
	}
	return nil
}

// insertAlso inserts the records of a change, which must be new.
func (s *Store) insertAlso(ctx context.Context, also []record, u *undoLog) error {
	kinds, groups := byKind(also)
	for _, k := range kinds {
		group := groups[k]
		docs := make([]any, len(group))
		for i, r := range group {
			docs[i] = r.raw
		}
		_, err := s.handle[k].InsertMany(ctx, docs, options.InsertMany().SetOrdered(true))
		if u != nil {
			for _, r := range group[:applied(err, len(group))] {
				u.add(undoStep{kind: k, filter: bson.D{{Key: idField, Value: r.id}}})
			}
		}
		if err != nil {
			if r, ok := failedRecord(err, group); ok && mongo.IsDuplicateKeyError(err) {
				return &conflict{rec: r, cause: causeNew}
			}
			return fmt.Errorf("mongodb: apply: insert %s: %w", k, err)
		}
	}
	return nil
}

// guarded writes the change of w: an insert when the document must be
// new, else a replace or delete filtered on its id and expected version.
func (s *Store) guarded(ctx context.Context, w encodedWrite, pre state, u *undoLog) error {
	r := w.doc
	c := s.handle[r.kind]
	switch {
	case w.expect == "" && w.delete:
		return nil // the document must not exist, and does not: nothing to delete
	case w.expect == "":
		_, err := c.InsertOne(ctx, r.raw)
		if err != nil {
			if mongo.IsDuplicateKeyError(err) {
				return &conflict{rec: r, cause: causeNew}
			}
			return fmt.Errorf("mongodb: apply: insert %s %s: %w", r.kind, r.id, err)
		}
		if u != nil {
			u.add(undoStep{kind: r.kind, filter: versionFilter(r.id, r.version)})
		}
	case w.delete:
		res, err := c.DeleteOne(ctx, versionFilter(r.id, w.expect))
		if err != nil {
			return fmt.Errorf("mongodb: apply: delete %s %s: %w", r.kind, r.id, err)
		}
		if res.DeletedCount == 0 {
			return &conflict{rec: r, expect: w.expect, cause: causeVersion}
		}
		if u != nil {
			u.add(undoStep{kind: r.kind, insert: pre.raw})
		}
	default:
		res, err := c.ReplaceOne(ctx, versionFilter(r.id, w.expect), r.raw)
		if err != nil {
			if mongo.IsDuplicateKeyError(err) {
				return &conflict{rec: r, cause: causeUnique}
			}
			return fmt.Errorf("mongodb: apply: replace %s %s: %w", r.kind, r.id, err)
		}
		if res.MatchedCount == 0 {
			return &conflict{rec: r, expect: w.expect, cause: causeVersion}
		}
		if u != nil {
			u.add(undoStep{kind: r.kind, filter: versionFilter(r.id, r.version), restore: pre.raw})
		}
	}
	return nil
}

// Causes of a conflict found while writing.
const (
	causeVersion = iota // a guarded write matched no document
	causeNew            // a document that must be new has an id that exists (or a unique value that does)
	causeUnique         // a unique value that another document has
)

// conflict is a write refused by the server (a duplicate key, a guarded
// write that matched nothing) after the checks passed: another writer got
// in between. explain turns it into an ECONFLICT with a message, reading
// the current state outside any transaction.
type conflict struct {
	rec    record
	expect string
	cause  int
}

func (c *conflict) Error() string { return fmt.Sprintf("conflict on %s %s", c.rec.kind, c.rec.id) }

// explain replaces a *conflict in err by a content.Error that says what
// happened; any other error is returned as it is.
func (s *Store) explain(ctx context.Context, err error) error {
	var c *conflict
	if !errors.As(err, &c) {
		return err
	}
	r := c.rec
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	now, _ := s.fetch(ctx, r.kind, []string{r.id})
	raw, exists := now[r.id]
	version := ""
	if exists {
		version, _ = raw.Lookup("version").StringValueOK()
	}
	switch c.cause {
	case causeVersion:
		if e := content.CheckVersion(r.kind, r.id, c.expect, version, exists); e != nil {
			return e
		}
	case causeNew:
		if exists {
			return content.CheckVersion(r.kind, r.id, "", version, exists)
		}
	}
	// A unique value: say which, if another document still has it.
	for f, v := range r.unique {
		cur, ferr := s.handle[r.kind].Find(ctx, bson.D{{Key: f, Value: v}}, options.Find().SetProjection(bson.D{{Key: idField, Value: 1}}).SetLimit(2))
		if ferr != nil {
			continue
		}
		for cur.Next(ctx) {
			if id, _ := cur.Current.Lookup(idField).StringValueOK(); id != r.id {
				cur.Close(ctx)
				return uniqueConflict(r.kind, r.id, f, v, id)
			}
		}
		cur.Close(ctx)
	}
	return content.Errorf(content.ECONFLICT, "%s %s was changed by another writer at the same time; reload it and apply your change again", r.kind, r.id)
}

// undoBudget is the longest an undo may take.
const undoBudget = 30 * time.Second

// undoStep reverses one write of the fallback: with insert, it inserts
// that document back; else it deletes the document the filter selects,
// or, with restore, replaces it by restore.
type undoStep struct {
	kind    content.Kind
	filter  bson.D
	restore bson.Raw
	insert  bson.Raw
}

// undoLog collects the steps that reverse the writes done so far.
type undoLog struct{ steps []undoStep }

func (u *undoLog) add(st undoStep) { u.steps = append(u.steps, st) }

// run reverses the writes, the last first, whether or not the caller's
// context is still alive: within undoBudget, and while keep (the locks of
// the call) holds.
func (u *undoLog) run(s *Store, keep context.Context) error {
	ctx, cancel := context.WithTimeout(keep, undoBudget)
	defer cancel()
	var errs []error
	for i := len(u.steps) - 1; i >= 0; i-- {
		st := u.steps[i]
		c := s.handle[st.kind]
		var err error
		switch {
		case st.insert != nil:
			_, err = c.InsertOne(ctx, st.insert)
			if mongo.IsDuplicateKeyError(err) {
				err = nil // someone made it again meanwhile: keep theirs
			}
		case st.restore != nil:
			_, err = c.ReplaceOne(ctx, st.filter, st.restore)
		default:
			_, err = c.DeleteOne(ctx, st.filter)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", st.kind, err))
		}
	}
	return errors.Join(errs...)
}
