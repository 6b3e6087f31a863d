package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"estafette/content"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// FileName is the name of the database file in the directory given to Open.
const FileName = "estafette.db"

// BusyTimeout is how long a connection waits for a lock held by another
// connection (another process writing, a checkpoint) before it fails.
const BusyTimeout = 5 * time.Second

// Store is a content.Store on one SQLite database file. It is safe for
// concurrent use: reads run in parallel on a pool of read-only connections
// and see the last committed state (WAL mode), writes are serialised on a
// single connection so they never wait on each other for the file lock.
type Store struct {
	path   string
	r      *sql.DB // read-only connections
	w      *sql.DB // the one write connection
	tables map[content.Kind]*table
	// sparse is how many matches make a condition on a multi-valued
	// field drive a limited Find (see selectiveTerm); 0 never does.
	sparse int
}

var _ content.Store = (*Store)(nil)

// Open opens the store in dir, creating the directory and the database file
// estafette.db when they do not exist, and brings the schema up to date
// with colls: a table per collection, created or migrated in place (pass
// the program's full list, estafette/internal/collections.All; a kind
// that is not in colls cannot be read or written). The database runs in WAL mode with foreign keys
// on, synchronous=NORMAL and a busy timeout of BusyTimeout; write
// transactions take the write lock when they begin (BEGIN IMMEDIATE).
//
// A file that exists but cannot be a database (zero bytes, or without the
// SQLite header) stops Open with a one-line error and is left untouched:
// it is never taken for a new store. A file of at most QuickCheckMaxBytes
// is checked with PRAGMA quick_check first, so that damage is noticed at
// start, not by some later request.
func Open(ctx context.Context, dir string, colls []content.Collection) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("sqlite: create %s: %w", dir, err)
	}
	path, err := filepath.Abs(filepath.Join(dir, FileName))
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	if err := checkFile(path); err != nil {
		return nil, err
	}
	fi, statErr := os.Stat(path)
	s := &Store{path: path, sparse: sparseTerms}
	if s.w, err = sql.Open("sqlite", dsn(path, false)); err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	s.w.SetMaxOpenConns(1)
	s.w.SetMaxIdleConns(1)
	s.w.SetConnMaxLifetime(0)
	if statErr == nil && fi.Size() <= QuickCheckMaxBytes {
		if err := quickCheck(ctx, s.w, "quick_check"); err != nil {
			s.w.Close()
			return nil, damaged(path, err)
		}
	}
	if s.tables, err = migrate(ctx, s.w, colls); err != nil {
		s.w.Close()
		if content.ErrorCode(fault(err)) == content.EUNAVAILABLE {
			return nil, fmt.Errorf("sqlite: open %s: %s", path, oneLine(err))
		}
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// The read pool opens after the schema exists and the file is in WAL
	// mode, so its connections never write.
	if s.r, err = sql.Open("sqlite", dsn(path, true)); err != nil {
		s.w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	s.r.SetMaxOpenConns(n)
	s.r.SetMaxIdleConns(n)
	if err := s.r.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return s, nil
}

// dsn returns the data source name of a connection to the database file at
// path: a file: URI (so any path is safe) with the connection settings as
// driver parameters.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", BusyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	if readOnly {
		q.Add("_pragma", "cache_size(-16384)") // 16 MiB of page cache per read connection
		q.Set("_query_only", "1")
	} else {
		q.Add("_pragma", "cache_size(-65536)") // 64 MiB: bulk writes touch index pages all over
		// Statement journals (kept so a failing statement can be undone inside
		// a transaction) in memory, not in temporary files.
		q.Add("_pragma", "temp_store(MEMORY)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(NORMAL)")
		q.Set("_txlock", "immediate")
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: q.Encode()}
	return u.String()
}

// Path returns the path of the database file.
func (s *Store) Path() string { return s.path }

// Ping reports whether the database file can be read.
func (s *Store) Ping(ctx context.Context) (err error) {
	defer faultp(&err)
	if err := s.r.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	return nil
}

// Optimize refreshes the statistics the query planner uses to choose
// indexes (ANALYZE, then PRAGMA optimize). Run it after a bulk load such as
// seeding, so that plans stay good as the data grows.
func (s *Store) Optimize(ctx context.Context) error {
	for _, q := range []string{"PRAGMA analysis_limit=1000", "ANALYZE", "PRAGMA optimize"} {
		if _, err := s.w.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("sqlite: optimize: %s: %w", q, err)
		}
	}
	// Connections read the statistics when they load the schema; let the
	// idle read connections go so that new ones plan with the fresh numbers.
	n := max(4, runtime.GOMAXPROCS(0))
	s.r.SetMaxIdleConns(0)
	s.r.SetMaxIdleConns(n)
	return nil
}

// Close runs PRAGMA optimize (as SQLite advises for connections that close)
// and closes the database. The store cannot be used afterwards.
func (s *Store) Close() error {
	var errs []error
	if s.w != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, _ = s.w.ExecContext(ctx, "PRAGMA optimize") // best effort
		cancel()
		errs = append(errs, s.w.Close())
	}
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("sqlite: close: %w", err)
	}
	return nil
}
