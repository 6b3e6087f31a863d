package content_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"estafette/content"
)

// faultyStore fails its writes with err while err is set.
type faultyStore struct {
	content.Store
	err error
}

func (s *faultyStore) Put(ctx context.Context, docs ...content.Doc) error {
	if s.err != nil {
		return s.err
	}
	return s.Store.Put(ctx, docs...)
}

func TestHealthTracksWriteFaults(t *testing.T) {
	ctx := context.Background()
	var h content.Health
	inner := &faultyStore{Store: nil}
	s := h.Store(inner)
	if err := h.Ready(ctx); err != nil {
		t.Fatalf("a new tracker is not ready: %v", err)
	}
	doc := content.Doc{Kind: content.KindTheme, ID: "t1", Body: []byte(`{}`)}

	// A conflict is the caller's problem, not the store's.
	inner.err = content.Errorf(content.ECONFLICT, "taken")
	_ = s.Put(ctx, doc)
	if err := h.Ready(ctx); err != nil {
		t.Fatalf("a conflict made the store unready: %v", err)
	}

	inner.err = content.Unavailable(errors.New("database or disk is full (13)"), "the disk of the store is full")
	_ = s.Put(ctx, doc)
	err := h.Ready(ctx)
	if content.ErrorCode(err) != content.EUNAVAILABLE || !strings.Contains(content.ErrorMessage(err), "disk of the store is full") {
		t.Fatalf("after a full disk: %v (code %q), want EUNAVAILABLE with the reason", err, content.ErrorCode(err))
	}
	// Reads do not make it ready.
	inner.Store = nopStore{}
	if _, err := s.Count(ctx, content.KindTheme, nil); err != nil {
		t.Fatal(err)
	}
	if h.Ready(ctx) == nil {
		t.Fatal("a read made the store ready")
	}
	inner.err = nil
	if err := s.Put(ctx, doc); err != nil {
		t.Fatal(err)
	}
	if err := h.Ready(ctx); err != nil {
		t.Fatalf("still unready after a write succeeded: %v", err)
	}
}

func TestHealthProbe(t *testing.T) {
	ctx := context.Background()
	probeErr := errors.New("still full")
	probes := 0
	h := &content.Health{ProbeEvery: time.Nanosecond, Probe: func(context.Context) error { probes++; return probeErr }}
	h.Record(content.Unavailable(nil, "disk full"))
	if h.Ready(ctx) == nil || probes != 1 {
		t.Fatalf("ready with a failing probe (%d probes)", probes)
	}
	probeErr = nil
	deadline := time.Now().Add(5 * time.Second)
	for h.Ready(ctx) != nil {
		if time.Now().After(deadline) {
			t.Fatal("a succeeding probe did not make the store ready")
		}
	}
}

// nopStore answers reads with nothing and takes every write.
type nopStore struct{ content.Store }

func (nopStore) Count(context.Context, content.Kind, *content.Cond) (int, error) { return 0, nil }
func (nopStore) Put(context.Context, ...content.Doc) error                       { return nil }
