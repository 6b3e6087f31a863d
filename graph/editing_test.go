package graph_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"estafette/content"
	"estafette/internal/apitest"
)

type payload struct {
	Version  int
	Activity struct {
		ID, Slug, Title, Status string
		Version                 int
		Region                  *struct{ Slug string }
	}
}

// The editing flow of the issue: with an editor key a new activity is
// created, updated with the right version, refused with CONFLICT on a stale
// one, published, found by anonymous search, and unpublished again; every
// step is in the audit log.
func TestEditingFlow(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	editor := env.Key(t, "ZonMw redactie", content.RoleEditor)
	admin := env.Key(t, "beheer", content.RoleAdmin)

	var created struct{ CreateActivity payload }
	env.Query(t, `mutation($in: CreateActivityInput!) { createActivity(input: $in) { version activity { id slug title status version region { slug } } } }`,
		map[string]any{"in": map[string]any{
			"slug": "zorgrobot-op-bezoek", "edition": 2023, "region": "noord",
			"title":   map[string]any{"nl": "Zorgrobot op bezoek", "en": "Care robot visits"},
			"themes":  []string{"slimme-zorg-thuis"},
			"sources": []map[string]any{{"title": "Aanmelding via de website"}},
		}}, editor...).Decode(t, &created)
	a := created.CreateActivity.Activity
	if created.CreateActivity.Version != 1 || a.Status != "DRAFT" || a.Region == nil || a.Region.Slug != "noord" {
		t.Fatalf("created %+v", created.CreateActivity)
	}

	search := func(headers ...string) int {
		var got struct{ Activities struct{ TotalCount int } }
		env.Query(t, `{ activities(filter: {search: "zorgrobot"}) { totalCount } }`, nil, headers...).Decode(t, &got)
		return got.Activities.TotalCount
	}
	if n := search(); n != 0 {
		t.Errorf("the public finds a draft: %d", n)
	}

	var updated struct{ UpdateActivity payload }
	env.Query(t, `mutation($id: ID!) { updateActivity(id: $id, expectedVersion: 1, input: {title: {nl: "Zorgrobot komt op bezoek"}, region: null}) { version activity { title region { slug } } } }`,
		map[string]any{"id": a.ID}, editor...).Decode(t, &updated)
	if updated.UpdateActivity.Version != 2 || updated.UpdateActivity.Activity.Title != "Zorgrobot komt op bezoek" || updated.UpdateActivity.Activity.Region != nil {
		t.Errorf("update: %+v", updated.UpdateActivity)
	}

	stale := env.Query(t, `mutation($id: ID!) { updateActivity(id: $id, expectedVersion: 1, input: {title: {nl: "Oud"}}) { version } }`,
		map[string]any{"id": a.ID}, editor...)
	if stale.Code() != "CONFLICT" || stale.Errors[0].Extensions["field"] != "expectedVersion" {
		t.Errorf("stale update: %s", stale.Raw)
	}

	var published struct{ PublishActivity payload }
	env.Query(t, `mutation($id: ID!) { publishActivity(id: $id, expectedVersion: 2) { version activity { status } } }`,
		map[string]any{"id": a.ID}, editor...).Decode(t, &published)
	if published.PublishActivity.Activity.Status != "PUBLISHED" || published.PublishActivity.Version != 3 {
		t.Errorf("publish: %+v", published.PublishActivity)
	}
	if n := search(); n != 1 {
		t.Errorf("anonymous search after publishing finds %d", n)
	}
	env.Query(t, `mutation($id: ID!) { unpublishActivity(id: $id) { version } }`, map[string]any{"id": a.ID}, editor...).Decode(t, &struct{}{})
	if n := search(); n != 0 {
		t.Errorf("anonymous search after unpublishing finds %d", n)
	}

	var log struct {
		AuditLog struct {
			Nodes []struct {
				Action, Actor, RecordType string
				ChangedFields             []string
				BeforeVersion             *int
				AfterVersion              int
			}
		}
	}
	env.Query(t, `query($id: ID) { auditLog(filter: {recordId: $id}) { nodes { action actor recordType changedFields beforeVersion afterVersion } } }`,
		map[string]any{"id": a.ID}, admin...).Decode(t, &log)
	var steps []string
	for _, e := range log.AuditLog.Nodes {
		steps = append(steps, fmt.Sprintf("%s:%d", e.Action, e.AfterVersion))
		if e.Actor != "ZonMw redactie" || e.RecordType != "activity" {
			t.Errorf("audit entry %+v", e)
		}
	}
	if got := strings.Join(steps, " "); got != "unpublish:4 publish:3 update:2 create:1" {
		t.Errorf("audit log: %s", got)
	}
	if upd := log.AuditLog.Nodes[2]; strings.Join(upd.ChangedFields, ",") != "region,title" || *upd.BeforeVersion != 1 {
		t.Errorf("audit of the update: %+v", upd)
	}
}

