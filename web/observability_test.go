package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"estafette/content"
	"estafette/internal/collections"
	"estafette/seed"
	"estafette/sqlite"
	"estafette/web"
	"estafette/web/gqlhttp"
	"estafette/web/requestid"
)

// seeded returns a catalog over a fresh store with the seed content.
func seeded(t *testing.T) *content.Catalog {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, t.TempDir(), collections.All())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	cat := content.NewCatalog(s)
	if _, err := seed.Load(ctx, cat); err != nil {
		t.Fatal(err)
	}
	return cat
}

// syncBuffer is a buffer logs can be written to from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// records returns the JSON log records with the message msg.
func (s *syncBuffer) records(t *testing.T, msg string) []map[string]any {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for line := range strings.Lines(s.b.String()) {
		var r map[string]any
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if r["msg"] == msg {
			out = append(out, r)
		}
	}
	return out
}

func post(t *testing.T, h http.Handler, query string) *httptest.ResponseRecorder {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"query": query})
	req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestSlowQueryLog: an operation over the threshold is logged with its
// name, type, duration, cost and request id; one under it is not.
func TestSlowQueryLog(t *testing.T) {
	cat := seeded(t)
	for _, tc := range []struct {
		threshold time.Duration
		want      int
	}{{time.Nanosecond, 1}, {time.Hour, 0}, {-1, 0}} {
		var logs syncBuffer
		h := web.New(web.Deps{Catalog: cat, Options: gqlhttp.Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil)), SlowQueryThreshold: tc.threshold}})
		rec := post(t, h, `query Route { edition(year: 2023) { legs { region { name } } } }`)
		if rec.Code != 200 {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		got := logs.records(t, "slow GraphQL operation")
		if len(got) != tc.want {
			t.Fatalf("threshold %s: %d slow-query records, want %d", tc.threshold, len(got), tc.want)
		}
		if tc.want == 0 {
			continue
		}
		r := got[0]
		if r["operation"] != "Route" || r["type"] != "query" || r["level"] != "WARN" {
			t.Errorf("record %v", r)
		}
		if d, ok := r["duration_ms"].(float64); !ok || d <= 0 {
			t.Errorf("duration_ms %v", r["duration_ms"])
		}
		if c, ok := r["cost"].(float64); !ok || c < 1 {
			t.Errorf("cost %v", r["cost"])
		}
		if id := rec.Header().Get(requestid.Header); id == "" || r["request_id"] != id {
			t.Errorf("request_id %v, response header %q", r["request_id"], id)
		}
	}
}

// TestTracer: with a tracer every operation is a span, each resolver call
// a child span of it, and a failing resolver marks its span; without one,
// nothing is recorded.
func TestTracer(t *testing.T) {
	cat := seeded(t)
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	defer tp.Shutdown(context.Background())
	h := web.New(web.Deps{Catalog: cat, Options: gqlhttp.Options{Tracer: tp.Tracer("test"), SlowQueryThreshold: -1}})

	// A traceparent from the caller makes the operation part of its trace.
	b := `{"query":"query Route { edition(year: 2023) { legs { region { name } } } }"}`
	req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	spans := exp.GetSpans()
	byName := map[string]tracetest.SpanStub{}
	for _, s := range spans {
		byName[s.Name] = s
	}
	op, ok := byName["query Route"]
	if !ok {
		t.Fatalf("no operation span in %d spans", len(spans))
	}
	if op.SpanContext.TraceID().String() != "4bf92f3577b34da6a3ce929d0e0e4736" || op.Parent.SpanID().String() != "00f067aa0ba902b7" {
		t.Errorf("the operation is not a child of the caller's span: trace %s parent %s", op.SpanContext.TraceID(), op.Parent.SpanID())
	}
	field, ok := byName["Query.edition"]
	if !ok || field.Parent.SpanID() != op.SpanContext.SpanID() {
		t.Errorf("Query.edition is not a child of the operation: %v", ok)
	}
	if _, ok := byName["Leg.region"]; !ok {
		t.Error("no span for the nested resolver Leg.region")
	}
	if _, ok := byName["Edition.year"]; ok {
		t.Error("a span for a plain field")
	}

	exp.Reset()
	post(t, h, `query TooLarge { activities(first: 5000) { nodes { title } } }`)
	failed := 0
	for _, s := range exp.GetSpans() {
		if s.Status.Code == 1 { // codes.Error
			failed++
			if len(s.Events) == 0 || s.Events[0].Name != "exception" {
				t.Errorf("span %s failed without a recorded error", s.Name)
			}
		}
	}
	if failed != 2 {
		t.Errorf("%d failed spans, want 2 (the operation and Query.activities)", failed)
	}

	// Without a tracer no span is made.
	exp.Reset()
	post(t, web.New(web.Deps{Catalog: cat}), `{ regions { name } }`)
	if n := len(exp.GetSpans()); n != 0 {
		t.Errorf("%d spans without a tracer", n)
	}
}
