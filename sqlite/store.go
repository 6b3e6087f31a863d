package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"estafette/content"
)

// maxParams is the number of ids one statement binds at most, well below
// SQLite's limit on host parameters.
const maxParams = 500

// table returns the table of kind, or an error for an unknown kind.
func (s *Store) table(kind content.Kind) (*table, error) {
	t := s.tables[kind]
	if t == nil {
		return nil, fmt.Errorf("sqlite: unknown kind %q", kind)
	}
	return t, nil
}

// Get returns the documents of kind with the given ids, keyed by id; ids
// that do not exist are absent. A large batch is read in chunks.
func (s *Store) Get(ctx context.Context, kind content.Kind, ids []string) (_ map[string]content.Doc, err error) {
	defer faultp(&err)
	t, err := s.table(kind)
	if err != nil {
		return nil, err
	}
	out := make(map[string]content.Doc, len(ids))
	ids = unique(ids)
	for start := 0; start < len(ids); start += maxParams {
		chunk := ids[start:min(start+maxParams, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		q := "SELECT " + t.selects + " FROM " + t.name + " AS d WHERE d.id IN (" + placeholders(len(chunk)) + ")"
		err := s.query(ctx, t, q, args, func(d content.Doc) { out[d.ID] = d })
		if err != nil {
			return nil, fmt.Errorf("sqlite: get %s: %w", kind, err)
		}
	}
	return out, nil
}

// Find returns the documents that match q, in q's order.
func (s *Store) Find(ctx context.Context, q content.Query) (_ []content.Doc, err error) {
	defer faultp(&err)
	t, err := s.table(q.Kind)
	if err != nil {
		return nil, err
	}
	drive, err := s.selectiveTerm(ctx, t, q)
	if err != nil {
		return nil, fmt.Errorf("sqlite: find %s: %w", q.Kind, err)
	}
	stmt, args, err := drivenFindSQL(t, q, drive)
	if err != nil {
		return nil, err
	}
	var out []content.Doc
	if q.Limit > 0 {
		out = make([]content.Doc, 0, min(q.Limit, 128))
	}
	if err := s.query(ctx, t, stmt, args, func(d content.Doc) { out = append(out, d) }); err != nil {
		return nil, fmt.Errorf("sqlite: find %s: %w", q.Kind, err)
	}
	return out, nil
}

// query runs a statement that selects t.selects and hands each document to
// fn. Fields carries the scalar fields that are not null; multi-valued
// fields are not read back (the body holds them).
func (s *Store) query(ctx context.Context, t *table, stmt string, args []any, fn func(content.Doc)) error {
	rows, err := s.r.QueryContext(ctx, stmt, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]sql.NullString, len(t.scalars))
	dest := make([]any, 2+len(t.scalars))
	for i := range vals {
		dest[2+i] = &vals[i]
	}
	for rows.Next() {
		var d content.Doc
		dest[0], dest[1] = &d.ID, (*[]byte)(&d.Body)
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		d.Kind = t.coll.Kind
		n := 0
		for _, v := range vals {
			if v.Valid {
				n++
			}
		}
		d.Fields = make(content.Fields, n)
		// One backing array for the values of all fields of the row.
		backing := make([]string, n)
		for i, v := range vals {
			if v.Valid {
				backing[0] = v.String
				d.Fields[t.scalars[i]] = backing[:1:1]
				backing = backing[1:]
			}
		}
		fn(d)
	}
	return rows.Err()
}

// Count returns the number of documents of kind that match where.
func (s *Store) Count(ctx context.Context, kind content.Kind, where *content.Cond) (_ int, err error) {
	defer faultp(&err)
	t, err := s.table(kind)
	if err != nil {
		return 0, err
	}
	stmt, args, err := countSQL(t, where)
	if err != nil {
		return 0, err
	}
	var n int
	if err := s.r.QueryRowContext(ctx, stmt, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count %s: %w", kind, err)
	}
	return n, nil
}

// Group counts the documents of kind that match where, grouped by the
// values of the fields by. A null scalar groups under ""; a multi-valued
// field gives one group per value, and a document without values for it is
// in no group. Buckets are ordered by their keys, byte-wise. The counting
// happens in SQL.
func (s *Store) Group(ctx context.Context, kind content.Kind, where *content.Cond, by []string) (_ []content.Bucket, err error) {
	defer faultp(&err)
	t, err := s.table(kind)
	if err != nil {
		return nil, err
	}
	stmt, args, err := groupSQL(t, where, by)
	if err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, stmt, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: group %s: %w", kind, err)
	}
	defer rows.Close()
	var out []content.Bucket
	for rows.Next() {
		b := content.Bucket{Keys: make([]string, len(by))}
		dest := make([]any, len(by)+1)
		for i := range by {
			dest[i] = &b.Keys[i]
		}
		dest[len(by)] = &b.Count
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("sqlite: group %s: %w", kind, err)
		}
		if b.Count > 0 {
			out = append(out, b)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: group %s: %w", kind, err)
	}
	return out, nil
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

// selectiveTerm chooses how a limited, sorted Find with conditions on
// multi-valued fields (a theme, the words of a search) reads its rows.
// SQLite reads the kind's table in sort order and probes each row's terms
// until the page is full: quick when matches are common, but a rare theme
// or word over 100,000 activities reads all of them to fill one page. The
// planner cannot tell the two apart (its statistics are averages over all
// values), so the store asks the terms index first: a condition with at
// most Store.sparse (sparseTerms) matches drives the query instead (its matches, sorted).
// The probe reads at most that many index entries, plus one.
func (s *Store) selectiveTerm(ctx context.Context, t *table, q content.Query) (*content.Cond, error) {
	if q.Limit <= 0 || len(q.Sort) == 0 || s.sparse <= 0 {
		return nil, nil
	}
	var best *content.Cond
	least := s.sparse + 1
	for _, c := range termConds(t, q.Where) {
		stmt, args := probeSQL(t, c, s.sparse)
		var n int
		if err := s.r.QueryRowContext(ctx, stmt, args...).Scan(&n); err != nil {
			return nil, err
		}
		if n < least {
			best, least = c, n
		}
	}
	return best, nil
}
