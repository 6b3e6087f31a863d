package webhooks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"estafette/auth"
	"estafette/content"
	"estafette/events"
	"estafette/internal/collections"
	"estafette/seed"
	"estafette/sqlite"
	"estafette/webhooks"
)

// receiver is a webhook endpoint on loopback: it is down (503) for the
// first failures requests, then takes events, checks their signatures and
// keeps each event id once.
type receiver struct {
	t        *testing.T
	secret   string
	failures atomic.Int64
	mu       sync.Mutex
	got      map[string]int // event id → times received
	types    []string
	bad      atomic.Int64
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if rc.failures.Add(-1) >= 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	if err := webhooks.Verify(rc.secret, r.Header.Get(webhooks.SignatureHeader), body, 5*time.Minute, time.Now()); err != nil {
		rc.bad.Add(1)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var e events.Event
	if err := json.Unmarshal(body, &e); err != nil || e.ID != r.Header.Get("Idempotency-Key") {
		rc.bad.Add(1)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	rc.mu.Lock()
	rc.got[e.ID]++
	if rc.got[e.ID] == 1 {
		rc.types = append(rc.types, e.Type)
	}
	rc.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (rc *receiver) distinct() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.got)
}

type env struct {
	cat    *content.Catalog
	hooks  *webhooks.Service
	store  content.Store
	editor context.Context
	admin  context.Context
}

func newEnv(t *testing.T, opts webhooks.Options) *env {
	t.Helper()
	s, err := sqlite.Open(context.Background(), t.TempDir(), collections.All())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	cat := content.NewCatalog(s)
	if _, err := seed.Load(context.Background(), cat); err != nil {
		t.Fatal(err)
	}
	hooks := webhooks.New(s, opts)
	cat.SetOutbox(events.Outbox{Fanout: hooks.Fanout})
	return &env{cat: cat, hooks: hooks, store: s,
		editor: content.WithViewer(context.Background(), content.Viewer{Actor: "redactie", Role: content.RoleEditor}),
		admin:  auth.CommandLine(context.Background(), "test")}
}

func (e *env) endpoint(t *testing.T, rc *receiver, patterns ...string) *webhooks.Endpoint {
	t.Helper()
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	ep, err := e.hooks.Add(e.admin, srv.URL, patterns, "", "test receiver")
	if err != nil {
		t.Fatal(err)
	}
	rc.secret = ep.Secret
	return ep
}

func (e *env) run(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.hooks.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

func waitFor(t *testing.T, what string, timeout time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func newTheme(slug string) *content.Theme {
	return &content.Theme{Meta: content.Meta{Slug: slug, Sources: []content.Source{{Title: "test"}}}, Name: content.NLText("Thema " + slug)}
}

// A receiver that is down for its first attempts still gets every event of
// create, update, publish and delete, signed, exactly once after dedup.
func TestDeliveryThroughAnOutage(t *testing.T) {
	e := newEnv(t, webhooks.Options{BaseBackoff: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond, Poll: 20 * time.Millisecond, AllowPrivate: true})
	rc := &receiver{t: t, got: map[string]int{}}
	rc.failures.Store(7)
	e.endpoint(t, rc, "theme.*")
	other := &receiver{t: t, got: map[string]int{}}
	e.endpoint(t, other, "activity.published")

	th, err := content.Create(e.editor, e.cat, newTheme("robotica"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := content.Update(e.editor, e.cat, th.ID, 1, func(x *content.Theme) error { x.Name.EN = "Robotics"; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := content.SetStatus[content.Theme](e.editor, e.cat, th.ID, nil, content.StatusPublished); err != nil {
		t.Fatal(err)
	}
	if _, err := content.Delete[content.Theme](e.editor, e.cat, th.ID, nil); err != nil {
		t.Fatal(err)
	}
	// Events queue while nobody sends them.
	queued, err := e.hooks.Deliveries(e.admin, webhooks.DeliveryFilter{State: webhooks.StatePending}, 100)
	if err != nil || len(queued) != 4 {
		t.Fatalf("queued deliveries: %d %v", len(queued), err)
	}
	e.run(t)
	waitFor(t, "4 events", 10*time.Second, func() bool { return rc.distinct() == 4 })
	time.Sleep(100 * time.Millisecond)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	// Retries reorder events (receivers order them by data.version).
	got := slices.Sorted(slices.Values(rc.types))
	want := []string{"theme.created", "theme.deleted", "theme.published", "theme.updated"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("received %v, want %v", got, want)
	}
	for id, n := range rc.got {
		if n < 1 {
			t.Errorf("event %s received %d times", id, n)
		}
	}
	if rc.bad.Load() != 0 {
		t.Errorf("%d deliveries were badly signed or formed", rc.bad.Load())
	}
	if other.distinct() != 0 {
		t.Errorf("an endpoint for activity.published got theme events")
	}
	log, _ := e.hooks.Deliveries(e.admin, webhooks.DeliveryFilter{}, 100)
	attempts := 0
	for _, d := range log {
		if d.State != webhooks.StateDelivered {
			t.Errorf("delivery %s is %s", d.ID, d.State)
		}
		attempts += d.Attempts
	}
	if attempts < 4+7 {
		t.Errorf("%d attempts for 4 events and 7 failures", attempts)
	}
}

func TestDeadLettersAndReplay(t *testing.T) {
	e := newEnv(t, webhooks.Options{BaseBackoff: 10 * time.Millisecond, MaxBackoff: 20 * time.Millisecond,
		Poll: 10 * time.Millisecond, RetryWindow: 150 * time.Millisecond, AllowPrivate: true})
	rc := &receiver{t: t, got: map[string]int{}}
	rc.failures.Store(1 << 30) // down for good
	ep := e.endpoint(t, rc, "*")
	if _, err := content.Create(e.editor, e.cat, newTheme("dood")); err != nil {
		t.Fatal(err)
	}
	e.run(t)
	var dead []*webhooks.Delivery
	waitFor(t, "a dead letter", 5*time.Second, func() bool {
		dead, _ = e.hooks.Deliveries(e.admin, webhooks.DeliveryFilter{EndpointID: ep.ID, State: webhooks.StateDead}, 10)
		return len(dead) == 1
	})
	if dead[0].Attempts < 2 || len(dead[0].Log) != dead[0].Attempts || dead[0].Log[0].Status != 503 {
		t.Errorf("dead letter %+v", dead[0])
	}
	rc.failures.Store(0) // back up
	n, err := e.hooks.Replay(e.admin, "", ep.ID)
	if err != nil || n != 1 {
		t.Fatalf("replay: %d %v", n, err)
	}
	waitFor(t, "the replayed event", 5*time.Second, func() bool { return rc.distinct() == 1 })
	if _, err := e.hooks.Replay(e.editor, dead[0].ID, ""); content.ErrorCode(err) != content.EFORBIDDEN {
		t.Errorf("an editor replayed: %v", err)
	}
}

// 1,000 writes with 5 endpoints deliver 5,000 events; none is lost.
func TestDeliveryUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000 writes")
	}
	e := newEnv(t, webhooks.Options{BaseBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond,
		Poll: 20 * time.Millisecond, Parallel: 16, AllowPrivate: true})
	var rcs []*receiver
	for i := range 5 {
		rc := &receiver{t: t, got: map[string]int{}}
		rc.failures.Store(int64(i * 20)) // some endpoints start with an outage
		e.endpoint(t, rc, "theme.created")
		rcs = append(rcs, rc)
	}
	e.run(t)
	var wg sync.WaitGroup
	errs := make(chan error, 1000)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < 1000; i += 4 {
				if _, err := content.Create(e.editor, e.cat, newTheme(fmt.Sprintf("last-%04d", i))); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	total := func() int {
		n := 0
		for _, rc := range rcs {
			n += rc.distinct()
		}
		return n
	}
	waitFor(t, "5,000 deliveries", 90*time.Second, func() bool { return total() == 5000 })
	for i, rc := range rcs {
		if rc.bad.Load() != 0 {
			t.Errorf("receiver %d: %d bad deliveries", i, rc.bad.Load())
		}
	}
}

func TestSignature(t *testing.T) {
	body := []byte(`{"id":"x"}`)
	now := time.Unix(1_700_000_000, 0)
	h := webhooks.Sign("whsec_test_secret_123", now.Unix(), body)
	if err := webhooks.Verify("whsec_test_secret_123", h, body, time.Minute, now); err != nil {
		t.Fatal(err)
	}
	for name, check := range map[string]error{
		"other secret": webhooks.Verify("whsec_other_secret_12", h, body, time.Minute, now),
		"other body":   webhooks.Verify("whsec_test_secret_123", h, []byte(`{"id":"y"}`), time.Minute, now),
		"too late":     webhooks.Verify("whsec_test_secret_123", h, body, time.Minute, now.Add(time.Hour)),
		"malformed":    webhooks.Verify("whsec_test_secret_123", "v1=abc", body, time.Minute, now),
	} {
		if check == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestEndpointValidation(t *testing.T) {
	e := newEnv(t, webhooks.Options{AllowPrivate: true})
	for _, c := range []struct {
		url    string
		events []string
		secret string
	}{
		{"ftp://example.org", []string{"*"}, ""},
		{"http://127.0.0.1:1/x", nil, ""},
		{"http://127.0.0.1:1/x", []string{"activity.exploded"}, ""},
		{"http://127.0.0.1:1/x", []string{"*"}, "short"},
	} {
		if _, err := e.hooks.Add(e.admin, c.url, c.events, c.secret, ""); content.ErrorCode(err) != content.EINVALID {
			t.Errorf("%+v: %v", c, err)
		}
	}
	if _, err := e.hooks.Add(e.editor, "http://127.0.0.1:1/x", []string{"*"}, "", ""); content.ErrorCode(err) != content.EFORBIDDEN {
		t.Errorf("an editor added an endpoint: %v", err)
	}
}
