package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"estafette/content"
	"estafette/export"
	"estafette/internal/apitest"
)

const synthetic = 450

func catalog(t *testing.T) *content.Catalog {
	t.Helper()
	return apitest.Catalog(t, synthetic)
}

// listAll is the API listing the exports must equal.
func listAll(t *testing.T, cat *content.Catalog, f content.ActivityFilter) []*content.Activity {
	t.Helper()
	var out []*content.Activity
	n := 37 // another page size than the export's
	p := content.PageArgs{First: &n}
	for {
		page, err := cat.ListActivities(context.Background(), f, content.Order[content.ActivityOrderField]{}, p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Items...)
		if !page.HasNextPage {
			return out
		}
		p.After = page.EndCursor()
	}
}

func get(t *testing.T, h http.Handler, url string) *httptest.ResponseRecorder {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("GET /export/{file}", h)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, url, nil))
	return rec
}

func TestCSVRoundTrip(t *testing.T) {
	cat := catalog(t)
	h := export.Handler(cat, nil)
	for _, tc := range []struct {
		query string
		f     content.ActivityFilter
	}{
		{"edition=2021", content.ActivityFilter{EditionYear: ptr(2021)}},
		{"edition=2023&region=zuid", content.ActivityFilter{EditionYear: ptr(2023), RegionSlug: ptr("zuid")}},
		{"", content.ActivityFilter{}},
		{"format=WORKSHOP&mode=online&from=2024-02-01&to=2024-02-29", content.ActivityFilter{Format: ptr(content.FormatWorkshop), Mode: ptr(content.ModeOnline),
			From: ptr(content.D(2024, 2, 1).Start()), To: ptr(content.D(2024, 2, 29).End().Add(-1))}},
		{"search=dementiezorg", content.ActivityFilter{Search: ptr("dementiezorg")}},
	} {
		rec := get(t, h, "/export/activities.csv?"+tc.query)
		if rec.Code != 200 {
			t.Fatalf("%s: %d %s", tc.query, rec.Code, rec.Body)
		}
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv; charset=utf-8") {
			t.Errorf("content type %q", ct)
		}
		records, err := csv.NewReader(rec.Body).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", tc.query, err)
		}
		if !slices.Equal(records[0], export.Columns(export.Activities)) {
			t.Fatalf("header %q", records[0])
		}
		want := listAll(t, cat, tc.f)
		rows := records[1:]
		if len(rows) != len(want) || len(want) == 0 && tc.query == "" {
			t.Fatalf("%s: %d rows, the API lists %d", tc.query, len(rows), len(want))
		}
		col := index(records[0])
		for i, a := range want {
			r := rows[i]
			if r[col["id"]] != a.ID || r[col["title_nl"]] != a.Title.NL || r[col["summary_en"]] != a.Summary.EN ||
				r[col["themes"]] != strings.Join(a.ThemeIDs, "|") && a.Synthetic {
				t.Errorf("%s row %d: %q, want %s %q", tc.query, i, r[:8], a.ID, a.Title.NL)
			}
			if a.StartsAt != nil && r[col["starts_at"]] != content.FormatDateTime(*a.StartsAt) ||
				a.StartsAt == nil && r[col["starts_at"]] != "" {
				t.Errorf("%s: starts_at %q, want %v", a.ID, r[col["starts_at"]], a.StartsAt)
			}
			if a.StartsOn != nil && r[col["starts_on"]] != a.StartsOn.String() {
				t.Errorf("%s: starts_on %q", a.ID, r[col["starts_on"]])
			}
			if y, err := strconv.Atoi(r[col["edition"]]); err != nil || y < 2021 {
				t.Errorf("%s: edition %q", a.ID, r[col["edition"]])
			}
		}
	}
}

func index(header []string) map[string]int {
	m := map[string]int{}
	for i, h := range header {
		m[h] = i
	}
	return m
}

func ptr[T any](v T) *T { return &v }

