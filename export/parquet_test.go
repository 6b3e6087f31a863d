package export_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"estafette/content"
	"estafette/export"
)

// TestParquetEqualsNDJSON exports each entity, with and without a filter,
// as Parquet and as NDJSON, reads the Parquet file back with parquet-go and
// compares it row by row, column by column, with the NDJSON lines: the
// same rows in the same order, days read back as the same day, instants as
// the same instant, years as numbers, nulls as nulls.
func TestParquetEqualsNDJSON(t *testing.T) {
	cat := catalog(t)
	h := export.Handler(cat, nil)
	for _, file := range []string{"activities", "activities?edition=2023&region=zuid", "activities?edition=1999",
		"initiatives", "initiatives?theme=mentale-gezondheid", "organizations"} {
		name, query, _ := strings.Cut(file, "?")
		pq := get(t, h, "/export/"+name+".parquet?"+query)
		if pq.Code != 200 {
			t.Fatalf("%s: %d %s", file, pq.Code, pq.Body)
		}
		if ct := pq.Header().Get("Content-Type"); ct != "application/vnd.apache.parquet" {
			t.Errorf("%s: content type %q", file, ct)
		}
		if cd := pq.Header().Get("Content-Disposition"); !strings.Contains(cd, ".parquet") {
			t.Errorf("%s: download name %q", file, cd)
		}
		nd := get(t, h, "/export/"+name+".ndjson?"+query)
		want := ndjsonRows(t, nd.Body)
		got := parquetRows(t, pq.Body.Bytes(), export.Columns(export.Entity(name)))
		if len(got) != len(want) {
			t.Fatalf("%s: %d Parquet rows, %d NDJSON rows", file, len(got), len(want))
		}
		if query == "" && len(got) == 0 {
			t.Fatalf("the %s export is empty", name)
		}
		for i := range want {
			for col, w := range want[i] {
				if g := got[i][col]; !reflect.DeepEqual(g, w) {
					t.Errorf("%s row %d (%v) column %s: Parquet %#v, NDJSON %#v", file, i, want[i]["slug"], col, g, w)
				}
			}
			if len(got[i]) != len(want[i]) {
				t.Errorf("%s row %d: %d columns against %d", file, i, len(got[i]), len(want[i]))
			}
		}
	}
}

// TestParquetTypes checks the schema a Parquet reader sees: days as DATE,
// instants as TIMESTAMP, years as integers, lists as LIST, texts as
// STRING.
func TestParquetTypes(t *testing.T) {
	cat := catalog(t)
	rec := get(t, export.Handler(cat, nil), "/export/activities.parquet?edition=2024")
	f, err := parquet.OpenFile(bytes.NewReader(rec.Body.Bytes()), int64(rec.Body.Len()))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"starts_on":  "DATE",
		"updated_at": "TIMESTAMP(isAdjustedToUTC=true,unit=MICROS)",
		"edition":    "INT(64,true)",
		"themes":     "LIST",
		"title_nl":   "STRING",
		"synthetic":  "BOOLEAN",
	}
	for _, field := range f.Schema().Fields() {
		w, ok := want[field.Name()]
		if !ok {
			continue
		}
		delete(want, field.Name())
		got := field.Type().String()
		if lt := field.Type().LogicalType(); lt != nil {
			got = lt.String()
		}
		if !strings.HasPrefix(got, w) {
			t.Errorf("%s: %s, want %s", field.Name(), got, w)
		}
	}
	if len(want) > 0 {
		t.Errorf("columns missing: %v", want)
	}
	if f.NumRows() == 0 {
		t.Error("no rows for 2024")
	}
}

// TestEveryColumnHasAParquetType holds a column added to an export to
// getting a Parquet type.
func TestEveryColumnHasAParquetType(t *testing.T) {
	for _, e := range export.Entities {
		if _, _, err := export.ParquetSchema(export.Columns(e)); err != nil {
			t.Errorf("%s: %v", e, err)
		}
	}
	if _, _, err := export.ParquetSchema([]string{"id", "not_a_column"}); err == nil {
		t.Error("a column without a type is accepted")
	}
}

// ndjsonRows reads an NDJSON export as one map per line.
func ndjsonRows(t *testing.T, r io.Reader) []map[string]any {
	t.Helper()
	var rows []map[string]any
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		for k, v := range m {
			if n, ok := v.(json.Number); ok {
				m[k] = string(n)
			}
			if l, ok := v.([]any); ok {
				ss := make([]string, len(l))
				for i, x := range l {
					ss[i] = x.(string)
				}
				m[k] = ss
			}
		}
		rows = append(rows, m)
	}
	return rows
}

