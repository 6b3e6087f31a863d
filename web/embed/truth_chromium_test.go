package embed

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"estafette/internal/browsertest"
	"estafette/seed"
)

// TestChromiumShowsWhatIsKnown views the edition and recap embeds in
// headless Chromium, with synthetic activities loaded: a region without
// known activities says so (not "0"), the commissioner and the sources are
// shown, no synthetic record appears, and no page claims a publication
// date no source gives (no "Gepubliceerd op", no article:published_time,
// no JSON-LD datePublished other than the 2024 article's month).
func TestChromiumShowsWhatIsKnown(t *testing.T) {
	browser := browsertest.Start(t)
	h, cat := newHandler(t, Options{})
	if err := seed.LoadSynthetic(context.Background(), cat, 300, nil); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	tab := browsertest.NewTab(t, browser)
	text := func(path string) string {
		t.Helper()
		browsertest.Do(t, tab, chromedp.Navigate(srv.URL+path))
		browsertest.WaitFor(t, tab, `document.readyState === "complete" && !!document.querySelector("h1")`)
		return browsertest.Eval[string](t, tab, `document.body.innerText`)
	}
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/embed/editions/2022", []string{"geen activiteiten bekend", "Opdrachtgever", "Bronnen"}},
		{"/embed/editions/2023?locale=en", []string{"no activities known", "Sources"}},
		{"/embed/editions/2024?locale=en", []string{"Commissioned by", "Sources", "March 2024"}},
	} {
		body := text(tc.path)
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s does not show %q:\n%s", tc.path, w, body)
			}
		}
		if strings.Contains(body, seed.SyntheticMarkNL) || strings.Contains(body, seed.SyntheticMarkEN) {
			t.Errorf("%s shows synthetic content", tc.path)
		}
	}
	for _, path := range []string{"/embed/recaps/terugblik-2021", "/embed/recaps/terugblik-2024?locale=en", "/embed/editions/2024"} {
		body := text(path)
		if strings.Contains(body, "Gepubliceerd op") || strings.Contains(body, "Published on") || strings.Contains(body, "2026") {
			t.Errorf("%s shows a publication date no source gives:\n%s", path, body)
		}
		meta := browsertest.Eval[bool](t, tab, `!!document.querySelector('meta[property="article:published_time"]')`)
		ld := browsertest.Eval[string](t, tab, `[...document.querySelectorAll('script[type="application/ld+json"]')].map(s => s.textContent).join("\n")`)
		if meta || strings.Contains(strings.ReplaceAll(ld, `"datePublished":"2024-03"`, ""), "datePublished") {
			t.Errorf("%s claims a publication date in its metadata: %v %s", path, meta, ld)
		}
	}
}
