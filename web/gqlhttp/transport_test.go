package gqlhttp_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"estafette/internal/apitest"
)

const (
	graphqlResponse = "application/graphql-response+json"
	jsonMedia       = "application/json"
)

// Every error the issue names, for both response media types: the status,
// the code, and whether the body has a data entry.
func TestErrors(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	cases := []struct {
		name  string
		body  string
		code  string
		field string
		// request errors have no data and get 400 with graphql-response+json;
		// field errors have data (null) and are 200 with either media type
		requestError bool
	}{
		{name: "first 0", body: `{"query":"{ activities(first: 0) { nodes { slug } } }"}`, code: "BAD_USER_INPUT", field: "first"},
		{name: "first 101", body: `{"query":"{ activities(first: 101) { nodes { slug } } }"}`, code: "BAD_USER_INPUT", field: "first"},
		{name: "last 0", body: `{"query":"{ editions(last: 0) { nodes { year } } }"}`, code: "BAD_USER_INPUT", field: "last"},
		{name: "unknown cursor", body: `{"query":"{ activities(after: \"bm9wZQ\") { nodes { slug } } }"}`, code: "BAD_USER_INPUT", field: "after"},
		{name: "cursor of another list", body: `{"query":"query($c: String) { activities(after: $c, orderBy: {field: TITLE}) { nodes { slug } } }","variables":{"c":"eyJvIjoiYWN0aXZpdGllcyBzdGFydCBhc2MiLCJzIjowLCJrIjpbIngiLCJ5Il19"}}`, code: "BAD_USER_INPUT", field: "after"},
		{name: "malformed date-time literal", body: `{"query":"{ activities(filter: {from: \"21-02-2023\"}) { nodes { slug } } }"}`, code: "BAD_USER_INPUT", field: "filter.from"},
		{name: "malformed date-time variable", body: `{"query":"query($at: DateTime) { relay(at: $at) { at } }","variables":{"at":"tomorrow"}}`, code: "BAD_USER_INPUT"},
		{name: "from after to", body: `{"query":"{ activities(filter: {from: \"2023-03-01T00:00:00+01:00\", to: \"2023-02-01T00:00:00+01:00\"}) { nodes { slug } } }"}`, code: "BAD_USER_INPUT", field: "filter.from"},
		{name: "unknown enum literal", body: `{"query":"{ activities(filter: {mode: TELEPATHIC}) { nodes { slug } } }"}`, code: "BAD_USER_INPUT", requestError: true},
		{name: "unknown enum variable", body: `{"query":"query($m: ActivityMode) { activities(filter: {mode: $m}) { nodes { slug } } }","variables":{"m":"TELEPATHIC"}}`, code: "BAD_USER_INPUT", field: "variables.m", requestError: true},
		{name: "parse error", body: `{"query":"{ activities { nodes { slug } "}`, code: "GRAPHQL_PARSE_FAILED", requestError: true},
		{name: "unknown field", body: `{"query":"{ activities { nodes { colour } } }"}`, code: "GRAPHQL_VALIDATION_FAILED", requestError: true},
		{name: "edition without year or slug", body: `{"query":"{ edition { year } }"}`, code: "BAD_USER_INPUT", field: "year"},
	}
	for _, c := range cases {
		for _, media := range []string{jsonMedia, graphqlResponse} {
			t.Run(c.name+" "+media, func(t *testing.T) {
				r := env.Do(t, http.MethodPost, "/query", strings.NewReader(c.body), "Content-Type", "application/json", "Accept", media)
				if r.Code() != c.code {
					t.Fatalf("code %q, want %q: %s", r.Code(), c.code, r.Raw)
				}
				if c.field != "" && r.Errors[0].Extensions["field"] != c.field {
					t.Errorf("field %v, want %q: %s", r.Errors[0].Extensions["field"], c.field, r.Raw)
				}
				if msg := r.Errors[0].Message; len(msg) < 10 || strings.Contains(msg, "goroutine") || strings.Contains(msg, ".go:") {
					t.Errorf("message is not for people: %q", msg)
				}
				wantStatus := http.StatusOK
				if c.requestError && media == graphqlResponse {
					wantStatus = http.StatusBadRequest
				}
				if r.Status != wantStatus {
					t.Errorf("status %d, want %d", r.Status, wantStatus)
				}
				if c.requestError == r.HasData {
					t.Errorf("data entry present = %v for a request error = %v: %s", r.HasData, c.requestError, r.Raw)
				}
				if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, media) {
					t.Errorf("Content-Type %q, want %s", ct, media)
				}
			})
		}
	}
}

