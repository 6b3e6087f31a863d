package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"estafette/content"
	"estafette/mongodb"
	"estafette/sqlite"
)

// checkCommand examines the store without changing it and prints one
// verdict per check: on the embedded store the file, PRAGMA
// integrity_check, the schema version and the counts of the tables; on
// MongoDB a ping, the indexes the program expects and the counts of the
// collections. It fails (exit 1) when a check does.
func checkCommand(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("usage: estafette check (no arguments; it checks the store of DATA_DIR or MONGODB_URI)")
	}
	var results []content.CheckResult
	if cfg.MongoURI != "" {
		s, err := openMongo(ctx, cfg, cfg.MongoURI, func(o *mongodb.Options) { o.CheckOnly = true })
		if err != nil {
			results = []content.CheckResult{{Name: "open", Err: err}}
		} else {
			defer s.Close()
			results = s.Check(ctx)
		}
	} else {
		results = sqlite.Check(ctx, cfg.DataDir)
	}
	for _, r := range results {
		fmt.Fprintln(stdout, r)
	}
	return content.CheckFailed(results)
}
