package deskauth_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"estafette/content"
	"estafette/internal/browsertest"
	"estafette/web/deskauth"
)

// TestChromium shows the sign-in page (empty, with an error, in English,
// with the identity provider's button), the invitation page and the
// placeholder desk in headless Chromium at 375 and 1280 pixels: axe-core
// finds no violation, nothing scrolls sideways, nothing is logged to the
// console (no CSP violation), and the keyboard reaches the form. It signs
// in with the keyboard alone. Screenshots go to $ESTAFETTE_ARTIFACTS/desk.
func TestChromium(t *testing.T) {
	p := newIDP(t)
	e := newEnv(t, deskauth.Options{OIDC: deskauth.OIDC{Issuer: p.srv.URL, ClientID: clientID, ClientSecret: clientSecret}})
	e.person("anna@example.nl", "Anna de Vries", content.RoleEditor)
	_, invite, err := e.people.Invite(admin(), "cor@example.nl", "Cor Jansen", content.RoleEditor)
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	if d := os.Getenv("ESTAFETTE_ARTIFACTS"); d != "" {
		dir = filepath.Join(d, "desk")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	browser := browsertest.Start(t)

	// check looks at the page of the tab.
	check := func(t *testing.T, tab context.Context, name string, width int64, h1 string) {
		t.Helper()
		got := browsertest.Eval[struct {
			H1                       string
			ScrollWidth, ClientWidth float64
		}](t, tab, `({h1: (document.querySelector("h1")||{}).textContent || "", scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth})`)
		if got.H1 != h1 {
			t.Errorf("h1 %q, want %q", got.H1, h1)
		}
		if got.ScrollWidth > got.ClientWidth {
			t.Errorf("the page scrolls sideways: %v > %v", got.ScrollWidth, got.ClientWidth)
		}
		for _, v := range browsertest.Axe(t, tab) {
			t.Error(v)
		}
		ctx, cancel := context.WithTimeout(tab, browsertest.Step)
		defer cancel()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, width)), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, width := range []int64{375, 1280} {
		for _, c := range []struct {
			name, path, h1 string
			prepare        func(t *testing.T, tab context.Context)
		}{
			{"signin-nl", "/desk/signin", "Aanmelden", nil},
			{"signin-en", "/desk/signin?lang=en", "Sign in", nil},
			{"signin-error-nl", "/desk/signin?lang=nl", "Aanmelden", func(t *testing.T, tab context.Context) {
				browsertest.Do(t, tab, chromedp.SendKeys("#email", "anna@example.nl"), chromedp.SendKeys("#password", "niet het wachtwoord"),
					chromedp.Submit("#password"))
				browsertest.WaitFor(t, tab, `document.querySelector(".error")`)
			}},
			{"invite-nl", "/desk/invite/" + invite, "Wachtwoord instellen", nil},
			{"invite-gone-en", "/desk/invite/unknown?lang=en", "Set your password", nil},
		} {
			t.Run(fmt.Sprintf("%s-%d", c.name, width), func(t *testing.T) {
				tab := browsertest.NewTab(t, browser)
				console := collect(tab)
				browsertest.Do(t, tab, chromedp.EmulateViewport(width, 900), chromedp.Navigate(e.srv.URL+c.path))
				if c.prepare != nil {
					c.prepare(t, tab)
				}
				check(t, tab, c.name, width, c.h1)
				for _, m := range console() {
					if strings.Contains(m, "status of 40") { // the page's own status (401, 404)
						continue
					}
					t.Errorf("console: %s", m)
				}
			})
		}
		// With the keyboard alone: Tab to the address, type, Tab, type, Enter.
		t.Run(fmt.Sprintf("keyboard-%d", width), func(t *testing.T) {
			tab := browsertest.NewTab(t, browser)
			console := collect(tab)
			browsertest.Do(t, tab, chromedp.EmulateViewport(width, 900), chromedp.Navigate(e.srv.URL+"/desk/signin?lang=nl"))
			var focused string
			for range 5 { // the language link comes first, then the address
				browsertest.Do(t, tab, chromedp.KeyEvent("\t"))
				focused = browsertest.Eval[string](t, tab, `document.activeElement.id`)
				if focused == "email" {
					break
				}
			}
			if focused != "email" {
				t.Fatalf("Tab never reaches the address field (at %q)", focused)
			}
			browsertest.Do(t, tab, chromedp.KeyEvent("anna@example.nl"), chromedp.KeyEvent("\t"), chromedp.KeyEvent(password), chromedp.KeyEvent("\r"))
			browsertest.WaitFor(t, tab, `document.querySelector("h1").textContent === "Welkom, Anna de Vries"`)
			check(t, tab, "desk-placeholder", width, "Welkom, Anna de Vries")
			// Sign out with the keyboard too: the button is the last control.
			browsertest.Do(t, tab, chromedp.Focus("button"), chromedp.KeyEvent("\r"))
			browsertest.WaitFor(t, tab, `document.querySelector(".notice")`)
			check(t, tab, "signed-out", width, "Aanmelden")
			for _, m := range console() {
				t.Errorf("console: %s", m)
			}
		})
	}
	t.Logf("screenshots in %s", dir)
}

// collect gathers the console messages and page errors of a tab; the
// function it returns ends the collection and returns them.
func collect(tab context.Context) func() []string {
	ctx, cancel := context.WithCancel(tab)
	var msgs []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			msgs = append(msgs, fmt.Sprintf("%s %s (%s:%d)", m.Type, m.Text, m.URL, m.Line))
		}
	}()
	return func() []string {
		cancel()
		<-done
		return msgs
	}
}
