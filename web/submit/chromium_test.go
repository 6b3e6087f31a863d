package submit_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"estafette/auth"
	"estafette/content"
	"estafette/internal/apitest"
	"estafette/internal/browsertest"
	"estafette/mail"
	"estafette/mail/mailtest"
)

// TestProposalInChromium follows a proposal from the public form to the
// calendar in headless Chromium, against the program as it runs (package
// app through apitest) with an SMTP server inside the test: a member of
// the public fills in the form on a 375 px wide screen, gets the mail with
// the link, confirms on the organiser's page and changes the title once
// through it; an editor signed in through the desk's real sign-in form
// approves it, published, in the desk's queue; the activity is then in
// anonymous GraphQL and in the edition's calendar feed (without the
// contact's address), and the organiser got the approval mail. axe-core
// finds no violation on the form (375 and 1280 px, Dutch and English) and
// on the organiser's page. Screenshots go to $ESTAFETTE_ARTIFACTS/submit
// when it is set.
func TestProposalInChromium(t *testing.T) {
	browser := browsertest.Start(t)
	smtp := mailtest.Start(t)
	env := apitest.New(t, apitest.Options{SMTPURL: smtp.URL(), Mail: mail.Options{Poll: 100 * time.Millisecond, BaseBackoff: 100 * time.Millisecond}})
	ctx := content.WithViewer(context.Background(), content.Viewer{Actor: "test", Role: content.RoleEditor, Drafts: true})

	// Edition 2023 takes proposals from now on.
	e, err := env.Catalog.EditionByYear(ctx, 2023)
	if err != nil || e == nil {
		t.Fatal(e, err)
	}
	from, until := time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour)
	if e, err = content.Update(ctx, env.Catalog, e.ID, e.Version, func(x *content.Edition) error {
		x.SubmissionsOpenFrom, x.SubmissionsOpenUntil = &from, &until
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	leg := e.Legs[0]
	region, err := content.GetOne[content.Region](ctx, env.Catalog, leg.RegionID)
	if err != nil || region == nil || leg.StartsOn == nil {
		t.Fatalf("the first leg of 2023: %+v %v", leg, err)
	}
	const editorEmail, password = "redacteur@example.org", "een lang en eigen wachtwoord"
	if _, err := env.App.People().Create(auth.CommandLine(t.Context(), "test"), editorEmail, "Ruud Redacteur", content.RoleEditor, password); err != nil {
		t.Fatal(err)
	}

	dir := ""
	if d := os.Getenv("ESTAFETTE_ARTIFACTS"); d != "" {
		dir = filepath.Join(d, "submit")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// check runs axe-core on the tab's page, makes sure nothing scrolls
	// sideways and saves a screenshot.
	check := func(tab context.Context, name string, width int) {
		t.Helper()
		for _, v := range browsertest.Axe(t, tab) {
			t.Errorf("%s at %d px: %s", name, width, v)
		}
		if sideways := browsertest.Eval[bool](t, tab, `document.documentElement.scrollWidth > document.documentElement.clientWidth`); sideways {
			t.Errorf("%s at %d px scrolls sideways", name, width)
		}
		if dir == "" {
			return
		}
		sctx, cancel := context.WithTimeout(tab, browsertest.Step)
		defer cancel()
		png, err := chromedp.Run(sctx, chromedp.FullScreenshot(100)) // quality 100 gives a PNG, less a JPEG
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, width)), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// The form on a wide screen, in both languages.
	wide := browsertest.NewTab(t, browser, chromedp.WithNewBrowserContext())
	for _, c := range []struct{ name, path, h1 string }{{"form-nl", "/aanmelden", "Activiteit aanmelden"}, {"form-en", "/en/submit", "Propose an activity"}} {
		browsertest.Do(t, wide, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(env.URL+c.path))
		browsertest.WaitFor(t, wide, fmt.Sprintf(`document.querySelector("h1").textContent === %q && !!document.getElementById("week")`, c.h1))
		check(wide, c.name, 1280)
	}

	// A member of the public fills in the form on a phone.
	const title, changed, contact = "Beeldbellen met de wijkverpleging", "Beeldbellen met de wijkverpleging samen oefenen", "els.proef@voorbeeld.nl"
	public := browsertest.NewTab(t, browser, chromedp.WithNewBrowserContext())
	browsertest.Do(t, public, chromedp.EmulateViewport(375, 800), chromedp.Navigate(env.URL+"/aanmelden"))
	browsertest.WaitFor(t, public, `!!document.getElementById("week")`)
	check(public, "form-nl", 375)
	browsertest.Do(t, public,
		chromedp.SetValue(chromedp.ID("week"), e.ID+"/"+region.ID),
		chromedp.SendKeys(chromedp.ID("titleNl"), title),
		chromedp.SendKeys(chromedp.ID("summaryNl"), "Wijkverpleegkundigen laten zien hoe beeldbellen werkt, en iedereen probeert het zelf."),
		chromedp.SetValue(chromedp.ID("date"), leg.StartsOn.String()),
		chromedp.SetValue(chromedp.ID("startTime"), "14:00"),
		chromedp.SetValue(chromedp.ID("endTime"), "16:00"),
		chromedp.SetValue(chromedp.ID("mode"), string(content.ModeOnline)),
		chromedp.Click(chromedp.CSS(`input[name="interactive"]`)),
		chromedp.SendKeys(chromedp.ID("organisation"), "Wijkzorg Proef"),
		chromedp.SendKeys(chromedp.ID("contactName"), "Els Proef"),
		chromedp.SendKeys(chromedp.ID("contactEmail"), contact),
		chromedp.Click(chromedp.CSS(`input[name="consent"]`)))
	// The server refuses a form sent within 3 s of being shown, by the
	// time signed into its token: wait until that much time has passed.
	browsertest.WaitFor(t, public, fmt.Sprintf(`Date.now() - Number(document.querySelector('input[name="formToken"]').value.split(".")[0]) > %d`, 3200))
	browsertest.Do(t, public, chromedp.Click(chromedp.CSS(`button[type="submit"]`)))
	browsertest.WaitFor(t, public, `!!document.querySelector(".done")`)
	check(public, "sent", 375)

	// The mail with the link; opening it shows the proposal unconfirmed.
	got := smtp.Wait(1, 30*time.Second)
	if got[0].To[0] != contact {
		t.Fatalf("the first mail went to %v", got[0].To)
	}
	link := regexp.MustCompile(`/aanmelden/[A-Za-z0-9_-]{43}`).FindString(got[0].Body)
	if link == "" {
		t.Fatalf("no link in the mail: %s", got[0].Body)
	}
	browsertest.Do(t, public, chromedp.Navigate(env.URL+link))
	browsertest.WaitFor(t, public, `document.body.innerText.includes("nog niet bevestigd")`)
	check(public, "organiser-unconfirmed", 375)
	browsertest.Do(t, public, chromedp.Click(chromedp.CSS(`form[action$="/bevestig"] button`)))
	browsertest.WaitFor(t, public, `document.body.innerText.includes("de redactie bekijkt haar")`)
	check(public, "organiser-confirmed", 375)

	// The organiser changes the title once through the link.
	browsertest.Do(t, public, chromedp.Click(chromedp.CSS(`a[href$="/wijzig"]`)))
	browsertest.WaitFor(t, public, fmt.Sprintf(`document.getElementById("titleNl") && document.getElementById("titleNl").value === %q`, title))
	check(public, "edit", 375)
	browsertest.Do(t, public, chromedp.SetValue(chromedp.ID("titleNl"), changed), chromedp.Click(chromedp.CSS(`button[type="submit"]`)))
	browsertest.WaitFor(t, public, fmt.Sprintf(`location.pathname === %q && document.body.innerText.includes(%q)`, link+"/wijzig", changed))

	// An editor signs in to the desk and approves it, published.
	desk := browsertest.NewTab(t, browser, chromedp.WithNewBrowserContext())
	browsertest.Do(t, desk, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(env.URL+"/desk"))
	browsertest.WaitFor(t, desk, `location.pathname === "/desk/signin" && !!document.getElementById("password")`)
	browsertest.Do(t, desk, chromedp.SendKeys(chromedp.ID("email"), editorEmail), chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Submit(chromedp.ID("password")))
	browsertest.WaitFor(t, desk, `location.pathname === "/desk" && document.body.innerText.includes("Ruud Redacteur")`)
	browsertest.Do(t, desk, chromedp.Navigate(env.URL+"/desk/proposals"))
	browsertest.WaitFor(t, desk, fmt.Sprintf(`document.body.innerText.includes(%q) && document.body.innerText.includes(%q)`, changed, contact))
	browsertest.Do(t, desk, chromedp.Click(chromedp.CSS(`form[action$="/approve"] input[name="publish"]`)),
		chromedp.Click(chromedp.CSS(`form[action$="/approve"] button[type="submit"]`)))
	browsertest.WaitFor(t, desk, `location.search.includes("done=decided")`)

	// The organiser's page says so, and the approval mail arrived.
	browsertest.Do(t, public, chromedp.Navigate(env.URL+link))
	browsertest.WaitFor(t, public, `document.body.innerText.includes("goedgekeurd")`)
	check(public, "organiser-approved", 375)
	got = smtp.Wait(2, 30*time.Second)
	if len(got) != 2 || got[1].To[0] != contact || !strings.Contains(got[1].Subject, "goedgekeurd") || !strings.Contains(got[1].Subject, changed) {
		t.Fatalf("the approval mail: %+v", got[len(got)-1])
	}

	// The activity in anonymous GraphQL and in the edition's calendar.
	const q = `query($s: String!) { activities(filter: {edition: 2023, search: $s}) { nodes { title status } } }`
	var found struct {
		Activities struct {
			Nodes []struct{ Title, Status string }
		}
	}
	poll(t, "the activity in anonymous GraphQL", func() bool {
		r := env.Query(t, q, map[string]any{"s": "wijkverpleging samen oefenen"})
		if strings.Contains(string(r.Raw), contact) {
			t.Fatalf("the contact's address is public: %s", r.Raw)
		}
		r.Decode(t, &found)
		for _, n := range found.Activities.Nodes {
			if n.Title == changed {
				return true
			}
		}
		return false
	})
	poll(t, "the activity in the calendar feed", func() bool {
		r := env.Do(t, http.MethodGet, "/calendar/2023.ics", nil)
		ics := strings.ReplaceAll(string(r.Raw), "\r\n ", "")
		if strings.Contains(ics, contact) {
			t.Fatal("the contact's address is in the calendar feed")
		}
		return r.Status == http.StatusOK && strings.Contains(ics, "SUMMARY:"+changed)
	})
}

// poll asks ok until it is true, failing the test after 10 s.
func poll(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 10 s", what)
		}
	}
}
