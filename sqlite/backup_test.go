package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"estafette/content"
	"estafette/internal/collections"
)

// TestBackupWhileWriting takes a backup while another goroutine writes, and
// finds in it every write acknowledged before the backup started.
func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, t.TempDir(), collections.All())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seed(t, s, 500)

	var mu sync.Mutex
	var acked []string // ids whose Put returned nil, in order
	stop := make(chan struct{})
	done := make(chan error, 1)
	var started atomic.Int32
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			id := fmt.Sprintf("w%05d", i)
			if err := s.Put(ctx, content.Doc{Kind: content.KindTheme, ID: id, Body: []byte(`{}`), Fields: content.Fields{"slug": {id}}}); err != nil {
				done <- err
				return
			}
			mu.Lock()
			acked = append(acked, id)
			mu.Unlock()
			started.Store(1)
		}
	}()
	for started.Load() == 0 {
		select {
		case err := <-done:
			t.Fatalf("writer: %v", err)
		default:
		}
	}
	mu.Lock()
	before := append([]string(nil), acked...)
	mu.Unlock()
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(ctx, path, false); err != nil {
		t.Fatal(err)
	}
	close(stop)
	if err := <-done; err != nil {
		t.Fatalf("writer: %v", err)
	}

	// The backup is a database file: put it where a store expects it.
	restored := t.TempDir()
	if err := os.Rename(path, filepath.Join(restored, FileName)); err != nil {
		t.Fatal(err)
	}
	b, err := Open(ctx, restored, collections.All())
	if err != nil {
		t.Fatalf("opening the backup: %v", err)
	}
	defer b.Close()
	got, err := b.Get(ctx, content.KindTheme, before)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(before) {
		t.Fatalf("the backup has %d of the %d writes acknowledged before it started", len(got), len(before))
	}
	if n, err := b.Count(ctx, content.KindActivity, nil); err != nil || n != 500 {
		t.Fatalf("the backup has %d activities (%v), want 500", n, err)
	}
	if err := content.CheckFailed(Check(ctx, restored)); err != nil {
		t.Fatalf("check of the backup: %v", err)
	}
}

// TestBackupRefusesToOverwrite: an existing file is kept unless forced.
func TestBackupRefusesToOverwrite(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, t.TempDir(), collections.All())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(path, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(ctx, path, false); err == nil {
		t.Fatal("overwrote an existing file")
	}
	if b, _ := os.ReadFile(path); string(b) != "keep me" {
		t.Fatal("the existing file changed")
	}
	if err := s.Backup(ctx, path, true); err != nil {
		t.Fatalf("--force: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b[:16]) != "SQLite format 3\x00" {
		t.Fatal("the forced backup is not a database")
	}
}
