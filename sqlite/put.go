package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"estafette/content"

	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Put inserts or replaces documents by id in one transaction: all are
// written or none. The multi-valued fields of a replaced document are
// replaced as a whole. Documents of several kinds may be mixed. A value of
// a unique field that another document already has gives ECONFLICT, and
// nothing is written. A storage fault (a full disk, an I/O error) gives
// EUNAVAILABLE, as it does for every method of Store.
func (s *Store) Put(ctx context.Context, docs ...content.Doc) (err error) {
	defer faultp(&err)
	if len(docs) == 0 {
		return nil
	}
	for _, d := range docs {
		if err := s.check(d); err != nil {
			return err
		}
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: put: %w", err)
	}
	defer tx.Rollback()
	stmts := map[content.Kind]*putStmts{}
	defer closeAll(stmts)
	w := writer{tx: tx, stmts: stmts}
	for _, d := range docs {
		if err := w.put(ctx, s.tables[d.Kind], d); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: put: commit: %w", err)
	}
	return nil
}

// writer writes documents within one transaction, preparing the
// statements of each kind once.
type writer struct {
	tx    *sql.Tx
	stmts map[content.Kind]*putStmts
}

func closeAll(stmts map[content.Kind]*putStmts) {
	for _, ps := range stmts {
		ps.close()
	}
}

// put upserts d and replaces its terms.
func (w writer) put(ctx context.Context, t *table, d content.Doc) error {
	ps := w.stmts[d.Kind]
	if ps == nil {
		var err error
		if ps, err = preparePut(ctx, w.tx, t); err != nil {
			return fmt.Errorf("sqlite: put %s: %w", d.Kind, err)
		}
		w.stmts[d.Kind] = ps
	}
	args := make([]any, 0, 2+len(t.scalars))
	args = append(args, d.ID, string(d.Body))
	for _, f := range t.scalars {
		if v := d.Fields[f]; len(v) > 0 {
			args = append(args, v[0])
		} else {
			args = append(args, nil)
		}
	}
	if _, err := ps.upsert.ExecContext(ctx, args...); err != nil {
		if isUnique(err) {
			return conflict(ctx, w.tx, t, d)
		}
		return fmt.Errorf("sqlite: put %s %s: %w", d.Kind, d.ID, err)
	}
	if _, err := ps.clear.ExecContext(ctx, d.ID); err != nil {
		return fmt.Errorf("sqlite: put %s %s: %w", d.Kind, d.ID, err)
	}
	if err := ps.insertTerms(ctx, w.tx, t, d); err != nil {
		return fmt.Errorf("sqlite: put %s %s: %w", d.Kind, d.ID, err)
	}
	return nil
}

// version returns the stored "version" of a document, and whether it exists.
func (w writer) version(ctx context.Context, t *table, id string) (string, bool, error) {
	var v sql.NullString
	col := "NULL"
	if t.isScalar["version"] {
		col = quote("version")
	}
	err := w.tx.QueryRowContext(ctx, "SELECT "+col+" FROM "+t.name+" WHERE id = ?", id).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return v.String, true, nil
}

// Apply performs the writes in one transaction: every guarded document must
// still have its expected version, every Also document must be new, and
// then all are written, or none is.
func (s *Store) Apply(ctx context.Context, writes ...content.Write) (err error) {
	defer faultp(&err)
	if len(writes) == 0 {
		return nil
	}
	for _, wr := range writes {
		if err := s.check(wr.Doc); err != nil {
			return err
		}
		for _, d := range wr.Also {
			if err := s.check(d); err != nil {
				return err
			}
		}
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: apply: %w", err)
	}
	defer tx.Rollback()
	stmts := map[content.Kind]*putStmts{}
	defer closeAll(stmts)
	w := writer{tx: tx, stmts: stmts}
	for _, wr := range writes {
		d := wr.Doc
		t := s.tables[d.Kind]
		for _, a := range wr.Also {
			at := s.tables[a.Kind]
			if _, exists, err := w.version(ctx, at, a.ID); err != nil {
				return fmt.Errorf("sqlite: apply %s %s: %w", a.Kind, a.ID, err)
			} else if exists {
				return &content.Error{Code: content.ECONFLICT, Message: fmt.Sprintf("%s %s already exists", a.Kind, a.ID)}
			}
			if err := w.put(ctx, at, a); err != nil {
				return err
			}
		}
		got, exists, err := w.version(ctx, t, d.ID)
		if err != nil {
			return fmt.Errorf("sqlite: apply %s %s: %w", d.Kind, d.ID, err)
		}
		if err := content.CheckVersion(d.Kind, d.ID, wr.Expect, got, exists); err != nil {
			return err
		}
		if wr.Delete {
			for _, q := range []string{"DELETE FROM " + t.terms + " WHERE id = ?", "DELETE FROM " + t.name + " WHERE id = ?"} {
				if _, err := tx.ExecContext(ctx, q, d.ID); err != nil {
					return fmt.Errorf("sqlite: apply: delete %s %s: %w", d.Kind, d.ID, err)
				}
			}
			continue
		}
		if err := w.put(ctx, t, d); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: apply: commit: %w", err)
	}
	return nil
}

