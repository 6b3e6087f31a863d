package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strings"

	"estafette/content"
	"estafette/export"
	"estafette/internal/app"
)

// exportCommand writes an export of activities (the default), initiatives
// or organisations, filtered with the same parameters as /export/…, to
// stdout or a file. The filter flags are the query parameters of the HTTP
// export, except that the format of activities is --activity-format (--format
// is the file format); a flag that the entity does not take is refused, as
// a query parameter would be.
func exportCommand(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	entity := string(export.Activities)
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		entity, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	format := fs.String("format", string(export.CSV), "csv, ndjson, json or parquet")
	output := fs.String("output", "", "write to this file instead of stdout")
	excel := fs.Bool("excel", false, "CSV for Dutch Excel: byte order mark, ; separator, CRLF")
	quiet := fs.Bool("quiet", false, "no progress bar")
	filters := map[string]*string{}
	for _, p := range []struct{ name, help string }{
		{"edition", "the year of the edition, such as 2023"},
		{"region", "the slug of a region, such as zuid"},
		{"initiative", "the slug of an initiative"},
		{"organization", "the slug of an organisation"},
		{"theme", "the slug of a theme"},
		{"activity-format", "the format of the activities: workshop, webinar, …"},
		{"mode", "onsite, online or hybrid"},
		{"kind", "the kind of the organisations: hospital, company, …"},
		{"from", "a day (2023-02-06) or an RFC 3339 date-time: activities taking place from then"},
		{"to", "a day or an RFC 3339 date-time: activities taking place until then"},
		{"search", "words the records must contain"},
	} {
		filters[p.name] = fs.String(p.name, "", p.help)
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if !slices.Contains(export.Entities, export.Entity(entity)) {
		return usageErrorf("export: %q cannot be exported; export activities, initiatives or organizations", entity)
	}
	if fs.NArg() > 0 {
		return usageErrorf("export takes flags only, not %s", strings.Join(fs.Args(), " "))
	}
	if !slices.Contains(export.Formats, export.Format(*format)) {
		return usageErrorf("export: --format must be csv, ndjson, json or parquet, not %q", *format)
	}
	if *excel && export.Format(*format) != export.CSV {
		return usageErrorf("export: --excel applies to --format csv only")
	}
	takes := export.Params(export.Entity(entity))
	q := url.Values{}
	var refused error
	fs.Visit(func(f *flag.Flag) {
		if p, ok := filters[f.Name]; ok {
			param := paramOfFlag(f.Name)
			if !slices.Contains(takes, param) && refused == nil {
				flags := make([]string, len(takes))
				for i, t := range takes {
					flags[i] = "--" + flagOfParam(t)
				}
				refused = usageErrorf("export: an export of %s takes no --%s; it takes %s", entity, f.Name, strings.Join(flags, ", "))
			}
			q.Set(param, *p)
		}
	})
	if refused != nil {
		return refused
	}
	if *excel {
		q.Set("excel", "1")
	}
	req, err := export.ParseRequest(export.Entity(entity), export.Format(*format), q)
	if err != nil {
		return exportFlagError(err)
	}

	m := app.New(cfg)
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	out := stdout
	if *output != "" {
		f, err := os.Create(*output)
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	var bar *progress
	report := func(done, total int) {
		if bar == nil {
			bar = newProgress(stderr, "export "+string(req.Entity), total)
		}
		bar.Set(done, total)
	}
	if *quiet {
		report = nil
	}
	n, err := export.Write(ctx, m.Catalog(), out, req, report)
	if err != nil {
		if bar != nil {
			fmt.Fprintln(stderr)
		}
		return err
	}
	if bar != nil {
		bar.Done()
	}
	if *output != "" {
		fmt.Fprintf(stderr, "wrote %d %s to %s\n", n, req.Entity, *output)
	}
	return nil
}

// paramOfFlag is the query parameter of the HTTP export that a filter flag
// of the command sets: the same name, except --activity-format (--format
// is the file format).
func paramOfFlag(name string) string { return strings.TrimPrefix(name, "activity-") }

// flagOfParam is the flag of a query parameter (see paramOfFlag).
func flagOfParam(param string) string {
	if param == "format" {
		return "activity-format"
	}
	return param
}

// exportFlagError words an error of export.ParseRequest, which names query
// parameters, with the flags of the command: a usage error (exit 2).
func exportFlagError(err error) error {
	var ce *content.Error
	if !errors.As(err, &ce) || ce.Field == "" {
		return usageErrorf("export: %v", err)
	}
	name := "--" + flagOfParam(ce.Field)
	msg := ce.Message
	if rest, ok := strings.CutPrefix(msg, ce.Field+" "); ok {
		msg = name + " " + rest
	} else {
		msg = name + ": " + msg
	}
	return usageErrorf("export: %s", msg)
}
