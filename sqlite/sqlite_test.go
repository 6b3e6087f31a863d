package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"estafette/content"
	"estafette/content/storetest"
	"estafette/internal/collections"
)

func open(t *testing.T) content.Store {
	t.Helper()
	s, err := Open(context.Background(), t.TempDir(), collections.All())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, collections.All(), open)
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "nested", "data")
	s, err := Open(ctx, dir, collections.All())
	if err != nil {
		t.Fatal(err)
	}
	d := content.Doc{Kind: content.KindActivity, ID: "a1", Body: []byte(`{"x":1}`),
		Fields: content.Fields{"slug": {"a1"}, "status": {"published"}, "themes": {"t1", "t2"}}}
	if err := s.Put(ctx, d); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, dir, collections.All())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Get(ctx, content.KindActivity, []string{"a1"})
	if err != nil || string(got["a1"].Body) != `{"x":1}` || !slices.Equal(got["a1"].Fields["slug"], []string{"a1"}) {
		t.Fatalf("after reopen: %+v, %v", got["a1"], err)
	}
	if n, err := s.Count(ctx, content.KindActivity, content.Eq("themes", "t2")); err != nil || n != 1 {
		t.Fatalf("terms after reopen: %d, %v", n, err)
	}
	var mode string
	if err := s.r.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal mode %q, %v", mode, err)
	}
	var fk, timeout int
	if err := s.w.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign keys %d, %v", fk, err)
	}
	if err := s.w.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&timeout); err != nil || timeout != 5000 {
		t.Errorf("busy timeout %d, %v", timeout, err)
	}
	if _, err := s.r.ExecContext(ctx, "DELETE FROM activity"); err == nil {
		t.Error("a read connection could write")
	}
}

