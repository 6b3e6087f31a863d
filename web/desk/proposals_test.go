package desk_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"estafette/content"
	"estafette/internal/collections"
	"estafette/sqlite"
	"estafette/submissions"
	"estafette/submissions/submissionstest"
	"estafette/web"
	"estafette/web/desk"
	"estafette/web/gqlhttp"
)

// TestProposalsQueue: editors see the confirmed proposals with their
// contact and approve one; readers may not see the queue.
func TestProposalsQueue(t *testing.T) {
	s, err := sqlite.Open(context.Background(), t.TempDir(), collections.All())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	se := submissionstest.NewEnv(t, s, 2090, submissions.Options{})
	ctx := context.Background()
	if _, err := se.S.Propose(ctx, se.F.Input("wacht@example.nl"), se.Form("192.0.2.1")); err != nil {
		t.Fatal(err)
	}
	p, err := se.S.Propose(ctx, se.F.Input("bevestigd@example.nl"), se.Form("192.0.2.2"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := se.S.Confirm(ctx, se.Mails.Token(t, "bevestigd@example.nl")); err != nil {
		t.Fatal(err)
	}
	dk := desk.New(se.Cat, desk.Options{Proposals: se.S})
	e := &env{cat: se.Cat, handler: web.New(web.Deps{Catalog: se.Cat, Options: gqlhttp.Options{}, Desk: testSignIn(dk)})}
	if rec := e.as(t, "Lezer", "reader").get("/desk/proposals"); rec.Code != http.StatusForbidden {
		t.Fatalf("reader: %d", rec.Code)
	}
	rec := e.as(t, "Redacteur", "editor").get("/desk/proposals")
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, "bevestigd@example.nl") || strings.Contains(body, "wacht@example.nl") {
		t.Fatalf("queue: %d %s", rec.Code, body)
	}
	rec = e.as(t, "Redacteur", "editor").post("/desk/proposals/"+p.ID+"/approve", url.Values{"publish": {"yes"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", rec.Code, rec.Body)
	}
	got, err := se.S.Get(submissionstest.Editor(), p.ID)
	if err != nil || got.State != submissions.StateApproved || got.DecidedBy != "Redacteur" {
		t.Fatalf("after approval: %+v %v", got, err)
	}
	if a, _ := content.GetOne[content.Activity](ctx, se.Cat, p.ID); a == nil {
		t.Fatal("the approved activity is not public")
	}
}
