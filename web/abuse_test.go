package web_test

import (
	"context"
	"log/slog"
	"sync"

	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	coderws "github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"estafette/content"
	"estafette/internal/apitest"
	"estafette/internal/loadtest"
	"estafette/web/gqlhttp/persisted"
	"estafette/web/ratelimit"
)

// The hostile documents of the abuse issue, each sent through the real
// handler. A refusal must name its code and cost no store operation.

func TestHostileDocumentsRefusedCheaply(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	for _, c := range loadtest.HostileDocuments() {
		for _, accept := range []string{"application/graphql-response+json", "application/json"} {
			env.Store.Reset()
			start := time.Now()
			r := env.Query(t, c.Query, nil, "Accept", accept)
			took := time.Since(start)
			want := http.StatusBadRequest
			if accept == "application/json" {
				want = http.StatusOK
			}
			if r.Code() != c.Code || r.Status != want || r.HasData {
				t.Errorf("%s (%s): %d %.300s", c.Name, accept, r.Status, r.Raw)
			}
			if n := env.Store.Calls(); n != 0 {
				t.Errorf("%s: %d store calls before the refusal", c.Name, n)
			}
			// A generous bound: before the fix these took from 10 s to hours.
			if took > 5*time.Second {
				t.Errorf("%s: refused after %v", c.Name, took)
			}
		}
	}
}

// The standard introspection query of GraphiQL and codegen still runs.
func TestStandardIntrospectionRuns(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	r := env.Query(t, introspectionQuery, nil)
	if len(r.Errors) > 0 || !bytes.Contains(r.Raw, []byte(`"queryType":{"name":"Query"}`)) {
		t.Fatalf("introspection: %d %.400s", r.Status, r.Raw)
	}
}

func TestIntrospectionDisabledInProduction(t *testing.T) {
	env := apitest.New(t, apitest.Options{Production: true})
	for accept, status := range map[string]int{"application/graphql-response+json": http.StatusBadRequest, "application/json": http.StatusOK} {
		r := env.Query(t, `{ __schema { queryType { name } } }`, nil, "Accept", accept)
		if r.Code() != "INTROSPECTION_DISABLED" || r.Status != status {
			t.Errorf("%s: %d %s", accept, r.Status, r.Raw)
		}
	}
	// __typename is not introspection and still answers.
	if r := env.Query(t, `{ __typename }`, nil); len(r.Errors) > 0 {
		t.Errorf("__typename in production: %s", r.Raw)
	}
}

// Unique large documents do not grow the process: the caches are keyed by
// hashes and bounded by bytes. Before, every document's text was a key of
// two caches (about 80 MB here).
func TestUniqueLargeDocumentsDoNotGrowTheCaches(t *testing.T) {
	env := apitest.New(t, apitest.Options{Cache: true})
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	pad := strings.Repeat("x", 400<<10)
	send := func(i int) {
		q := fmt.Sprintf("# %d %s\n{ __typename }", i, pad)
		if r := env.Query(t, q, nil); len(r.Errors) > 0 {
			t.Fatalf("document %d: %s", i, r.Raw)
		}
	}
	for i := range 10 { // warm up
		send(i)
	}
	before := heap()
	for i := 10; i < 210; i++ {
		send(i)
	}
	if grew := int64(heap()) - int64(before); grew > 40<<20 {
		t.Errorf("the heap grew by %d MB over 200 unique 400 KB documents", grew>>20)
	}
}

func apqBody(query, hash string) []byte {
	p := map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}}
	if query != "" {
		p["query"] = query
	}
	b, _ := json.Marshal(p)
	return b
}

