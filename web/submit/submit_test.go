package submit_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"estafette/content"
	"estafette/internal/apitest"
)

// TestForm: the Dutch form, without script under its CSP, refuses a form
// sent at once, takes one filled in, and the mailed link confirms it with
// a press of a button (opening the link alone confirms nothing).
func TestForm(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	ctx := content.WithViewer(context.Background(), content.Viewer{Actor: "test", Role: content.RoleEditor, Drafts: true})
	e, err := content.BySlug[content.Edition](ctx, env.Catalog, "2023")
	if err != nil || e == nil {
		t.Fatal(e, err)
	}
	if r := env.Do(t, http.MethodGet, "/aanmelden", nil); r.Status != http.StatusOK || !strings.Contains(string(r.Raw), "geen editie") {
		t.Fatalf("closed: %d %s", r.Status, r.Raw)
	}
	from, until := time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	if _, err := content.Update(ctx, env.Catalog, e.ID, e.Version, func(x *content.Edition) error {
		x.SubmissionsOpenFrom, x.SubmissionsOpenUntil = &from, &until
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	leg := e.Legs[0]
	region, _ := content.GetOne[content.Region](ctx, env.Catalog, leg.RegionID)
	r := env.Do(t, http.MethodGet, "/aanmelden", nil)
	body := string(r.Raw)
	if r.Status != http.StatusOK || !strings.Contains(body, `lang="nl"`) || strings.Contains(body, "<script") || strings.Contains(body, "style=") ||
		!strings.Contains(r.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("form: %d %v %s", r.Status, r.Header, body)
	}
	if en := env.Do(t, http.MethodGet, "/en/submit", nil); !strings.Contains(string(en.Raw), "Propose an activity") {
		t.Fatalf("English form: %s", en.Raw)
	}
	token := regexp.MustCompile(`name="formToken" value="([^"]+)"`).FindStringSubmatch(body)
	if token == nil {
		t.Fatal("no form token")
	}
	form := url.Values{"formToken": {token[1]}, "week": {e.ID + "/" + region.ID}, "titleNl": {"Beeldzorg thuis"},
		"date": {leg.StartsOn.String()}, "startTime": {"13:00"}, "endTime": {"15:00"}, "mode": {"online"},
		"organisation": {"Thuiszorg Proef"}, "contactName": {"Karin Proef"}, "contactEmail": {"karin.proef@voorbeeld.nl"}, "consent": {"yes"}}
	themes, err := env.Catalog.Themes(ctx)
	if err != nil || len(themes) == 0 {
		t.Fatal("no themes", err)
	}
	if !strings.Contains(body, `name="theme" value="`+themes[0].ID+`"`) || !strings.Contains(body, `name="audience" value="students"`) {
		t.Fatalf("the form does not ask for themes and audiences: %s", body)
	}
	form["theme"] = []string{themes[0].ID}
	form["audience"] = []string{string(content.AudienceStudents)}
	post := func(path string, v url.Values) apitest.Response {
		return env.Do(t, http.MethodPost, path, strings.NewReader(v.Encode()), "Content-Type", "application/x-www-form-urlencoded")
	}
	if r := post("/aanmelden", form); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("sent at once: %d %s", r.Status, r.Raw)
	}
	for deadline := time.Now().Add(10 * time.Second); ; {
		r = post("/aanmelden", form)
		if r.Status != http.StatusUnprocessableEntity || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if r.Status != http.StatusOK || !strings.Contains(string(r.Raw), "Dank je") {
		t.Fatalf("proposal: %d %s", r.Status, r.Raw)
	}
	page, err := env.App.Mail().List(context.Background(), "", content.PageArgs{})
	if err != nil || len(page.Items) == 0 {
		t.Fatal("no mail", err)
	}
	link := regexp.MustCompile(`/aanmelden/[A-Za-z0-9_-]{43}`).FindString(page.Items[0].Text)
	if r := env.Do(t, http.MethodGet, link, nil); !strings.Contains(string(r.Raw), "nog niet bevestigd") {
		t.Fatalf("state: %s", r.Raw)
	}
	if r := post(link+"/bevestig", nil); !strings.Contains(string(r.Raw), "de redactie bekijkt haar") {
		t.Fatalf("confirm: %d %s", r.Status, r.Raw)
	}
	// The organiser changes it once through the link.
	r = env.Do(t, http.MethodGet, link+"/wijzig", nil)
	if !strings.Contains(string(r.Raw), `value="Beeldzorg thuis"`) || strings.Contains(string(r.Raw), "contactEmail") ||
		!strings.Contains(string(r.Raw), `name="theme" value="`+themes[0].ID+`" checked`) || !strings.Contains(string(r.Raw), `name="audience" value="students" checked`) {
		t.Fatalf("edit form: %s", r.Raw)
	}
	form.Set("titleNl", "Beeldzorg thuis, samen proberen")
	if r := post(link+"/wijzig", form); r.Status != http.StatusOK || !strings.Contains(string(r.Raw), "Beeldzorg thuis, samen proberen") {
		t.Fatalf("edit: %d %s", r.Status, r.Raw)
	}
	form.Set("registrationUrl", "javascript:alert(1)")
	if r := post(link+"/wijzig", form); r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Raw), "http(s)") {
		t.Fatalf("a bad change: %d %s", r.Status, r.Raw)
	}
	if r := env.Do(t, http.MethodGet, "/aanmelden/"+strings.Repeat("x", 43), nil); r.Status != http.StatusNotFound {
		t.Fatalf("unknown link: %d", r.Status)
	}
	// The form may be framed like the embeds; the organiser's pages never.
	if csp := env.Do(t, http.MethodGet, "/aanmelden", nil).Header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, "frame-ancestors *") {
		t.Errorf("the form's policy: %s", csp)
	}
	if csp := env.Do(t, http.MethodGet, link, nil).Header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, "frame-ancestors 'none'") {
		t.Errorf("the organiser's page's policy: %s", csp)
	}
}
