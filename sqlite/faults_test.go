package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"estafette/content"
	"estafette/internal/collections"
)

// TestFullDiskIsUnavailable reproduces a full disk through the real store:
// PRAGMA max_page_count caps the file, so that writes fail with SQLITE_FULL
// like they do when the disk has no space left. The failure must reach the
// caller of the catalog as EUNAVAILABLE, not as a generic internal error.
func TestFullDiskIsUnavailable(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, t.TempDir(), collections.All())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var pages int
	if err := s.w.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages+2)); err != nil {
		t.Fatal(err)
	}
	var health content.Health
	cat := content.NewCatalog(health.Store(s))
	var saveErr error
	for i := 0; i < 200 && saveErr == nil; i++ {
		th := &content.Theme{Meta: content.Meta{ID: fmt.Sprintf("t%d", i), Slug: fmt.Sprintf("theme-%d", i), Status: content.StatusPublished},
			Name: content.NLText(strings.Repeat("vol ", 500))}
		saveErr = cat.Save(ctx, th)
	}
	if saveErr == nil {
		t.Fatal("no write failed on a full database")
	}
	if code := content.ErrorCode(saveErr); code != content.EUNAVAILABLE {
		t.Fatalf("a full disk gives code %q (%v), want %q", code, saveErr, content.EUNAVAILABLE)
	}
	if msg := content.ErrorMessage(saveErr); !strings.Contains(msg, "full") {
		t.Errorf("message %q does not say the disk is full", msg)
	}
	if err := health.Ready(ctx); content.ErrorCode(err) != content.EUNAVAILABLE || !strings.Contains(content.ErrorMessage(err), "full") {
		t.Errorf("health after the failed write: %v", err)
	}
	if err := s.Delete(ctx, content.KindTheme, "t0"); err != nil {
		t.Fatalf("deleting on a full store: %v", err)
	}
	// Once there is room again, writes work.
	if _, err := s.w.ExecContext(ctx, "PRAGMA max_page_count = 1073741823"); err != nil {
		t.Fatal(err)
	}
	if err := cat.Save(ctx, &content.Theme{Meta: content.Meta{ID: "after", Slug: "after", Status: content.StatusPublished}}); err != nil {
		t.Fatalf("after making room: %v", err)
	}
	if err := health.Ready(ctx); err != nil {
		t.Errorf("health after a write succeeded: %v", err)
	}
	if err := s.ProbeWrite(ctx); err != nil {
		t.Fatalf("probe: %v", err)
	}
}

// TestEmptyFileStopsOpen: a database file of zero bytes is a lost
// database, never a new one (which would be seeded and hide the loss).
func TestEmptyFileStopsOpen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), dir, collections.All())
	if err == nil {
		t.Fatal("a zero-byte database file opened as a store")
	}
	if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "empty") || !strings.Contains(msg, path) {
		t.Errorf("error %q: want one line that names the file and says it is empty", msg)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() != 0 {
		t.Errorf("the empty file was changed: %v, %v", fi, err)
	}
}

// TestNotADatabaseStopsOpen: a file that is not an SQLite database stops
// the start with one line, and is left as it is.
func TestNotADatabaseStopsOpen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	junk := []byte(strings.Repeat("this is not a database\n", 300))
	if err := os.WriteFile(path, junk, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), dir, collections.All())
	if err == nil {
		t.Fatal("a text file opened as a store")
	}
	if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "not an SQLite database") {
		t.Errorf("error %q: want one line saying it is not a database", msg)
	}
	if b, _ := os.ReadFile(path); string(b) != string(junk) {
		t.Error("the file was changed")
	}
}

// corrupt writes a store with some records and overwrites pages in the
// middle of its file with garbage, and returns the directory.
func corrupt(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, dir, collections.All())
	if err != nil {
		t.Fatal(err)
	}
	seed(t, s, 300)
	if err := s.Close(); err != nil { // checkpoints the WAL into the file
		t.Fatal(err)
	}
	path := filepath.Join(dir, FileName)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 40*4096 {
		t.Fatalf("database of %d bytes: too small to corrupt in the middle", len(b))
	}
	for i := len(b) / 2; i < len(b)/2+8*4096; i++ {
		b[i] = byte(i * 7)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestCorruptionNoticedAtOpen: damage in the middle of the file stops
// Open (PRAGMA quick_check) instead of surfacing in some later request.
func TestCorruptionNoticedAtOpen(t *testing.T) {
	dir := corrupt(t)
	s, err := Open(context.Background(), dir, collections.All())
	if err == nil {
		s.Close()
		t.Fatal("a corrupt database opened")
	}
	if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "damaged") {
		t.Errorf("error %q: want one line saying the database is damaged", msg)
	}
}

// TestCheck: estafette check's verdicts on a sound and a corrupt store.
func TestCheck(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, dir, collections.All())
	if err != nil {
		t.Fatal(err)
	}
	seed(t, s, 50)
	results := Check(ctx, dir)
	s.Close()
	if err := content.CheckFailed(results); err != nil || len(results) < 2 {
		t.Fatalf("a sound store: %v %v", results, err)
	}
	results = Check(ctx, corrupt(t))
	if content.CheckFailed(results) == nil {
		t.Fatalf("a corrupt store passed: %v", results)
	}
	for _, r := range results {
		if strings.Contains(r.String(), "\n") {
			t.Errorf("verdict of more than one line: %q", r.String())
		}
	}
	empty := t.TempDir()
	if err := os.WriteFile(filepath.Join(empty, FileName), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if results := Check(ctx, empty); content.CheckFailed(results) == nil {
		t.Fatalf("an empty file passed: %v", results)
	}
	if results := Check(ctx, t.TempDir()); content.CheckFailed(results) == nil {
		t.Fatalf("a directory without a database passed: %v", results)
	}
}