// schemaOf returns the SQL of every table and index, sorted.
func schemaOf(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_schema WHERE name NOT LIKE 'sqlite_stat%' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func TestSchemaIdempotent(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, dir, collections.All())
	if err != nil {
		t.Fatal(err)
	}
	first := schemaOf(t, s.w)
	s.Close()
	for range 2 {
		s, err = Open(ctx, dir, collections.All())
		if err != nil {
			t.Fatal(err)
		}
		if again := schemaOf(t, s.w); !slices.Equal(first, again) {
			t.Errorf("schema changed on reopen:\n%s\n---\n%s", strings.Join(first, "\n"), strings.Join(again, "\n"))
		}
		if _, err := migrate(ctx, s.w, collections.All()); err != nil {
			t.Errorf("second migration: %v", err)
		}
		s.Close()
	}
	var version string
	s, _ = Open(ctx, dir, collections.All())
	defer s.Close()
	if err := s.r.QueryRowContext(ctx, `SELECT value FROM schema_meta WHERE key = 'version'`).Scan(&version); err != nil || version != fmt.Sprint(SchemaVersion) {
		t.Errorf("schema version %q, %v", version, err)
	}
	// Every compound index of the collections exists, with id appended.
	for _, c := range collections.All() {
		for _, idx := range c.Indexes {
			name := string(c.Kind) + "__" + strings.Join(append(slices.Clone(idx), "id"), "_")
			var n int
			if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = ?`, name).Scan(&n); err != nil || n != 1 {
				t.Errorf("index %s: %d, %v", name, n, err)
			}
		}
	}
}

func TestSchemaMigratesNewFields(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, dir, collections.All())
	if err != nil {
		t.Fatal(err)
	}
	old := content.Doc{Kind: content.KindTheme, ID: "th1", Body: []byte(`{}`), Fields: content.Fields{"slug": {"th1"}, "nameKey": {"a"}}}
	if err := s.Put(ctx, old); err != nil {
		t.Fatal(err)
	}
	// A later build adds a scalar field, an index on it and drops an index.
	colls := collections.All()
	for i, c := range colls {
		if c.Kind == content.KindTheme {
			c.Scalars = append(slices.Clone(c.Scalars), "color")
			c.Indexes = [][]string{{"status", "color"}}
			colls[i] = c
		}
	}
	tables, err := migrate(ctx, s.w, colls)
	if err != nil {
		t.Fatal(err)
	}
	s.tables = tables
	if err := s.Put(ctx, content.Doc{Kind: content.KindTheme, ID: "th2", Body: []byte(`{}`),
		Fields: content.Fields{"slug": {"th2"}, "color": {"red"}}}); err != nil {
		t.Fatal(err)
	}
	docs, err := s.Find(ctx, content.Query{Kind: content.KindTheme, Where: content.Not(content.Eq("color", "red")), Sort: []content.SortKey{{Field: "id"}}})
	if err != nil || len(docs) != 1 || docs[0].ID != "th1" {
		t.Errorf("old document after migration: %v, %v", docs, err)
	}
	schema := strings.Join(schemaOf(t, s.w), "\n")
	if !strings.Contains(schema, "theme__status_color_id") || strings.Contains(schema, "theme__status_nameKey_id") {
		t.Errorf("indexes not migrated:\n%s", schema)
	}
	s.Close()
}

// recorder is a store that remembers the queries the catalog asks.
type recorder struct {
	content.Store
	finds []content.Query
}

func (r *recorder) Find(ctx context.Context, q content.Query) ([]content.Doc, error) {
	r.finds = append(r.finds, q)
	return r.Store.Find(ctx, q)
}

func ptr[T any](v T) *T { return &v }

// TestPlans checks that the list queries of the API read one compound index
// in order: the filter is an index range and no sort step is needed. The
// queries are the ones content.Catalog asks, recorded, on an empty database
// and on one with statistics of a few thousand activities.
func TestPlans(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, t.TempDir(), collections.All())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// These are the plans of conditions too common to drive the query
	// (TestSelectiveTermsDrive has the others).
	s.sparse = 0

	// The query of the brief, asked directly.
	direct := content.Query{Kind: content.KindActivity,
		Where: content.And(content.Eq("status", "published"), content.Eq("region", "r1"), content.Eq("themes", "t1")),
		Sort:  []content.SortKey{{Field: "startKey"}, {Field: "id"}}, Limit: 51}

	type listCase struct {
		name  string
		list  func(cat *content.Catalog) error
		index string // the index of the last query of the list
	}
	byStart := content.Order[content.ActivityOrderField]{}
	acts := func(f content.ActivityFilter, o content.Order[content.ActivityOrderField], p content.PageArgs) func(cat *content.Catalog) error {
		return func(cat *content.Catalog) error {
			page, err := cat.ListActivities(ctx, f, o, p)
			if err != nil || !page.HasNextPage {
				return err
			}
			// And the next page, after the cursor.
			_, err = cat.ListActivities(ctx, f, o, content.PageArgs{First: p.First, After: page.EndCursor()})
			return err
		}
	}
	regionTheme := content.ActivityFilter{RegionSlug: ptr("region-1"), ThemeSlug: ptr("theme-3")}
	cases := []listCase{
		{"region and theme", acts(regionTheme, byStart, content.PageArgs{First: ptr(50)}),
			"activity__status_region_startKey_id (status=? AND region=?"},
		{"region and theme, backward", func(cat *content.Catalog) error {
			page, err := cat.ListActivities(ctx, regionTheme, byStart, content.PageArgs{First: ptr(50)})
			if err != nil {
				return err
			}
			_, err = cat.ListActivities(ctx, regionTheme, byStart, content.PageArgs{Last: ptr(20), Before: page.EndCursor()})
			return err
		}, "activity__status_region_startKey_id (status=? AND region=?"},
		{"everything by start", acts(content.ActivityFilter{}, byStart, content.PageArgs{First: ptr(20)}),
			"activity__status_startKey_id (status=?"},
		{"edition and region", acts(content.ActivityFilter{EditionID: "e1", RegionID: "r2"}, byStart, content.PageArgs{First: ptr(20)}),
			"activity__status_edition_region_startKey_id (status=? AND edition=? AND region=?"},
		{"theme", acts(content.ActivityFilter{ThemeSlug: ptr("theme-3")}, byStart, content.PageArgs{First: ptr(20)}),
			"activity__status_startKey_id (status=?"},
		{"format", acts(content.ActivityFilter{Format: ptr(content.FormatVisit)}, byStart, content.PageArgs{First: ptr(20)}),
			"activity__status_format_startKey_id (status=? AND format=?"},
		{"initiative", acts(content.ActivityFilter{InitiativeID: "i1"}, byStart, content.PageArgs{First: ptr(20)}),
			"activity__status_initiative_startKey_id (status=? AND initiative=?"},
		{"search by title", acts(content.ActivityFilter{Search: ptr("robot zorg")},
			content.Order[content.ActivityOrderField]{Field: content.ActivityByTitle}, content.PageArgs{First: ptr(20)}),
			"activity__status_titleKey_id (status=?"},
		{"region, descending", acts(content.ActivityFilter{RegionSlug: ptr("region-2")},
			content.Order[content.ActivityOrderField]{Desc: true}, content.PageArgs{First: ptr(20)}),
			"activity__status_region_startKey_id (status=? AND region=?"},
		{"organisations of a kind", func(cat *content.Catalog) error {
			_, err := cat.ListOrganizations(ctx, content.OrganizationFilter{Kind: ptr(content.OrgHospital)}, content.PageArgs{})
			return err
		}, "organization__status_orgKind_nameKey_id (status=? AND orgKind=?)"},
		{"initiatives", func(cat *content.Catalog) error {
			_, err := cat.ListInitiatives(ctx, content.InitiativeFilter{}, content.PageArgs{})
			return err
		}, "initiative__status_nameKey_id (status=?)"},
		{"editions", func(cat *content.Catalog) error {
			_, err := cat.ListEditions(ctx, true, content.PageArgs{})
			return err
		}, "edition__status_year_id (status=?)"},
		{"recaps", func(cat *content.Catalog) error {
			_, err := cat.ListRecaps(ctx, content.RecapFilter{}, content.PageArgs{})
			return err
		}, "recap__status_publishedKey_id (status=?)"},
	}

	check := func(stage string) {
		plan, err := s.Explain(ctx, direct)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(plan, "USING INDEX activity__status_region_startKey_id (status=? AND region=?)") || strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("%s: the plan of %s does not read the (status, region, startKey, id) index in order:\n%s", stage, "status, region and themes", plan)
		}
		for _, tc := range cases {
			rec := &recorder{Store: s}
			if err := tc.list(content.NewCatalog(rec)); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if len(rec.finds) == 0 {
				t.Fatalf("%s: no query", tc.name)
			}
			var plans []string
			for _, q := range rec.finds {
				plan, err := s.Explain(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				plans = append(plans, plan)
				if strings.Contains(plan, "TEMP B-TREE") || strings.Contains(plan, "SCAN d") {
					t.Errorf("%s, %s: a query sorts or scans the table:\n%s", stage, tc.name, plan)
				}
			}
			if last := plans[len(plans)-1]; !strings.Contains(last, "INDEX "+tc.index) {
				t.Errorf("%s, %s: plan does not use %s:\n%s", stage, tc.name, tc.index, last)
			}
		}
	}
	seed(t, s, 0) // regions and themes only, so that slugs resolve
	check("empty database")
	// The plans must survive the statistics of a realistic load.
	seed(t, s, 3000)
	if err := s.Optimize(ctx); err != nil {
		t.Fatal(err)
	}
	check("after ANALYZE")
}

// seed stores n generated activities over 4 regions, 10 themes and 2
// editions, nearly all published, with their regions and themes.
func seed(tb testing.TB, s *Store, n int) {
	tb.Helper()
	ctx := context.Background()
	cat := content.NewCatalog(s)
	var recs []content.Record
	for i := range 4 {
		r := &content.Region{Meta: content.Meta{ID: fmt.Sprintf("r%d", i), Slug: fmt.Sprintf("region-%d", i), Status: content.StatusPublished},
			Position: i + 1, Name: content.NLText(fmt.Sprintf("Regio %d", i))}
		recs = append(recs, r)
	}
	for i := range 10 {
		th := &content.Theme{Meta: content.Meta{ID: fmt.Sprintf("t%d", i), Slug: fmt.Sprintf("theme-%d", i), Status: content.StatusPublished},
			Name: content.NLText(fmt.Sprintf("Thema %d", i))}
		recs = append(recs, th)
	}
	if err := cat.Save(ctx, recs...); err != nil {
		tb.Fatal(err)
	}
	words := []string{"zorg", "digitaal", "innovatie", "welzijn", "robot", "thuis", "samen", "netwerk", "leren", "data"}
	const batch = 2000
	for start := 0; start < n; start += batch {
		recs = recs[:0]
		for i := start; i < min(start+batch, n); i++ {
			status := content.StatusPublished
			if i%50 == 0 {
				status = content.StatusDraft
			}
			at := content.D(2023, 2, 6).Start().Add(time.Duration(i%2000) * 17 * time.Minute)
			fm := content.Formats[i%len(content.Formats)]
			a := &content.Activity{
				Meta:      content.Meta{ID: fmt.Sprintf("act-%07d", i), Slug: fmt.Sprintf("activiteit-%d", i), Status: status},
				EditionID: fmt.Sprintf("e%d", i%2), RegionID: fmt.Sprintf("r%d", i%4),
				Title:        content.NLText(fmt.Sprintf("%s en %s %d", words[i%10], words[(i/10)%10], i)),
				Summary:      content.NLText(fmt.Sprintf("Over %s, %s en %s", words[(i/3)%10], words[(i/7)%10], words[(i/11)%10])),
				OrganizerIDs: []string{fmt.Sprintf("o%d", i%97)},
				ThemeIDs:     []string{fmt.Sprintf("t%d", i%10), fmt.Sprintf("t%d", (i/10)%10)},
				StartsAt:     &at, Format: &fm, Audiences: []content.Audience{},
			}
			recs = append(recs, a)
		}
		if err := cat.Save(ctx, recs...); err != nil {
			tb.Fatal(err)
		}
	}
}

func TestOpenOddPath(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "a b?c#d%20e&_txlock=x")
	s, err := Open(ctx, dir, collections.All())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if want := filepath.Join(dir, FileName); s.Path() != want {
		t.Errorf("path %q, want %q", s.Path(), want)
	}
	if err := s.Put(ctx, content.Doc{Kind: content.KindTheme, ID: "x", Body: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, FileName)); err != nil {
		t.Errorf("database not in the directory: %v", err)
	}
}

// TestConcurrent writes and reads from several goroutines at once: writes
// queue on the write connection, reads see committed documents only.
func TestConcurrent(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, t.TempDir(), collections.All())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range 25 {
				id := fmt.Sprintf("w%d-%02d", w, i)
				// Two documents per put: a reader sees both or neither.
				err := s.Put(ctx,
					content.Doc{Kind: content.KindTheme, ID: id + "a", Body: []byte(`{}`), Fields: content.Fields{"slug": {id + "a"}, "tokens": {id}}},
					content.Doc{Kind: content.KindTheme, ID: id + "b", Body: []byte(`{}`), Fields: content.Fields{"slug": {id + "b"}, "tokens": {id}}})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
		go func() {
			defer wg.Done()
			for range 50 {
				n, err := s.Count(ctx, content.KindTheme, nil)
				if err != nil {
					errs <- err
					return
				}
				if n%2 != 0 {
					errs <- fmt.Errorf("a reader saw half a put: %d documents", n)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n, err := s.Count(ctx, content.KindTheme, nil); err != nil || n != 200 {
		t.Errorf("%d documents, %v; want 200", n, err)
	}
}
