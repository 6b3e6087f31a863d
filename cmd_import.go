package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"estafette/auth"
	"estafette/content"
	"estafette/export"
	"estafette/internal/app"
)

// importCommand imports a file in the shape of the exports (JSON, NDJSON,
// CSV, CSV for Excel): every record is checked first and nothing is
// written when any is bad; the report lists every problem, in file order.
func importCommand(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	typ := fs.String("type", "", "kind of the records without a type field: activities, initiatives or organizations (default: from the file name, else from the columns)")
	dry := fs.Bool("dry-run", false, "check and report, write nothing")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErrorf("import: give one file (or - for standard input)")
	}
	name := fs.Arg(0)
	kind := content.Kind("")
	if *typ != "" {
		k, ok := export.Kinds[*typ]
		if !ok {
			return usageErrorf("import: --type must be activities, initiatives or organizations, not %q", *typ)
		}
		kind = k
	} else if name != "-" {
		kind = export.KindFromName(name)
	}
	var in io.Reader = os.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("import: %v", err)
		}
		defer f.Close()
		in = f
	}
	items, problems, err := export.Read(in, kind)
	if err != nil {
		return fmt.Errorf("import: %v", err)
	}
	cfg.NoSeed = true
	m := app.New(cfg)
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	bar := newProgress(stderr, "checking", len(items))
	rep, err := m.Catalog().Import(auth.CommandLine(ctx, operator()), items,
		content.ImportOptions{DryRun: *dry || len(problems) > 0, Progress: bar.Set})
	if err != nil {
		return fmt.Errorf("import: %s", content.ErrorMessage(err))
	}
	bar.Done()
	rep.Problems = export.MergeProblems(problems, rep.Problems)
	if len(rep.Problems) > 0 {
		for _, p := range rep.Problems {
			field := ""
			if p.Field != "" {
				field = " " + p.Field + ":"
			}
			fmt.Fprintf(stdout, "%s:%s %s\n", p.Where, field, p.Message)
		}
		return fmt.Errorf("import: %d problems in %s; nothing was written", len(rep.Problems), name)
	}
	verb := "imported"
	if !rep.Applied {
		verb = "would import (dry run)"
	}
	fmt.Fprintf(stdout, "%s %d records: %d created, %d updated, %d unchanged\n", verb, len(items), rep.Created, rep.Updated, rep.Unchanged)
	return nil
}