func TestWritesWithoutTheRightKey(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	mutation := `mutation { createTheme(input: {slug: "x", name: {nl: "X"}}) { version } }`
	r := env.Query(t, mutation, nil, "Accept", "application/graphql-response+json")
	if r.Status != http.StatusUnauthorized || r.Code() != "UNAUTHENTICATED" || r.HasData || r.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("without a key: %d %s", r.Status, r.Raw)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/graphql-response+json") {
		t.Errorf("content type %q", ct)
	}
	r = env.Query(t, mutation, nil, env.Key(t, "lezer", content.RoleReader)...)
	if r.Status != http.StatusForbidden || r.Code() != "FORBIDDEN" {
		t.Errorf("with a reader key: %d %s", r.Status, r.Raw)
	}
	for _, bad := range []string{"Bearer sze_nope", "Bearer " + strings.Repeat("x", 60), "Basic dXNlcjpwYXNz", "Bearer"} {
		r = env.Query(t, `{ regions { slug } }`, nil, "Authorization", bad)
		if r.Status != http.StatusUnauthorized || r.Code() != "UNAUTHENTICATED" {
			t.Errorf("a read with %q: %d %s", bad, r.Status, r.Raw)
		}
	}
	// A revoked key is refused on reads too.
	key := env.Key(t, "tijdelijk", content.RoleEditor)
	admin := env.Key(t, "beheer", content.RoleAdmin)
	var keys struct{ ApiKeys []struct{ ID, Name string } }
	env.Query(t, `{ apiKeys { id name } }`, nil, admin...).Decode(t, &keys)
	var id string
	for _, k := range keys.ApiKeys {
		if k.Name == "tijdelijk" {
			id = k.ID
		}
	}
	env.Query(t, `mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, map[string]any{"id": id}, admin...).Decode(t, &struct{}{})
	if r := env.Query(t, `{ regions { slug } }`, nil, key...); r.Status != http.StatusUnauthorized {
		t.Errorf("a revoked key still reads: %d", r.Status)
	}
}

func TestValidationErrors(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	editor := env.Key(t, "redactie", content.RoleEditor)
	cases := []struct {
		name, input, field string
	}{
		{"bad slug", `{slug: "Geen Slug", edition: 2023, title: {nl: "X"}}`, "input.slug"},
		{"taken slug", `{slug: "2021-zuid-opening", edition: 2021, title: {nl: "X"}}`, "input.slug"},
		{"unknown edition", `{slug: "x", edition: 1999, title: {nl: "X"}}`, "input.edition"},
		{"unknown region", `{slug: "x", edition: 2023, title: {nl: "X"}, region: "midden"}`, "input.region"},
		{"unknown theme", `{slug: "x", edition: 2023, title: {nl: "X"}, themes: ["ehealth", "nope"]}`, "input.themes[1]"},
		{"empty Dutch title", `{slug: "x", edition: 2023, title: {nl: " "}}`, "input.title.nl"},
		{"outside the edition", `{slug: "x", edition: 2023, title: {nl: "X"}, startsOn: "2023-06-01"}`, "input.startsOn"},
		{"end before start", `{slug: "x", edition: 2023, title: {nl: "X"}, startsOn: "2023-02-08", endsOn: "2023-02-07"}`, "input.endsOn"},
		{"not an http URL", `{slug: "x", edition: 2023, title: {nl: "X"}, registrationUrl: "ftp://example.org"}`, "input.registrationUrl"},
	}
	before := countAudit(t, env)
	for _, c := range cases {
		r := env.Query(t, `mutation { createActivity(input: `+c.input+`) { version } }`, nil, editor...)
		if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != c.field {
			t.Errorf("%s: %s", c.name, r.Raw)
		}
	}
	if after := countAudit(t, env); after != before {
		t.Errorf("refused writes left %d audit entries", after-before)
	}
	if n, _ := env.Catalog.Store().Count(t.Context(), content.KindActivity, content.Eq("slug", "x")); n != 0 {
		t.Error("a refused write stored an activity")
	}
}

func countAudit(t *testing.T, env *apitest.Env) int {
	n, err := env.Catalog.Store().Count(t.Context(), content.KindAudit, nil)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Operator strings of MongoDB and SQL metacharacters are data like any
// other: stored as written, matched as written.
func TestInjectionIsPlainData(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	editor := env.Key(t, "redactie", content.RoleEditor)
	nasty := []string{`{"$ne": null}`, `$where: function() { return true }`, `'; DROP TABLE activity; --`, `" OR 1=1 --`, `%_*[?`, `\x00`}
	for i, s := range nasty {
		var got struct{ CreateActivity payload }
		env.Query(t, `mutation($in: CreateActivityInput!) { createActivity(input: $in) { activity { title } } }`,
			map[string]any{"in": map[string]any{"slug": fmt.Sprintf("raar-%d", i), "edition": 2023, "title": map[string]any{"nl": "Raar " + s}, "publish": true}},
			editor...).Decode(t, &got)
		if got.CreateActivity.Activity.Title != "Raar "+s {
			t.Errorf("stored %q as %q", s, got.CreateActivity.Activity.Title)
		}
	}
	var all struct{ Activities struct{ TotalCount int } }
	env.Query(t, `{ activities { totalCount } }`, nil).Decode(t, &all)
	for _, s := range append(nasty, `{"$gt": ""}`, `*`) {
		var got struct{ Activities struct{ TotalCount int } }
		env.Query(t, `query($s: String) { activities(filter: {region: $s, initiative: $s, theme: $s}) { totalCount } }`,
			map[string]any{"s": s}).Decode(t, &got)
		if got.Activities.TotalCount != 0 {
			t.Errorf("the filter %q matched %d activities", s, got.Activities.TotalCount)
		}
	}
	for _, s := range nasty {
		var found struct{ Activities struct{ TotalCount int } }
		env.Query(t, `query($s: String) { activities(filter: {search: $s}) { totalCount } }`, map[string]any{"s": "raar " + s}).Decode(t, &found)
		if found.Activities.TotalCount == 0 || found.Activities.TotalCount >= all.Activities.TotalCount {
			t.Errorf("searching %q found %d of %d", "raar "+s, found.Activities.TotalCount, all.Activities.TotalCount)
		}
	}
}