func storedQueries(t *testing.T, env *apitest.Env) int {
	t.Helper()
	n, err := env.Catalog.Store().Count(t.Context(), persisted.Kind, nil)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAutomaticPersistedQueriesStoreOnlyWhatRuns(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	post := func(body []byte) apitest.Response {
		return env.Do(t, http.MethodPost, "/query", bytes.NewReader(body), "Content-Type", "application/json",
			"Accept", "application/graphql-response+json")
	}
	// Not GraphQL, not valid, over a limit: answered, never stored.
	for _, q := range []string{"this is not GraphQL", "{ noSuchField }", loadtest.FragmentChain(32), loadtest.CostlyAliases()} {
		r := post(apqBody(q, persisted.Hash(q)))
		if r.Status != http.StatusBadRequest || r.HasData {
			t.Errorf("%.40q: %d %.200s", q, r.Status, r.Raw)
		}
		if r := post(apqBody("", persisted.Hash(q))); r.Code() != "PERSISTED_QUERY_NOT_FOUND" {
			t.Errorf("%.40q was stored: %s", q, r.Raw)
		}
	}
	if n := storedQueries(t, env); n != 0 {
		t.Errorf("%d documents stored from refused requests", n)
	}
	// A hash that is not the document's is a client error.
	r := post(apqBody("{ regions { slug } }", persisted.Hash("{ editions { nodes { year } } }")))
	if r.Code() != "PERSISTED_QUERY_HASH_MISMATCH" || r.Status != http.StatusBadRequest {
		t.Errorf("mismatch: %d %s", r.Status, r.Raw)
	}
	// A valid one is stored and then served by its hash.
	q := "{ regions { slug } }"
	if r := post(apqBody(q, persisted.Hash(q))); len(r.Errors) > 0 {
		t.Fatalf("valid APQ: %s", r.Raw)
	}
	if r := post(apqBody("", persisted.Hash(q))); len(r.Errors) > 0 || !r.HasData {
		t.Errorf("stored APQ by hash: %s", r.Raw)
	}
}

func TestAutomaticPersistedQueriesAreBounded(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	env.Persisted.SetMaxAutomatic(10)
	// One client registers 40 documents at once: 30 a minute are taken,
	// and of those only the newest 10 are kept.
	for i := range 40 {
		q := fmt.Sprintf("query Q%d { regions { slug } }", i)
		r := env.Do(t, http.MethodPost, "/query", bytes.NewReader(apqBody(q, persisted.Hash(q))), "Content-Type", "application/json")
		if len(r.Errors) > 0 {
			t.Fatalf("document %d: %s", i, r.Raw)
		}
	}
	if n := storedQueries(t, env); n != 10 {
		t.Errorf("%d automatic documents stored, want 10", n)
	}
	newest := "query Q29 { regions { slug } }"
	if r := env.Do(t, http.MethodPost, "/query", bytes.NewReader(apqBody("", persisted.Hash(newest))), "Content-Type", "application/json"); len(r.Errors) > 0 {
		t.Errorf("the newest registration was evicted: %s", r.Raw)
	}
	// Registered documents are never evicted.
	h, err := env.Persisted.Register(t.Context(), "query Registered { regions { slug } }")
	if err != nil {
		t.Fatal(err)
	}
	for i := 40; i < 60; i++ {
		q := fmt.Sprintf("query Q%d { regions { slug } }", i)
		env.Persisted.Add(t.Context(), fmt.Sprint("client", i), persisted.Hash(q), q)
	}
	if _, ok := env.Persisted.Get(t.Context(), h); !ok {
		t.Error("a registered document was evicted")
	}
}

// introspectionQuery is the standard query of graphql-js (v16), which
// GraphiQL and GraphQL Code Generator send.
const introspectionQuery = `
query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}`

// BenchmarkHostileRefusal measures the processor time of refusing each
// hostile document through the real handler (bench/RESULTS.md records
// the figures; the target is under 10 ms each).
func BenchmarkHostileRefusal(b *testing.B) {
	env := apitest.New(b, apitest.Options{})
	h := env.Server.Config.Handler
	for _, c := range loadtest.HostileDocuments() {
		body, _ := json.Marshal(map[string]any{"query": c.Query})
		b.Run(strings.ReplaceAll(c.Name, " ", "_"), func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if !strings.Contains(rec.Body.String(), c.Code) {
					b.Fatalf("%s: %s", c.Name, rec.Body)
				}
			}
		})
	}
}

