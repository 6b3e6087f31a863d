package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"estafette/content"
	"estafette/internal/apitest"
	"estafette/web"
	"estafette/web/gqlhttp"
	"estafette/web/openapi"
)

// spec is the part of the OpenAPI document the route tests read.
type spec struct {
	Paths map[string]map[string]struct {
		Parameters []struct {
			Ref     string `json:"$ref"`
			Name    string `json:"name"`
			In      string `json:"in"`
			Example any    `json:"example"`
		} `json:"parameters"`
		Responses map[string]json.RawMessage `json:"responses"`
	} `json:"paths"`
	Components struct {
		Schemas map[string]struct {
			Enum []string `json:"enum"`
		} `json:"schemas"`
	} `json:"components"`
}

func readSpec(t *testing.T) spec {
	t.Helper()
	var s spec
	if err := json.Unmarshal(openapi.Document(), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

var pathParam = regexp.MustCompile(`\{[^}]*\}`)

// concrete is the documented path p with each parameter replaced by its
// example (or "x").
func (s spec) concrete(p, method string) string {
	op := s.Paths[p][method]
	return pathParam.ReplaceAllStringFunc(p, func(m string) string {
		name := strings.Trim(m, "{}")
		for _, prm := range op.Parameters {
			if prm.In == "path" && prm.Name == name && prm.Example != nil {
				b, _ := json.Marshal(prm.Example)
				return strings.Trim(string(b), `"`)
			}
		}
		return "x"
	})
}

// TestOpenAPIDocumentIsValid checks the document against the OpenAPI 3.1
// schema with libopenapi-validator.
func TestOpenAPIDocumentIsValid(t *testing.T) {
	doc, err := libopenapi.NewDocument(openapi.Document())
	if err != nil {
		t.Fatal(err)
	}
	if v := doc.GetVersion(); v != "3.1.0" {
		t.Fatalf("openapi %s, want 3.1.0", v)
	}
	if _, err := doc.BuildV3Model(); err != nil {
		t.Fatalf("building the model: %v", err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			t.Errorf("%s", e.Error())
			for _, se := range e.SchemaValidationErrors {
				t.Errorf("  %s: %s", se.KeywordLocation, se.Reason)
			}
		}
	}
	// The validator must be able to refuse: a document without info is
	// not OpenAPI.
	bad, _ := libopenapi.NewDocument([]byte(`{"openapi":"3.1.0","paths":{}}`))
	bv, _ := validator.NewValidator(bad)
	if ok, _ := bv.ValidateDocument(); ok {
		t.Fatal("the validator accepts a document without info")
	}
}

// TestOpenAPIDescribesEveryRoute holds the document against the patterns
// web.New registers: each route (method and path) is described, and each
// described path is served.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	_, patterns := web.NewWithRoutes(web.Deps{Catalog: env.Catalog, Desk: http.NotFoundHandler(), Options: gqlhttp.Options{Submissions: env.App.Submissions()}})
	s := readSpec(t)
	norm := func(p string) string { return pathParam.ReplaceAllString(p, "{}") }
	documented := map[string]bool{} // "GET /export/{}"
	for p, ops := range s.Paths {
		for m := range ops {
			documented[strings.ToUpper(m)+" "+norm(p)] = true
		}
	}
	mux := http.NewServeMux()
	for _, pat := range patterns {
		mux.Handle(pat, http.NotFoundHandler())
		method, path, ok := strings.Cut(pat, " ")
		if !ok {
			method, path = "GET", pat
		}
		path = strings.TrimSuffix(path, "{$}")
		if strings.HasSuffix(path, "/") && path != "/" {
			// A subtree: some path under it must be described.
			found := false
			for d := range documented {
				dm, dp, _ := strings.Cut(d, " ")
				found = found || (dm == method && strings.HasPrefix(dp, path))
			}
			if !found {
				t.Errorf("route %q: no path under %s is described in openapi.json", pat, path)
			}
			continue
		}
		if !documented[method+" "+norm(path)] {
			t.Errorf("route %q is not described in openapi.json", pat)
		}
	}
	for p, ops := range s.Paths {
		for m := range ops {
			req := httptest.NewRequest(strings.ToUpper(m), s.concrete(p, m), nil)
			if _, pat := mux.Handler(req); pat == "" {
				t.Errorf("openapi.json describes %s %s, which the server does not route", strings.ToUpper(m), p)
			}
		}
	}
	// The enums of the filters are the domain's.
	for name, want := range map[string][]string{
		"ActivityFormat":   strs(content.Formats),
		"ActivityMode":     strs(content.Modes),
		"OrganizationKind": strs(content.OrganizationKinds),
	} {
		if got := s.Components.Schemas[name].Enum; !slices.Equal(got, want) {
			t.Errorf("schema %s: enum %v, the domain has %v", name, got, want)
		}
	}
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// TestOpenAPIMatchesAnswers sends requests to the running server and
// checks each answer against the document with libopenapi-validator: the
// status is documented, the media type and the JSON body fit the schema.
// Every documented GET of a path is tried with its examples, and a sample
// of failures besides.
func TestOpenAPIMatchesAnswers(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	doc, err := libopenapi.NewDocument(openapi.Document())
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	s := readSpec(t)
	var targets []string
	for p, ops := range s.Paths {
		// The desk is for people behind a sign-in; /query and /oembed need
		// query parameters, and are tried below; an organiser's page needs
		// the secret of a real proposal's link (tried below with a made-up
		// one: the documented 404).
		if _, ok := ops["get"]; ok && !strings.HasPrefix(p, "/desk") && p != "/query" && p != "/oembed" && p != "/aanmelden/{token}" {
			targets = append(targets, s.concrete(p, "get"))
		}
	}
	slices.Sort(targets)
	// The examples of the paths name real records: these answer 2xx.
	examples := len(targets)
	targets = append(targets,
		"/export/activities.csv?edition=2023&excel=1",
		"/export/organizations.json?kind=hospital",
		"/export/activities.csv?bogus=1",
		"/export/activities.json?excel=1",
		"/export/nothing.csv",
		"/calendar/1999.ics",
		"/calendar/2023/atlantis.ics?locale=en",
		"/embed/editions/2023?theme=purple",
		"/embed/recaps/nope",
		"/oembed?url="+url.QueryEscape(env.URL+"/embed/recaps/terugblik-2023")+"&maxwidth=600",
		"/oembed",
		"/oembed?url=x&format=xml",
		"/insights/1999",
		"/desk",
		"/desk/",
		"/aanmelden/Zm9ybS10b2tlbi1leGFtcGxl",
		"/query?query="+url.QueryEscape("{ regions { slug } }"),
		"/query?query="+url.QueryEscape("{ regions { nope } }"),
	)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for i, target := range targets {
		req, _ := http.NewRequest("GET", env.URL+target, nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		if i < examples && resp.StatusCode >= 300 {
			t.Errorf("GET %s with the document's examples: %d %.200s", target, resp.StatusCode, body)
		}
		vreq, _ := http.NewRequest("GET", target, nil)
		if ok, verrs := v.ValidateHttpResponse(vreq, resp); !ok {
			for _, e := range verrs {
				t.Errorf("GET %s (%d %s): %s %s", target, resp.StatusCode, resp.Header.Get("Content-Type"), e.Error(), e.Reason)
			}
		}
	}
	// The validator refuses what the document does not allow: a status it
	// does not list, a body that does not fit the schema.
	for _, c := range []struct {
		status int
		body   string
	}{{http.StatusTeapot, `{"status":"ok"}`}, {200, `{"status":5}`}, {200, `{"reason":"x"}`}} {
		resp := &http.Response{StatusCode: c.status, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(c.body))}
		if ok, _ := v.ValidateHttpResponse(httptest.NewRequest("GET", "/healthz", nil), resp); ok {
			t.Errorf("the validator accepts /healthz answering %d %s", c.status, c.body)
		}
	}
	// A GraphQL request over POST.
	r := env.Do(t, "POST", "/query", strings.NewReader(`{"query":"{ regions { slug } }"}`), "Content-Type", "application/json")
	if r.Status != 200 {
		t.Errorf("POST /query: %d", r.Status)
	}
}

// TestOpenAPIExamplesAreAnswers compares the document's examples with the
// server's answers, so that they cannot drift apart.
func TestOpenAPIExamplesAreAnswers(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Content map[string]struct {
					Example json.RawMessage `json:"example"`
				} `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(openapi.Document(), &doc); err != nil {
		t.Fatal(err)
	}
	example := func(path, status string) map[string]any {
		var m map[string]any
		if err := json.Unmarshal(doc.Paths[path]["get"].Responses[status].Content["application/json"].Example, &m); err != nil {
			t.Fatalf("%s %s: %v", path, status, err)
		}
		return m
	}
	answer := func(target string) map[string]any {
		r := env.Do(t, "GET", target, nil)
		var m map[string]any
		if err := json.Unmarshal(r.Raw, &m); err != nil {
			t.Fatalf("%s: %v: %s", target, err, r.Raw)
		}
		return m
	}
	for _, p := range []string{"/healthz", "/readyz"} {
		if got, want := answer(p), example(p, "200"); !jsonEqual(got, want) {
			t.Errorf("%s answers %v, the example is %v", p, got, want)
		}
	}
	// The oEmbed example is the answer for a recap with maxwidth=600 and
	// the public URL https://api.example.nl.
	want := example("/oembed", "200")
	got := answer("/oembed?maxwidth=600&url=" + url.QueryEscape(env.URL+"/embed/recaps/terugblik-2023"))
	for k, v := range got {
		if s, ok := v.(string); ok {
			got[k] = strings.ReplaceAll(s, env.URL, "https://api.example.nl")
		}
	}
	if !jsonEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", "  ")
		t.Errorf("/oembed answers\n%s\nthe example differs", g)
	}
}

// TestOpenAPIExportExamples: the export examples have the columns the
// exports have (the example is organisations of kind ministry), and the
// calendar example starts as a feed starts.
func TestOpenAPIExportExamples(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Content map[string]struct {
					Example json.RawMessage `json:"example"`
				} `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
		Components struct {
			Responses map[string]struct {
				Content map[string]struct {
					Example json.RawMessage `json:"example"`
				} `json:"content"`
			} `json:"responses"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openapi.Document(), &doc); err != nil {
		t.Fatal(err)
	}
	ex := doc.Paths["/export/{file}"]["get"].Responses["200"].Content
	text := func(raw json.RawMessage) string {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	firstLine := func(s string) string { l, _, _ := strings.Cut(s, "\n"); return strings.TrimSuffix(l, "\r") }
	csv := env.Do(t, "GET", "/export/organizations.csv?kind=ministry", nil)
	if got, want := firstLine(string(csv.Raw)), firstLine(text(ex["text/csv"].Example)); got != want {
		t.Errorf("the CSV header is\n%s\nthe example's is\n%s", got, want)
	}
	keys := func(raw []byte) []string {
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%v: %s", err, raw)
		}
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		slices.Sort(ks)
		return ks
	}
	nd := env.Do(t, "GET", "/export/organizations.ndjson?kind=ministry", nil)
	if got, want := keys([]byte(firstLine(string(nd.Raw)))), keys([]byte(text(ex["application/x-ndjson"].Example))); !slices.Equal(got, want) {
		t.Errorf("NDJSON fields %v, the example's %v", got, want)
	}
	var arr, exArr []json.RawMessage
	js := env.Do(t, "GET", "/export/organizations.json?kind=ministry", nil)
	if json.Unmarshal(js.Raw, &arr) != nil || json.Unmarshal(ex["application/json"].Example, &exArr) != nil || len(arr) == 0 || len(exArr) == 0 {
		t.Fatalf("JSON export %s", js.Raw)
	}
	if got, want := keys(arr[0]), keys(exArr[0]); !slices.Equal(got, want) {
		t.Errorf("JSON fields %v, the example's %v", got, want)
	}
	feed := env.Do(t, "GET", "/calendar/2023.ics", nil)
	start, _, _ := strings.Cut(text(doc.Components.Responses["Calendar"].Content["text/calendar"].Example), "…")
	if start == "" || !strings.HasPrefix(string(feed.Raw), start) {
		t.Errorf("the feed starts %.120q, the example %q", feed.Raw, start)
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// TestOpenAPIServed: GET /openapi.json answers the document as JSON with
// an ETag, and 304 to a matching If-None-Match.
func TestOpenAPIServed(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	r := env.Do(t, "GET", "/openapi.json", nil)
	if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("%d %s", r.Status, r.Header.Get("Content-Type"))
	}
	var d struct {
		OpenAPI string         `json:"openapi"`
		Paths   map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(r.Raw, &d); err != nil || d.OpenAPI != "3.1.0" || d.Paths["/export/{file}"] == nil {
		t.Fatalf("%v %+v", err, d.OpenAPI)
	}
	etag := r.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if r := env.Do(t, "GET", "/openapi.json", nil, "If-None-Match", etag); r.Status != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", r.Status)
	}
}
