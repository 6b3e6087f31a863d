package apitest

import (
	"context"
	"testing"
	"time"

	"estafette/mail"
	"estafette/mail/mailtest"
)

// TestMail: with SMTPURL the program's outbox sends to the test's SMTP
// server, from the default sender.
func TestMail(t *testing.T) {
	srv := mailtest.Start(t)
	e := New(t, Options{SMTPURL: srv.URL(), Mail: mail.Options{Poll: 20 * time.Millisecond}})
	if err := e.App.Mail().Send(context.Background(), mail.Message{To: "sanne@example.nl", Subject: "Proef", Text: "Een proefmail.", Key: "apitest/1"}); err != nil {
		t.Fatal(err)
	}
	if got := srv.Wait(1, 10*time.Second); got[0].From != "noreply@estafette.example" || got[0].Subject != "Proef" {
		t.Errorf("received %+v", got[0])
	}
}
