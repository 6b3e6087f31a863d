package browsertest

import (
	"context"
	_ "embed"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Step is how long one browser step (a navigation, a click, an
// evaluation) may take before the test fails instead of hanging; a busy
// two-core machine needs seconds where a quiet one needs milliseconds.
const Step = 30 * time.Second

// NewTab opens a tab of the browser (chromedp.WithNewBrowserContext among
// opts gives it cookies of its own) and attaches to it at once, on the
// tab's own context: a first action on a shorter-lived context would tie
// the tab to that context and close it when it ends, after which every
// later action waits forever. The tab closes when the test ends.
func NewTab(tb testing.TB, browser context.Context, opts ...chromedp.ContextOption) context.Context {
	tb.Helper()
	tab, cancel := chromedp.NewContext(browser, opts...)
	tb.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		tb.Fatalf("opening a tab: %v", err)
	}
	return tab
}

// Do runs the actions in the tab within Step, failing the test on an
// error.
func Do(tb testing.TB, tab context.Context, actions ...chromedp.Action[chromedp.Void]) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(tab, Step)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.Fatal(err)
	}
}

// Eval evaluates the JavaScript expression in the tab within Step and
// returns its value (a promise is awaited), failing the test on an error.
func Eval[T any](tb testing.TB, tab context.Context, js string) T {
	tb.Helper()
	ctx, cancel := context.WithTimeout(tab, Step)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.Fatalf("%.200s: %v", js, err)
	}
	return v
}

// WaitFor waits until the JavaScript expression is true in the tab, or
// fails the test after Step with the page's address and text. Each try is
// a separate short evaluation, so a navigation under way (which ends an
// evaluation and replaces the document) counts as a false answer and the
// next try looks at the new document: waiting after a click that submits a
// form can never hang on the page that is going away.
func WaitFor(tb testing.TB, tab context.Context, js string) {
	tb.Helper()
	deadline := time.Now().Add(Step)
	check := fmt.Sprintf(`(() => { try { return !!(%s); } catch (e) { return false; } })()`, js)
	var last error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(tab, 2*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](check))
		cancel()
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(20 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(tab, 5*time.Second)
	defer cancel()
	page, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" + (document.body ? document.body.innerText.slice(0, 1500) : "")`))
	if err != nil {
		page = "(not readable: " + err.Error() + ")"
	}
	tb.Fatalf("waiting for %s: %v; page: %s", js, last, page)
}

//go:embed axe/axe.min.js
var axeSource string

// Violation is one accessibility rule axe-core found broken on a page,
// with up to five of the elements that break it.
type Violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"` // minor, moderate, serious or critical
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// String describes the violation for a test's log.
func (v Violation) String() string {
	return fmt.Sprintf("axe %s (%s): %s at %q", v.ID, v.Impact, v.Help, v.Nodes)
}

// axeRun runs axe-core for WCAG 2.0 and 2.1 A and AA and axe's best
// practices.
const axeRun = `axe.run(document, {
  resultTypes: ["violations"],
  runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
}).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact || "", help: v.help,
  nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + (n.failureSummary || "").replace(/\s+/g, " ")),
})))`

// Axe injects axe-core 4.14.1 (vendored in axe/, see its README) into the
// tab's page and returns what it finds broken.
func Axe(tb testing.TB, tab context.Context) []Violation {
	tb.Helper()
	Eval[bool](tb, tab, axeSource+"\n;true")
	return Eval[[]Violation](tb, tab, axeRun)
}