// Random API keys are refused with 429 before they cost a store lookup
// each; a known key keeps working.
func TestUnknownKeysAreRateLimited(t *testing.T) {
	env := apitest.New(t, apitest.Options{RateLimit: ratelimit.Config{PerSecond: 1000, Burst: 1000}})
	good := env.Key(t, "reader", content.RoleReader)
	if r := env.Query(t, `{ regions { slug } }`, nil, good...); r.Status != http.StatusOK {
		t.Fatalf("a known key: %d %s", r.Status, r.Raw)
	}
	env.Store.Reset()
	limited := 0
	for i := range 300 {
		r := env.Query(t, `{ regions { slug } }`, nil, "Authorization", fmt.Sprintf("Bearer sze_%040d", i))
		switch r.Status {
		case http.StatusTooManyRequests:
			limited++
			if r.Code() != "RATE_LIMITED" || r.Header.Get("Retry-After") == "" {
				t.Fatalf("429 without code or Retry-After: %s", r.Raw)
			}
		case http.StatusUnauthorized:
		default:
			t.Fatalf("unknown key %d: %d %s", i, r.Status, r.Raw)
		}
	}
	// 1000/s allows 100 lookups a second with a burst of 100.
	if limited < 100 {
		t.Errorf("%d of 300 unknown keys were limited", limited)
	}
	if n := env.Store.Calls(); n > 200 {
		t.Errorf("%d store calls for 300 unknown keys", n)
	}
	// A key this replica knows is not looked up, so the flood does not lock
	// it out.
	if r := env.Query(t, `{ regions { slug } }`, nil, good...); r.Status != http.StatusOK {
		t.Errorf("a known key after the flood: %d %s", r.Status, r.Raw)
	}
}

// Queries over Server-Sent Events and WebSockets get the request timeout
// too; before, a streaming request had no deadline at all.
func TestTimeoutHoldsOnStreamingTransports(t *testing.T) {
	env := apitest.New(t, apitest.Options{Timeout: time.Nanosecond})
	body, _ := json.Marshal(map[string]any{"query": `{ activities { totalCount } }`})
	r := env.Do(t, http.MethodPost, "/query", bytes.NewReader(body), "Content-Type", "application/json", "Accept", "text/event-stream")
	if !strings.Contains(string(r.Raw), "REQUEST_TIMEOUT") {
		t.Errorf("a query over SSE past its deadline: %d %s", r.Status, r.Raw)
	}
	ctx, conn := dialSocket(t, env)
	subscribe(t, ctx, conn, "1", `{ activities { totalCount } }`)
	if m := readUntil(t, ctx, conn, "next"); !strings.Contains(string(m.Payload), "REQUEST_TIMEOUT") {
		t.Errorf("a query over a WebSocket past its deadline: %s", m.Payload)
	}
}

type wsMsg struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

func dialSocket(t *testing.T, env *apitest.Env) (context.Context, *coderws.Conn) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	conn, _, err := coderws.Dial(ctx, strings.Replace(env.URL, "http", "ws", 1)+"/query",
		&coderws.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	if err := wsjson.Write(ctx, conn, wsMsg{Type: "connection_init"}); err != nil {
		t.Fatal(err)
	}
	if m := readUntil(t, ctx, conn, "connection_ack"); m.Type != "connection_ack" {
		t.Fatalf("ack: %+v", m)
	}
	return ctx, conn
}

func subscribe(t *testing.T, ctx context.Context, conn *coderws.Conn, id, query string) {
	t.Helper()
	p, _ := json.Marshal(map[string]string{"query": query})
	if err := wsjson.Write(ctx, conn, wsMsg{ID: id, Type: "subscribe", Payload: p}); err != nil {
		t.Fatal(err)
	}
}

// readUntil reads messages until one of the type arrives (pings are
// skipped) and returns it.
func readUntil(t *testing.T, ctx context.Context, conn *coderws.Conn, typ string) wsMsg {
	t.Helper()
	for {
		var m wsMsg
		if err := wsjson.Read(ctx, conn, &m); err != nil {
			t.Fatalf("waiting for %s: %v", typ, err)
		}
		if m.Type == typ {
			return m
		}
	}
}

