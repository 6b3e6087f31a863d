package graph_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"estafette/content"
	"estafette/internal/apitest"
	"estafette/webhooks"
)

// noRedirect is a client that reports redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func getNoFollow(t *testing.T, u string) *http.Response {
	t.Helper()
	res, err := noRedirect.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

// TestRenamedRecapKeepsItsAddresses: a renamed recap is found by its old
// slug in GraphQL, its old embed and oEmbed addresses answer 301 to the
// new ones, a renamed initiative's old calendar too; and its history is
// there to read, compare and restore.
func TestRenamedRecapKeepsItsAddresses(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	editor := env.Key(t, "redactie", content.RoleEditor)
	var list struct {
		Recaps struct {
			Nodes []struct {
				ID, Slug string
				Version  int
			}
		}
		Initiatives struct {
			Nodes []struct {
				ID, Slug string
				Version  int
			}
		}
	}
	env.Query(t, `{ recaps(first: 1) { nodes { id slug version } } initiatives(first: 1) { nodes { id slug version } } }`, nil).Decode(t, &list)
	rc, ini := list.Recaps.Nodes[0], list.Initiatives.Nodes[0]

	r := env.Query(t, `mutation($id: ID!, $v: Int!) { updateRecap(id: $id, expectedVersion: $v, input: {slug: "terugblik-nieuw"}) { version } }`,
		map[string]any{"id": rc.ID, "v": rc.Version}, editor...)
	r.Decode(t, &struct{}{})
	var found struct{ Recap struct{ Slug string } }
	env.Query(t, `query($s: String!) { recap(slug: $s) { slug } }`, map[string]any{"s": rc.Slug}).Decode(t, &found)
	if found.Recap.Slug != "terugblik-nieuw" {
		t.Fatalf("the old slug finds %+v", found)
	}

	res := getNoFollow(t, env.URL+"/embed/recaps/"+rc.Slug+"?theme=dark")
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/embed/recaps/terugblik-nieuw?theme=dark" {
		t.Errorf("old embed: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res := getNoFollow(t, env.URL+"/embed/recaps/terugblik-nieuw"); res.StatusCode != 200 {
		t.Errorf("new embed: %d", res.StatusCode)
	}
	res = getNoFollow(t, env.URL+"/oembed?url="+url.QueryEscape(env.URL+"/embed/recaps/"+rc.Slug))
	loc, _ := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusMovedPermanently || loc == nil || loc.Query().Get("url") != env.URL+"/embed/recaps/terugblik-nieuw" {
		t.Errorf("old oEmbed: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}

	env.Query(t, `mutation($id: ID!, $v: Int!) { updateInitiative(id: $id, expectedVersion: $v, input: {slug: "initiatief-nieuw"}) { version } }`,
		map[string]any{"id": ini.ID, "v": ini.Version}, editor...).Decode(t, &struct{}{})
	res = getNoFollow(t, env.URL+"/calendar/initiatives/"+ini.Slug+".ics")
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/calendar/initiatives/initiatief-nieuw.ics" {
		t.Errorf("old calendar: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}

	// The history of the recap.
	var hist struct {
		Revisions struct {
			TotalCount int
			Nodes      []struct {
				Version int
				Action  string
				Author  string
				Record  struct{ Slug string }
			}
		}
		RevisionDiff []struct {
			Field         string
			Before, After *string
		}
		SlugAliases []string
	}
	env.Query(t, `query($id: ID!, $v: Int!, $w: Int!) {
		revisions(id: $id, first: 2) { totalCount nodes { version action author record { ... on Recap { slug } } } }
		revisionDiff(id: $id, from: $v, to: $w) { field before after }
		slugAliases(id: $id)
	}`, map[string]any{"id": rc.ID, "v": rc.Version, "w": rc.Version + 1}, editor...).Decode(t, &hist)
	if n := hist.Revisions.Nodes; len(n) != 2 || n[0].Version != rc.Version+1 || n[0].Action != "update" || n[0].Author != "redactie" ||
		n[0].Record.Slug != "terugblik-nieuw" || n[1].Record.Slug != rc.Slug {
		t.Errorf("revisions %+v", hist.Revisions)
	}
	if d := hist.RevisionDiff; len(d) != 1 || d[0].Field != "slug" || *d[0].After != `"terugblik-nieuw"` {
		t.Errorf("diff %+v", d)
	}
	if strings.Join(hist.SlugAliases, ",") != rc.Slug {
		t.Errorf("aliases %v", hist.SlugAliases)
	}
	if r := env.Query(t, `query($id: ID!) { revisions(id: $id) { totalCount } }`, map[string]any{"id": rc.ID}); r.Code() != "UNAUTHENTICATED" {
		t.Errorf("revisions without a key: %s", r.Raw)
	}

	// Restoring the first version brings the old slug back.
	var restored struct {
		RestoreRevision struct {
			Version int
			Record  struct{ Slug string }
		}
	}
	env.Query(t, `mutation($id: ID!, $v: Int!, $e: Int!) { restoreRevision(id: $id, version: $v, expectedVersion: $e) { version record { ... on Recap { slug } } } }`,
		map[string]any{"id": rc.ID, "v": rc.Version, "e": rc.Version + 1}, editor...).Decode(t, &restored)
	if restored.RestoreRevision.Version != rc.Version+2 || restored.RestoreRevision.Record.Slug != rc.Slug {
		t.Errorf("restored %+v", restored)
	}
	if res := getNoFollow(t, env.URL+"/embed/recaps/terugblik-nieuw"); res.StatusCode != http.StatusMovedPermanently {
		t.Errorf("the slug left by the restore: %d", res.StatusCode)
	}
}

// TestScheduledPublishOnce: three schedulers over the embedded store (the
// app's and two more) race for a publication scheduled one second ahead:
// it happens once, with one audit entry and one delivery per webhook
// endpoint.
func TestScheduledPublishOnce(t *testing.T) {
	env := apitest.New(t, apitest.Options{Webhooks: webhooks.Options{AllowPrivate: true, Poll: 50 * time.Millisecond, BaseBackoff: 100 * time.Millisecond}})
	editor := env.Key(t, "redactie", content.RoleEditor)
	admin := env.Key(t, "beheer", content.RoleAdmin)
	var mu sync.Mutex
	got := map[string]int{} // endpoint path + event type → deliveries
	hooks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got[r.URL.Path+" "+r.Header.Get("Estafette-Event")]++
		mu.Unlock()
		w.WriteHeader(204)
	}))
	defer hooks.Close()
	for _, p := range []string{"/a", "/b"} {
		env.Query(t, `mutation($u: String!) { createWebhookEndpoint(url: $u, events: ["theme.published"]) { secret } }`,
			map[string]any{"u": hooks.URL + p}, admin...).Decode(t, &struct{}{})
	}
	var created struct {
		CreateTheme struct{ Theme struct{ ID string } }
	}
	env.Query(t, `mutation { createTheme(input: {slug: "gepland", name: {nl: "Gepland"}}) { theme { id } } }`, nil, editor...).Decode(t, &created)
	id := created.CreateTheme.Theme.ID

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() { defer wg.Done(); env.Catalog.RunScheduler(ctx, 20*time.Millisecond) }()
	}
	defer func() { cancel(); wg.Wait() }()

	when := time.Now().Add(time.Second)
	var sched struct {
		SchedulePublish struct {
			Record struct {
				Schedule struct{ Action, At, ScheduledBy string }
			}
		}
	}
	env.Query(t, `mutation($id: ID!, $at: DateTime!) { schedulePublish(id: $id, at: $at) { record { ... on Theme { schedule { action at scheduledBy } } } } }`,
		map[string]any{"id": id, "at": when.Format(time.RFC3339Nano)}, editor...).Decode(t, &sched)
	s := sched.SchedulePublish.Record.Schedule
	if s.Action != "PUBLISH" || s.ScheduledBy != "redactie" || !(strings.HasSuffix(s.At, "+01:00") || strings.HasSuffix(s.At, "+02:00")) {
		t.Errorf("schedule %+v (want Amsterdam time with its offset)", s)
	}

	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		a, b := got["/a theme.published"], got["/b theme.published"]
		mu.Unlock()
		if a >= 1 && b >= 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("deliveries %v", got)
		}
		time.Sleep(20 * time.Millisecond)
	}
	var audit struct {
		AuditLog struct {
			Nodes []struct{ Actor, Note string }
		}
	}
	env.Query(t, `query($id: ID!) { auditLog(filter: {recordId: $id, action: "publish"}) { nodes { actor note } } }`, map[string]any{"id": id}, admin...).Decode(t, &audit)
	if n := audit.AuditLog.Nodes; len(n) != 1 || n[0].Actor != "redactie" || !strings.Contains(n[0].Note, "scheduled by redactie") {
		t.Errorf("audit entries of the publication: %+v", n)
	}
	var deliveries struct {
		WebhookDeliveries []struct{ EventType string }
	}
	env.Query(t, `{ webhookDeliveries(first: 100) { eventType } }`, nil, admin...).Decode(t, &deliveries)
	if len(deliveries.WebhookDeliveries) != 2 {
		t.Errorf("%d deliveries, want one per endpoint: %+v", len(deliveries.WebhookDeliveries), deliveries)
	}
	mu.Lock()
	defer mu.Unlock()
	for k, n := range got {
		if n != 1 {
			t.Errorf("%s: %d deliveries", k, n)
		}
	}
}