func TestExcel(t *testing.T) {
	cat := catalog(t)
	// A title a spreadsheet would run as a formula.
	a := &content.Activity{Meta: content.Meta{ID: "formula", Slug: "formula", Status: content.StatusPublished, Version: 1},
		EditionID: "2021", Title: content.Text{NL: "=HYPERLINK(\"x\")", EN: "Cliënten; één"}, OrganizerIDs: []string{}, ThemeIDs: []string{}}
	if err := cat.Save(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	rec := get(t, export.Handler(cat, nil), "/export/activities.csv?edition=2021&excel=1")
	body := rec.Body.Bytes()
	if !bytes.HasPrefix(body, []byte("\xEF\xBB\xBFid;slug;edition;")) {
		t.Fatalf("no BOM and ; header: %q", body[:min(40, len(body))])
	}
	if !bytes.Contains(body, []byte("\r\n")) {
		t.Error("no CRLF line ends")
	}
	if cd := rec.Header().Get("Content-Disposition"); cd != `attachment; filename=estafette-activities-2021.csv` {
		t.Errorf("Content-Disposition %q", cd)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF"))))
	r.Comma = ';'
	records, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := index(records[0])
	found := false
	for _, row := range records[1:] {
		if row[col["id"]] == "formula" {
			found = true
			if row[col["title_nl"]] != `'=HYPERLINK("x")` || row[col["title_en"]] != "Cliënten; één" {
				t.Errorf("formula row: %q %q", row[col["title_nl"]], row[col["title_en"]])
			}
		}
	}
	if !found || len(records)-1 != len(listAll(t, cat, content.ActivityFilter{EditionYear: ptr(2021)})) {
		t.Errorf("%d rows, formula row found %v", len(records)-1, found)
	}
}

func TestJSONAndNDJSON(t *testing.T) {
	cat := catalog(t)
	h := export.Handler(cat, nil)
	want := listAll(t, cat, content.ActivityFilter{EditionYear: ptr(2024)})

	rec := get(t, h, "/export/activities.json?edition=2024")
	var arr []map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &arr); err != nil {
		t.Fatalf("json: %v\n%.300s", err, rec.Body)
	}
	if len(arr) != len(want) {
		t.Fatalf("json: %d objects, want %d", len(arr), len(want))
	}
	for i, o := range arr {
		if o["id"] != want[i].ID || o["edition"] != float64(2024) {
			t.Errorf("object %d: %v %v", i, o["id"], o["edition"])
		}
		if _, ok := o["themes"].([]any); !ok {
			t.Errorf("themes is not an array: %#v", o["themes"])
		}
	}

	rec = get(t, h, "/export/activities.ndjson?edition=2024")
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/x-ndjson") {
		t.Errorf("content type %q", ct)
	}
	lines := strings.Split(strings.TrimSuffix(rec.Body.String(), "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("ndjson: %d lines, want %d", len(lines), len(want))
	}
	// Keys come in the documented column order.
	dec := json.NewDecoder(strings.NewReader(lines[0]))
	var keys []string
	dec.Token()
	for dec.More() {
		k, _ := dec.Token()
		keys = append(keys, k.(string))
		var skip json.RawMessage
		dec.Decode(&skip)
	}
	if !slices.Equal(keys, export.Columns(export.Activities)) {
		t.Errorf("keys %q", keys)
	}
	// Unknown values are null, not empty strings.
	rec = get(t, h, "/export/activities.json?edition=2022")
	if body := rec.Body.String(); body != "[]\n" && !strings.Contains(body, `"initiative":null`) {
		t.Errorf("2022: %.300s", body)
	}
}

func TestOtherEntities(t *testing.T) {
	cat := catalog(t)
	h := export.Handler(cat, nil)
	ctx := context.Background()
	n := 100
	inis, err := cat.ListInitiatives(ctx, content.InitiativeFilter{}, content.PageArgs{First: &n})
	if err != nil {
		t.Fatal(err)
	}
	orgs, err := cat.ListOrganizations(ctx, content.OrganizationFilter{}, content.PageArgs{First: &n})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		url  string
		e    export.Entity
		want int
	}{
		{"/export/initiatives.csv", export.Initiatives, len(inis.Items)},
		{"/export/organizations.csv", export.Organizations, len(orgs.Items)},
	} {
		rec := get(t, h, tc.url)
		records, err := csv.NewReader(rec.Body).ReadAll()
		if err != nil || rec.Code != 200 {
			t.Fatalf("%s: %d %v", tc.url, rec.Code, err)
		}
		if !slices.Equal(records[0], export.Columns(tc.e)) || len(records)-1 != tc.want || tc.want == 0 {
			t.Errorf("%s: header %q, %d rows, want %d", tc.url, records[0], len(records)-1, tc.want)
		}
	}
	rec := get(t, h, "/export/organizations.ndjson?kind=HOSPITAL")
	for _, line := range strings.Split(strings.TrimSpace(rec.Body.String()), "\n") {
		if line != "" && !strings.Contains(line, `"kind":"hospital"`) {
			t.Errorf("kind filter: %s", line)
		}
	}
}

