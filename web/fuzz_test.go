package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"estafette/internal/apitest"
)

var (
	fuzzOnce sync.Once
	fuzzEnv  *apitest.Env
)

// fuzzHandler is one seeded API for all fuzz inputs of a run.
func fuzzHandler(f *testing.F) http.Handler {
	fuzzOnce.Do(func() { fuzzEnv = apitest.New(f, apitest.Options{Synthetic: 50}) })
	return fuzzEnv.Server.Config.Handler
}

// checkAnswer fails on a server error or a body that is not JSON.
func checkAnswer(t *testing.T, rec *httptest.ResponseRecorder) {
	if rec.Code >= 500 {
		t.Fatalf("status %d: %.300s", rec.Code, rec.Body.String())
	}
	if !json.Valid(rec.Body.Bytes()) {
		t.Fatalf("the answer is not JSON: %.300s", rec.Body.String())
	}
	if strings.Contains(rec.Body.String(), "goroutine ") || strings.Contains(rec.Body.String(), ".go:") {
		t.Fatalf("the answer leaks internals: %.300s", rec.Body.String())
	}
}

// FuzzRequestBody sends arbitrary bodies to /query: whatever arrives, the
// API answers with JSON and never with a server error.
func FuzzRequestBody(f *testing.F) {
	for _, seed := range []string{
		`{"query":"{ regions { slug name } }"}`,
		`{"query":"{ activities(first: 5, filter: {search: \"zorg\"}) { nodes { title } pageInfo { endCursor } } }"}`,
		`{"query":"query($f: ActivityFilter) { activities(filter: $f) { totalCount } }","variables":{"f":{"from":"2023-02-01T00:00:00+01:00","mode":"ONLINE"}}}`,
		`{"query":"mutation { createTheme(input: {slug: \"x\", name: {nl: \"X\"}}) { version } }"}`,
		`{"query":"{ node(id: \"QWN0aXZpdHk6\") { id } }"}`,
		`{"query":"{ activities(after: \"eyJvIjoiYWN0aXZpdGllcyBzdGFydCBhc2MiLCJzIjo5LCJrIjpbXX0\") { nodes { slug } } }"}`,
		`{"query": null, "variables": []}`, `[]`, `{`, ``, `{"query":"{ __schema { types { name } } }"}`,
	} {
		f.Add(seed)
	}
	h := fuzzHandler(f)
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		checkAnswer(t, rec)
	})
}

// FuzzActivityFilter fills the activity filter with arbitrary strings.
func FuzzActivityFilter(f *testing.F) {
	f.Add("zorg", "noord", "2023-02-01T00:00:00+01:00", "ONLINE", 10)
	f.Add(`{"$ne": null}`, "'; DROP TABLE activity; --", "yesterday", "TELEPATHIC", 0)
	f.Add("cliënten", "", "2023-02-30T25:61:00+01:00", "", 101)
	f.Add("%_*[", "zuid\x00", "", "HYBRID", -1)
	h := fuzzHandler(f)
	f.Fuzz(func(t *testing.T, search, region, from, mode string, first int) {
		filter := map[string]any{"search": search, "region": region}
		if from != "" {
			filter["from"] = from
		}
		if mode != "" {
			filter["mode"] = mode
		}
		body, _ := json.Marshal(map[string]any{
			"query":     `query($f: ActivityFilter, $n: Int) { activities(filter: $f, first: $n) { totalCount nodes { slug } } }`,
			"variables": map[string]any{"f": filter, "n": first},
		})
		req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		checkAnswer(t, rec)
	})
}
