// Package outboxtest holds the tests of the mail outbox that every store
// must pass: the mail tests run them on SQLite, the MongoDB tests on a
// server. Mails go through a real SMTP client to an SMTP server started
// inside the test (package mailtest).
package outboxtest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"estafette/content"
	"estafette/mail"
	"estafette/mail/mailtest"
)

// Run runs every test of the suite on store, which must hold the outbox
// collection (mail.Collections) and the audit log. Each test uses keys and
// addresses of its own and leaves no pending mail behind.
func Run(t *testing.T, store content.Store) {
	t.Run("Deliver", func(t *testing.T) { deliver(t, store) })
	t.Run("SameKeyOnce", func(t *testing.T) { sameKeyOnce(t, store) })
	t.Run("AtomicWithDecision", func(t *testing.T) { atomicWithDecision(t, store) })
	t.Run("RetryUntilServerBack", func(t *testing.T) { retryUntilServerBack(t, store) })
	t.Run("FailedAfterAttempts", func(t *testing.T) { failedAfterAttempts(t, store) })
	t.Run("HeldWithoutSender", func(t *testing.T) { heldWithoutSender(t, store) })
	t.Run("TwoReplicasOnce", func(t *testing.T) { twoReplicasOnce(t, store) })
	t.Run("EraseTo", func(t *testing.T) { eraseTo(t, store) })
	t.Run("Purge", func(t *testing.T) { purge(t, store) })
}

// fast are options for tests: short waits, real time.
var fast = mail.Options{BaseBackoff: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond,
	Poll: 20 * time.Millisecond, Timeout: 5 * time.Second}

const from = "Estafette <noreply@estafette.example>"

func smtpSender(t *testing.T, srv *mailtest.Server) mail.Sender {
	t.Helper()
	s, err := mail.NewSMTP(srv.URL(), from)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// run starts o's loop until the test ends, or until the returned stop
// is called; stop returns once the loop has.
func run(t *testing.T, o *mail.Outbox) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); o.Run(ctx) }()
	stop = func() { cancel(); <-done }
	t.Cleanup(stop)
	return stop
}

// eventually waits for cond, failing the test after 10 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still not %s after 10s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func state(t *testing.T, o *mail.Outbox, key string) *mail.Mail {
	t.Helper()
	m, err := o.Get(context.Background(), mail.ID(key))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// deliver: a mail goes out once with its subject, UTF-8 text, sender,
// recipient and a Message-ID derived from its id, and is marked sent.
func deliver(t *testing.T, store content.Store) {
	srv := mailtest.Start(t)
	o := mail.New(store, smtpSender(t, srv), fast)
	run(t, o)
	m := mail.Message{To: "anna.deliver@example.nl", Subject: "Bevestig je aanmelding — één klik",
		Text: "Hallo Anna,\n\nKlik op de link om je activiteit te bevestigen: https://example.nl/b/123\n\nGroet, de Estafette", Key: "deliver/1"}
	if err := o.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := srv.Wait(1, 10*time.Second)
	r := got[0]
	if r.Subject != m.Subject || strings.TrimRight(r.Body, "\n") != m.Text {
		t.Errorf("received %q / %q", r.Subject, r.Body)
	}
	if len(r.To) != 1 || r.To[0] != m.To || r.From != "noreply@estafette.example" {
		t.Errorf("envelope from %q to %v", r.From, r.To)
	}
	if want := mail.MessageID(mail.ID(m.Key)); r.MessageID() != want {
		t.Errorf("Message-ID %q, want %q", r.MessageID(), want)
	}
	if !strings.Contains(strings.ToLower(r.Header.Get("Content-Type")), "utf-8") {
		t.Errorf("Content-Type %q", r.Header.Get("Content-Type"))
	}
	eventually(t, "sent", func() bool { return state(t, o, m.Key).State == mail.StateSent })
	if s := state(t, o, m.Key); s.Attempts != 1 || s.SentAt == nil {
		t.Errorf("after delivery: %+v", s)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d mails received, want 1", n)
	}
}