// One socket cannot run past its client's rate, nor open more than 20
// subscriptions: past either bound the connection is closed with 1008 and
// the reason.
func TestWebSocketsObeyTheLimits(t *testing.T) {
	env := apitest.New(t, apitest.Options{RateLimit: ratelimit.Config{PerSecond: 5, Burst: 20}})
	ctx, conn := dialSocket(t, env)
	var closeErr error
	for i := range 200 {
		subscribe(t, ctx, conn, fmt.Sprint("q", i), `{ regions { slug } }`)
		var m wsMsg
		if closeErr = wsjson.Read(ctx, conn, &m); closeErr != nil {
			break
		}
	}
	if coderws.CloseStatus(closeErr) != 1008 {
		t.Errorf("200 queries on one socket at 5/s: closed with %v", closeErr)
	}

	env = apitest.New(t, apitest.Options{})
	ctx, conn = dialSocket(t, env)
	for i := range 25 {
		subscribe(t, ctx, conn, fmt.Sprint("s", i), `subscription { contentChanged { type } }`)
	}
	var err error
	for err == nil {
		var m wsMsg
		err = wsjson.Read(ctx, conn, &m)
	}
	if coderws.CloseStatus(err) != 1008 || !strings.Contains(err.Error(), "at most 20") {
		t.Errorf("25 subscriptions on one socket: %v", err)
	}
}

// lockedBuffer is a log sink safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// A query stopped by its deadline logs one line at warn, not an error per
// resolver that was still running.
func TestStoppedQueryLogsOnce(t *testing.T) {
	var logs lockedBuffer
	env := apitest.New(t, apitest.Options{Synthetic: 300, Timeout: 4 * time.Millisecond,
		Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	q := `{ activities(first: 100) { nodes { title edition { year } region { name } initiative { name } themes { name } organizers { name } } } }`
	stopped := false
	for range 20 {
		if r := env.Query(t, q, nil); r.Code() == "REQUEST_TIMEOUT" {
			stopped = true
			break
		}
	}
	if !stopped {
		t.Skip("the query never ran past 4 ms on this machine")
	}
	text := logs.String()
	if n := strings.Count(text, `"level":"ERROR"`); n > 0 {
		t.Errorf("%d ERROR lines for a stopped query:\n%.600s", n, text)
	}
	if n := strings.Count(text, "GraphQL operation stopped"); n < 1 || n > 20 {
		t.Errorf("%d warn lines for up to 20 stopped queries", n)
	}

	// Clients that go away mid-query: the same, one warn line each.
	var logs2 lockedBuffer
	env = apitest.New(t, apitest.Options{Synthetic: 300,
		Logger: slog.New(slog.NewJSONHandler(&logs2, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	body, _ := json.Marshal(map[string]any{"query": q})
	for i := range 20 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(1+i%4)*time.Millisecond)
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, env.URL+"/query", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
		}
		cancel()
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs2.String(), "the client went away") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	text = logs2.String()
	if !strings.Contains(text, "the client went away") {
		t.Skip("no query was still running when its client went away")
	}
	if n := strings.Count(text, `"level":"ERROR"`); n > 0 {
		t.Errorf("%d ERROR lines for queries whose clients went away:\n%.600s", n, text)
	}
}

// Calendar feeds and insights are kept per content generation, with an
// ETag and Last-Modified, so that a revalidation costs nothing.
func TestFeedsAreCachedWithValidators(t *testing.T) {
	env := apitest.New(t, apitest.Options{Cache: true})
	for _, path := range []string{"/calendar/2023.ics", "/insights"} {
		env.Do(t, http.MethodGet, path, nil) // builds and keeps it
		env.Store.Reset()
		r := env.Do(t, http.MethodGet, path, nil)
		etag, lm := r.Header.Get("ETag"), r.Header.Get("Last-Modified")
		if r.Status != http.StatusOK || etag == "" || lm == "" {
			t.Fatalf("%s: %d ETag %q Last-Modified %q", path, r.Status, etag, lm)
		}
		if n := env.Store.Calls(); n != 0 {
			t.Errorf("%s: %d store calls for a kept page", path, n)
		}
		if r := env.Do(t, http.MethodGet, path, nil, "If-None-Match", etag); r.Status != http.StatusNotModified {
			t.Errorf("%s with If-None-Match: %d", path, r.Status)
		}
		if r := env.Do(t, http.MethodGet, path, nil, "If-Modified-Since", lm); r.Status != http.StatusNotModified {
			t.Errorf("%s with If-Modified-Since: %d", path, r.Status)
		}
	}
}
