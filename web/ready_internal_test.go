package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"estafette/content"
)

// writeFailingStore answers pings and fails writes with err while it is set.
type writeFailingStore struct {
	content.Store
	err error
}

func (s *writeFailingStore) Ping(context.Context) error                { return nil }
func (s *writeFailingStore) Put(context.Context, ...content.Doc) error { return s.err }

// TestReadyAfterWriteFault: /readyz answers 503 with the reason after a
// write failed for a storage fault, until a write succeeds.
func TestReadyAfterWriteFault(t *testing.T) {
	ctx := context.Background()
	inner := &writeFailingStore{}
	health := &content.Health{}
	store := health.Store(inner)
	h := readyHandler(slog.New(slog.NewTextHandler(io.Discard, nil)), store, health)
	ready := func() (int, map[string]string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
		var body map[string]string
		_ = json.Unmarshal(rec.Body.Bytes(), &body)
		return rec.Code, body
	}
	if code, body := ready(); code != http.StatusOK {
		t.Fatalf("before any write: %d %v", code, body)
	}
	inner.err = content.Unavailable(errors.New("database or disk is full (13)"), "The store's disk is full: changes cannot be saved.")
	if err := store.Put(ctx, content.Doc{}); err == nil {
		t.Fatal("the put did not fail")
	}
	code, body := ready()
	if code != http.StatusServiceUnavailable || !strings.Contains(body["reason"], "disk is full") {
		t.Fatalf("after a failed write: %d %v; want 503 with the reason", code, body)
	}
	if strings.Contains(body["reason"], "(13)") {
		t.Errorf("the reason shows the driver's error: %q", body["reason"])
	}
	inner.err = nil
	if err := store.Put(ctx, content.Doc{}); err != nil {
		t.Fatal(err)
	}
	if code, body := ready(); code != http.StatusOK {
		t.Fatalf("after a write succeeded: %d %v", code, body)
	}
	// Without a tracker the probe only pings, as before.
	if rec := httptest.NewRecorder(); true {
		readyHandler(slog.New(slog.NewTextHandler(io.Discard, nil)), inner, nil).ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("without a tracker: %d", rec.Code)
		}
	}
}
