package web_test

import (
	"encoding/json"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"estafette/content"
	"estafette/internal/apitest"
	"estafette/internal/errcode"
	"estafette/internal/loadtest"
	"estafette/web"
	"estafette/web/gqlhttp/persisted"
	"estafette/web/ratelimit"
)

// errorCase is one client mistake and the code it must get.
type errorCase struct {
	name    string
	method  string
	path    string
	body    string
	headers []string
	code    string
}

func gql(query string) string {
	b, _ := json.Marshal(map[string]any{"query": query})
	return string(b)
}

// TestErrorContract walks the error paths of the API: each answers a code
// of the schema's ErrorCode enum, a client's mistake is never
// INTERNAL_SERVER_ERROR nor a 5xx (but for the deadline), and none is
// logged at ERROR.
func TestErrorContract(t *testing.T) {
	var logs lockedBuffer
	env := apitest.New(t, apitest.Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	reader := env.Key(t, "lezer", content.RoleReader)
	editor := env.Key(t, "redactie", content.RoleEditor)
	json := []string{"Content-Type", "application/json"}
	with := func(h ...[]string) []string {
		var out []string
		for _, x := range h {
			out = append(out, x...)
		}
		return out
	}
	q := "{ regions { slug } }"
	cases := []errorCase{
		{"body that is not JSON", "POST", "/query", "{not json", json, errcode.BadRequest},
		{"no query", "POST", "/query", `{"variables":{}}`, json, errcode.BadRequest},
		{"unsupported media type", "POST", "/query", q, []string{"Content-Type", "text/plain"}, errcode.BadRequest},
		{"mutation over GET", "GET", "/query?query=" + url.QueryEscape(`mutation { deleteTheme(id: "x", expectedVersion: 1) { id } }`), "", nil, errcode.MethodNotAllowed},
		{"syntax error", "POST", "/query", gql("{ regions { slug "), json, errcode.GraphqlParseFailed},
		{"unknown field", "POST", "/query", gql("{ nope }"), json, errcode.GraphqlValidationFailed},
		{"page too large", "POST", "/query", gql("{ activities(first: 1000) { totalCount } }"), json, errcode.BadUserInput},
		{"bad cursor", "POST", "/query", gql(`{ activities(after: "nonsense") { totalCount } }`), json, errcode.BadUserInput},
		{"write without a key", "POST", "/query", gql(`mutation { deleteTheme(id: "VGhlbWU6eA==", expectedVersion: 1) { id } }`), json, errcode.Unauthenticated},
		{"write with a reader key", "POST", "/query", gql(`mutation { deleteTheme(id: "VGhlbWU6eA==", expectedVersion: 1) { id } }`), with(json, reader), errcode.Forbidden},
		{"unknown key", "POST", "/query", gql(q), with(json, []string{"Authorization", "Bearer sze_" + strings.Repeat("a", 43)}), errcode.Unauthenticated},
		{"malformed authorization", "POST", "/query", gql(q), with(json, []string{"Authorization", "Basic abc"}), errcode.Unauthenticated},
		{"preview without a key", "POST", "/query", gql(q), with(json, []string{"X-Preview", "true"}), errcode.Unauthenticated},
		{"hash alone, unknown", "POST", "/query", `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"` + strings.Repeat("0", 64) + `"}}}`, json, errcode.PersistedQueryNotFound},
		{"hash that does not fit", "POST", "/query", `{"query":"{ regions { slug } }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"` + persisted.Hash("x") + `"}}}`, json, errcode.PersistedQueryHashMismatch},
		{"bad persisted-query version", "POST", "/query", `{"query":"{ regions { slug } }","extensions":{"persistedQuery":{"version":2,"sha256Hash":"` + persisted.Hash(q) + `"}}}`, json, errcode.BadRequest},
	}
	for _, h := range loadtest.HostileDocuments() {
		cases = append(cases, errorCase{h.Name, "POST", "/query", gql(h.Query), json, h.Code})
	}
	// A stale version is a conflict.
	var created struct {
		CreateTheme struct {
			Theme struct{ ID string }
		}
	}
	env.Query(t, `mutation { createTheme(input: {slug: "contract", name: {nl: "Contract"}}) { theme { id } } }`, nil, editor...).Decode(t, &created)
	cases = append(cases, errorCase{"stale version", "POST", "/query",
		gql(`mutation { updateTheme(id: "` + created.CreateTheme.Theme.ID + `", expectedVersion: 7, input: {name: {nl: "Later"}}) { version } }`),
		with(json, editor), errcode.Conflict})

	for _, c := range cases {
		r := env.Do(t, c.method, c.path, strings.NewReader(c.body), c.headers...)
		checkContract(t, c.name, r)
		if got := r.Code(); got != c.code {
			t.Errorf("%s: code %q, want %q (%d %.200s)", c.name, got, c.code, r.Status, r.Raw)
		}
	}

	// The rate limit and the deadline, on servers of their own.
	limited := apitest.New(t, apitest.Options{RateLimit: ratelimit.Config{PerSecond: 1, Burst: 1}})
	var last apitest.Response
	for range 5 {
		last = limited.Do(t, "POST", "/query", strings.NewReader(gql(q)), json...)
	}
	checkContract(t, "rate limit", last)
	if last.Code() != errcode.RateLimited {
		t.Errorf("rate limit: %s", last.Raw)
	}
	slow := apitest.New(t, apitest.Options{Timeout: time.Nanosecond})
	r := slow.Do(t, "POST", "/query", strings.NewReader(gql("{ activities { totalCount } }")), json...)
	checkContract(t, "deadline", r)
	if r.Code() != errcode.RequestTimeout {
		t.Errorf("deadline: %s", r.Raw)
	}

	if n := strings.Count(logs.String(), `"level":"ERROR"`); n > 0 {
		t.Errorf("%d ERROR log lines for client mistakes:\n%.800s", n, logs.String())
	}
}

// checkContract asserts what every error response keeps to.
func checkContract(t *testing.T, name string, r apitest.Response) {
	t.Helper()
	if len(r.Errors) == 0 {
		t.Errorf("%s: no error: %d %.200s", name, r.Status, r.Raw)
		return
	}
	for _, e := range r.Errors {
		code, _ := e.Extensions["code"].(string)
		if !errcode.Known(code) {
			t.Errorf("%s: code %q is not in the ErrorCode enum", name, code)
		}
		if code == errcode.InternalServerError {
			t.Errorf("%s: a client's mistake answered INTERNAL_SERVER_ERROR", name)
		}
	}
	if r.Status >= 500 && r.Code() != errcode.RequestTimeout && r.Code() != errcode.ServerBusy && r.Code() != errcode.StoreUnavailable {
		t.Errorf("%s: status %d", name, r.Status)
	}
}

// Every code the packages send is in the enum: the constants are
// generated from it, and the enum lists nothing the server never sends.
func TestErrorCodesAreTheEnum(t *testing.T) {
	sdl := web.SDL()
	for _, c := range errcode.All {
		if !strings.Contains(sdl, "  "+c+"\n") {
			t.Errorf("%s is not in the served schema", c)
		}
	}
}
