package app

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"estafette/content"
	"estafette/webhooks"
)

// holdingStore is a store with nothing in it whose calls, once the test
// holds them, wait for the caller's context to end and then for the test
// to let go. It records what Close would get wrong: a close while a call
// is still running, and calls after the close.
type holdingStore struct {
	content.Store // nil: only the methods below are called

	mu       sync.Mutex
	hold     bool
	release  chan struct{}
	inFlight int
	held     int // calls waiting for the release
	closed   bool
	// faults, found at Close or after it.
	closedBusy  int // calls still running when Close came
	callsClosed int // calls that came after Close
}

func (s *holdingStore) call(ctx context.Context) {
	s.mu.Lock()
	if s.closed {
		s.callsClosed++
	}
	s.inFlight++
	hold := s.hold
	if hold {
		s.held++
	}
	s.mu.Unlock()
	if hold {
		<-ctx.Done()
		<-s.release
	}
	s.mu.Lock()
	s.inFlight--
	if hold {
		s.held--
	}
	s.mu.Unlock()
}

func (s *holdingStore) Get(ctx context.Context, _ content.Kind, _ []string) (map[string]content.Doc, error) {
	s.call(ctx)
	return map[string]content.Doc{}, ctx.Err()
}

func (s *holdingStore) Find(ctx context.Context, _ content.Query) ([]content.Doc, error) {
	s.call(ctx)
	return nil, ctx.Err()
}

func (s *holdingStore) Count(ctx context.Context, _ content.Kind, _ *content.Cond) (int, error) {
	s.call(ctx)
	return 0, ctx.Err()
}

func (s *holdingStore) Group(ctx context.Context, _ content.Kind, _ *content.Cond, _ []string) ([]content.Bucket, error) {
	s.call(ctx)
	return nil, ctx.Err()
}

func (s *holdingStore) Put(ctx context.Context, _ ...content.Doc) error {
	s.call(ctx)
	return ctx.Err()
}

func (s *holdingStore) Apply(ctx context.Context, _ ...content.Write) error {
	s.call(ctx)
	return ctx.Err()
}

func (s *holdingStore) Delete(ctx context.Context, _ content.Kind, _ ...string) error {
	s.call(ctx)
	return ctx.Err()
}

func (s *holdingStore) Ping(ctx context.Context) error { return nil }

func (s *holdingStore) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.closedBusy = s.inFlight
	return nil
}

func (s *holdingStore) state() (held int, closed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.held, s.closed
}

// TestCloseWaitsForTheLoops: every background loop is in the middle of a
// store call when Close comes; Close must cancel them, wait until each one
// has returned, and only then close the store. In a synctest bubble
// "everything is blocked" is a condition the test can wait for, so the
// store holds the loops' calls until Close is provably waiting for them.
func TestCloseWaitsForTheLoops(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &holdingStore{release: make(chan struct{})}
		cfg := DefaultConfig()
		cfg.NoSeed = true
		cfg.Webhooks = webhooks.Options{Poll: 10 * time.Millisecond}
		a := New(cfg, WithStore(s), WithEventPoll(10*time.Millisecond))
		if err := a.Open(t.Context()); err != nil {
			t.Fatal(err)
		}
		s.mu.Lock()
		s.hold = true
		s.mu.Unlock()
		var closeErr error
		closed := make(chan struct{}) // closed when Close returned
		closing := false
		var let sync.Once
		letGo := func() { let.Do(func() { close(s.release) }) }
		defer func() { // on failure too: no goroutine may outlive the bubble
			letGo()
			if !closing {
				_ = a.Close()
			} else {
				<-closed
			}
		}()
		if err := a.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		synctest.Wait() // every loop is in a held store call
		const loops = 5 // purge, generation poll, event bus, webhooks, scheduler
		if held, _ := s.state(); held != loops {
			t.Fatalf("%d loops in a store call, want %d", held, loops)
		}

		closing = true
		go func() { closeErr = a.Close(); close(closed) }()
		synctest.Wait() // Close is blocked, or has returned
		select {
		case <-closed:
			t.Fatalf("Close returned (%v) while the loops were still in store calls", closeErr)
		default:
		}
		if held, storeClosed := s.state(); storeClosed || held != loops {
			t.Fatalf("while Close waits: store closed %v, %d loops in store calls (want %d)", storeClosed, held, loops)
		}

		letGo()
		<-closed
		if closeErr != nil {
			t.Fatal(closeErr)
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if !s.closed || s.closedBusy != 0 || s.callsClosed != 0 || s.inFlight != 0 {
			t.Errorf("store closed %v with %d calls running, %d calls after the close, %d running now",
				s.closed, s.closedBusy, s.callsClosed, s.inFlight)
		}
	})
}