// parquetRows reads a Parquet export back into the shape ndjsonRows gives:
// days as ISO 8601, instants in RFC 3339 with the Amsterdam offset, numbers
// and years as their decimal text, nulls as nil.
func parquetRows(t *testing.T, file []byte, columns []string) []map[string]any {
	t.Helper()
	_, typ, err := export.ParquetSchema(columns)
	if err != nil {
		t.Fatal(err)
	}
	r := parquet.NewReader(bytes.NewReader(file))
	defer r.Close()
	var rows []map[string]any
	for {
		v := reflect.New(typ)
		if err := r.Read(v.Interface()); err == io.EOF {
			return rows
		} else if err != nil {
			t.Fatal(err)
		}
		m := map[string]any{}
		s := v.Elem()
		for i, c := range columns {
			m[c] = plainValue(s.Field(i).Interface())
		}
		rows = append(rows, m)
	}
}

func plainValue(v any) any {
	switch v := v.(type) {
	case *string:
		if v == nil {
			return nil
		}
		return *v
	case *int64:
		if v == nil {
			return nil
		}
		return strconv.FormatInt(*v, 10)
	case *bool:
		if v == nil {
			return nil
		}
		return *v
	case *int32: // a DATE: days since 1970-01-01
		if v == nil {
			return nil
		}
		return time.Unix(int64(*v)*86400, 0).UTC().Format(time.DateOnly)
	case *time.Time:
		if v == nil {
			return nil
		}
		return content.FormatDateTime(*v)
	case []string:
		if v == nil {
			return []string{}
		}
		return v
	case []int64:
		out := make([]string, len(v))
		for i, n := range v {
			out[i] = strconv.FormatInt(n, 10)
		}
		return out
	}
	return v
}

// TestParquetInAnIndependentReader reads the Parquet export with another
// implementation, hyparquet (pure JavaScript, under testdata/hyparquet;
// .ci/run installs it with npm), and compares it row by row with the
// NDJSON export. Outside CI it is skipped when node or the package is
// missing; in CI (CI=true) that is a failure.
func TestParquetInAnIndependentReader(t *testing.T) {
	dir := filepath.Join("testdata", "hyparquet")
	node, err := exec.LookPath("node")
	if _, statErr := os.Stat(filepath.Join(dir, "node_modules", "hyparquet")); err != nil || statErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("node or hyparquet missing (run npm ci in %s): %v %v", dir, err, statErr)
		}
		t.Skipf("node or %s/node_modules/hyparquet missing (npm ci --prefix %s)", dir, dir)
	}
	cat := catalog(t)
	h := export.Handler(cat, nil)
	for _, name := range []string{"activities", "initiatives", "organizations"} {
		pq := get(t, h, "/export/"+name+".parquet")
		path := filepath.Join(t.TempDir(), name+".parquet")
		if err := os.WriteFile(path, pq.Body.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(node, filepath.Join(dir, "read.mjs"), path).Output()
		if err != nil {
			t.Fatalf("%s: hyparquet: %v", name, err)
		}
		var got []map[string]any
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := ndjsonRows(t, get(t, h, "/export/"+name+".ndjson").Body)
		if len(got) != len(want) || len(got) == 0 {
			t.Fatalf("%s: hyparquet reads %d rows, NDJSON has %d", name, len(got), len(want))
		}
		for i := range want {
			for col, w := range want[i] {
				g := fromHyparquet(col, got[i][col])
				if !reflect.DeepEqual(g, w) {
					t.Errorf("%s row %d column %s: hyparquet %#v, NDJSON %#v", name, i, col, g, w)
				}
			}
		}
	}
}

// fromHyparquet turns a value as read.mjs prints it into the shape
// ndjsonRows gives.
func fromHyparquet(column string, v any) any {
	switch v := v.(type) {
	case string:
		switch column {
		case "starts_on", "ends_on":
			return strings.TrimSuffix(v, "T00:00:00.000Z")
		case "starts_at", "ends_at", "updated_at":
			if t, err := time.Parse(time.RFC3339, v); err == nil {
				return content.FormatDateTime(t)
			}
		}
		return v
	case []any:
		out := make([]string, len(v))
		for i, x := range v {
			out[i] = fmt.Sprint(x)
		}
		return out
	}
	return v
}

// everyActivity is the filter of an export of every synthetic activity:
// the benchmarks load them for scale, and a filter without Synthetic
// leaves them out.
func everyActivity() content.ActivityFilter { t := true; return content.ActivityFilter{Synthetic: &t} }
