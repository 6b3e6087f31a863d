// Package gate bounds how many heavy requests (exports, calendar feeds,
// insights) run at once. Each costs seconds of processor time on a large
// store, so a crowd of them would starve every other request: past the
// bound a request waits briefly for a slot, then gets 503 with
// Retry-After. A request whose client goes away while it waits leaves the
// queue at once.
package gate

import (
	"encoding/json"
	"estafette/internal/errcode"
	"net/http"
	"runtime"
	"strconv"
	"time"
)

// DefaultWait is how long a request waits for a slot.
const DefaultWait = 2 * time.Second

// Gate holds the slots.
type Gate struct {
	slots chan struct{}
	wait  time.Duration
	// OnRefuse, when set, is told about every refused request.
	OnRefuse func(r *http.Request)
}

// New returns a gate of n slots (0: the number of processors) whose
// requests wait at most wait for one (0: DefaultWait).
func New(n int, wait time.Duration) *Gate {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	if wait <= 0 {
		wait = DefaultWait
	}
	return &Gate{slots: make(chan struct{}, n), wait: wait}
}

// Handler runs next within a slot. A nil gate runs it as it is.
func (g *Gate) Handler(next http.Handler) http.Handler {
	if g == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !g.enter(r) {
			if g.OnRefuse != nil {
				g.OnRefuse(r)
			}
			refuse(w, g.wait)
			return
		}
		defer func() { <-g.slots }()
		next.ServeHTTP(w, r)
	})
}

func (g *Gate) enter(r *http.Request) bool {
	select {
	case g.slots <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-r.Context().Done():
		return false
	}
}

func refuse(w http.ResponseWriter, wait time.Duration) {
	secs := max(1, int(wait.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusServiceUnavailable)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{
		"message":    "The server is busy with other exports, feeds and reports; try again in " + strconv.Itoa(secs) + " s.",
		"extensions": map[string]any{"code": errcode.ServerBusy, "retryAfterSeconds": secs},
	}}})
}