// sameKeyOnce: the same Key twice is one mail; Enqueue's write of an
// existing Key is refused without writing anything.
func sameKeyOnce(t *testing.T, store content.Store) {
	srv := mailtest.Start(t)
	o := mail.New(store, smtpSender(t, srv), fast)
	m := mail.Message{To: "bert.once@example.nl", Subject: "Eén keer", Text: "Deze mail komt één keer.", Key: "once/1"}
	for i := 0; i < 2; i++ {
		if err := o.Send(context.Background(), m); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	w, err := mail.Enqueue(m, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Apply(context.Background(), w); content.ErrorCode(err) != content.ECONFLICT {
		t.Errorf("applying a second enqueue of one key: %v, want a conflict", err)
	}
	if ok, err := o.Queued(context.Background(), m.Key); err != nil || !ok {
		t.Errorf("Queued: %v %v", ok, err)
	}
	run(t, o)
	srv.Wait(1, 10*time.Second)
	eventually(t, "sent", func() bool { return state(t, o, m.Key).State == mail.StateSent })
	if err := o.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if s := state(t, o, m.Key); s.State != mail.StateSent || s.Attempts != 1 {
		t.Errorf("a sent mail enqueued again changed: %+v", s)
	}
	o.Kick()
	// The loop looks at least once more; the mail is not due.
	eventually(t, "idle", func() bool { n, _ := o.Count(context.Background(), mail.StatePending); return n == 0 })
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d mails received, want 1", n)
	}
}

// atomicWithDecision: a mail written with a change that is refused is not
// written either; with a change that succeeds, it is.
func atomicWithDecision(t *testing.T, store content.Store) {
	o := mail.New(store, nil, fast)
	ctx := context.Background()
	w, err := mail.Enqueue(mail.Message{To: "carla.atomic@example.nl", Subject: "Besluit", Text: "Je voorstel is goedgekeurd.", Key: "atomic/1"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// A decision on a record that moved on: the guarded write fails.
	stale := content.Write{Doc: content.Doc{Kind: mail.Kind, ID: "atomic-missing", Body: []byte(`{}`),
		Fields: content.Fields{"version": {content.VersionKey(2)}}}, Expect: content.VersionKey(1)}
	if err := store.Apply(ctx, w, stale); content.ErrorCode(err) != content.ECONFLICT {
		t.Fatalf("apply with a stale write: %v", err)
	}
	if ok, _ := o.Queued(ctx, "atomic/1"); ok {
		t.Error("the mail of a refused decision was written")
	}
	if err := store.Apply(ctx, w); err != nil {
		t.Fatal(err)
	}
	if ok, _ := o.Queued(ctx, "atomic/1"); !ok {
		t.Error("the mail was not written")
	}
	if _, err := o.EraseTo(ctx, "carla.atomic@example.nl"); err != nil {
		t.Fatal(err)
	}
}

// retryUntilServerBack: with the server down, attempts fail and are
// retried with growing waits; once the server is back, the mail arrives
// once.
func retryUntilServerBack(t *testing.T, store content.Store) {
	srv := mailtest.Start(t)
	sender := smtpSender(t, srv)
	srv.Stop()
	o := mail.New(store, sender, fast)
	run(t, o)
	m := mail.Message{To: "dirk.retry@example.nl", Subject: "Nog eens", Text: "Tweede poging.", Key: "retry/1"}
	if err := o.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	eventually(t, "retried", func() bool { return state(t, o, m.Key).Attempts >= 3 })
	s := state(t, o, m.Key)
	if s.State != mail.StatePending || s.LastError == "" || !s.NextAttemptAt.After(s.CreatedAt) {
		t.Errorf("while the server is down: %+v", s)
	}
	srv.Resume()
	srv.Wait(1, 10*time.Second)
	eventually(t, "sent", func() bool { return state(t, o, m.Key).State == mail.StateSent })
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d mails received, want 1", n)
	}
}

// failing is a sender that always fails, counting its calls: for good
// when the subject says "Onbekend", for now otherwise.
type failing struct {
	mu    sync.Mutex
	calls int
}

func (f *failing) Send(_ context.Context, _ string, m mail.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if m.Subject == "Onbekend" {
		return mail.Permanent(errors.New("550 no such mailbox"))
	}
	return errors.New("451 try again later")
}

// failedAfterAttempts: a mail that never goes through is failed after
// MaxAttempts attempts, and at once when the refusal is permanent; a
// failed mail is not tried again.
func failedAfterAttempts(t *testing.T, store content.Store) {
	ctx := context.Background()
	f := &failing{}
	opts := fast
	opts.MaxAttempts = 3
	o := mail.New(store, f, opts)
	run(t, o)
	if err := o.Send(ctx, mail.Message{To: "eva.failed@example.nl", Subject: "Mislukt", Text: "Deze komt niet aan.", Key: "failed/1"}); err != nil {
		t.Fatal(err)
	}
	if err := o.Send(ctx, mail.Message{To: "eva.failed@example.nl", Subject: "Onbekend", Text: "Bestaat niet.", Key: "failed/2"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "failed", func() bool { return state(t, o, "failed/1").State == mail.StateFailed })
	eventually(t, "failed", func() bool { return state(t, o, "failed/2").State == mail.StateFailed })
	if s := state(t, o, "failed/1"); s.Attempts != 3 || !strings.Contains(s.LastError, "451") {
		t.Errorf("failed mail: %+v", s)
	}
	if s := state(t, o, "failed/2"); s.Attempts != 1 || !strings.Contains(s.LastError, "550") {
		t.Errorf("a permanent refusal: %+v", s)
	}
	// A marker mail behind them: once it is failed too, the loop has
	// looked again, and the failed mails were not tried.
	if err := o.Send(ctx, mail.Message{To: "eva.failed@example.nl", Subject: "Onbekend", Text: "Merkteken.", Key: "failed/3"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "failed", func() bool { return state(t, o, "failed/3").State == mail.StateFailed })
	f.mu.Lock()
	calls := f.calls
	f.mu.Unlock()
	if calls != 3+1+1 {
		t.Errorf("the failing sender was called %d times, want 5", calls)
	}
	if _, err := o.EraseTo(ctx, "eva.failed@example.nl"); err != nil {
		t.Fatal(err)
	}
}

// heldWithoutSender: without a sender, mails stay pending and the desk
// lists them, newest first, a page at a time, by state.
func heldWithoutSender(t *testing.T, store content.Store) {
	ctx := context.Background()
	o := mail.New(store, nil, fast)
	run(t, o)
	base := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	var keys []string
	for i := 0; i < 5; i++ {
		key := fmt.Sprintf("held/%d", i)
		keys = append(keys, key)
		w, err := mail.Enqueue(mail.Message{To: "femke.held@example.nl", Subject: fmt.Sprintf("Bericht %d", i), Text: "Blijft liggen.", Key: key},
			base.Add(time.Duration(i)*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if err := store.Apply(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { _, _ = o.EraseTo(ctx, "femke.held@example.nl") })
	o.Kick()
	var seen []string
	var after *string
	two := 2
	for {
		p, err := o.List(ctx, mail.StatePending, content.PageArgs{First: &two, After: after})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range p.Items {
			if strings.HasPrefix(m.Key, "held/") {
				seen = append(seen, m.Key)
				if m.State != mail.StatePending || m.Attempts != 0 {
					t.Errorf("held mail %+v", m)
				}
			}
		}
		if !p.HasNextPage {
			break
		}
		after = p.EndCursor()
	}
	want := []string{"held/4", "held/3", "held/2", "held/1", "held/0"}
	if strings.Join(seen, ",") != strings.Join(want, ",") {
		t.Errorf("listed %v, want %v", seen, want)
	}
	if p, err := o.List(ctx, mail.StateSent, content.PageArgs{}); err != nil {
		t.Fatal(err)
	} else {
		for _, m := range p.Items {
			if strings.HasPrefix(m.Key, "held/") {
				t.Errorf("held mail %s listed as sent", m.Key)
			}
		}
	}
	if _, err := o.List(ctx, "lost", content.PageArgs{}); content.ErrorCode(err) != content.EINVALID {
		t.Errorf("unknown state: %v", err)
	}
	bad := "nonsense"
	if _, err := o.List(ctx, "", content.PageArgs{After: &bad}); content.ErrorCode(err) != content.EINVALID {
		t.Errorf("bad cursor: %v", err)
	}
	// A sender configured later sends them.
	srv := mailtest.Start(t)
	o2 := mail.New(store, smtpSender(t, srv), fast)
	run(t, o2)
	srv.Wait(5, 10*time.Second)
	for _, k := range keys {
		eventually(t, "sent", func() bool { return state(t, o2, k).State == mail.StateSent })
	}
}

// twoReplicasOnce: two outboxes on one store deliver each mail once.
func twoReplicasOnce(t *testing.T, store content.Store) {
	srv := mailtest.Start(t)
	a := mail.New(store, smtpSender(t, srv), fast)
	b := mail.New(store, smtpSender(t, srv), fast)
	run(t, a)
	run(t, b)
	const n = 20
	for i := 0; i < n; i++ {
		o := a
		if i%2 == 1 {
			o = b
		}
		if err := o.Send(context.Background(), mail.Message{To: fmt.Sprintf("gert%d.replica@example.nl", i),
			Subject: "Replica", Text: "Eén keer, niet twee.", Key: fmt.Sprintf("replica/%d", i)}); err != nil {
			t.Fatal(err)
		}
		a.Kick()
		b.Kick()
	}
	srv.Wait(n, 20*time.Second)
	for i := 0; i < n; i++ {
		k := fmt.Sprintf("replica/%d", i)
		eventually(t, "sent", func() bool { return state(t, a, k).State == mail.StateSent })
		if s := state(t, a, k); s.Attempts != 1 {
			t.Errorf("%s took %d attempts", k, s.Attempts)
		}
	}
	got := srv.Messages()
	ids := map[string]bool{}
	for _, r := range got {
		ids[r.MessageID()] = true
	}
	if len(got) != n || len(ids) != n {
		t.Errorf("%d mails received with %d Message-IDs, want %d", len(got), len(ids), n)
	}
}

// eraseTo: every mail to an address goes, whatever its state and however
// the address is written; mails to others stay.
func eraseTo(t *testing.T, store content.Store) {
	ctx := context.Background()
	o := mail.New(store, nil, fast)
	for i, to := range []string{"hanna.erase@example.nl", "Hanna.Erase@Example.nl", "ivo.erase@example.nl"} {
		if err := o.Send(ctx, mail.Message{To: to, Subject: "Wissen", Text: "Persoonsgegevens.", Key: fmt.Sprintf("erase/%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	n, err := o.EraseTo(ctx, "HANNA.erase@example.nl")
	if err != nil || n != 2 {
		t.Fatalf("EraseTo: %d %v, want 2", n, err)
	}
	for i, want := range []bool{false, false, true} {
		if ok, _ := o.Queued(ctx, fmt.Sprintf("erase/%d", i)); ok != want {
			t.Errorf("erase/%d queued %v, want %v", i, ok, want)
		}
	}
	if n, _ := o.EraseTo(ctx, "ivo.erase@example.nl"); n != 1 {
		t.Errorf("EraseTo ivo: %d", n)
	}
}

// purge: settled mails older than the cutoff go; pending ones and newer
// ones stay.
func purge(t *testing.T, store content.Store) {
	ctx := context.Background()
	old := time.Date(2020, 1, 1, 9, 0, 0, 0, time.UTC)
	f := &failing{}
	srv := mailtest.Start(t)
	o := mail.New(store, smtpSender(t, srv), fast)
	p := mail.New(store, f, fast)
	for i, at := range []time.Time{old, old, time.Now()} {
		w, err := mail.Enqueue(mail.Message{To: "joost.purge@example.nl", Subject: "Oud", Text: "Weg ermee.", Key: fmt.Sprintf("purge/%d", i)}, at)
		if err != nil {
			t.Fatal(err)
		}
		if err := store.Apply(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	stop := run(t, o)
	srv.Wait(3, 10*time.Second)
	for i := 0; i < 3; i++ {
		k := fmt.Sprintf("purge/%d", i)
		eventually(t, "sent", func() bool { return state(t, o, k).State == mail.StateSent })
	}
	stop()
	// A failed old mail, and an old one that is still pending (held).
	w, _ := mail.Enqueue(mail.Message{To: "joost.purge@example.nl", Subject: "Onbekend", Text: "Weg ermee.", Key: "purge/failed"}, old)
	if err := store.Apply(ctx, w); err != nil {
		t.Fatal(err)
	}
	stop = run(t, p)
	eventually(t, "failed", func() bool { return state(t, o, "purge/failed").State == mail.StateFailed })
	stop()
	held := mail.New(store, nil, fast)
	w, _ = mail.Enqueue(mail.Message{To: "joost.purge@example.nl", Subject: "Wacht", Text: "Blijft.", Key: "purge/held"}, old.Add(time.Hour))
	if err := store.Apply(ctx, w); err != nil {
		t.Fatal(err)
	}
	n, err := held.Purge(ctx, old.Add(24*time.Hour))
	if err != nil || n != 3 {
		t.Fatalf("Purge: %d %v, want 3", n, err)
	}
	for k, want := range map[string]bool{"purge/0": false, "purge/1": false, "purge/failed": false, "purge/2": true, "purge/held": true} {
		if ok, _ := held.Queued(ctx, k); ok != want {
			t.Errorf("%s kept %v, want %v", k, ok, want)
		}
	}
	if _, err := held.EraseTo(ctx, "joost.purge@example.nl"); err != nil {
		t.Fatal(err)
	}
}
