package desk_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"estafette/content"
	"estafette/mail"
	"estafette/seed"
	"estafette/web/deskid"
)

func activityForm(e *content.Edition, slug, title, day string) url.Values {
	return url.Values{"title.nl": {title}, "slug": {slug}, "edition": {e.ID}, "startsOn": {day}, "startsAt": {"14:00"}, "mode": {"onsite"}}
}

func countActivities(t *testing.T, cat *content.Catalog, slug string) int {
	t.Helper()
	a, err := content.BySlug[content.Activity](adminCtx(), cat, slug)
	if err != nil {
		t.Fatal(err)
	}
	if a == nil {
		return 0
	}
	return 1
}

func TestSignInNeeded(t *testing.T) {
	e := newEnv(t)
	nobody := e.as(t, "", "")
	rec := nobody.get("/desk/activities")
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/desk/signin?next=%2Fdesk%2Factivities") {
		t.Fatalf("GET without a session: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	if rec := nobody.do(http.MethodPost, "/desk/activities/new", url.Values{"title.nl": {"x"}}); rec.Code != http.StatusUnauthorized {
		t.Fatalf("POST without a session: %d", rec.Code)
	}
}

func TestHeadersAndDashboard(t *testing.T) {
	e := newEnv(t)
	rec := e.as(t, "Ada Admin", "admin").get("/desk")
	if rec.Code != http.StatusOK {
		t.Fatalf("dashboard: %d %s", rec.Code, rec.Body)
	}
	csp := rec.Header().Get("Content-Security-Policy")
	for _, want := range []string{"frame-ancestors 'none'", "script-src 'self'", "style-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	body := rec.Body.String()
	if regexp.MustCompile(`<script>|<style|style="`).MatchString(body) {
		t.Error("the page has inline script or style")
	}
	for _, want := range []string{"De estafette", "Concepten die wachten op publicatie", "Recente wijzigingen", `lang="nl"`} {
		if !strings.Contains(body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	if rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q", rec.Header().Get("Cache-Control"))
	}
	// The people page's link shows only when Options.People is set.
	if strings.Contains(body, `href="/desk/people"`) {
		t.Error("a link to /desk/people without Options.People")
	}
	// English by the switch.
	rec = e.as(t, "Ada Admin", "admin").post("/desk/lang", url.Values{"lang": {"en"}, "next": {"/desk/activities"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/desk/activities" {
		t.Fatalf("lang: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	ck := rec.Result().Cookies()
	if len(ck) != 1 || ck[0].Name != deskid.LangCookie || ck[0].Value != "en" {
		t.Fatalf("lang cookie %v", ck)
	}
}

func TestCreateActivityProblemsThenSave(t *testing.T) {
	e := newEnv(t)
	ed := edition(t, e.cat, 2023)
	ed2023End := ed.EndsOn.String()
	ed2023Start := ed.StartsOn.String()
	editor := e.as(t, "Eva Editor", "editor")

	// Without the CSRF token nothing happens.
	rec := editor.do(http.MethodPost, "/desk/activities/new", activityForm(ed, "desk-test-a", "Zorgrobot op bezoek", ed2023Start))
	if rec.Code != http.StatusForbidden || countActivities(t, e.cat, "desk-test-a") != 0 {
		t.Fatalf("post without CSRF: %d", rec.Code)
	}

	// A day outside the edition: the problem shows by the date field, and
	// nothing is stored.
	rec = editor.post("/desk/activities/new", activityForm(ed, "desk-test-a", "Zorgrobot op bezoek", "2030-01-01"))
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("bad date: %d", rec.Code)
	}
	body := rec.Body.String()
	problem := regexp.MustCompile(`id="f-startsOn-problem"><span lang="en">([^<]*)</span>`).FindStringSubmatch(body)
	if problem == nil || !strings.Contains(problem[1], "outside the edition 2023") {
		t.Fatalf("no problem by the date field: %s", body)
	}
	if !strings.Contains(body, `aria-describedby=" f-startsOn-problem"`) && !strings.Contains(body, `f-startsOn-problem"`) {
		t.Error("the date field does not point at its problem")
	}
	if !strings.Contains(body, `value="Zorgrobot op bezoek"`) {
		t.Error("the form lost what was typed")
	}
	if countActivities(t, e.cat, "desk-test-a") != 0 {
		t.Fatal("an activity with problems was stored")
	}
	// A date that is not a date is a problem too, with the domain's own.
	rec = editor.post("/desk/activities/new", url.Values{"title.nl": {""}, "slug": {"Bad Slug"}, "edition": {ed.ID}, "startsOn": {"gisteren"}})
	body = rec.Body.String()
	for _, id := range []string{"f-startsOn-problem", "f-slug-problem", "f-title-nl-problem"} {
		if !strings.Contains(body, `id="`+id+`"`) {
			t.Errorf("no problem %s", id)
		}
	}

	// Fixed: stored as a draft under the person's name.
	rec = editor.post("/desk/activities/new", activityForm(ed, "desk-test-a", "Zorgrobot op bezoek", ed2023Start))
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	a, err := content.BySlug[content.Activity](adminCtx(), e.cat, "desk-test-a")
	if err != nil || a == nil {
		t.Fatal("not stored", err)
	}
	if a.Status != content.StatusDraft || a.StartsAt == nil || content.FormatDateTime(*a.StartsAt) != ed2023Start+"T14:00:00+01:00" {
		t.Fatalf("stored %+v", a)
	}
	p, err := e.cat.ListAudit(adminCtx(), content.AuditFilter{RecordID: &a.ID}, content.PageArgs{})
	if err != nil || len(p.Items) != 1 || p.Items[0].Actor != "Eva Editor" {
		t.Fatalf("audit %v %v", p, err)
	}
	_ = ed2023End

	// The edit form shows it, with the English title missing marked.
	rec = editor.get("/desk/activities/" + a.ID)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Engels ontbreekt") {
		t.Fatalf("edit form: %d", rec.Code)
	}
	// Preview: the API's answer.
	rec = editor.get("/desk/activities/" + a.ID + "/preview")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "&#34;slug&#34;: &#34;desk-test-a&#34;") {
		t.Fatalf("preview: %d %s", rec.Code, rec.Body)
	}
	// Publish.
	rec = editor.post("/desk/activities/"+a.ID+"/status", url.Values{"op": {"publish"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", rec.Code, rec.Body)
	}
	anon := content.WithViewer(t.Context(), content.Viewer{})
	if pub, _ := content.BySlug[content.Activity](anon, e.cat, "desk-test-a"); pub == nil {
		t.Fatal("not public after publishing")
	}
	// Delete (soft), then an admin restores it; an editor may not.
	if rec = editor.post("/desk/activities/"+a.ID+"/status", url.Values{"op": {"delete"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("delete: %d", rec.Code)
	}
	if rec = editor.post("/desk/activities/"+a.ID+"/status", url.Values{"op": {"restore"}}); rec.Code != http.StatusForbidden {
		t.Fatalf("editor restores: %d", rec.Code)
	}
	admin := e.as(t, "Ada Admin", "admin")
	if rec = admin.get("/desk/admin/trash"); !strings.Contains(rec.Body.String(), "Zorgrobot op bezoek") {
		t.Fatal("not in the trash")
	}
	if rec = admin.post("/desk/activities/"+a.ID+"/status", url.Values{"op": {"restore"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("restore: %d %s", rec.Code, rec.Body)
	}
}

func TestReaderCannotWrite(t *testing.T) {
	e := newEnv(t)
	ed := edition(t, e.cat, 2023)
	rec := e.as(t, "Rob Reader", "reader").post("/desk/activities/new", activityForm(ed, "desk-test-r", "Lezen", ed.StartsOn.String()))
	if rec.Code != http.StatusForbidden || countActivities(t, e.cat, "desk-test-r") != 0 {
		t.Fatalf("reader writes: %d", rec.Code)
	}
	if rec := e.as(t, "Rob Reader", "reader").get("/desk/admin/keys"); rec.Code != http.StatusForbidden {
		t.Fatalf("reader on admin page: %d", rec.Code)
	}
}

func TestConflictKeepsBoth(t *testing.T) {
	e := newEnv(t)
	ed := edition(t, e.cat, 2023)
	a := e.as(t, "Anna", "editor")
	b := e.as(t, "Bram", "editor")
	if rec := a.post("/desk/activities/new", activityForm(ed, "desk-test-c", "Eerste titel", ed.StartsOn.String())); rec.Code != http.StatusSeeOther {
		t.Fatalf("create: %d", rec.Code)
	}
	act, _ := content.BySlug[content.Activity](adminCtx(), e.cat, "desk-test-c")
	path := "/desk/activities/" + act.ID
	v1 := activityForm(ed, "desk-test-c", "Eerste titel", ed.StartsOn.String())
	v1.Set("version", "1")
	// Bram saves a summary first.
	vb := url.Values{}
	for k, v := range v1 {
		vb[k] = v
	}
	vb.Set("summary.nl", "Samenvatting van Bram")
	if rec := b.post(path, vb); rec.Code != http.StatusSeeOther {
		t.Fatalf("Bram saves: %d %s", rec.Code, rec.Body)
	}
	// Anna, on version 1 still, changes the title: the conflict screen.
	va := url.Values{}
	for k, v := range v1 {
		va[k] = v
	}
	va.Set("title.nl", "Titel van Anna")
	rec := a.post(path, va)
	if rec.Code != http.StatusConflict {
		t.Fatalf("conflict: %d %s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	if !strings.Contains(body, "Samenvatting van Bram") || !strings.Contains(body, "Titel van Anna") || !strings.Contains(body, "Bram") {
		t.Fatalf("conflict screen lacks a version: %s", body)
	}
	if cur, _ := content.BySlug[content.Activity](adminCtx(), e.cat, "desk-test-c"); cur.Title.NL != "Eerste titel" {
		t.Fatal("the conflicting save was written")
	}
	// Submit the screen as the browser would: its hidden fields and the
	// checked radios.
	form := conflictForm(t, body)
	form.Set("resolve", "choices")
	if rec := a.post(path, form); rec.Code != http.StatusSeeOther {
		t.Fatalf("resolve: %d %s", rec.Code, rec.Body)
	}
	cur, _ := content.BySlug[content.Activity](adminCtx(), e.cat, "desk-test-c")
	if cur.Title.NL != "Titel van Anna" || cur.Summary.NL != "Samenvatting van Bram" || cur.Version != 3 {
		t.Fatalf("after the merge: %q %q v%d", cur.Title.NL, cur.Summary.NL, cur.Version)
	}
}

// conflictForm reads the values a browser would post from the conflict
// screen: hidden inputs and checked radios.
func conflictForm(t *testing.T, body string) url.Values {
	t.Helper()
	v := url.Values{}
	unq := func(s string) string {
		s = strings.NewReplacer("&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
		return s
	}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`).FindAllStringSubmatch(body, -1) {
		if m[1] == deskid.CSRFField {
			continue
		}
		v.Add(unq(m[1]), unq(m[2]))
	}
	for _, m := range regexp.MustCompile(`<input type="radio" name="([^"]*)" value="([^"]*)" checked>`).FindAllStringSubmatch(body, -1) {
		v.Set(unq(m[1]), m[2])
	}
	return v
}

func TestListFiltersAndBulk(t *testing.T) {
	e := newEnv(t)
	ed := edition(t, e.cat, 2023)
	editor := e.as(t, "Eva Editor", "editor")
	var ids []string
	for i := range 3 {
		slug := "desk-bulk-" + strconv.Itoa(i)
		if rec := editor.post("/desk/activities/new", activityForm(ed, slug, "Bulkactiviteit "+strconv.Itoa(i), ed.StartsOn.String())); rec.Code != http.StatusSeeOther {
			t.Fatalf("create: %d", rec.Code)
		}
		a, _ := content.BySlug[content.Activity](adminCtx(), e.cat, slug)
		ids = append(ids, a.ID)
	}
	rec := editor.get("/desk/activities?edition=2023&status=draft&q=bulkactiviteit")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "3 gevonden") {
		t.Fatalf("list: %d %s", rec.Code, rec.Body)
	}
	rec = editor.post("/desk/activities/bulk", url.Values{"op": {"publish"}, "id": ids[:2], "back": {"/desk/activities?status=draft"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("bulk: %d %s", rec.Code, rec.Body)
	}
	if rec = editor.get("/desk/activities?edition=2023&status=draft&q=bulkactiviteit"); !strings.Contains(rec.Body.String(), "1 gevonden") {
		t.Fatal("bulk publish did not publish two")
	}
	if rec = editor.get("/desk/activities?status=published&q=bulkactiviteit&sort=title-desc"); !strings.Contains(rec.Body.String(), "2 gevonden") {
		t.Fatal("published filter")
	}
	// Paging through the API's cursors.
	if err := seed.LoadSynthetic(t.Context(), e.cat, 40, nil); err != nil {
		t.Fatal(err)
	}
	rec = editor.get("/desk/activities")
	next := regexp.MustCompile(`href="([^"]*)" rel="next"`).FindStringSubmatch(rec.Body.String())
	if next == nil {
		t.Fatal("no next page over the activities")
	}
	if rec = editor.get(strings.ReplaceAll(next[1], "&amp;", "&")); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `rel="prev"`) {
		t.Fatalf("next page: %d", rec.Code)
	}
	// A bad filter is a clear error, not a 500.
	if rec = editor.get("/desk/activities?status=lost"); rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("bad status filter: %d", rec.Code)
	}
	for _, k := range []string{"recaps", "initiatives", "organizations", "themes", "editions"} {
		if rec = editor.get("/desk/" + k + "?q=zorg"); rec.Code != http.StatusOK {
			t.Errorf("list %s: %d", k, rec.Code)
		}
		if rec = editor.get("/desk/" + k + "/new"); rec.Code != http.StatusOK {
			t.Errorf("new %s: %d", k, rec.Code)
		}
	}
}

func TestRecapMarkdownAndPreview(t *testing.T) {
	e := newEnv(t)
	editor := e.as(t, "Eva Editor", "editor")
	rc, _ := content.BySlug[content.Recap](adminCtx(), e.cat, "terugblik-2021")
	rec := editor.get("/desk/recaps/" + rc.ID)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `data-markdown="f-body-nl-preview"`) {
		t.Fatalf("recap form: %d", rec.Code)
	}
	rec = editor.post("/desk/markdown", url.Values{"text": {"# Kop\n\nEen **vette** zin. <script>alert(1)</script>"}})
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "<strong>vette</strong>") || strings.Contains(rec.Body.String(), "<script>") {
		t.Fatalf("markdown: %d %s", rec.Code, rec.Body)
	}
	rec = editor.get("/desk/recaps/" + rc.ID + "/frame")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), rc.Title.NL) || !strings.Contains(rec.Header().Get("Content-Security-Policy"), "frame-ancestors 'self'") {
		t.Fatalf("recap frame: %d %q", rec.Code, rec.Header().Get("Content-Security-Policy"))
	}
}

func TestAdminPages(t *testing.T) {
	e := newEnv(t)
	admin := e.as(t, "Ada Admin", "admin")
	rec := admin.post("/desk/admin/keys", url.Values{"name": {"Redactie ZonMw"}, "role": {"editor"}})
	if rec.Code != http.StatusCreated {
		t.Fatalf("create key: %d %s", rec.Code, rec.Body)
	}
	key := regexp.MustCompile(`id="new-key" class="secret" readonly value="([^"]+)"`).FindStringSubmatch(rec.Body.String())
	if key == nil {
		t.Fatal("the key is not shown")
	}
	if k, err := e.keys.Authenticate(t.Context(), key[1]); err != nil || k.Name != "Redactie ZonMw" {
		t.Fatalf("the shown key does not work: %v", err)
	}
	if rec = admin.get("/desk/admin/keys"); strings.Contains(rec.Body.String(), key[1]) {
		t.Fatal("the key is shown again")
	}
	rec = admin.post("/desk/admin/keys", url.Values{"name": {""}, "role": {"editor"}})
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("key without a name: %d", rec.Code)
	}
	rec = admin.post("/desk/admin/webhooks", url.Values{"url": {"http://127.0.0.1:9/hook"}, "events": {"activity.*"}})
	if rec.Code != http.StatusCreated {
		t.Fatalf("add webhook: %d %s", rec.Code, rec.Body)
	}
	eps, _ := e.webhooks.List(adminCtx())
	if len(eps) != 1 {
		t.Fatal("no endpoint")
	}
	if rec = admin.get("/desk/admin/webhooks/" + eps[0].ID); rec.Code != http.StatusOK {
		t.Fatalf("webhook page: %d", rec.Code)
	}
	if rec = admin.get("/desk/admin/audit?action=create&from=2020-01-01"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Ada Admin") {
		t.Fatalf("audit: %d", rec.Code)
	}
	if rec = admin.get("/desk/admin/audit?from=gisteren"); rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("bad audit date: %d", rec.Code)
	}
	if rec = e.as(t, "Eva Editor", "editor").get("/desk/admin/audit"); rec.Code != http.StatusForbidden {
		t.Fatalf("editor on the audit log: %d", rec.Code)
	}
}

// TestMailPage: without a mail server the outbox's mails wait, and admins
// (only they) see them with recipient, subject, state and attempts.
func TestMailPage(t *testing.T) {
	e := newEnv(t)
	if err := e.mail.Send(t.Context(), mail.Message{To: "wachtend@example.nl", Subject: "Bevestig uw voorstel",
		Text: "Klik op de link.", Key: "desk/1"}); err != nil {
		t.Fatal(err)
	}
	admin := e.as(t, "Ada Admin", "admin")
	rec := admin.get("/desk/admin/mail")
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, "wachtend@example.nl") || !strings.Contains(body, "Bevestig uw voorstel") ||
		!strings.Contains(body, "SMTP_URL") || !strings.Contains(body, `href="/desk/admin/mail" aria-current="page"`) {
		t.Fatalf("mail page: %d %s", rec.Code, body)
	}
	if rec = admin.get("/desk"); !strings.Contains(rec.Body.String(), `id="mail-title"`) || !regexp.MustCompile(`: 1; [^:]+: 0`).MatchString(rec.Body.String()) {
		t.Errorf("the admin's dashboard does not count the waiting mail: %s", rec.Body)
	}
	if rec = admin.get("/desk/admin/mail?state=sent"); strings.Contains(rec.Body.String(), "wachtend@example.nl") {
		t.Error("a pending mail is listed as sent")
	}
	if rec = admin.get("/desk/admin/mail?state=lost"); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("unknown state: %d", rec.Code)
	}
	for _, role := range []string{"editor", "reader"} {
		rec := e.as(t, "Eva "+role, role).get("/desk/admin/mail")
		if rec.Code != http.StatusForbidden || strings.Contains(rec.Body.String(), "wachtend@example.nl") {
			t.Errorf("%s on the mail page: %d", role, rec.Code)
		}
		if rec := e.as(t, "Eva "+role, role).get("/desk"); strings.Contains(rec.Body.String(), "/desk/admin/mail") {
			t.Errorf("the %s's menu links to the mail page", role)
		}
	}
}
