package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"estafette/internal/app"
	"estafette/web/gqlhttp/persisted"
)

// queriesCommand registers documents as persisted queries: the text of
// each file, exactly as the frontend sends it, under its SHA-256 hash.
func queriesCommand(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	if len(args) < 2 || args[0] != "register" {
		return fmt.Errorf("queries: say register and give one or more .graphql files")
	}
	cfg.NoSeed = true
	m := app.New(cfg)
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	q := persisted.New(m.Store(), true)
	for _, name := range args[1:] {
		b, err := os.ReadFile(name)
		if err != nil {
			return fmt.Errorf("queries register: %v", err)
		}
		hash, err := q.Register(ctx, string(b))
		if err != nil {
			return fmt.Errorf("queries register %s: %v", name, err)
		}
		fmt.Fprintf(stdout, "%s  %s\n", hash, name)
	}
	return nil
}
