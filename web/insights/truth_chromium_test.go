package insights_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"estafette/internal/browsertest"
)

// TestChromiumShowsWhatIsKnown views /insights in headless Chromium with
// synthetic activities loaded: it speaks of this catalogue, shows the
// edition whose activities are unknown as unknown (not 0) with no change
// against it, shows no percentage change, labels the catalogue's own
// theme categories, and never counts a synthetic activity.
func TestChromiumShowsWhatIsKnown(t *testing.T) {
	browser := browsertest.Start(t)
	srv := httptest.NewServer(mux(catalog(t, 300)))
	defer srv.Close()
	tab := browsertest.NewTab(t, browser)
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/insights", []string{"wat deze catalogus bevat", "in deze catalogus", "onbekend", "niet te vergelijken", "(indeling van deze catalogus)"}},
		{"/insights?locale=en", []string{"what this catalogue holds", "in this catalogue", "unknown", "not comparable"}},
	} {
		browsertest.Do(t, tab, chromedp.Navigate(srv.URL+tc.path))
		browsertest.WaitFor(t, tab, `document.readyState === "complete" && !!document.querySelector("h1")`)
		body := browsertest.Eval[string](t, tab, `document.body.innerText`)
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s does not show %q", tc.path, w)
			}
		}
		// The totals row of 2022, whose activities the catalogue does not
		// know: unknown, never 0.
		row := browsertest.Eval[string](t, tab, `(() => { const r = [...document.querySelectorAll("tr")].find(r => r.querySelector("th, td") && r.querySelector("th, td").textContent.trim() === "2022"); return r ? r.innerText : ""; })()`)
		if row == "" || strings.Contains(" "+strings.Join(strings.Fields(row), " ")+" ", " 0 ") {
			t.Errorf("%s: the 2022 totals row reads %q", tc.path, row)
		}
		if strings.Contains(body, "%)") || strings.Contains(body, "Synthet") {
			t.Errorf("%s shows a percentage change or synthetic data:\n%s", tc.path, body)
		}
	}
}
