package web_test

import (
	"flag"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"estafette/internal/apitest"
	"estafette/web"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestSDLGolden pins the public schema: any change to it shows up in review
// as a change to testdata/schema.graphql (go test ./web -update rewrites it).
func TestSDLGolden(t *testing.T) {
	got := web.SDL()
	const golden = "testdata/schema.graphql"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./web -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("the schema changed; review the diff and run go test ./web -update\n%s", firstDiff(got, string(want)))
	}
	env := apitest.New(t, apitest.Options{})
	r := env.Do(t, "GET", "/schema.graphql", nil)
	if r.Status != 200 || string(r.Raw) != got {
		t.Errorf("/schema.graphql serves %d bytes with status %d, want the SDL", len(r.Raw), r.Status)
	}
	if strings.Contains(got, "goField") {
		t.Error("the published SDL shows gqlgen's @goField")
	}
	for _, want := range []string{"type Query", "interface Node", "scalar DateTime", "relay(at: DateTime, preview: Boolean = false): RelayStatus", "directive @locale", "type Mutation", "directive @hasRole"} {
		if !strings.Contains(got, want) {
			t.Errorf("SDL lacks %q", want)
		}
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + al[i] + "\nwant: " + bl[i]
		}
	}
	return "lengths differ"
}

func TestProbesAndMetrics(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	for _, path := range []string{"/healthz", "/readyz"} {
		r := env.Do(t, "GET", path, nil)
		if r.Status != 200 || !strings.Contains(string(r.Raw), `"ok"`) {
			t.Errorf("%s: %d %s", path, r.Status, r.Raw)
		}
	}
	env.Query(t, `query Regions { regions { slug } }`, nil)
	// A registered persisted query is labelled with its name; any other
	// operation is "other", whatever name its client gives it.
	registered := `query RegisteredRegions { regions { slug } }`
	hash, err := env.Persisted.Register(t.Context(), registered)
	if err != nil {
		t.Fatal(err)
	}
	env.Do(t, "GET", `/query?extensions={"persistedQuery":{"version":1,"sha256Hash":"`+hash+`"}}`, nil)
	env.Do(t, "BREW", "/healthz", nil)
	r := env.Do(t, "GET", "/metrics", nil)
	body := string(r.Raw)
	for _, bad := range []string{`operation="Regions"`, `method="BREW"`} {
		if strings.Contains(body, bad) {
			t.Errorf("/metrics has the client-chosen label %s", bad)
		}
	}
	for _, want := range []string{
		`estafette_http_request_duration_seconds_bucket{code="200",method="POST",route="/query"`,
		`estafette_graphql_operation_duration_seconds_count{operation="other",type="query"} 1`,
		`estafette_graphql_operation_duration_seconds_count{operation="RegisteredRegions",type="query"} 1`,
		`method="other"`,
		"estafette_store_operations_total",
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestRequestID(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	r := env.Do(t, "GET", "/healthz", nil)
	if len(r.Header.Get("X-Request-Id")) < 16 {
		t.Errorf("no request id: %q", r.Header.Get("X-Request-Id"))
	}
	r = env.Do(t, "GET", "/healthz", nil, "X-Request-Id", "edge-42")
	if got := r.Header.Get("X-Request-Id"); got != "edge-42" {
		t.Errorf("an incoming request id is kept: got %q", got)
	}
	r = env.Do(t, "GET", "/healthz", nil, "X-Request-Id", "bad id\twith junk")
	if got := r.Header.Get("X-Request-Id"); got == "" || strings.Contains(got, " ") {
		t.Errorf("a malformed request id is replaced: got %q", got)
	}
}

func TestCORS(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	req, _ := http.NewRequest(http.MethodOptions, env.URL+"/query", nil)
	req.Header.Set("Origin", "https://www.rijksoverheid.nl")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Header.Get("Access-Control-Allow-Origin") != "*" || res.Header.Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("preflight: %v", res.Header)
	}
	r := env.Do(t, "POST", "/query", strings.NewReader(`{"query":"{ regions { slug } }"}`), "Content-Type", "application/json", "Origin", "https://example.org")
	if r.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("simple request: %v", r.Header)
	}
}

func TestGraphiQLIsServed(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	r := env.Do(t, "GET", "/", nil)
	if r.Status != 200 || !strings.Contains(string(r.Raw), "/graphiql/") {
		t.Fatalf("GraphiQL page: %d", r.Status)
	}
	if r := env.Do(t, "GET", "/nope", nil); r.Status != 404 {
		t.Errorf("unknown path: %d", r.Status)
	}
}
