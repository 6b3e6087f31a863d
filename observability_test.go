package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"estafette/internal/app"

	coltrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestAdminListener: with ADMIN_ADDR the profiler and the metrics are
// served on their own listener, and the profiler never on the public one.
func TestAdminListener(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	cfg.AdminAddr = "127.0.0.1:0"
	m := app.New(cfg)
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if m.AdminAddr() == "" {
		t.Fatal("no admin listener")
	}
	if code, body := get(t, "http://"+m.AdminAddr()+"/debug/pprof/"); code != 200 || !strings.Contains(body, "goroutine") {
		t.Errorf("admin /debug/pprof/: %d %.200s", code, body)
	}
	if code, body := get(t, "http://"+m.AdminAddr()+"/debug/pprof/heap?debug=1"); code != 200 || !strings.Contains(body, "heap profile") {
		t.Errorf("admin heap profile: %d %.200s", code, body)
	}
	// A nested query, so that the loaders observe a batch.
	res, err := http.Post("http://"+m.Addr()+"/query", "application/json",
		strings.NewReader(`{"query":"{ activities(first: 20) { nodes { edition { year } region { name } } } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	code, body := get(t, "http://"+m.AdminAddr()+"/metrics")
	for _, want := range []string{"estafette_store_operations_total", `estafette_loader_batch_size_bucket{loader="edition"`, "go_goroutines"} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("admin /metrics lacks %s (status %d)", want, code)
		}
	}
	if code, _ := get(t, "http://"+m.Addr()+"/debug/pprof/"); code == 200 {
		t.Error("the public listener serves the profiler")
	}
	// With ADMIN_ADDR the metrics are for operators only (METRICS_PUBLIC
	// puts them back on the public listener).
	if code, _ := get(t, "http://"+m.Addr()+"/metrics"); code == 200 {
		t.Error("the public listener serves /metrics although ADMIN_ADDR is set")
	}

	// Without ADMIN_ADDR there is no admin listener.
	m2 := app.New(testConfig(t, t.TempDir()))
	if err := m2.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m2.Close()
	if m2.AdminAddr() != "" {
		t.Errorf("admin listener on %s without ADMIN_ADDR", m2.AdminAddr())
	}
}

// otlpReceiver is a loopback OTLP/HTTP trace receiver: it keeps the names
// of the spans it is sent.
type otlpReceiver struct {
	mu     sync.Mutex
	spans  []string
	status map[string]int32 // span name → status code (2 = error)
}

func (o *otlpReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/traces" || r.Header.Get("Content-Type") != "application/x-protobuf" {
		http.Error(w, "unexpected "+r.URL.Path+" "+r.Header.Get("Content-Type"), http.StatusBadRequest)
		return
	}
	b, _ := io.ReadAll(r.Body)
	var req coltrace.ExportTraceServiceRequest
	if err := proto.Unmarshal(b, &req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	o.mu.Lock()
	for _, rs := range req.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			for _, s := range ss.Spans {
				o.spans = append(o.spans, s.Name)
				o.status[s.Name] = int32(s.GetStatus().GetCode())
			}
		}
	}
	o.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-protobuf")
	out, _ := proto.Marshal(&coltrace.ExportTraceServiceResponse{})
	_, _ = w.Write(out)
}

// TestTracingExportsOverOTLP: with OTEL_EXPORTER_OTLP_ENDPOINT the server
// sends its spans (operation, resolver fields, store operations, with the
// errors marked) to that endpoint over OTLP/HTTP; here a receiver on
// loopback.
func TestTracingExportsOverOTLP(t *testing.T) {
	rcv := &otlpReceiver{status: map[string]int32{}}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", srv.URL)
	t.Setenv("OTEL_BSP_SCHEDULE_DELAY", "50")
	cfg, err := app.ConfigFromEnv(func(k string) string {
		return map[string]string{"DATA_DIR": t.TempDir(), "LOG_LEVEL": "warn", "OTEL_EXPORTER_OTLP_ENDPOINT": srv.URL}[k]
	})
	if err != nil || !cfg.Tracing {
		t.Fatalf("tracing %v, %v", cfg.Tracing, err)
	}
	cfg.Addr = "127.0.0.1:0"
	m := app.New(cfg)
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`{"query":"query Route { edition(year: 2023) { legs { region { name } } } }"}`,
		`{"query":"query TooLarge { activities(first: 5000) { nodes { title } } }"}`,
	} {
		res, err := http.Post("http://"+m.Addr()+"/query", "application/json", strings.NewReader(q))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	if err := m.Close(); err != nil { // flushes the spans
		t.Fatal(err)
	}
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	for _, want := range []string{"query Route", "Query.edition", "Leg.region", "query TooLarge", "Query.activities"} {
		if !slices.Contains(rcv.spans, want) {
			t.Errorf("no span %q in %v", want, rcv.spans)
		}
	}
	if !slices.ContainsFunc(rcv.spans, func(s string) bool { return strings.HasPrefix(s, "store.") }) {
		t.Errorf("no store span in %v", rcv.spans)
	}
	if rcv.status["query TooLarge"] != 2 || rcv.status["Query.activities"] != 2 {
		t.Errorf("the failed operation and field are not marked as errors: %v", rcv.status)
	}
	if rcv.status["query Route"] == 2 {
		t.Error("the successful operation is marked as an error")
	}
}
