package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"estafette/content"
	"estafette/internal/app"
	"estafette/mongodb"
	"estafette/sqlite"
)

// backupCommand writes a consistent copy of the embedded store to FILE
// while the server may run (see sqlite.Store.Backup). On MongoDB it says
// which tools to use instead and exits 2.
func backupCommand(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	force := fs.Bool("force", false, "replace FILE when it exists")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErrorf("usage: estafette backup [--force] FILE")
	}
	if cfg.MongoURI != "" {
		return &exitError{code: 2, err: mongodb.ErrNoBackup}
	}
	file := fs.Arg(0)
	// Open would create a new, empty store where there is none.
	if _, err := os.Stat(filepath.Join(cfg.DataDir, sqlite.FileName)); err != nil {
		return fmt.Errorf("there is no store to back up in %s: %w", cfg.DataDir, err)
	}
	if _, err := os.Lstat(file); err == nil && !*force {
		return fmt.Errorf("%s exists; use --force to replace it", file)
	}
	s, err := app.OpenStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	db, ok := content.StoreAs[*sqlite.Store](s)
	if !ok {
		return errors.New("the store is not the embedded SQLite store")
	}
	start := time.Now()
	if err := db.Backup(ctx, file, *force); err != nil {
		return err
	}
	fi, err := os.Stat(file)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s (%.1f MB) in %v\n", db.Path(), file, float64(fi.Size())/1e6, time.Since(start).Round(time.Millisecond))
	return nil
}
