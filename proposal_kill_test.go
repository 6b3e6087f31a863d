package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"estafette/content"
	"estafette/internal/collections"
	"estafette/mail"
	"estafette/mail/mailtest"
	"estafette/sqlite"
)

// TestProposalMailSurvivesKill: an approval committed while its mail
// could not be sent (the server ran without SMTP_URL) and a server killed
// with SIGKILL right after it: started again on the same store with a
// mail server, it delivers the approval mail exactly once, in one
// attempt.
func TestProposalMailSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	smtp := mailtest.Start(t)
	base := []string{"DATA_DIR=" + dir, "RATE_LIMIT=off"}
	withMail := append(append([]string(nil), base...), "SMTP_URL="+smtp.URL(), "MAIL_FROM=Estafette <noreply@estafette.example>")
	runCmd := func(args ...string) string {
		c := exec.Command(bin, args...)
		c.Env = append(os.Environ(), base...)
		out, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	runCmd("seed")
	keyOut := strings.Split(strings.TrimSpace(runCmd("keys", "create", "--role", "editor", "--name", "redactie")), "\n")
	key := keyOut[len(keyOut)-1]

	// gql posts a query (anonymous when key is "") and returns the
	// response's body, decoded into out when out is not nil.
	gql := func(addr, key, query string, vars map[string]any, out any) []byte {
		t.Helper()
		b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/query", strings.NewReader(string(b)))
		req.Header.Set("Content-Type", "application/json")
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if out != nil {
			if err := json.Unmarshal(body, out); err != nil {
				t.Fatalf("%s: %v", body, err)
			}
		}
		return body
	}
	// stop ends the server with sig and waits for it.
	stop := func(c *exec.Cmd, sig syscall.Signal) {
		t.Helper()
		if err := c.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		_ = c.Wait()
	}

	// 1. With a mail server: open edition 2023 for proposals, propose an
	// activity, receive the confirmation mail and confirm.
	srv, addr := startBinary(t, bin, withMail...)
	var ed struct {
		Data struct {
			Edition struct {
				ID      string
				Version int
				Legs    []struct {
					StartsOn string
					Region   struct{ Slug string }
				}
			}
		}
	}
	gql(addr, key, `{ edition(year: 2023) { id version legs { startsOn region { slug } } } }`, nil, &ed)
	e := ed.Data.Edition
	if e.ID == "" || len(e.Legs) == 0 {
		t.Fatalf("edition 2023: %+v", e)
	}
	now := time.Now().UTC()
	if body := gql(addr, key, `mutation($id: ID!, $v: Int!, $from: DateTime!, $until: DateTime!) {
		updateEdition(id: $id, expectedVersion: $v, input: {submissionsOpenFrom: $from, submissionsOpenUntil: $until}) { edition { version } } }`,
		map[string]any{"id": e.ID, "v": e.Version, "from": now.Add(-time.Hour).Format(time.RFC3339), "until": now.Add(24 * time.Hour).Format(time.RFC3339)}, nil); strings.Contains(string(body), `"errors"`) {
		t.Fatalf("opening the edition: %s", body)
	}
	var tok struct {
		Data struct{ ProposalFormToken string }
	}
	gql(addr, "", `{ proposalFormToken }`, nil, &tok)
	const contact = "organisator@voorbeeld.nl"
	input := map[string]any{
		"activity": map[string]any{"edition": 2023, "region": e.Legs[0].Region.Slug, "title": map[string]any{"nl": "Zorg op afstand, samen geoefend"},
			"date": e.Legs[0].StartsOn, "startTime": "10:00", "endTime": "12:00", "mode": "ONLINE", "organisation": "Zorggroep Proef"},
		"contact": map[string]any{"name": "Petra Proef", "email": contact}, "consent": true, "formToken": tok.Data.ProposalFormToken}
	var proposed struct {
		Data   struct{ ProposeActivity struct{ ID string } }
		Errors []struct{ Message string }
	}
	// The form token refuses a proposal within 3 seconds of being
	// issued: send it until that time has passed.
	waitFor(t, 15*time.Second, "accepted proposal", func() bool {
		proposed.Errors = nil
		gql(addr, "", `mutation($in: ProposeActivityInput!) { proposeActivity(input: $in) { id } }`, map[string]any{"in": input}, &proposed)
		if len(proposed.Errors) > 0 && !strings.Contains(proposed.Errors[0].Message, "too quickly") {
			t.Fatalf("proposal: %+v", proposed.Errors)
		}
		return proposed.Data.ProposeActivity.ID != ""
	})
	id := proposed.Data.ProposeActivity.ID
	got := smtp.Wait(1, 30*time.Second)
	token := regexp.MustCompile(`/aanmelden/([A-Za-z0-9_-]{43})`).FindStringSubmatch(got[0].Body)
	if token == nil {
		t.Fatalf("no link in the confirmation mail: %s", got[0].Body)
	}
	if body := gql(addr, "", `mutation($t: String!) { confirmProposal(token: $t) { state } }`, map[string]any{"t": token[1]}, nil); !strings.Contains(string(body), "PENDING") {
		t.Fatalf("confirm: %s", body)
	}
	// An ordinary stop: the outbox records the confirmation mail as sent
	// first (a kill in the instant after the mail server took it and
	// before that record would send it again, after its claim expires).
	stop(srv, syscall.SIGTERM)

	// 2. Without a mail server: approve, and kill the server at once.
	srv, addr = startBinary(t, bin, base...)
	if body := gql(addr, key, `mutation($id: ID!) { approveProposal(id: $id, publish: true) { state } }`, map[string]any{"id": id}, nil); !strings.Contains(string(body), "APPROVED") {
		t.Fatalf("approve: %s", body)
	}
	stop(srv, syscall.SIGKILL)
	// outbox reads the approval mail from the store of the stopped server
	// (GraphQL names the proposal by a global id, the mail's key by the
	// record's id).
	outbox := func() *mail.Mail {
		t.Helper()
		s, err := sqlite.Open(context.Background(), dir, collections.All())
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		all, err := mail.New(s, nil, mail.Options{}).List(context.Background(), "", content.PageArgs{})
		if err != nil {
			t.Fatal(err)
		}
		var found *mail.Mail
		for _, m := range all.Items {
			if strings.HasPrefix(m.Key, "proposal/") && strings.HasSuffix(m.Key, "/approved") {
				if found != nil {
					t.Fatalf("two approval mails: %s, %s", found.Key, m.Key)
				}
				found = m
			}
		}
		if found == nil {
			t.Fatal("the approval mail is not in the outbox")
		}
		return found
	}
	queued := outbox()
	if queued.State != mail.StatePending || queued.Attempts != 0 || queued.To != contact {
		t.Fatalf("before the restart the approval mail is %s after %d attempts", queued.State, queued.Attempts)
	}

	// 3. With the mail server again: the approval mail arrives once.
	srv, _ = startBinary(t, bin, withMail...)
	approvals := func() int {
		n := 0
		for _, m := range smtp.Messages() {
			if len(m.To) == 1 && m.To[0] == contact && m.MessageID() == queued.MessageID {
				n++
			}
		}
		return n
	}
	waitFor(t, 30*time.Second, "approval mail", func() bool { return approvals() > 0 })
	// Stop the server the ordinary way (the outbox records the attempt
	// before that), then read what the outbox says.
	stop(srv, syscall.SIGTERM)
	if m := outbox(); m.State != mail.StateSent || m.Attempts != 1 {
		t.Errorf("after the restart the approval mail is %s after %d attempts", m.State, m.Attempts)
	}
	if n := approvals(); n != 1 {
		t.Errorf("the approval mail arrived %d times", n)
	}
	if n := len(smtp.Messages()); n != 2 {
		t.Errorf("%d mails, want the confirmation and the approval", n)
	}
}
