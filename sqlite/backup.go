package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"estafette/content"
)

// Backup writes a consistent copy of the database to the file at path,
// while the store keeps serving: VACUUM INTO on a read connection, which
// copies the last committed state (writes go on meanwhile; those that
// commit after the copy began are not in it). The copy is written to a
// temporary file next to path, synced, and then put in place, so that
// path never holds half a backup. An existing file at path is an error
// unless force is set, in which case it is replaced.
//
// The backup is a complete database file: to restore it, stop the server
// and put it in place of the store's estafette.db (removing any
// estafette.db-wal and estafette.db-shm next to it).
func (s *Store) Backup(ctx context.Context, path string, force bool) error {
	path, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	if path == s.path {
		return fmt.Errorf("sqlite: backup: %s is the store's own database file", path)
	}
	if !force {
		if _, err := os.Lstat(path); err == nil {
			return fmt.Errorf("sqlite: backup: %s exists; use --force to replace it", path)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	name := tmp.Name()
	tmp.Close()           // VACUUM INTO writes into an empty file
	defer os.Remove(name) // gone once it is in place; a leftover after a failure
	// A connection of its own: the read pool's are query-only, which VACUUM
	// INTO refuses, and the write connection would hold writes up.
	db, err := sql.Open("sqlite", backupDSN(s.path))
	if err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", name); err != nil {
		return fmt.Errorf("sqlite: backup to %s: %w", path, err)
	}
	if err := db.Close(); err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	if err := syncFile(name); err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	if force {
		err = os.Rename(name, path)
	} else {
		err = os.Link(name, path) // fails, and keeps the file, if path appeared meanwhile
	}
	if err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	if err := syncFile(filepath.Dir(path)); err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	return nil
}

// backupDSN is the data source name of the connection that takes a backup:
// it only reads, waits for locks like the others, and keeps its temporary
// data in memory.
func backupDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", BusyTimeout.Milliseconds()))
	q.Add("_pragma", "temp_store(MEMORY)")
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: q.Encode()}
	return u.String()
}

// syncFile flushes the file (or directory) at path to the disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Check examines the database in dir without changing it and returns one
// verdict per check, as "estafette check" prints them:
//
//   - file: estafette.db exists, is not empty, and starts with the SQLite header;
//   - integrity_check: PRAGMA integrity_check finds no damage (it reads
//     every page and index: seconds for a large store);
//   - schema: the schema version is one this package knows;
//   - counts: every table can be counted.
//
// The checks after the first run only when the file passed it. They are
// safe while the server runs.
func Check(ctx context.Context, dir string) []content.CheckResult {
	return CheckFile(ctx, filepath.Join(dir, FileName))
}

// CheckFile is Check of the database file at path, such as a backup.
func CheckFile(ctx context.Context, path string) []content.CheckResult {
	path, err := filepath.Abs(path)
	if err != nil {
		return []content.CheckResult{{Name: "file", Err: err}}
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return []content.CheckResult{{Name: "file", Err: fmt.Errorf("there is no database file %s", path)}}
	case err != nil:
		return []content.CheckResult{{Name: "file", Err: err}}
	}
	if err := checkFile(path); err != nil {
		return []content.CheckResult{{Name: "file", Err: err}}
	}
	out := []content.CheckResult{{Name: "file", Detail: fmt.Sprintf("%s, %.1f MB", path, float64(fi.Size())/1e6)}}
	db, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return append(out, content.CheckResult{Name: "open", Err: err})
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	r := content.CheckResult{Name: "integrity_check", Detail: "ok"}
	if err := quickCheck(ctx, db, "integrity_check(100)"); err != nil {
		r.Err = errors.New(oneLine(err))
	}
	out = append(out, r)

	r = content.CheckResult{Name: "schema"}
	var version string
	if err := db.QueryRowContext(ctx, `SELECT value FROM schema_meta WHERE key = 'version'`).Scan(&version); err != nil {
		r.Err = fmt.Errorf("cannot read the schema version: %s", oneLine(err))
	} else if version != fmt.Sprint(SchemaVersion) {
		r.Err = fmt.Errorf("schema version %s; this build knows %d", version, SchemaVersion)
	} else {
		r.Detail = "version " + version
	}
	out = append(out, r)

	return append(out, countTables(ctx, db))
}

// countTables counts the rows of every table of db.
func countTables(ctx context.Context, db *sql.DB) content.CheckResult {
	r := content.CheckResult{Name: "counts"}
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		r.Err = errors.New(oneLine(err))
		return r
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			r.Err = errors.New(oneLine(err))
			return r
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		r.Err = errors.New(oneLine(err))
		return r
	}
	total := 0
	for _, n := range names {
		var c int
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+quote(n)).Scan(&c); err != nil {
			r.Err = fmt.Errorf("table %s: %s", n, oneLine(err))
			return r
		}
		total += c
	}
	r.Detail = fmt.Sprintf("%d tables, %d rows", len(names), total)
	return r
}
