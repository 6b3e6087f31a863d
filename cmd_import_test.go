package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportTakesBackTheExport: every file "estafette export" writes (and
// the browser names estafette-activities…), in every format, imports back
// with "estafette import" without a problem and without a change; a file
// whose records do not say their type is read by its name.
func TestImportTakesBackTheExport(t *testing.T) {
	dir := t.TempDir()
	getenv := func(k string) string { return map[string]string{"DATA_DIR": dir}[k] }
	ctx := context.Background()
	if err := run(ctx, []string{"seed"}, getenv, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	files := map[string][]string{
		"estafette-activities.ndjson":      {"--format", "ndjson"},
		"estafette-activities.json":        {"--format", "json"},
		"estafette-activities.csv":         {"--format", "csv"},
		"estafette-activities-excel.csv":   {"--format", "csv", "--excel"},
		"estafette-initiatives.csv":        {"initiatives", "--format", "csv", "--excel"},
		"estafette-organizations.ndjson":   {"organizations", "--format", "ndjson"},
		"estafette-organizations-xls.csv":  {"organizations", "--format", "csv", "--excel"},
		"estafette-initiatives-2024.json":  {"initiatives", "--format", "json"},
		"estafette-activities-2023.ndjson": {"--format", "ndjson", "--edition", "2023"},
	}
	for name, args := range files {
		path := filepath.Join(dir, name)
		cmd := []string{"export"}
		if !strings.HasPrefix(args[0], "--") {
			cmd, args = append(cmd, args[0]), args[1:]
		}
		if err := run(ctx, append(append(cmd, "--quiet", "--output", path), args...), getenv, io.Discard, io.Discard); err != nil {
			t.Fatalf("export %s: %v", name, err)
		}
		checkImport(t, ctx, getenv, path)
	}
	// The records of this file do not say their type: the name does.
	b, err := os.ReadFile(filepath.Join(dir, "estafette-activities.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	untyped := filepath.Join(dir, "untyped", "estafette-activities.ndjson")
	if err := os.MkdirAll(filepath.Dir(untyped), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(untyped, bytes.ReplaceAll(b, []byte(`,"type":"activity"`), nil), 0o644); err != nil {
		t.Fatal(err)
	}
	checkImport(t, ctx, getenv, untyped)
}

func checkImport(t *testing.T, ctx context.Context, getenv func(string) string, path string) {
	t.Helper()
	var out bytes.Buffer
	if err := run(ctx, []string{"import", "--dry-run", path}, getenv, &out, io.Discard); err != nil {
		t.Errorf("import %s: %v\n%s", filepath.Base(path), err, out.String())
		return
	}
	if s := out.String(); !strings.Contains(s, "would import (dry run)") || !strings.Contains(s, " 0 created, 0 updated,") {
		t.Errorf("import %s: %s", filepath.Base(path), s)
	}
}

// TestImportReportsEveryProblem: the report names every problem of a line,
// in file order.
func TestImportReportsEveryProblem(t *testing.T) {
	dir := t.TempDir()
	getenv := func(k string) string { return map[string]string{"DATA_DIR": dir}[k] }
	ctx := context.Background()
	if err := run(ctx, []string{"seed"}, getenv, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "activities.csv")
	file := "slug,edition,region,title_nl,starts_on\n" +
		"Slechte Slug!,2023,nergens,x,2023-13-45\n" +
		"goed,2023,,Goed,\n" +
		"ook-slecht,2023,,,2023-02-30\n"
	if err := os.WriteFile(path, []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err := run(ctx, []string{"import", path}, getenv, &out, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("import of a bad file: %v", err)
	}
	var lines []string
	for l := range strings.Lines(out.String()) {
		where, rest, _ := strings.Cut(l, ": ")
		field, _, _ := strings.Cut(rest, ":")
		lines = append(lines, where+" "+field)
	}
	want := "line 2 starts_on|line 2 region|line 2 slug|line 4 starts_on|line 4 title.nl"
	if got := strings.Join(lines, "|"); got != want {
		t.Errorf("report:\n%s\nwant the fields %s", out.String(), want)
	}
}
