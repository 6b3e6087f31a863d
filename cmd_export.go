package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

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
	fs.SetOutput(stderr)
	format := fs.String("format", string(export.CSV), "csv, ndjson or json")
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
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("export takes flags only, not %q", fs.Args())
	}
	q := url.Values{}
	fs.Visit(func(f *flag.Flag) {
		if p, ok := filters[f.Name]; ok {
			q.Set(strings.TrimPrefix(f.Name, "activity-"), *p)
		}
	})
	if *excel {
		q.Set("excel", "1")
	}
	req, err := export.ParseRequest(export.Entity(entity), export.Format(*format), q)
	if err != nil {
		return fmt.Errorf("%s", strings.ReplaceAll(err.Error(), "parameter", "flag"))
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
