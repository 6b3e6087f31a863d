package desk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"estafette/auth"
	"estafette/content"
	"estafette/internal/apitest"
	"estafette/internal/browsertest"
	"estafette/webhooks"
)

// browser is headless Chromium with one tab per person, each in a browser
// context of its own (its own cookies), and the console of every tab,
// over the program as it is served (env).
type browser struct {
	t       *testing.T
	root    context.Context
	env     *apitest.Env
	base    string
	mu      sync.Mutex
	console []string
	wg      sync.WaitGroup
}

func newBrowser(t *testing.T, env *apitest.Env) *browser {
	t.Helper()
	root := browsertest.Start(t, chromedp.Flag("lang", "en-US"))
	b := &browser{t: t, root: root, env: env, base: env.URL}
	t.Cleanup(b.wg.Wait)
	return b
}

// browserPassword is the password of the people of the browser test.
const browserPassword = "een lang en eigen wachtwoord"

// tab makes a person called name with role and a password, opens a tab
// of their own and signs them in there through the desk's sign-in form,
// as a person would.
func (b *browser) tab(name string, role content.Role) context.Context {
	b.t.Helper()
	tab := browsertest.NewTab(b.t, b.root, chromedp.WithNewBrowserContext())
	browsertest.Do(b.t, tab, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(b.base+"/desk/static/desk.css"))
	msgs := chromedp.Console(tab)
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		for m, err := range msgs {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.console = append(b.console, fmt.Sprintf("%s: %s %s (%s:%d)", name, m.Type, m.Text, m.URL, m.Line))
			b.mu.Unlock()
		}
	}()
	email := strings.ToLower(name) + "@example.org"
	if _, err := b.env.App.People().Create(auth.CommandLine(b.t.Context(), "test"), email, name, role, browserPassword); err != nil {
		b.t.Fatal(err)
	}
	browsertest.Do(b.t, tab, chromedp.Navigate(b.base+"/desk"))
	browsertest.WaitFor(b.t, tab, `location.pathname === "/desk/signin" && !!document.getElementById("password")`)
	browsertest.Do(b.t, tab, chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), browserPassword), chromedp.Submit(chromedp.ID("password")))
	browsertest.WaitFor(b.t, tab, fmt.Sprintf(`location.pathname === "/desk" && document.body.innerText.includes(%q)`, name))
	return tab
}

func (b *browser) consoleMessages() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.console...)
}

func do(t *testing.T, tab context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	browsertest.Do(t, tab, steps...)
}

func eval[T any](t *testing.T, tab context.Context, js string) T {
	t.Helper()
	return browsertest.Eval[T](t, tab, js)
}

func waitFor(t *testing.T, tab context.Context, js string) {
	t.Helper()
	browsertest.WaitFor(t, tab, js)
}

// tabTo presses Tab until the element matching sel has the focus: it is
// reachable by keyboard.
func tabTo(t *testing.T, tab context.Context, sel string) {
	t.Helper()
	check := fmt.Sprintf(`document.activeElement && document.activeElement.matches(%q)`, sel)
	for range 400 {
		if eval[bool](t, tab, check) {
			return
		}
		do(t, tab, chromedp.KeyEvent("\t"))
	}
	t.Fatalf("%s cannot be reached with Tab", sel)
}

// key types keys into the focused element.
func key(t *testing.T, tab context.Context, keys string) { do(t, tab, chromedp.KeyEvent(keys)) }

