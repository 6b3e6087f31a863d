package graph_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"estafette/content"
	"estafette/events"
	"estafette/internal/apitest"
	"estafette/webhooks"
)

// syncBuffer is a log destination the test reads while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

const proposeMutation = `mutation($in: ProposeActivityInput!) { proposeActivity(input: $in) { id state contact { email } } }`

// TestProposalPrivacy: a proposal goes from the public through the mailed
// link to an editor's approval over GraphQL; afterwards no anonymous
// surface (GraphQL, exports, calendar feeds, embeds, change events and
// webhook deliveries, logs) holds the contact's email address, which
// editors still read.
func TestProposalPrivacy(t *testing.T) {
	logs := &syncBuffer{}
	received := &syncBuffer{}
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		received.Write(append(b, '\n'))
	}))
	defer hook.Close()
	env := apitest.New(t, apitest.Options{Webhooks: webhooks.Options{AllowPrivate: true, Poll: 50 * time.Millisecond},
		Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	editor := env.Key(t, "Redactie", content.RoleEditor)
	admin := env.Key(t, "Beheer", content.RoleAdmin)
	const email = "privé.persoon@voorbeeld.nl"
	const lower = "privé.persoon@voorbeeld.nl"

	// The 2023 edition takes proposals now.
	ctx := content.WithViewer(context.Background(), content.Viewer{Actor: "test", Role: content.RoleEditor, Drafts: true})
	e, err := content.BySlug[content.Edition](ctx, env.Catalog, "2023")
	if err != nil || e == nil {
		t.Fatalf("edition 2023: %v %v", e, err)
	}
	from, until := time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	if _, err := content.Update(ctx, env.Catalog, e.ID, e.Version, func(x *content.Edition) error {
		x.SubmissionsOpenFrom, x.SubmissionsOpenUntil = &from, &until
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	leg := e.Legs[0]
	region, err := content.GetOne[content.Region](ctx, env.Catalog, leg.RegionID)
	if err != nil || region == nil || len(region.Provinces) == 0 {
		t.Fatalf("region of the first leg: %v %v", region, err)
	}
	r := env.Query(t, `mutation($u: String!) { createWebhookEndpoint(url: $u, events: ["proposal.*", "activity.*"]) { secret } }`, map[string]any{"u": hook.URL}, admin...)
	if len(r.Errors) > 0 {
		t.Fatalf("webhook endpoint: %s", r.Raw)
	}

	// The public proposes: the form's token first.
	var tok struct{ ProposalFormToken string }
	env.Query(t, `{ proposalFormToken }`, nil).Decode(t, &tok)
	in := map[string]any{
		"activity": map[string]any{
			"edition": 2023, "region": region.Slug, "title": map[string]any{"nl": "Samen zorgtechnologie proberen"},
			"date": leg.StartsOn.String(), "startTime": "10:00", "endTime": "12:00", "mode": "ONSITE",
			"city": "Ergens", "province": region.Provinces[0].Slug, "organisation": "Buurtzorg Proef",
			"registrationUrl": "https://example.org/inschrijven",
		},
		"contact":   map[string]any{"name": "Pieter Privé", "email": email, "phone": "06 12345678"},
		"consent":   true,
		"formToken": tok.ProposalFormToken,
	}
	// Sent at once, the form is refused (minimum fill time) and nothing is stored.
	r = env.Query(t, proposeMutation, map[string]any{"in": in})
	if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "formToken" {
		t.Fatalf("a form sent at once: %s", r.Raw)
	}
	// A honeypot filled in is refused.
	bot := map[string]any{}
	for k, v := range in {
		bot[k] = v
	}
	bot["website"] = "https://spam.example"
	if r := env.Query(t, proposeMutation, map[string]any{"in": bot}); r.Code() != "BAD_USER_INPUT" {
		t.Fatalf("honeypot: %s", r.Raw)
	}
	// Wait until the minimum fill time has passed.
	var proposed struct {
		ProposeActivity struct {
			ID, State string
			Contact   *struct{ Email string }
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		r = env.Query(t, proposeMutation, map[string]any{"in": in})
		if len(r.Errors) == 0 || time.Now().After(deadline) || r.Errors[0].Extensions["field"] != "formToken" {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	r.Decode(t, &proposed)
	if proposed.ProposeActivity.State != "UNCONFIRMED" || proposed.ProposeActivity.Contact != nil {
		t.Fatalf("proposed: %s", r.Raw)
	}
	// A bad province is refused naming the field.
	bad := map[string]any{}
	for k, v := range in {
		bad[k] = v
	}
	badAct := map[string]any{}
	for k, v := range in["activity"].(map[string]any) {
		badAct[k] = v
	}
	badAct["registrationUrl"] = "javascript:alert(1)"
	bad["activity"] = badAct
	if r := env.Query(t, proposeMutation, map[string]any{"in": bad}); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "registrationUrl" {
		t.Fatalf("a javascript: link: %s", r.Raw)
	}

	// The confirmation mail holds the link.
	page, err := env.App.Mail().List(context.Background(), "", content.PageArgs{})
	if err != nil {
		t.Fatal(err)
	}
	var token string
	for _, m := range page.Items {
		if m.To == lower {
			if g := regexp.MustCompile(`/aanmelden/([A-Za-z0-9_-]{43})`).FindStringSubmatch(m.Text); g != nil {
				token = g[1]
			}
		}
	}
	if token == "" {
		t.Fatalf("no confirmation mail to %s among %d mails", lower, len(page.Items))
	}
	// Editors see nothing of it before it is confirmed; anonymous callers never see the queue.
	if r := env.Query(t, `{ proposals { nodes { id } } }`, nil); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("anonymous queue: %s", r.Raw)
	}
	queue := `{ proposals(filter: {state: PENDING}) { nodes { id title contact { email phone } } } }`
	if r := env.Query(t, queue, nil, editor...); strings.Contains(string(r.Raw), proposed.ProposeActivity.ID) {
		t.Fatalf("unconfirmed in the queue: %s", r.Raw)
	}
	r = env.Query(t, `mutation($t: String!) { confirmProposal(token: $t) { state contact { email } } }`, map[string]any{"t": token})
	if !strings.Contains(string(r.Raw), `"state":"PENDING"`) || !strings.Contains(string(r.Raw), lower) {
		t.Fatalf("confirm: %s", r.Raw)
	}
	r = env.Query(t, queue, nil, editor...)
	if !strings.Contains(string(r.Raw), proposed.ProposeActivity.ID) || !strings.Contains(string(r.Raw), lower) {
		t.Fatalf("the editor's queue lacks the proposal or its contact: %s", r.Raw)
	}
	var approved struct {
		ApproveProposal struct {
			State    string
			Activity struct{ ID, Slug string }
		}
	}
	r = env.Query(t, `mutation($id: ID!) { approveProposal(id: $id, publish: true) { state activity { id slug } } }`,
		map[string]any{"id": proposed.ProposeActivity.ID}, editor...)
	r.Decode(t, &approved)
	if approved.ApproveProposal.State != "APPROVED" || approved.ApproveProposal.Activity.Slug == "" {
		t.Fatalf("approve: %s", r.Raw)
	}

	// Every anonymous surface, after the approval.
	slug := approved.ApproveProposal.Activity.Slug
	surfaces := map[string]string{}
	r = env.Query(t, `query($s: String!) { activity(slug: $s) { id slug title summary registrationUrl organizers { name } venue { name city } sources { title url } } }`, map[string]any{"s": slug})
	if !strings.Contains(string(r.Raw), "Samen zorgtechnologie proberen") {
		t.Fatalf("the activity is not public: %s", r.Raw)
	}
	surfaces["GraphQL activity"] = string(r.Raw)
	r = env.Query(t, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": proposed.ProposeActivity.ID})
	surfaces["GraphQL node"] = string(r.Raw)
	for _, path := range []string{"/export/activities.json?edition=2023", "/export/activities.csv?edition=2023", "/export/activities.ndjson?edition=2023",
		"/calendar/2023.ics", "/calendar/2023/" + region.Slug + ".ics", "/embed/editions/2023", "/insights?edition=2023"} {
		resp := env.Do(t, http.MethodGet, path, nil)
		if resp.Status != http.StatusOK {
			t.Fatalf("%s: %d", path, resp.Status)
		}
		surfaces[path] = string(resp.Raw)
	}
	if !strings.Contains(surfaces["/calendar/2023.ics"], "Samen zorgtechnologie proberen") {
		t.Fatal("the approved activity is not in the edition's calendar feed")
	}
	for _, kind := range []content.Kind{events.Kind, webhooks.KindDelivery, content.KindAudit} {
		docs, err := env.App.Catalog().Store().Find(context.Background(), content.Query{Kind: kind, Sort: []content.SortKey{{Field: "id"}}})
		if err != nil {
			t.Fatal(err)
		}
		var all strings.Builder
		for _, d := range docs {
			all.Write(d.Body)
		}
		surfaces["store "+string(kind)] = all.String()
		if kind == webhooks.KindDelivery && !strings.Contains(all.String(), "proposal.approved") {
			t.Fatalf("no webhook delivery of proposal.approved among %d", len(docs))
		}
	}
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(received.String(), "proposal.approved"); {
		if time.Now().After(deadline) {
			t.Fatalf("the webhook never received proposal.approved: %s", received.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	surfaces["webhook payloads"] = received.String()
	surfaces["logs"] = logs.String()
	for name, body := range surfaces {
		for _, secret := range []string{lower, "Pieter Privé", "12345678"} {
			if strings.Contains(body, secret) {
				t.Errorf("%s contains %q", name, secret)
			}
		}
	}
	// Through the link, the organiser still sees their contact; editors too.
	r = env.Query(t, `query($t: String!) { proposalByToken(token: $t) { state contact { email } } }`, map[string]any{"t": token})
	if !strings.Contains(string(r.Raw), lower) || !strings.Contains(string(r.Raw), "APPROVED") {
		t.Fatalf("by token: %s", r.Raw)
	}
}
