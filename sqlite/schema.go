package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"estafette/content"
)

// SchemaVersion is the version of the table layout this package writes. It
// is recorded in the schema_meta table; a change of Collections alone does
// not change it (new fields and indexes migrate in place).
const SchemaVersion = 1

// table is how one kind is stored: its collection and the SQL that reads
// and writes it.
type table struct {
	coll     content.Collection
	name     string // the table of the kind, quoted
	terms    string // the table of its multi-valued fields, quoted
	scalars  []string
	isScalar map[string]bool // includes "id"
	isMulti  map[string]bool
	selects  string // select list of a document: id, body, the scalars
	upsert   string // insert or replace a document by id
}

// newTable validates a collection and derives its table.
func newTable(c content.Collection) (*table, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	t := &table{
		coll:     c,
		name:     quote(string(c.Kind)),
		terms:    quote(termsTable(c.Kind)),
		isScalar: map[string]bool{"id": true},
		isMulti:  map[string]bool{},
	}
	for _, f := range c.Scalars {
		switch {
		case f == "id":
			continue
		case f == "body":
			return nil, fmt.Errorf("%s: %q cannot be a field name", c.Kind, f)
		}
		t.isScalar[f] = true
		t.scalars = append(t.scalars, f)
	}
	for _, f := range c.Multis {
		t.isMulti[f] = true
	}

	cols := []string{"d.id", "d.body"}
	names := []string{"id", "body"}
	sets := []string{"body = excluded.body"}
	for _, f := range t.scalars {
		cols = append(cols, "d."+quote(f))
		names = append(names, quote(f))
		sets = append(sets, quote(f)+" = excluded."+quote(f))
	}
	t.selects = strings.Join(cols, ", ")
	t.upsert = fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s) ON CONFLICT (id) DO UPDATE SET %s",
		t.name, strings.Join(names, ", "), placeholders(len(names)), strings.Join(sets, ", "))
	return t, nil
}

// termsTable is the name of the table holding the multi-valued fields of kind.
func termsTable(kind content.Kind) string { return string(kind) + "_terms" }

// index is a secondary index this package manages.
type index struct {
	name   string
	table  string // quoted
	unique bool
	cols   []string
}

func (ix index) create() string {
	u := ""
	if ix.unique {
		u = "UNIQUE "
	}
	q := make([]string, len(ix.cols))
	for i, c := range ix.cols {
		q[i] = quote(c)
	}
	return fmt.Sprintf("CREATE %sINDEX IF NOT EXISTS %s ON %s (%s)", u, quote(ix.name), ix.table, strings.Join(q, ", "))
}

// indexes returns the indexes of t: the unique ones, one per compound index
// of the collection with "id" appended, and the lookup of terms by id.
func (t *table) indexes() []index {
	kind := string(t.coll.Kind)
	var out []index
	for _, f := range t.coll.Unique {
		out = append(out, index{name: kind + "__" + f + "_unique", table: t.name, unique: true, cols: []string{f}})
	}
	for _, idx := range t.coll.Indexes {
		cols := append(slices.Clone(idx), "id")
		out = append(out, index{name: kind + "__" + strings.Join(cols, "_"), table: t.name, cols: cols})
	}
	out = append(out, index{name: termsTable(t.coll.Kind) + "__id_field_value", table: t.terms, cols: []string{"id", "field", "value"}})
	return out
}

// migrate creates or updates the schema for colls in one transaction and
// returns the tables by kind. It is idempotent: tables and indexes that
// exist are kept, scalar fields new in colls are added as columns, and
// indexes this package made that colls no longer asks for are dropped.
func migrate(ctx context.Context, db *sql.DB, colls []content.Collection) (map[content.Kind]*table, error) {
	tables := map[content.Kind]*table{}
	for _, c := range colls {
		t, err := newTable(c)
		if err != nil {
			return nil, fmt.Errorf("schema: %w", err)
		}
		if tables[c.Kind] != nil {
			return nil, fmt.Errorf("schema: kind %q described twice", c.Kind)
		}
		tables[c.Kind] = t
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	defer tx.Rollback()
	exec := func(q string, args ...any) error {
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("schema: %s: %w", q, err)
		}
		return nil
	}
	if err := exec(`CREATE TABLE IF NOT EXISTS schema_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`); err != nil {
		return nil, err
	}
	for _, c := range colls {
		t := tables[c.Kind]
		cols := []string{"id TEXT PRIMARY KEY", "body TEXT NOT NULL"}
		for _, f := range t.scalars {
			cols = append(cols, quote(f)+" TEXT")
		}
		if err := exec(fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s (%s)", t.name, strings.Join(cols, ", "))); err != nil {
			return nil, err
		}
		have, err := columns(ctx, tx, string(c.Kind))
		if err != nil {
			return nil, err
		}
		for _, f := range t.scalars {
			if !have[f] {
				if err := exec(fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s TEXT", t.name, quote(f))); err != nil {
					return nil, err
				}
			}
		}
		if err := exec(fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s (
			field TEXT NOT NULL,
			value TEXT NOT NULL,
			id TEXT NOT NULL REFERENCES %s (id) ON DELETE CASCADE,
			PRIMARY KEY (field, value, id)
		) WITHOUT ROWID`, t.terms, t.name)); err != nil {
			return nil, err
		}
		want := map[string]bool{}
		for _, ix := range t.indexes() {
			want[ix.name] = true
			if err := exec(ix.create()); err != nil {
				return nil, err
			}
		}
		stale, err := staleIndexes(ctx, tx, c.Kind, want)
		if err != nil {
			return nil, err
		}
		for _, name := range stale {
			if err := exec("DROP INDEX " + quote(name)); err != nil {
				return nil, err
			}
		}
	}
	fp, err := json.Marshal(colls)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	sum := sha256.Sum256(fp)
	meta := map[string]string{"version": fmt.Sprint(SchemaVersion), "collections": hex.EncodeToString(sum[:])}
	for _, k := range []string{"version", "collections"} {
		if err := exec(`INSERT INTO schema_meta (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k, meta[k]); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("schema: commit: %w", err)
	}
	return tables, nil
}

// columns returns the names of the columns of a table.
func columns(ctx context.Context, tx *sql.Tx, name string) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, name)
	if err != nil {
		return nil, fmt.Errorf("schema: columns of %s: %w", name, err)
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("schema: columns of %s: %w", name, err)
		}
		have[n] = true
	}
	return have, rows.Err()
}

// staleIndexes returns the indexes on the tables of kind that this package
// created (their names start with the table name and "__") and that are not
// wanted any more.
func staleIndexes(ctx context.Context, tx *sql.Tx, kind content.Kind, want map[string]bool) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name FROM sqlite_schema
		WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (?, ?)`, string(kind), termsTable(kind))
	if err != nil {
		return nil, fmt.Errorf("schema: indexes of %s: %w", kind, err)
	}
	defer rows.Close()
	var stale []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("schema: indexes of %s: %w", kind, err)
		}
		managed := strings.HasPrefix(n, string(kind)+"__") || strings.HasPrefix(n, termsTable(kind)+"__")
		if managed && !want[n] {
			stale = append(stale, n)
		}
	}
	return stale, rows.Err()
}

// quote quotes an SQL identifier.
func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// placeholders returns n comma-separated parameters.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}
