package web

import (
	"net/http"
	"net/http/pprof"

	"estafette/internal/metrics"
)

// Admin returns the handler of the admin listener (ADMIN_ADDR), which is
// meant for operators only and never exposed publicly: the Go profiler
// under /debug/pprof/ and the Prometheus metrics under /metrics.
func Admin(m *metrics.Metrics) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.Handle("GET /metrics", m.Handler())
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("estafette admin: /debug/pprof/, /metrics\n"))
	})
	return mux
}
