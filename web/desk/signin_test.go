package desk_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"estafette/auth"
	"estafette/content"
	"estafette/internal/apitest"
	"estafette/internal/browsertest"
)

// TestDeskBehindRealSignIn runs the desk as the program serves it (package
// app: the sign-in of package web/deskauth in front of these pages) in
// headless Chromium: a person made with a password signs in through the
// form, lands on the dashboard under their name, saves an activity with a
// day outside its edition and sees the problem by the date field, fixes
// it and saves the draft (so the forms' CSRF token is the one the real
// sign-in checks), and the write is in the audit log under their name.
// Once the person is disabled, the same browser is sent to sign in again.
func TestDeskBehindRealSignIn(t *testing.T) {
	browser := browsertest.Start(t)
	env := apitest.New(t, apitest.Options{})
	ctx := auth.CommandLine(t.Context(), "test")
	const email, password = "anna@example.org", "een lang en eigen wachtwoord"
	if _, err := env.App.People().Create(ctx, email, "Anna de Vries", content.RoleEditor, password); err != nil {
		t.Fatal(err)
	}
	tab := browsertest.NewTab(t, browser)
	wait := func(cond string) { t.Helper(); waitFor(t, tab, cond) }
	run := func(actions ...chromedp.Action[chromedp.Void]) { t.Helper(); do(t, tab, actions...) }

	run(chromedp.Navigate(env.URL + "/desk"))
	wait(`location.pathname === "/desk/signin" && !!document.getElementById("password")`)
	run(chromedp.SendKeys(chromedp.ID("email"), email), chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Submit(chromedp.ID("password")))
	wait(`location.pathname === "/desk" && document.body.innerText.includes("Anna de Vries")`)

	ed := edition(t, env.Catalog, 2023)
	run(chromedp.Navigate(env.URL + "/desk/activities/new"))
	wait(`!!document.getElementById("f-title-nl")`)
	run(chromedp.SendKeys(chromedp.ID("f-title-nl"), "Aangemeld via de balie"),
		chromedp.SendKeys(chromedp.ID("f-slug"), "aangemeld-via-de-balie"),
		chromedp.SetValue(chromedp.ID("f-edition"), ed.ID),
		chromedp.SetValue(chromedp.ID("f-startsOn"), "2030-01-01"),
		chromedp.Click(chromedp.CSS(`button[value="save"]`)))
	wait(`!!document.getElementById("f-startsOn-problem")`)
	run(chromedp.SetValue(chromedp.ID("f-startsOn"), ed.StartsOn.String()),
		chromedp.Click(chromedp.CSS(`button[value="save"]`)))
	wait(`location.search.includes("done=created")`)

	admin := adminCtx()
	a, err := content.BySlug[content.Activity](admin, env.Catalog, "aangemeld-via-de-balie")
	if err != nil || a == nil || a.Status != content.StatusDraft {
		t.Fatalf("the draft: %+v %v", a, err)
	}
	entries, err := env.Catalog.ListAudit(admin, content.AuditFilter{}, content.PageArgs{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range entries.Items {
		if e.RecordID == a.ID && e.Actor == "Anna de Vries" {
			found = true
		}
	}
	if !found {
		t.Errorf("the desk's write is not in the audit log under the person's name")
	}

	p, err := env.App.People().Find(ctx, email)
	if err != nil || p == nil {
		t.Fatal(err)
	}
	if _, err := env.App.People().Disable(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	run(chromedp.Navigate(env.URL + "/desk"))
	wait(`location.pathname === "/desk/signin"`)
	if res, err := http.Get(env.URL + "/desk/activities"); err != nil || !strings.Contains(res.Request.URL.Path, "signin") {
		t.Errorf("without a session the desk's list is open: %v", err)
	}
}