func TestMalformedRequests(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	cases := []struct {
		name, method, path, body, contentType, accept string
		status                                        int
	}{
		{"bad JSON", "POST", "/query", `{"query": `, "application/json", "", 400},
		{"JSON array", "POST", "/query", `[1,2]`, "application/json", "", 400},
		{"no query", "POST", "/query", `{"variables": {}}`, "application/json", graphqlResponse, 400},
		{"empty query", "POST", "/query", `{"query": "  "}`, "application/json", "", 400},
		{"variables not an object", "POST", "/query", `{"query": "{ regions { slug } }", "variables": [1]}`, "application/json", "", 400},
		{"text body", "POST", "/query", `{ regions { slug } }`, "text/plain", "", 415},
		{"unacceptable Accept", "POST", "/query", `{"query": "{ regions { slug } }"}`, "application/json", "text/html", 406},
		{"PUT", "PUT", "/query", `{"query": "{ regions { slug } }"}`, "application/json", "", 405},
		{"GET without query", "GET", "/query", "", "", "", 400},
		{"GET with bad variables", "GET", "/query?query=" + url.QueryEscape("{ regions { slug } }") + "&variables=%7Bnope", "", "", "", 400},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			headers := []string{}
			if c.contentType != "" {
				headers = append(headers, "Content-Type", c.contentType)
			}
			if c.accept != "" {
				headers = append(headers, "Accept", c.accept)
			}
			r := env.Do(t, c.method, c.path, strings.NewReader(c.body), headers...)
			if r.Status != c.status {
				t.Fatalf("status %d, want %d: %s", r.Status, c.status, r.Raw)
			}
			if r.HasData || len(r.Errors) != 1 || r.Errors[0].Message == "" {
				t.Errorf("want one error and no data: %s", r.Raw)
			}
		})
	}
}

func TestGet(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	q := url.QueryEscape(`query R($slug: String!) { region(slug: $slug) { name } }`)
	r := env.Do(t, "GET", "/query?query="+q+"&operationName=R&variables="+url.QueryEscape(`{"slug":"zuid"}`), nil)
	if r.Status != 200 || !strings.Contains(string(r.Raw), "Regio Zuid") {
		t.Fatalf("GET query: %d %s", r.Status, r.Raw)
	}
	// Accept negotiation: graphql-response+json preferred when asked.
	r = env.Do(t, "GET", "/query?query="+url.QueryEscape(`{ regions { slug } }`), nil, "Accept", "application/graphql-response+json, application/json;q=0.9")
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, graphqlResponse) {
		t.Errorf("Content-Type %q", ct)
	}
	r = env.Do(t, "GET", "/query?query="+url.QueryEscape(`{ regions { slug } }`), nil, "Accept", "*/*")
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, jsonMedia) {
		t.Errorf("Content-Type for */* %q", ct)
	}
	// A mutation over GET is refused with 405 and nothing runs.
	env.Store.Reset()
	r = env.Do(t, "GET", "/query?query="+url.QueryEscape(`mutation { deleteTheme(id: "VGhlbWU6ZWhlYWx0aA") { version } }`), nil)
	if r.Status != http.StatusMethodNotAllowed || r.Header.Get("Allow") != "POST" || r.HasData {
		t.Errorf("mutation over GET: %d %s", r.Status, r.Raw)
	}
	if env.Store.Calls() != 0 {
		t.Errorf("a mutation over GET reached the store")
	}
}

func TestBodyLimit(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	big := `{"query": "{ regions { slug } }", "variables": {"x": "` + strings.Repeat("a", 2<<20) + `"}}`
	r := env.Do(t, "POST", "/query", strings.NewReader(big), "Content-Type", "application/json")
	if r.Status != http.StatusRequestEntityTooLarge {
		t.Fatalf("a 2 MiB body got %d: %.200s", r.Status, r.Raw)
	}
}
