package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"estafette/internal/collections"
	"estafette/sqlite"
)

// TestBackupCommand backs the embedded store up, refuses to overwrite the
// backup without --force, and the backup restores to the same content.
func TestBackupCommand(t *testing.T) {
	ctx := context.Background()
	dir := seeded(t, 20)
	env := envOf(map[string]string{"DATA_DIR": dir})
	file := filepath.Join(t.TempDir(), "estafette-backup.db")
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"backup", file}, env, &out, &errOut); err != nil {
		t.Fatalf("backup: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "backed up") {
		t.Errorf("output %q", out.String())
	}
	if err := run(ctx, []string{"backup", file}, env, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("a second backup to the same file: %v, want a refusal naming --force", err)
	}
	if err := run(ctx, []string{"backup", "--force", file}, env, io.Discard, io.Discard); err != nil {
		t.Fatalf("backup --force: %v", err)
	}
	if err := run(ctx, []string{"check", file}, env, &out, io.Discard); err != nil {
		t.Fatalf("check FILE of the backup: %v\n%s", err, out.String())
	}

	// Restore: the backup becomes the database file of a data directory.
	restored := t.TempDir()
	if err := os.Rename(file, filepath.Join(restored, sqlite.FileName)); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(ctx, []string{"check"}, envOf(map[string]string{"DATA_DIR": restored}), &out, io.Discard); err != nil {
		t.Fatalf("check of the restored backup: %v\n%s", err, out.String())
	}
	a, err := sqlite.Open(ctx, dir, collections.All())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := sqlite.Open(ctx, restored, collections.All())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	sameStores(t, a, b)

	if err := run(ctx, []string{"backup", file}, envOf(map[string]string{"DATA_DIR": t.TempDir()}), io.Discard, io.Discard); err == nil {
		t.Error("backed up a directory without a store")
	}
}

// TestBackupOnMongoDB: with MONGODB_URI the command points to mongodump
// and exits 2, without connecting.
func TestBackupOnMongoDB(t *testing.T) {
	err := run(context.Background(), []string{"backup", filepath.Join(t.TempDir(), "x")},
		envOf(map[string]string{"MONGODB_URI": "mongodb://127.0.0.1:1"}), io.Discard, io.Discard)
	if err == nil || exitCode(err) != 2 || !strings.Contains(err.Error(), "mongodump") {
		t.Fatalf("backup on MongoDB: %v (exit %d), want exit 2 naming mongodump", err, exitCode(err))
	}
}

// TestCheckCommand: one verdict a line, exit 1 for a store that is not a
// database.
func TestCheckCommand(t *testing.T) {
	ctx := context.Background()
	var out bytes.Buffer
	if err := run(ctx, []string{"check"}, envOf(map[string]string{"DATA_DIR": seeded(t, 0)}), &out, io.Discard); err != nil {
		t.Fatalf("check: %v\n%s", err, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[1], "ok   integrity_check") {
		t.Errorf("verdicts:\n%s", out.String())
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, sqlite.FileName), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	err := run(ctx, []string{"check"}, envOf(map[string]string{"DATA_DIR": dir}), &out, io.Discard)
	if err == nil || exitCode(err) != 1 || !strings.HasPrefix(out.String(), "FAIL file:") {
		t.Fatalf("check of an empty file: %v, output %q", err, out.String())
	}
}

// TestEmptyDatabaseFileIsNotReseeded: a zero-byte database file stops the
// program with one line instead of being taken for a new store and seeded,
// which would hide that the data was lost.
func TestEmptyDatabaseFileIsNotReseeded(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, sqlite.FileName)
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"seed"}, envOf(map[string]string{"DATA_DIR": dir}), io.Discard, io.Discard)
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "empty") {
		t.Fatalf("seed on a zero-byte database: %v; want one line saying it is empty", err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() != 0 {
		t.Fatalf("the empty file was written to: %v %v", fi, err)
	}
}
