package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"estafette/content"
	"estafette/internal/app"
	"estafette/sqlite"
)

// checkCommand examines the store without changing it and prints one
// verdict per check: on the embedded store the file, PRAGMA
// integrity_check, the schema version and the counts of the tables; on
// MongoDB a ping, the indexes the program expects and the counts of the
// collections. Given a FILE it checks that SQLite file instead, such as a
// backup. It fails (exit 1) when a check does.
func checkCommand(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usageErrorf("usage: estafette check [FILE] (the store of DATA_DIR or MONGODB_URI, or an SQLite backup FILE)")
	}
	var results []content.CheckResult
	switch {
	case fs.NArg() == 1:
		results = sqlite.CheckFile(ctx, fs.Arg(0))
	case cfg.MongoURI != "":
		cfg.Mongo.CheckOnly = true
		s, err := app.OpenMongo(ctx, cfg, cfg.MongoURI)
		if err != nil {
			results = []content.CheckResult{{Name: "open", Err: err}}
		} else {
			defer s.Close()
			results = s.Check(ctx)
		}
	default:
		results = sqlite.Check(ctx, cfg.DataDir)
	}
	for _, r := range results {
		fmt.Fprintln(stdout, r)
	}
	return content.CheckFailed(results)
}
