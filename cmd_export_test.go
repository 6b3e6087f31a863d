package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"slices"
	"strings"
	"testing"

	"estafette/content"
	"estafette/export"
	"estafette/internal/app"
)

// TestExportCommand: "estafette export" writes the same rows as the API
// lists, with a progress bar on stderr, and refuses bad flags.
func TestExportCommand(t *testing.T) {
	dir := t.TempDir()
	getenv := func(k string) string { return map[string]string{"DATA_DIR": dir}[k] }
	ctx := context.Background()
	if err := run(ctx, []string{"seed", "--synthetic", "300"}, getenv, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"export", "--format", "csv", "--edition", "2023"}, getenv, &out, &errOut); err != nil {
		t.Fatalf("export: %v\n%s", err, errOut.String())
	}
	records, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(records[0], export.Columns(export.Activities)) {
		t.Errorf("header %q", records[0])
	}
	m := app.New(testConfig(t, dir))
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	y := 2023
	total, err := m.Catalog().Stats(ctx, content.ActivityFilter{EditionYear: &y}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(records)-1 != total[0].Count || total[0].Count == 0 {
		t.Errorf("%d rows, %d activities in 2023", len(records)-1, total[0].Count)
	}
	if !strings.Contains(errOut.String(), "export activities [") || !strings.Contains(errOut.String(), "100%") {
		t.Errorf("no progress bar on stderr: %q", errOut.String())
	}

	out.Reset()
	if err := run(ctx, []string{"export", "organizations", "--format", "json", "--kind", "hospital", "--quiet"}, getenv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "[") || !strings.Contains(out.String(), `"kind":"hospital"`) {
		t.Errorf("organisations: %.200s", out.String())
	}

	for args, want := range map[string]string{
		"export --format xlsx":                                  `--format must be csv, ndjson, json or parquet, not "xlsx"`,
		"export --edition twenty":                               "--edition must be a year",
		"export initiatives --activity-format x":                "initiatives takes no --activity-format",
		"export recaps":                                         "cannot be exported",
		"export --format json --excel":                          "--excel applies to --format csv only",
		"export --format csv --from 2023-03-01 --to 2023-02-01": "is after to",
	} {
		err := run(ctx, strings.Fields(args), getenv, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error with %q", args, err, want)
		}
	}

	out.Reset()
	if err := run(ctx, []string{"reindex", "--quiet"}, getenv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "activity: ") {
		t.Errorf("reindex output: %s", out.String())
	}
}
