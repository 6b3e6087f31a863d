package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"estafette/internal/app"
	"estafette/web/gqlhttp/persisted"
)

// queriesCommand registers documents as persisted queries: the text of
// each file, exactly as the frontend sends it, under its SHA-256 hash.
func queriesCommand(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "register" {
		return noSubcommand("queries", args, "register and give one or more .graphql files")
	}
	fs := flag.NewFlagSet("queries register", flag.ContinueOnError)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageErrorf("queries register: give one or more .graphql files")
	}
	m, err := openApp(ctx, cfg)
	if err != nil {
		return err
	}
	defer m.Close()
	q := persisted.New(m.Store(), true)
	for _, name := range fs.Args() {
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
