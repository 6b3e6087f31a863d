package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"estafette/content"

	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// header is how every SQLite database file begins.
const header = "SQLite format 3\x00"

// QuickCheckMaxBytes is the largest database file Open runs PRAGMA
// quick_check on. It reads the whole file: measured 0.85 s for a store of
// 100,000 activities (233 MB) on two shared cores, so 64 MiB keeps it near
// a quarter of a second; larger stores are checked by "estafette check"
// (PRAGMA integrity_check, 12 s on that store) only.
const QuickCheckMaxBytes = 64 << 20

// fault turns the storage faults of SQLite into EUNAVAILABLE errors that
// say what is wrong (a full disk, an I/O error, a damaged file) and still
// wrap the driver's error; other errors are returned as they are.
func fault(err error) error {
	var e *sqlite.Error
	if err == nil || !errors.As(err, &e) {
		return err
	}
	switch e.Code() & 0xff {
	case sqlite3.SQLITE_FULL:
		return content.Unavailable(err, "The store's disk is full: changes cannot be saved. Free space on the server and try again.")
	case sqlite3.SQLITE_IOERR:
		return content.Unavailable(err, "The store cannot read or write its disk (I/O error); try again later.")
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return content.Unavailable(err, "The store's database file is damaged; run estafette check.")
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN:
		return content.Unavailable(err, "The store's database file cannot be written; try again later.")
	}
	return err
}

// faultp replaces *err by fault(*err); deferred by the methods of Store.
func faultp(err *error) { *err = fault(*err) }

// checkFile reports, in one line, why the file at path cannot be a
// database: empty, too short, or not starting with the SQLite header. A
// file that does not exist is fine (Open creates it).
func checkFile(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	if fi.Size() == 0 {
		return fmt.Errorf("sqlite: %s is empty (0 bytes): the database it held is lost; restore a backup into its place "+
			"(see Operations in the README), or move it away to start a new store", path)
	}
	b := make([]byte, len(header))
	if _, err := io.ReadFull(f, b); err != nil || !bytes.Equal(b, []byte(header)) {
		return fmt.Errorf("sqlite: %s is not an SQLite database (%d bytes without the SQLite header); "+
			"restore a backup into its place, or move it away to start a new store", path, fi.Size())
	}
	return nil
}

// quickCheck runs PRAGMA quick_check on db and returns its findings as
// one-line error, or nil when the database is sound.
func quickCheck(ctx context.Context, db *sql.DB, pragma string) error {
	rows, err := db.QueryContext(ctx, "PRAGMA "+pragma)
	if err != nil {
		return err
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		found = append(found, line)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(found) == 1 && found[0] == "ok" {
		return nil
	}
	if len(found) == 0 {
		return errors.New("no answer")
	}
	msg := strings.Join(strings.Fields(found[0]), " ")
	if len(found) > 1 {
		msg += fmt.Sprintf(" (and %d more problems)", len(found)-1)
	}
	return errors.New(msg)
}

// damaged is the error of Open for a file that fails the quick check.
func damaged(path string, err error) error {
	return fmt.Errorf("sqlite: %s is damaged (%s: %v); run estafette check, and restore a backup into its place "+
		"(see Operations in the README)", path, "quick_check", oneLine(err))
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// ProbeWrite tries a small write (a row of schema_meta) and returns its
// error, EUNAVAILABLE for a storage fault: content.Health uses it as its
// Probe, to notice that writes work again once space was freed.
func (s *Store) ProbeWrite(ctx context.Context) (err error) {
	defer faultp(&err)
	_, err = s.w.ExecContext(ctx, `INSERT INTO schema_meta (key, value) VALUES ('probe', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, time.Now().UTC().Format(time.RFC3339Nano))
	if err != nil {
		return fmt.Errorf("sqlite: probe write: %w", err)
	}
	return nil
}