func TestBadRequests(t *testing.T) {
	cat := catalog(t)
	h := export.Handler(cat, nil)
	for url, want := range map[string]string{
		"/export/activities.csv?edition=twenty":                "edition must be a year",
		"/export/activities.csv?format=party":                  "format must be one of",
		"/export/activities.csv?mode=":                         "mode must be one of",
		"/export/activities.csv?from=yesterday":                "from must be a day",
		"/export/activities.csv?from=2023-03-01&to=2023-02-01": "is after to",
		"/export/activities.csv?colour=red":                    "unknown parameter \"colour\"",
		"/export/activities.csv?edition=2021&edition=2023":     "give edition once",
		"/export/initiatives.csv?format=workshop":              "unknown parameter \"format\"",
		"/export/organizations.json?kind=bakery":               "kind must be one of",
		"/export/activities.json?excel=1":                      "excel applies to CSV only",
		"/export/activities.csv?region=":                       "region is empty",
	} {
		rec := get(t, h, url)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("%s: %d %q, want 400 with %q", url, rec.Code, rec.Body, want)
		}
	}
	for _, url := range []string{"/export/activities.xlsx", "/export/recaps.csv", "/export/activities"} {
		if rec := get(t, h, url); rec.Code != 404 {
			t.Errorf("%s: %d", url, rec.Code)
		}
	}
	// A filter on a slug that does not exist is an empty export, not an error.
	rec := get(t, h, "/export/activities.csv?region=atlantis")
	if rec.Code != 200 || strings.Count(rec.Body.String(), "\n") != 1 {
		t.Errorf("unknown region: %d %q", rec.Code, rec.Body)
	}
}

// flushCounter counts the flushes an export makes.
type flushCounter struct {
	io.Writer
	flushes int
}

func (f *flushCounter) Flush() { f.flushes++ }

// TestStreamsPageByPage: an export flushes once per page and reports
// progress as it goes.
func TestStreamsPageByPage(t *testing.T) {
	cat := catalog(t)
	var buf bytes.Buffer
	fc := &flushCounter{Writer: &buf}
	var calls [][2]int
	n, err := export.Write(context.Background(), cat, fc, export.Request{Entity: export.Activities, Format: export.NDJSON},
		func(done, total int) { calls = append(calls, [2]int{done, total}) })
	if err != nil {
		t.Fatal(err)
	}
	total := len(listAll(t, cat, content.ActivityFilter{}))
	pages := (total + export.PageSize - 1) / export.PageSize
	if n != total || fc.flushes < pages || len(calls) != pages+1 || calls[len(calls)-1] != [2]int{total, total} {
		t.Errorf("%d rows of %d, %d flushes for %d pages, progress %v", n, total, fc.flushes, pages, calls)
	}
}
