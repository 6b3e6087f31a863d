package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"estafette/content"
	"estafette/mail"
	"estafette/mail/mailtest"
)

// TestMailConfig: SMTP_URL with MAIL_FROM, checked at start; errors name
// the variable and never the password.
func TestMailConfig(t *testing.T) {
	c, err := ConfigFromEnv(env())
	if err != nil || c.SMTPURL != "" {
		t.Fatalf("default: %q %v", c.SMTPURL, err)
	}
	c, err = ConfigFromEnv(env("SMTP_URL", "smtp://estafette:geheim@mail.example.nl:587", "MAIL_FROM", "Estafette <noreply@example.nl>"))
	if err != nil || c.SMTPURL == "" || c.MailFrom != "Estafette <noreply@example.nl>" {
		t.Fatalf("%+v %v", c, err)
	}
	for _, bad := range []struct{ name, url, from string }{
		{"MAIL_FROM", "smtp://estafette:geheim@mail.example.nl", ""},
		{"MAIL_FROM", "smtp://estafette:geheim@mail.example.nl", "geen adres"},
		{"SMTP_URL", "https://estafette:geheim@mail.example.nl", "noreply@example.nl"},
		{"SMTP_URL", "smtp://estafette:geheim@mail.example.nl?tls=sometimes", "noreply@example.nl"},
		{"SMTP_URL", "smtp://estafette:geheim@mail.example.nl:port", "noreply@example.nl"},
	} {
		_, err := ConfigFromEnv(env("SMTP_URL", bad.url, "MAIL_FROM", bad.from))
		if err == nil {
			t.Errorf("%s / %s accepted", bad.url, bad.from)
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(msg, bad.name) || strings.Contains(msg, "geheim") || strings.Contains(msg, "\n") {
			t.Errorf("%s / %s: %q", bad.url, bad.from, msg)
		}
	}
}

// TestAppSendsMail: the App's outbox runs with its loops and sends
// through SMTP_URL; without it, a mail stays pending.
func TestAppSendsMail(t *testing.T) {
	srv := mailtest.Start(t)
	cfg := DefaultConfig()
	cfg.DataDir, cfg.NoSeed = t.TempDir(), true
	cfg.SMTPURL, cfg.MailFrom = srv.URL(), "Estafette <noreply@estafette.example>"
	a := New(cfg)
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if !a.Mail().Sends() {
		t.Fatal("the outbox has no sender")
	}
	if err := a.Mail().Send(context.Background(), mail.Message{To: "noor@example.nl", Subject: "Welkom", Text: "Hallo Noor.", Key: "app/1"}); err != nil {
		t.Fatal(err)
	}
	if got := srv.Wait(1, 10*time.Second); got[0].Subject != "Welkom" || got[0].From != "noreply@estafette.example" {
		t.Errorf("received %+v", got[0])
	}

	cfg.DataDir, cfg.SMTPURL = t.TempDir(), ""
	b := New(cfg)
	if err := b.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Mail().Send(context.Background(), mail.Message{To: "noor@example.nl", Subject: "Welkom", Text: "Hallo Noor.", Key: "app/2"}); err != nil {
		t.Fatal(err)
	}
	p, err := b.Mail().List(context.Background(), mail.StatePending, mailPage(10))
	if err != nil || len(p.Items) != 1 || p.Items[0].Key != "app/2" {
		t.Fatalf("held: %v %v", p, err)
	}
}

func mailPage(n int) content.PageArgs { return content.PageArgs{First: &n} }