func TestImportContent(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	editor := env.Key(t, "redactie", content.RoleEditor)
	data := `{"type":"initiative","slug":"zorgrobots","name_nl":"Zorgrobots","editions":["2024"],"status":"published"}
{"type":"activity","slug":"zorgrobots-demo","edition":2024,"initiative":"zorgrobots","title_nl":"Demo","status":"published"}`
	var rep struct {
		ImportContent struct {
			Applied                     bool
			Created, Updated, Unchanged int
			Problems                    []struct{ Where, Field, Message string }
		}
	}
	const m = `mutation($d: String!) { importContent(data: $d) { applied created updated unchanged problems { where field message } } }`
	env.Query(t, m, map[string]any{"d": data + "\n" + `{"type":"activity","slug":"x","edition":2024,"title_nl":"","colour":"red"}`}, editor...).Decode(t, &rep)
	if rep.ImportContent.Applied || len(rep.ImportContent.Problems) != 2 {
		t.Fatalf("a bad import: %+v", rep.ImportContent)
	}
	env.Query(t, m, map[string]any{"d": data}, editor...).Decode(t, &rep)
	if !rep.ImportContent.Applied || rep.ImportContent.Created != 2 {
		t.Fatalf("import: %+v", rep.ImportContent)
	}
	var got struct {
		Initiative struct {
			Activities struct{ Nodes []struct{ Slug string } }
		}
	}
	env.Query(t, `{ initiative(slug: "zorgrobots") { activities { nodes { slug } } } }`, nil).Decode(t, &got)
	if len(got.Initiative.Activities.Nodes) != 1 {
		t.Errorf("imported initiative has %+v", got.Initiative)
	}
	env.Query(t, m, map[string]any{"d": data}, editor...).Decode(t, &rep)
	if !rep.ImportContent.Applied || rep.ImportContent.Unchanged != 2 || rep.ImportContent.Created != 0 {
		t.Errorf("repeated import: %+v", rep.ImportContent)
	}
}