// check validates a document before anything is written: a known kind, an
// id, a JSON body and only fields of the collection, scalars with at most
// one value.
func (s *Store) check(d content.Doc) error {
	t, err := s.table(d.Kind)
	if err != nil {
		return err
	}
	if d.ID == "" {
		return fmt.Errorf("sqlite: put %s: document without an id", d.Kind)
	}
	if !json.Valid(d.Body) {
		return fmt.Errorf("sqlite: put %s %s: body is not JSON", d.Kind, d.ID)
	}
	for f, v := range d.Fields {
		switch {
		case f == "id":
			if len(v) > 1 || (len(v) == 1 && v[0] != d.ID) {
				return fmt.Errorf("sqlite: put %s %s: field id differs from the document id", d.Kind, d.ID)
			}
		case t.isScalar[f]:
			if len(v) > 1 {
				return fmt.Errorf("sqlite: put %s %s: scalar field %q has %d values", d.Kind, d.ID, f, len(v))
			}
		case !t.isMulti[f]:
			return fmt.Errorf("sqlite: put %s %s: %s has no field %q", d.Kind, d.ID, d.Kind, f)
		}
	}
	return nil
}

// putStmts are the statements that write documents of one kind.
type putStmts struct {
	upsert, clear *sql.Stmt
	terms         map[int]*sql.Stmt // insert n rows of terms, by n
	args          []any
}

// termRows is the most rows of terms one statement inserts.
const termRows = 64

func preparePut(ctx context.Context, tx *sql.Tx, t *table) (*putStmts, error) {
	ps := &putStmts{terms: map[int]*sql.Stmt{}}
	var err error
	if ps.upsert, err = tx.PrepareContext(ctx, t.upsert); err != nil {
		return nil, err
	}
	if ps.clear, err = tx.PrepareContext(ctx, "DELETE FROM "+t.terms+" WHERE id = ?"); err != nil {
		ps.close()
		return nil, err
	}
	return ps, nil
}

// insertTerms writes the values of d's multi-valued fields, without
// duplicates, a few dozen rows per statement.
func (ps *putStmts) insertTerms(ctx context.Context, tx *sql.Tx, t *table, d content.Doc) error {
	args := ps.args[:0]
	flush := func() error {
		n := len(args) / 3
		if n == 0 {
			return nil
		}
		st := ps.terms[n]
		if st == nil {
			rows := strings.Repeat("(?, ?, ?), ", n-1) + "(?, ?, ?)"
			var err error
			if st, err = tx.PrepareContext(ctx, "INSERT INTO "+t.terms+" (field, value, id) VALUES "+rows); err != nil {
				return err
			}
			ps.terms[n] = st
		}
		_, err := st.ExecContext(ctx, args...)
		args = args[:0]
		return err
	}
	for _, f := range t.coll.Multis {
		vals := d.Fields[f]
		for i, v := range vals {
			if slices.Contains(vals[:i], v) {
				continue
			}
			args = append(args, f, v, d.ID)
			if len(args) == 3*termRows {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	err := flush()
	ps.args = args[:0]
	return err
}

func (ps *putStmts) close() {
	for _, st := range []*sql.Stmt{ps.upsert, ps.clear} {
		if st != nil {
			st.Close()
		}
	}
	for _, st := range ps.terms {
		st.Close()
	}
}

// isUnique reports whether err is the violation of a unique index.
func isUnique(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
}

// conflict explains a unique violation by d: it finds the unique field whose
// value another document (stored before, or earlier in the same Put)
// already has. The caller rolls the transaction back.
func conflict(ctx context.Context, tx *sql.Tx, t *table, d content.Doc) error {
	for _, f := range t.coll.Unique {
		v := d.Fields[f]
		if len(v) == 0 {
			continue
		}
		var other string
		err := tx.QueryRowContext(ctx, "SELECT id FROM "+t.name+" WHERE "+quote(f)+" = ? AND id <> ? LIMIT 1", v[0], d.ID).Scan(&other)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("sqlite: put %s %s: %w", d.Kind, d.ID, err)
		}
		return &content.Error{Code: content.ECONFLICT, Message: fmt.Sprintf(
			"%s %s cannot have %s %q: %s %s already has it, and no two records of a kind may share a %s",
			d.Kind, d.ID, f, v[0], d.Kind, other, f)}
	}
	return &content.Error{Code: content.ECONFLICT, Message: fmt.Sprintf(
		"%s %s has a value that another %s already has in a field that must be unique", d.Kind, d.ID, d.Kind)}
}

// Delete removes the documents of kind with the given ids, with their
// multi-valued fields; ids that do not exist are ignored.
func (s *Store) Delete(ctx context.Context, kind content.Kind, ids ...string) (err error) {
	defer faultp(&err)
	t, err := s.table(kind)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	ids = unique(ids)
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: delete %s: %w", kind, err)
	}
	defer tx.Rollback()
	for start := 0; start < len(ids); start += maxParams {
		chunk := ids[start:min(start+maxParams, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		// The terms go with their document (ON DELETE CASCADE); deleting
		// them first keeps that true even if foreign keys were off.
		for _, q := range []string{
			"DELETE FROM " + t.terms + " WHERE id IN (" + placeholders(len(chunk)) + ")",
			"DELETE FROM " + t.name + " WHERE id IN (" + placeholders(len(chunk)) + ")",
		} {
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("sqlite: delete %s: %w", kind, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: delete %s: commit: %w", kind, err)
	}
	return nil
}
