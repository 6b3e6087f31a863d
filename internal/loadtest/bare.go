package loadtest

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

// BareHandler is the ceiling of comparison (c): a plain net/http handler
// that answers every request with the same bytes and headers, doing
// nothing else.
func BareHandler(body []byte, contentType string) http.Handler {
	n := strconv.Itoa(len(body))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", contentType)
		h.Set("Content-Length", n)
		_, _ = w.Write(body)
	})
}

// ServeBare serves BareHandler on addr until the process is stopped; the
// load command runs it in a process of its own ("load bare").
func ServeBare(addr, bodyFile, contentType string) error {
	body, err := os.ReadFile(bodyFile)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	mux.Handle("/", BareHandler(body, contentType))
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	return srv.ListenAndServe()
}

// StartBare starts "self bare" (the load command itself) serving body in a
// separate process, with the same environment as the server under test
// (GOMAXPROCS included), so that the ceiling and the API are measured
// alike.
func StartBare(ctx context.Context, self, dir string, body []byte, contentType string, env ...string) (*Process, error) {
	file := filepath.Join(dir, "bare-body")
	if err := os.WriteFile(file, body, 0o600); err != nil {
		return nil, err
	}
	addr, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "bare", "-addr", addr, "-body", file, "-type", contentType)
	cmd.Env = append(os.Environ(), env...)
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return nil, err
	}
	return start(ctx, cmd, "http://"+addr, "/readyz", filepath.Join(dir, "bare.log"))
}