func (b *browser) axe(t *testing.T, tab context.Context, what string) {
	t.Helper()
	for _, v := range browsertest.Axe(t, tab) {
		t.Errorf("%s: %s", what, v)
	}
	w := eval[struct{ Scroll, Client float64 }](t, tab, `({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})`)
	if w.Scroll > w.Client+1 {
		wide := eval[[]string](t, tab, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).map(e => e.tagName + "." + e.className).slice(0, 8)`)
		t.Errorf("%s scrolls sideways: %v > %v (%v)", what, w.Scroll, w.Client, wide)
	}
}

func screenshot(t *testing.T, tab context.Context, name string) {
	t.Helper()
	dir := os.Getenv("DESK_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// anonymousActivity asks the public API for an activity by slug.
func anonymousActivity(t *testing.T, base, slug string) (title string, found bool) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": `query($s: String!) { activity(slug: $s) { title status } }`, "variables": map[string]string{"s": slug}})
	resp, err := http.Post(base+"/query", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			Activity *struct{ Title, Status string }
		}
		Errors []any
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || len(out.Errors) > 0 {
		t.Fatalf("anonymous query: %v %v", err, out.Errors)
	}
	if out.Data.Activity == nil {
		return "", false
	}
	return out.Data.Activity.Title, true
}

// TestBrowser runs the desk as the program serves it (package app: the
// real sign-in in front of the desk) in headless Chromium; each person
// signs in with a password in a browser context of their own. An editor
// creates an
// activity with a day outside its edition, sees the problem by the date
// field, fixes it, saves a draft, previews it, publishes it and an
// anonymous GraphQL query finds it; meanwhile a second editor changes the
// same activity, the first gets the conflict screen, and both changes
// survive. The same again with the keyboard alone; then an admin runs
// axe-core over every page (the people pages too, with an invitation
// link shown) at 375 and 1280 pixels, and takes the screenshots of the
// README when DESK_SCREENSHOTS names a directory.
func TestBrowser(t *testing.T) {
	if _, err := os.Stat(browsertest.ChromiumPath); err != nil {
		t.Skipf("%s not installed", browsertest.ChromiumPath)
	}
	if testing.Short() {
		t.Skip("skipping browser test in short mode")
	}
	env := apitest.New(t, apitest.Options{Webhooks: webhooks.Options{AllowPrivate: true}})
	b := newBrowser(t, env)
	ed := edition(t, env.Catalog, 2023)
	anna := b.tab("Anna", content.RoleEditor)
	bram := b.tab("Bram", content.RoleEditor)

	for _, keyboard := range []bool{false, true} {
		name := "mouse"
		if keyboard {
			name = "keyboard"
		}
		t.Run(name, func(t *testing.T) {
			slug := "browser-" + name
			title := "Zorgrobot op bezoek (" + name + ")"
			do(t, anna, chromedp.Navigate(env.URL+"/desk/activities/new"))
			waitFor(t, anna, `!!document.getElementById("f-title-nl")`)
			if keyboard {
				tabTo(t, anna, "#f-title-nl")
				key(t, anna, title)
				tabTo(t, anna, "#f-slug")
				key(t, anna, slug)
				tabTo(t, anna, "#f-edition")
				key(t, anna, "2023")
				tabTo(t, anna, "#f-startsOn")
				key(t, anna, "01012030") // en-US: month, day, year
				tabTo(t, anna, `button[value="save"]`)
				key(t, anna, "\r")
			} else {
				do(t, anna,
					chromedp.SendKeys(chromedp.ID("f-title-nl"), title),
					chromedp.SendKeys(chromedp.ID("f-slug"), slug),
					chromedp.SetValue(chromedp.ID("f-edition"), ed.ID),
					chromedp.SetValue(chromedp.ID("f-startsOn"), "2030-01-01"),
					chromedp.SetValue(chromedp.ID("f-startsAt"), "14:00"),
					chromedp.Click(chromedp.CSS(`button[value="save"]`)))
			}
			// The problem, next to the date field; nothing is stored.
			waitFor(t, anna, `!!document.getElementById("f-startsOn-problem")`)
			geo := eval[struct {
				Text           string
				Below, Aligned bool
				Invalid        string
			}](t, anna, `(() => {
				const i = document.getElementById("f-startsOn"), p = document.getElementById("f-startsOn-problem");
				const a = i.getBoundingClientRect(), q = p.getBoundingClientRect();
				return { text: p.textContent, below: q.top >= a.bottom - 1 && q.top - a.bottom < 40,
					aligned: Math.abs(q.left - a.left) < 24, invalid: i.getAttribute("aria-invalid") || "" };
			})()`)
			if !strings.Contains(geo.Text, "outside the edition 2023") || !geo.Below || !geo.Aligned || geo.Invalid != "true" {
				t.Fatalf("the problem is not by the date field: %+v", geo)
			}
			if !keyboard {
				screenshot(t, anna, "desk-form-problems.png")
			}
			if _, found := anonymousActivity(t, env.URL, slug); found || countActivities(t, env.Catalog, slug) != 0 {
				t.Fatal("stored with a problem")
			}
			// Fix the day; save the draft.
			if keyboard {
				tabTo(t, anna, "#f-startsOn")
				key(t, anna, "02202023")
				tabTo(t, anna, `button[value="save"]`)
				key(t, anna, "\r")
			} else {
				do(t, anna, chromedp.SetValue(chromedp.ID("f-startsOn"), ed.StartsOn.String()),
					chromedp.Click(chromedp.CSS(`button[value="save"]`)))
			}
			waitFor(t, anna, `location.search.includes("done=created")`)
			a, err := content.BySlug[content.Activity](adminCtx(), env.Catalog, slug)
			if err != nil || a == nil || a.Status != content.StatusDraft {
				t.Fatalf("the draft: %+v %v", a, err)
			}
			if keyboard && a.StartsOn.String() != "2023-02-20" {
				t.Fatalf("typed day stored as %s", a.StartsOn)
			}
			if _, found := anonymousActivity(t, env.URL, slug); found {
				t.Fatal("a draft is public")
			}
			// Preview: the API's answer.
			if keyboard {
				tabTo(t, anna, `a[href$="/preview"]`)
				key(t, anna, "\r")
			} else {
				do(t, anna, chromedp.Click(chromedp.CSS(`a[href$="/preview"]`)))
			}
			waitFor(t, anna, `!!document.querySelector("pre.api")`)
			if api := eval[string](t, anna, `document.querySelector("pre.api").textContent`); !strings.Contains(api, `"slug": "`+slug+`"`) || !strings.Contains(api, `"status": "DRAFT"`) {
				t.Fatalf("preview: %s", api)
			}
			// Publish.
			if keyboard {
				tabTo(t, anna, `button[value="publish"]`)
				key(t, anna, "\r")
			} else {
				do(t, anna, chromedp.Click(chromedp.CSS(`button[value="publish"]`)))
			}
			waitFor(t, anna, `location.search.includes("done=published")`)
			if got, found := anonymousActivity(t, env.URL, slug); !found || got != title {
				t.Fatalf("anonymous query: %q %v", got, found)
			}

			// Both open the form; Bram saves first, then Anna.
			form := env.URL + "/desk/activities/" + a.ID
			do(t, anna, chromedp.Navigate(form))
			waitFor(t, anna, `!!document.getElementById("f-title-nl")`)
			do(t, bram, chromedp.Navigate(form))
			waitFor(t, bram, `!!document.getElementById("f-summary-nl")`)
			do(t, bram, chromedp.SendKeys(chromedp.ID("f-summary-nl"), "Samenvatting van Bram."),
				chromedp.Click(chromedp.CSS(`button[value="save"]`)))
			waitFor(t, bram, `location.search.includes("done=saved")`)
			annaTitle := "Titel van Anna (" + name + ")"
			if keyboard {
				tabTo(t, anna, "#f-title-nl") // Tab selects the text: typing replaces it
				key(t, anna, annaTitle)
				tabTo(t, anna, `button[value="save"]`)
				key(t, anna, "\r")
			} else {
				do(t, anna, chromedp.SetValue(chromedp.ID("f-title-nl"), annaTitle),
					chromedp.Click(chromedp.CSS(`button[value="save"]`)))
			}
			waitFor(t, anna, `!!document.querySelector("form.conflict")`)
			rows := eval[[]string](t, anna, `[...document.querySelectorAll(".conflict-row legend")].map(l => l.textContent.trim())`)
			if len(rows) != 2 {
				t.Fatalf("conflict rows %q", rows)
			}
			if !keyboard {
				screenshot(t, anna, "desk-conflict.png")
			}
			if keyboard {
				tabTo(t, anna, `button[value="choices"]`)
				key(t, anna, "\r")
			} else {
				do(t, anna, chromedp.Click(chromedp.CSS(`button[value="choices"]`)))
			}
			waitFor(t, anna, `location.search.includes("done=saved")`)
			a, _ = content.BySlug[content.Activity](adminCtx(), env.Catalog, slug)
			if a.Title.NL != annaTitle || a.Summary.NL != "Samenvatting van Bram." {
				t.Fatalf("after the conflict: title %q, summary %q", a.Title.NL, a.Summary.NL)
			}
		})
	}

	t.Run("axe", func(t *testing.T) {
		admin := b.tab("Ada", content.RoleAdmin)
		if _, err := env.App.Webhooks().Add(adminCtx(), "http://127.0.0.1:9/hook", []string{"activity.*"}, "", "Testontvanger"); err != nil {
			t.Fatal(err)
		}
		eps, _ := env.App.Webhooks().List(adminCtx())
		act, _ := content.BySlug[content.Activity](adminCtx(), env.Catalog, "browser-mouse")
		if act == nil {
			t.Fatal("the mouse run made no activity")
		}
		rc, _ := content.BySlug[content.Recap](adminCtx(), env.Catalog, "terugblik-2021")
		pages := []string{"/desk", "/desk/activities?edition=2023", "/desk/recaps", "/desk/activities/" + act.ID, "/desk/activities/" + act.ID + "/preview",
			"/desk/recaps/" + rc.ID, "/desk/recaps/" + rc.ID + "/preview", "/desk/admin/keys", "/desk/admin/mail", "/desk/admin/webhooks", "/desk/admin/webhooks/" + eps[0].ID,
			"/desk/admin/audit", "/desk/admin/trash", "/desk/people"}
		for _, width := range []int64{375, 1280} {
			do(t, admin, chromedp.EmulateViewport(width, 900))
			for _, p := range pages {
				do(t, admin, chromedp.Navigate(env.URL+p))
				waitFor(t, admin, `document.readyState === "complete"`)
				b.axe(t, admin, fmt.Sprintf("%s at %d", p, width))
			}
			// The people page with a new person's one-time link.
			do(t, admin, chromedp.Navigate(env.URL+"/desk/people"))
			waitFor(t, admin, `!!document.getElementById("person-email")`)
			do(t, admin, chromedp.SendKeys(chromedp.ID("person-email"), fmt.Sprintf("nieuw%d@example.org", width)),
				chromedp.SendKeys(chromedp.ID("person-name"), fmt.Sprintf("Nieuwe Redacteur %d", width)),
				chromedp.Submit(chromedp.ID("person-name")))
			waitFor(t, admin, `!!document.getElementById("invite-link")`)
			b.axe(t, admin, fmt.Sprintf("people page with an invitation at %d", width))
			// A form with problems.
			do(t, admin, chromedp.Navigate(env.URL+"/desk/activities/new"))
			waitFor(t, admin, `!!document.getElementById("f-title-nl")`)
			do(t, admin, chromedp.SetValue(chromedp.ID("f-startsOn"), "2030-01-01"), chromedp.Click(chromedp.CSS(`button[value="save"]`)))
			waitFor(t, admin, `!!document.getElementById("problems")`)
			b.axe(t, admin, fmt.Sprintf("form with problems at %d", width))
			// The conflict screen.
			do(t, admin, chromedp.Navigate(env.URL+"/desk/activities/"+act.ID))
			waitFor(t, admin, `!!document.getElementById("f-title-nl")`)
			if _, err := content.Update[content.Activity](content.WithViewer(t.Context(), content.Viewer{Actor: "Bram", Role: content.RoleEditor, Drafts: true}), env.Catalog, act.ID, current(t, env.Catalog, act.ID), func(a *content.Activity) error {
				a.Summary.EN = fmt.Sprintf("Summary by Bram at %d px.", width)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			do(t, admin, chromedp.SetValue(chromedp.ID("f-summary-en"), "Summary by Ada."), chromedp.Click(chromedp.CSS(`button[value="save"]`)))
			waitFor(t, admin, `!!document.querySelector("form.conflict")`)
			b.axe(t, admin, fmt.Sprintf("conflict screen at %d", width))
		}
		do(t, admin, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(env.URL+"/desk"))
		waitFor(t, admin, `document.readyState === "complete"`)
		screenshot(t, admin, "desk-dashboard.png")
		do(t, admin, chromedp.Navigate(env.URL+"/desk/activities?edition=2023"))
		waitFor(t, admin, `document.readyState === "complete"`)
		screenshot(t, admin, "desk-list.png")
		do(t, admin, chromedp.Navigate(env.URL+"/desk/people"))
		waitFor(t, admin, `!!document.getElementById("person-email")`)
		screenshot(t, admin, "desk-people.png")
	})

	t.Run("console", func(t *testing.T) {
		for _, m := range b.consoleMessages() {
			// A form with problems answers 422 and the conflict screen
			// 409, by design; Chromium reports such statuses.
			if strings.Contains(m, "Failed to load resource") && (strings.Contains(m, "status of 422") || strings.Contains(m, "status of 409")) {
				continue
			}
			t.Errorf("console: %s", m)
		}
	})
}

func current(t *testing.T, cat *content.Catalog, id string) int64 {
	t.Helper()
	a, err := content.GetOne[content.Activity](adminCtx(), cat, id)
	if err != nil || a == nil {
		t.Fatal(err)
	}
	return a.Version
}
