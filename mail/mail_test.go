package mail_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"estafette/content"
	"estafette/mail"
	"estafette/mail/mailtest"
	"estafette/mail/outboxtest"
	"estafette/sqlite"
)

func colls() []content.Collection { return slices.Concat(content.Collections, mail.Collections) }

func open(t *testing.T, dir string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), dir, colls())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestConformance runs the store suite of the outbox on SQLite.
func TestConformance(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	outboxtest.Run(t, s)
}

// TestCrash: a decision and its mail are committed, and the program stops
// before its loop sends anything; the next start delivers the mail once.
func TestCrash(t *testing.T) {
	dir := t.TempDir()
	srv := mailtest.Start(t)
	s := open(t, dir)
	w, err := mail.Enqueue(mail.Message{To: "jan.crash@example.nl", Subject: "Goedgekeurd",
		Text: "Je activiteit staat in de agenda.", Key: "crash/1"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	decision := content.Write{Doc: content.Doc{Kind: content.KindTheme, ID: "th-crash",
		Body:   []byte(`{"id":"th-crash","version":1}`),
		Fields: content.Fields{"version": {content.VersionKey(1)}}}}
	if err := s.Apply(context.Background(), decision, w); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("%d mails before the restart", n)
	}

	s = open(t, dir)
	defer s.Close()
	sender, err := mail.NewSMTP(srv.URL(), "noreply@estafette.example")
	if err != nil {
		t.Fatal(err)
	}
	o := mail.New(s, sender, mail.Options{Poll: 20 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); o.Run(ctx) }()
	defer func() { cancel(); <-done }()
	got := srv.Wait(1, 10*time.Second)
	if got[0].Subject != "Goedgekeurd" {
		t.Errorf("subject %q", got[0].Subject)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		m, err := o.Get(context.Background(), mail.ID("crash/1"))
		if err != nil {
			t.Fatal(err)
		}
		if m.State == mail.StateSent {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("mail still %s", m.State)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d mails received, want 1", n)
	}
}

// TestValidate: bad messages are refused with the field, and nothing is
// written.
func TestValidate(t *testing.T) {
	good := mail.Message{To: "kim@example.nl", Subject: "Onderwerp", Text: "Tekst", Key: "k"}
	cases := map[string]func(m *mail.Message){
		"to":       func(m *mail.Message) { m.To = "" },
		"to ":      func(m *mail.Message) { m.To = "geen adres" },
		"to  ":     func(m *mail.Message) { m.To = "Kim <kim@example.nl>" },
		"to   ":    func(m *mail.Message) { m.To = "kim@localhost" },
		"to    ":   func(m *mail.Message) { m.To = "a@b.nl, c@d.nl" },
		"to     ":  func(m *mail.Message) { m.To = strings.Repeat("a", 250) + "@example.nl" },
		"subject":  func(m *mail.Message) { m.Subject = " " },
		"subject ": func(m *mail.Message) { m.Subject = "twee\nregels" },
		"subject2": func(m *mail.Message) { m.Subject = strings.Repeat("é", mail.MaxSubject+1) },
		"text":     func(m *mail.Message) { m.Text = "" },
		"text ":    func(m *mail.Message) { m.Text = strings.Repeat("x", mail.MaxText+1) },
		"key":      func(m *mail.Message) { m.Key = "" },
		"key ":     func(m *mail.Message) { m.Key = strings.Repeat("k", mail.MaxKey+1) },
	}
	for name, change := range cases {
		m := good
		change(&m)
		_, err := mail.Enqueue(m, time.Now())
		var ce *content.Error
		if err == nil || content.ErrorCode(err) != content.EINVALID {
			t.Errorf("%s: %v, want invalid", name, err)
			continue
		}
		if e, ok := err.(*content.Error); ok {
			ce = e
		}
		if want := strings.TrimRight(strings.TrimRight(name, " "), "2"); ce == nil || ce.Field != want {
			t.Errorf("%s: field %v", name, err)
		}
	}
	w, err := mail.Enqueue(good, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if w.Doc.Kind != mail.Kind || w.Doc.ID != mail.ID("k") || w.Expect != "" {
		t.Errorf("write %+v", w)
	}
	for _, vs := range w.Doc.Fields {
		for _, v := range vs {
			if strings.Contains(v, "kim") {
				t.Errorf("an index holds the address: %q", v)
			}
		}
	}
	if mail.ID("k") == mail.ID("k2") || mail.ID("k") != mail.ID("k") {
		t.Error("ids do not follow keys")
	}
}

// TestNewSMTP: the URL forms and their refusals.
func TestNewSMTP(t *testing.T) {
	for _, u := range []string{"smtp://user:pass@mail.example.nl:587", "smtp://mail.example.nl", "smtp://mail.example.nl:25?tls=opportunistic",
		"smtp://127.0.0.1:2525?tls=none", "smtps://user:pass@mail.example.nl", "smtps://mail.example.nl:465"} {
		if _, err := mail.NewSMTP(u, "Estafette <noreply@example.nl>"); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	for _, u := range []string{"", "http://mail.example.nl", "smtp://", "smtp://mail.example.nl:0", "smtp://mail.example.nl:99999",
		"smtp://mail.example.nl?tls=maybe", "::"} {
		if _, err := mail.NewSMTP(u, "noreply@example.nl"); err == nil {
			t.Errorf("%q was accepted", u)
		} else if strings.Contains(err.Error(), "pass") {
			t.Errorf("%q: the error shows the password: %v", u, err)
		}
	}
	if _, err := mail.NewSMTP("smtp://mail.example.nl", "geen adres"); err == nil {
		t.Error("a bad MAIL_FROM was accepted")
	}
}

// TestAuth: with credentials in the URL the client authenticates; with
// wrong ones the server refuses and the mail stays pending.
func TestAuth(t *testing.T) {
	srv := mailtest.Start(t)
	srv.RequireAuth("estafette", "geheim wachtwoord")
	sender, err := mail.NewSMTP(srv.URL(), "noreply@estafette.example")
	if err != nil {
		t.Fatal(err)
	}
	m := mail.Message{To: "lot@example.nl", Subject: "Met wachtwoord", Text: "Aangemeld.", Key: "auth/1"}
	if err := sender.Send(context.Background(), "auth-1@estafette.mail", m); err != nil {
		t.Fatal(err)
	}
	if got := srv.Wait(1, 5*time.Second); got[0].MessageID() != "auth-1@estafette.mail" {
		t.Errorf("Message-ID %q", got[0].MessageID())
	}
	bad, err := mail.NewSMTP(strings.Replace(srv.URL(), "geheim", "fout", 1), "noreply@estafette.example")
	if err != nil {
		t.Fatal(err)
	}
	if err := bad.Send(context.Background(), "auth-2@estafette.mail", m); err == nil {
		t.Error("a wrong password was accepted")
	} else if mail.IsPermanent(err) {
		t.Errorf("a wrong password fails mails for good: %v", err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d mails", n)
	}
}

// leaky is a sender whose errors name the recipient, as mail servers do.
type leaky struct{}

func (leaky) Send(_ context.Context, _ string, m mail.Message) error {
	return errors.New("550 5.1.1 <" + m.To + ">: no such user")
}

// TestLogsNoPersonalData: what the outbox logs names mails by id and
// state, never by address, subject or text, also when a server's answer
// names the recipient.
func TestLogsNoPersonalData(t *testing.T) {
	var buf syncBuffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer slog.SetDefault(prev)

	s := open(t, t.TempDir())
	defer s.Close()
	srv := mailtest.Start(t)
	sender, err := mail.NewSMTP(srv.URL(), "noreply@estafette.example")
	if err != nil {
		t.Fatal(err)
	}
	opts := mail.Options{Poll: 10 * time.Millisecond, BaseBackoff: 10 * time.Millisecond, MaxAttempts: 2}
	for _, c := range []struct {
		sender mail.Sender
		key    string
	}{{sender, "log/sent"}, {leaky{}, "log/failed"}} {
		o := mail.New(s, c.sender, opts)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); o.Run(ctx) }()
		if err := o.Send(ctx, mail.Message{To: "geheim.adres@example.nl", Subject: "Vertrouwelijk onderwerp",
			Text: "Vertrouwelijke tekst.", Key: c.key}); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			m, err := o.Get(context.Background(), mail.ID(c.key))
			if err != nil {
				t.Fatal(err)
			}
			if m.State != mail.StatePending {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s still pending", c.key)
			}
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
		<-done
	}
	out := buf.String()
	if !strings.Contains(out, mail.ID("log/sent")) || !strings.Contains(out, mail.ID("log/failed")) {
		t.Fatalf("the log does not name the mails: %s", out)
	}
	for _, secret := range []string{"geheim.adres", "Vertrouwelijk", "no such user"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %q: %s", secret, out)
		}
	}
}

// syncBuffer is a bytes.Buffer for several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestRefusals: a recipient the server refuses for good (5xx) is a
// permanent failure; for now (4xx), one to try again.
func TestRefusals(t *testing.T) {
	srv := mailtest.Start(t)
	srv.Reject("weg@example.nl", 550)
	srv.Reject("later@example.nl", 450)
	sender, err := mail.NewSMTP(srv.URL(), "noreply@estafette.example")
	if err != nil {
		t.Fatal(err)
	}
	send := func(to string) error {
		return sender.Send(context.Background(), "r@estafette.mail", mail.Message{To: to, Subject: "S", Text: "T", Key: to})
	}
	if err := send("weg@example.nl"); err == nil || !mail.IsPermanent(err) {
		t.Errorf("550: %v, want a permanent failure", err)
	}
	if err := send("later@example.nl"); err == nil || mail.IsPermanent(err) {
		t.Errorf("450: %v, want a failure for now", err)
	}
	if err := send("wel@example.nl"); err != nil {
		t.Errorf("an accepted recipient: %v", err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d mails received, want 1", n)
	}
}
