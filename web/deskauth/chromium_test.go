package deskauth_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"estafette/content"
	"estafette/internal/browsertest"
	"estafette/web/deskauth"
)

// axeViolation is one failed axe-core rule.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeRun runs axe-core for WCAG 2.0 and 2.1 A and AA and best practices.
const axeRun = `axe.run(document, {
  resultTypes: ["violations"],
  runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
}).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact || "", help: v.help,
  nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + (n.failureSummary || "").replace(/\s+/g, " ")),
})))`

// TestChromium shows the sign-in page (empty, with an error, in English,
// with the identity provider's button), the invitation page and the
// placeholder desk in headless Chromium at 375 and 1280 pixels: axe-core
// finds no violation, nothing scrolls sideways, nothing is logged to the
// console (no CSP violation), and the keyboard reaches the form. It signs
// in with the keyboard alone. Screenshots go to $ESTAFETTE_ARTIFACTS/desk.
func TestChromium(t *testing.T) {
	axeSource, err := os.ReadFile(filepath.Join("..", "embed", "testdata", "axe", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
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
		got, err := chromedp.Run(tab, chromedp.Evaluate[struct {
			H1                       string
			ScrollWidth, ClientWidth float64
		}](`({h1: (document.querySelector("h1")||{}).textContent || "", scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth})`))
		if err != nil {
			t.Fatal(err)
		}
		if got.H1 != h1 {
			t.Errorf("h1 %q, want %q", got.H1, h1)
		}
		if got.ScrollWidth > got.ClientWidth {
			t.Errorf("the page scrolls sideways: %v > %v", got.ScrollWidth, got.ClientWidth)
		}
		if _, err := chromedp.Run(tab, chromedp.Evaluate[bool](string(axeSource)+"\n;true")); err != nil {
			t.Fatalf("injecting axe-core: %v", err)
		}
		violations, err := chromedp.Run(tab, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("axe-core: %v", err)
		}
		for _, v := range violations {
			t.Errorf("axe %s (%s): %s at %q", v.ID, v.Impact, v.Help, v.Nodes)
		}
		png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
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
			prepare        []chromedp.Action[chromedp.Void]
		}{
			{"signin-nl", "/desk/signin", "Aanmelden", nil},
			{"signin-en", "/desk/signin?lang=en", "Sign in", nil},
			{"signin-error-nl", "/desk/signin?lang=nl", "Aanmelden", []chromedp.Action[chromedp.Void]{
				chromedp.SendKeys("#email", "anna@example.nl"), chromedp.SendKeys("#password", "niet het wachtwoord"),
				chromedp.Submit("#password"), chromedp.WaitVisible(".error")}},
			{"invite-nl", "/desk/invite/" + invite, "Wachtwoord instellen", nil},
			{"invite-gone-en", "/desk/invite/unknown?lang=en", "Set your password", nil},
		} {
			t.Run(fmt.Sprintf("%s-%d", c.name, width), func(t *testing.T) {
				tab, cancel := chromedp.NewContext(browser)
				defer cancel()
				console := collect(tab)
				if err := chromedp.Do(tab, chromedp.EmulateViewport(width, 900), chromedp.Navigate(e.srv.URL+c.path)); err != nil {
					t.Fatal(err)
				}
				if c.prepare != nil {
					if err := chromedp.Do(tab, c.prepare...); err != nil {
						t.Fatal(err)
					}
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
			tab, cancel := chromedp.NewContext(browser)
			defer cancel()
			console := collect(tab)
			if err := chromedp.Do(tab, chromedp.EmulateViewport(width, 900), chromedp.Navigate(e.srv.URL+"/desk/signin?lang=nl")); err != nil {
				t.Fatal(err)
			}
			var focused string
			for range 5 { // the language link comes first, then the address
				if err := chromedp.Do(tab, chromedp.KeyEvent("\t")); err != nil {
					t.Fatal(err)
				}
				focused, _ = chromedp.Run(tab, chromedp.Evaluate[string](`document.activeElement.id`))
				if focused == "email" {
					break
				}
			}
			if focused != "email" {
				t.Fatalf("Tab never reaches the address field (at %q)", focused)
			}
			if err := chromedp.Do(tab, chromedp.KeyEvent("anna@example.nl"), chromedp.KeyEvent("\t"), chromedp.KeyEvent(password), chromedp.KeyEvent("\r")); err != nil {
				t.Fatal(err)
			}
			welcome, cancelWait := context.WithTimeout(tab, 10*time.Second)
			_, _ = chromedp.Run(welcome, chromedp.Poll[bool](`(document.querySelector("h1")||{}).textContent === "Welkom, Anna de Vries"`,
				chromedp.WithPollingInterval(20*time.Millisecond)))
			cancelWait()
			check(t, tab, "desk-placeholder", width, "Welkom, Anna de Vries")
			// Sign out with the keyboard too: the button is the last control.
			if err := chromedp.Do(tab, chromedp.Focus("button"), chromedp.KeyEvent("\r"), chromedp.WaitVisible(".notice")); err != nil {
				t.Fatal(err)
			}
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
