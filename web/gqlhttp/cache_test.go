package gqlhttp_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"estafette/content"
	"estafette/internal/apitest"
	"estafette/web/gqlhttp/persisted"
)

const relayQuery = `{ regions { slug name } relay(at: "2023-02-21T10:00:00+01:00") { current { region { slug } } } }`

func get(q string) string { return "/query?query=" + url.QueryEscape(q) }

// A repeated anonymous GET is answered from the cache, with an ETag that
// gives 304; a write changes the ETag.
func TestCachedGET(t *testing.T) {
	env := apitest.New(t, apitest.Options{Cache: true})
	first := env.Do(t, "GET", get(relayQuery), nil)
	etag := first.Header.Get("ETag")
	if first.Status != 200 || etag == "" || first.Header.Get("Cache-Control") != "public, max-age=300, stale-while-revalidate=86400" {
		t.Fatalf("first GET: %d etag %q cache-control %q", first.Status, etag, first.Header.Get("Cache-Control"))
	}
	env.Store.Reset()
	second := env.Do(t, "GET", get(relayQuery), nil)
	if string(second.Raw) != string(first.Raw) || second.Header.Get("ETag") != etag {
		t.Errorf("second GET differs")
	}
	if n := env.Store.Calls(); n != 0 {
		t.Errorf("a cached GET made %d store calls", n)
	}
	notModified := env.Do(t, "GET", get(relayQuery), nil, "If-None-Match", etag)
	if notModified.Status != http.StatusNotModified || len(notModified.Raw) != 0 {
		t.Errorf("If-None-Match: %d %q", notModified.Status, notModified.Raw)
	}
	// The same document written differently is the same entry.
	if r := env.Do(t, "GET", get(strings.ReplaceAll(relayQuery, " ", "\n  ")), nil); r.Header.Get("ETag") != etag {
		t.Errorf("a reformatted document misses the cache")
	}
	// Another locale is another entry.
	if r := env.Do(t, "GET", get(relayQuery), nil, "Accept-Language", "en"); r.Header.Get("ETag") == etag {
		t.Errorf("English shares the Dutch entry")
	}

	// A write changes the answer and so the ETag.
	editor := env.Key(t, "redactie", content.RoleEditor)
	var region struct {
		Region struct {
			ID      string
			Version int
		}
	}
	env.Query(t, `{ region(slug: "noord") { id version } }`, nil).Decode(t, &region)
	env.Query(t, `mutation($id: ID!, $v: Int!) { updateRegion(id: $id, expectedVersion: $v, input: {name: {nl: "Regio Noord-Nederland"}}) { version } }`,
		map[string]any{"id": region.Region.ID, "v": region.Region.Version}, editor...).Decode(t, &struct{}{})
	after := env.Do(t, "GET", get(relayQuery), nil, "If-None-Match", etag)
	if after.Status != 200 || after.Header.Get("ETag") == etag || !strings.Contains(string(after.Raw), "Noord-Nederland") {
		t.Errorf("after a write: %d %q %.200s", after.Status, after.Header.Get("ETag"), after.Raw)
	}

	// Callers with a key, and errors, are never cached.
	keyed := env.Do(t, "GET", get(relayQuery), nil, editor...)
	if keyed.Header.Get("Cache-Control") != "no-store" || keyed.Header.Get("ETag") != "" {
		t.Errorf("a keyed GET: %v", keyed.Header)
	}
	bad := env.Do(t, "GET", get(`{ activities(first: 0) { nodes { slug } } }`), nil)
	if bad.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("an error response is cacheable: %v", bad.Header)
	}
	metrics := env.Do(t, "GET", "/metrics", nil)
	if !strings.Contains(string(metrics.Raw), `estafette_response_cache_lookups_total{result="hit"}`) {
		t.Error("no cache hits in the metrics")
	}
}

// Automatic persisted queries: a hash alone is unknown at first, works
// once the client sent the document with it; in allowlist mode only
// registered documents run.
func TestPersistedQueries(t *testing.T) {
	env := apitest.New(t, apitest.Options{Cache: true})
	hash := persisted.Hash(relayQuery)
	ext := url.QueryEscape(`{"persistedQuery":{"version":1,"sha256Hash":"` + hash + `"}}`)
	r := env.Do(t, "GET", "/query?extensions="+ext, nil)
	if r.Code() != "PERSISTED_QUERY_NOT_FOUND" || !strings.Contains(string(r.Raw), "PersistedQueryNotFound") {
		t.Fatalf("unknown hash: %s", r.Raw)
	}
	r = env.Do(t, "GET", get(relayQuery)+"&extensions="+ext, nil)
	if r.Status != 200 || len(r.Errors) > 0 {
		t.Fatalf("document with hash: %s", r.Raw)
	}
	r = env.Do(t, "GET", "/query?extensions="+ext, nil)
	if r.Status != 200 || len(r.Errors) > 0 || !strings.Contains(string(r.Raw), `"noord"`) || r.Header.Get("ETag") == "" {
		t.Fatalf("hash alone after registration: %s", r.Raw)
	}
	wrong := url.QueryEscape(`{"persistedQuery":{"version":1,"sha256Hash":"` + strings.Repeat("0", 64) + `"}}`)
	if r := env.Do(t, "GET", get(relayQuery)+"&extensions="+wrong, nil); len(r.Errors) == 0 {
		t.Error("a document with a wrong hash was accepted")
	}

	only := apitest.New(t, apitest.Options{PersistedOnly: true})
	if r := only.Query(t, relayQuery, nil); r.Code() != "PERSISTED_QUERY_NOT_ALLOWED" {
		t.Errorf("allowlist, unregistered: %s", r.Raw)
	}
	if r := only.Do(t, "GET", get(relayQuery)+"&extensions="+ext, nil); r.Code() != "PERSISTED_QUERY_NOT_ALLOWED" {
		t.Errorf("allowlist, a client registering: %s", r.Raw)
	}
	if _, err := only.Persisted.Register(t.Context(), relayQuery); err != nil {
		t.Fatal(err)
	}
	if r := only.Query(t, relayQuery, nil); len(r.Errors) > 0 {
		t.Errorf("allowlist, registered: %s", r.Raw)
	}
	if r := only.Do(t, "GET", "/query?extensions="+ext, nil); len(r.Errors) > 0 {
		t.Errorf("allowlist, registered hash: %s", r.Raw)
	}
}
