package embed

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"estafette/content"
	"estafette/internal/collections"
	"estafette/seed"
	"estafette/sqlite"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// newCatalog opens a temporary store holding the seed content.
func newCatalog(tb testing.TB) *content.Catalog {
	tb.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, tb.TempDir(), collections.All())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { store.Close() })
	cat := content.NewCatalog(store)
	if _, err := seed.Load(ctx, cat); err != nil {
		tb.Fatal(err)
	}
	return cat
}

// quiet is a logger that drops everything.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func newHandler(tb testing.TB, o Options) (*Handler, *content.Catalog) {
	tb.Helper()
	cat := newCatalog(tb)
	if o.Logger == nil {
		o.Logger = quiet
	}
	return New(cat, o), cat
}

func do(tb testing.TB, h http.Handler, target string, header http.Header) (*http.Response, string) {
	tb.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.Host = "embed.example.nl"
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result(), rec.Body.String()
}

// pages are the pages with golden files: each page type in both locales,
// both variants and the dark theme, the fallback and the error pages.
var pages = []struct{ name, target string }{
	{"recap-nl", "/embed/recaps/terugblik-2021"},
	{"recap-en", "/embed/recaps/terugblik-2021?locale=en"},
	{"recap-card-nl", "/embed/recaps/terugblik-2024?variant=card"},
	{"recap-card-en-dark", "/embed/recaps/terugblik-2024?variant=card&locale=en&theme=dark"},
	{"edition-2021-nl", "/embed/editions/2021"},
	{"edition-2021-en", "/embed/editions/2021?locale=en"},
	{"edition-2024-full-nl", "/embed/editions/2024?variant=full"},
	{"edition-2024-en-dark", "/embed/editions/2024?locale=en&theme=dark"},
	{"initiative-nl", "/embed/initiatives/tour-de-beterdichtbij"},
	{"initiative-full-en", "/embed/initiatives/tour-de-beterdichtbij?locale=en&variant=full"},
	{"not-found-nl", "/embed/recaps/bestaat-niet"},
	{"not-found-en", "/embed/editions/1999?locale=en"},
	{"bad-request-nl", "/embed/recaps/terugblik-2021?variant=groot&theme=roze"},
	{"bad-request-en", "/embed/editions/2021?locale=en&theme=roze"},
}

func TestGolden(t *testing.T) {
	h, _ := newHandler(t, Options{PublicURL: "https://api.example.nl"})
	for _, p := range pages {
		resp, body := do(t, h, p.target, nil)
		if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", p.target, ct)
		}
		file := filepath.Join("testdata", "golden", p.name+".html")
		if *update {
			if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%v (run go test ./web/embed -update)", err)
		}
		if body != string(want) {
			t.Errorf("%s differs from %s (go test ./web/embed -update rewrites it after a deliberate change); got:\n%s", p.target, file, body)
		}
	}
}

func TestStatuses(t *testing.T) {
	h, _ := newHandler(t, Options{})
	for target, want := range map[string]int{
		"/embed/recaps/terugblik-2021":                           200,
		"/embed/recaps/terugblik-2021?utm_source=nieuwsbrief":    200,
		"/embed/recaps/terugblik-2021?locale=EN":                 200,
		"/embed/recaps/terugblik-2021?locale=":                   200,
		"/embed/editions/2023":                                   200,
		"/embed/editions/2022?variant=full&theme=dark":           200,
		"/embed/initiatives/expobike?variant=full":               200,
		"/embed/recaps/nope":                                     404,
		"/embed/editions/1999":                                   404,
		"/embed/editions/20x1":                                   404,
		"/embed/editions/+202":                                   404,
		"/embed/initiatives/nope":                                404,
		"/embed/":                                                404,
		"/embed/recaps/":                                         404,
		"/embed/recaps/terugblik-2021/extra":                     404,
		"/embed/organizations/zonmw":                             404,
		"/embed/recaps/terugblik-2021?locale=fr":                 400,
		"/embed/recaps/terugblik-2021?variant=mini":              400,
		"/embed/recaps/terugblik-2021?theme=blue":                400,
		"/embed/recaps/terugblik-2021?locale=nl&locale=en":       400,
		"/embed/recaps/nope?theme=blue":                          400,
		"/embed/editions/2021?variant=card&variant=full&theme=x": 400,
	} {
		resp, body := do(t, h, target, nil)
		if resp.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", target, resp.StatusCode, want)
		}
		if resp.Header.Get("Content-Type") != "text/html; charset=utf-8" || !strings.Contains(body, "<main") {
			t.Errorf("GET %s: not an HTML page: %q", target, resp.Header.Get("Content-Type"))
		}
		if resp.Header.Get("Content-Security-Policy") == "" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: security headers missing: %v", target, resp.Header)
		}
		if want == 400 && !strings.Contains(body, "<li>") {
			t.Errorf("GET %s: the 400 page does not list what is wrong:\n%s", target, body)
		}
		if strings.Contains(body, "goroutine") || strings.Contains(body, ".go:") {
			t.Errorf("GET %s: internals on the page", target)
		}
	}
	_, body := do(t, h, "/embed/recaps/terugblik-2021?variant=mini&locale=en", nil)
	if !strings.Contains(body, `variant=&#34;mini&#34;`) || !strings.Contains(body, "choose card or full") || !strings.Contains(body, `<html lang="en"`) {
		t.Errorf("the 400 page does not say, in English, what is wrong:\n%s", body)
	}
	_, body = do(t, h, "/embed/recaps/%3Cscript%3Ealert(1)%3C%2Fscript%3E", nil)
	if strings.Contains(body, "<script>alert") {
		t.Errorf("404 page does not escape the slug:\n%s", body)
	}
	if resp, body := do(t, h, "/embed/icon.svg", nil); resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" || !strings.HasPrefix(body, "<svg") {
		t.Errorf("icon: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	req := httptest.NewRequest(http.MethodPost, "/embed/recaps/terugblik-2021", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST = %d, want 405", rec.Code)
	}
	req = httptest.NewRequest(http.MethodHead, "/embed/recaps/terugblik-2021", nil)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 || rec.Header().Get("ETag") == "" {
		t.Errorf("HEAD = %d with %d bytes, ETag %q", rec.Code, rec.Body.Len(), rec.Header().Get("ETag"))
	}
}

func TestHeaders(t *testing.T) {
	for _, c := range []struct {
		parents []string
		want    string
	}{
		{nil, "*"},
		{[]string{"https://www.rijksoverheid.nl", "https://*.example.nl"}, "https://www.rijksoverheid.nl https://*.example.nl"},
		{[]string{"'none'"}, "'none'"},
	} {
		h, _ := newHandler(t, Options{AllowedParents: c.parents})
		for _, target := range []string{"/embed/recaps/terugblik-2023", "/embed/recaps/nope", "/embed/recaps/terugblik-2023?theme=x"} {
			resp, body := do(t, h, target, nil)
			csp := directives(resp.Header.Get("Content-Security-Policy"))
			if csp["frame-ancestors"] != c.want {
				t.Errorf("%s: frame-ancestors %q, want %q", target, csp["frame-ancestors"], c.want)
			}
			if csp["default-src"] != "'none'" || csp["base-uri"] != "'none'" || csp["form-action"] != "'none'" {
				t.Errorf("%s: CSP %v", target, csp)
			}
			if strings.Contains(csp["script-src"], "unsafe") || strings.Contains(csp["style-src"], "unsafe") {
				t.Errorf("%s: CSP allows unsafe inline code: %v", target, csp)
			}
			// The hashes in the policy are those of the page's inline script and style.
			for _, m := range []struct{ directive, element string }{{"script-src", "script"}, {"style-src", "style"}} {
				for _, code := range inlineCode(t, body, m.element) {
					if h := "'" + cspHash(code) + "'"; !strings.Contains(csp[m.directive], h) {
						t.Errorf("%s: inline %s with hash %s is not in %s %q", target, m.element, h, m.directive, csp[m.directive])
					}
				}
			}
			for k, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"Referrer-Policy":        "no-referrer",
				"X-Frame-Options":        "",
			} {
				if got := resp.Header.Get(k); got != want {
					t.Errorf("%s: %s = %q, want %q", target, k, got, want)
				}
			}
		}
	}
}

// directives splits a Content-Security-Policy into its directives.
func directives(csp string) map[string]string {
	out := map[string]string{}
	for _, d := range strings.Split(csp, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		out[name] = value
	}
	return out
}

// inlineCode returns the text of the page's elements of the given name that
// run or style (JSON-LD data blocks are not scripts).
func inlineCode(t *testing.T, page, element string) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || n.Data != element {
			continue
		}
		if typ := attrOf(n, "type"); typ != "" && typ != "text/javascript" && typ != "text/css" {
			continue
		}
		var b strings.Builder
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			b.WriteString(c.Data)
		}
		out = append(out, b.String())
	}
	if len(out) == 0 {
		t.Errorf("page has no inline %s", element)
	}
	return out
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func TestCaching(t *testing.T) {
	h, cat := newHandler(t, Options{})
	const target = "/embed/recaps/terugblik-2023?locale=en"
	resp, body := do(t, h, target, nil)
	etag := resp.Header.Get("ETag")
	if !regexp.MustCompile(`^"[0-9a-f]{32}"$`).MatchString(etag) {
		t.Fatalf("ETag %q, want a strong one", etag)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=300, stale-while-revalidate=86400" {
		t.Errorf("Cache-Control %q", cc)
	}
	resp2, body2 := do(t, h, target, nil)
	if resp2.Header.Get("ETag") != etag || body2 != body {
		t.Errorf("the same page twice gave different bytes or ETags")
	}
	for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
		r, b := do(t, h, target, http.Header{"If-None-Match": {inm}})
		if r.StatusCode != http.StatusNotModified || b != "" {
			t.Errorf("If-None-Match %s = %d with %d bytes, want 304 without body", inm, r.StatusCode, len(b))
		}
		if r.Header.Get("ETag") != etag || r.Header.Get("Cache-Control") == "" {
			t.Errorf("304 without ETag or Cache-Control: %v", r.Header)
		}
	}
	if r, _ := do(t, h, target, http.Header{"If-None-Match": {`"stale"`}}); r.StatusCode != http.StatusOK {
		t.Errorf("stale If-None-Match = %d, want 200", r.StatusCode)
	}
	// Another locale or theme is another page.
	if r, _ := do(t, h, "/embed/recaps/terugblik-2023", http.Header{"If-None-Match": {etag}}); r.StatusCode != http.StatusOK || r.Header.Get("ETag") == etag {
		t.Errorf("the Dutch page matched the English page's ETag")
	}

	// An edit of the recap changes the page and its ETag.
	ctx := context.Background()
	rc, err := content.BySlug[content.Recap](ctx, cat, "terugblik-2023")
	if err != nil || rc == nil {
		t.Fatal(rc, err)
	}
	rc.Body.EN += "\nThe relay ended with a national meeting.\n"
	rc.Version++
	rc.UpdatedAt = rc.UpdatedAt.Add(time.Hour)
	if err := cat.Save(ctx, rc); err != nil {
		t.Fatal(err)
	}
	resp3, body3 := do(t, h, target, http.Header{"If-None-Match": {etag}})
	if resp3.StatusCode != http.StatusOK {
		t.Fatalf("after an edit, If-None-Match with the old ETag = %d, want 200", resp3.StatusCode)
	}
	if e3 := resp3.Header.Get("ETag"); e3 == etag || e3 == "" {
		t.Errorf("ETag after the edit %q, before %q", e3, etag)
	}
	if !strings.Contains(body3, "The relay ended with a national meeting.") {
		t.Errorf("the page does not show the edit")
	}
	// Errors are not cached for long, nor get an ETag.
	r, _ := do(t, h, "/embed/recaps/nope", nil)
	if r.Header.Get("Cache-Control") != "public, max-age=60" || r.Header.Get("ETag") != "" {
		t.Errorf("404: Cache-Control %q, ETag %q", r.Header.Get("Cache-Control"), r.Header.Get("ETag"))
	}
	r, _ = do(t, h, "/embed/recaps/terugblik-2023?theme=x", nil)
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("400: Cache-Control %q", r.Header.Get("Cache-Control"))
	}
}

// element returns the attributes of the first element matching name and
// the attribute filter, and its text.
func findAll(t *testing.T, page string, match func(*html.Node) bool) []*html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var out []*html.Node
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
	}
	return out
}

func textOf(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func TestLocales(t *testing.T) {
	h, cat := newHandler(t, Options{})
	_, nl := do(t, h, "/embed/recaps/terugblik-2021", nil)
	_, en := do(t, h, "/embed/recaps/terugblik-2021?locale=en", nil)
	if !strings.Contains(nl, `<html lang="nl"`) || !strings.Contains(nl, "Terugblik: de e-healthweek wordt een estafette") {
		t.Errorf("Dutch page wrong")
	}
	if !strings.Contains(en, `<html lang="en"`) || !strings.Contains(en, "Looking back: the e-healthweek becomes a relay") || !strings.Contains(en, "From one week to four") {
		t.Errorf("English page wrong")
	}
	if strings.Contains(en, `class="notice"`) || strings.Contains(nl, `class="notice"`) {
		t.Errorf("a notice on a page that did not fall back")
	}

	// A recap without English: the page says so, in English, and marks the
	// Dutch text as Dutch.
	ctx := context.Background()
	rc, _ := content.BySlug[content.Recap](ctx, cat, "terugblik-2023")
	rc.Title.EN, rc.Body.EN = "", ""
	if err := cat.Save(ctx, rc); err != nil {
		t.Fatal(err)
	}
	_, fb := do(t, h, "/embed/recaps/terugblik-2023?locale=en", nil)
	notice := findAll(t, fb, func(n *html.Node) bool { return attrOf(n, "class") == "notice" })
	if len(notice) != 1 || !strings.Contains(textOf(notice[0]), "available in English") {
		t.Errorf("fallback page has no English notice:\n%s", fb)
	}
	h1 := findAll(t, fb, func(n *html.Node) bool { return n.Data == "h1" })
	if len(h1) != 1 || attrOf(h1[0], "lang") != "nl" || !strings.Contains(textOf(h1[0]), "kennismarathon") {
		t.Errorf("fallen-back title not marked lang=nl")
	}
	body := findAll(t, fb, func(n *html.Node) bool { return attrOf(n, "class") == "body" })
	if len(body) != 1 || attrOf(body[0], "lang") != "nl" {
		t.Errorf("fallen-back body not marked lang=nl")
	}
	// The summary still has English: it is not marked.
	lead := findAll(t, fb, func(n *html.Node) bool { return attrOf(n, "class") == "lead" })
	if len(lead) != 1 || attrOf(lead[0], "lang") != "" || !strings.Contains(textOf(lead[0]), "From 6 February") {
		t.Errorf("English summary wrong")
	}
	// The Dutch page of the same recap has no notice.
	if _, b := do(t, h, "/embed/recaps/terugblik-2023", nil); strings.Contains(b, `class="notice"`) {
		t.Errorf("Dutch page has a notice")
	}
}

func TestEditionCard(t *testing.T) {
	h, _ := newHandler(t, Options{})
	_, page := do(t, h, "/embed/editions/2021?locale=en", nil)
	legs := findAll(t, page, func(n *html.Node) bool {
		return n.Data == "li" && n.Parent != nil && attrOf(n.Parent, "class") == "timeline"
	})
	want := []string{
		"Week 1 Region East 1–5 February 2021",
		"Week 2 Region West 8–12 February 2021",
		"Week 3 Region North 15–19 February 2021",
		"Week 4 Region South 22–26 February 2021",
	}
	if len(legs) != len(want) {
		t.Fatalf("%d legs, want %d", len(legs), len(want))
	}
	for i, l := range legs {
		if got := textOf(l); got != want[i] {
			t.Errorf("leg %d: %q, want %q", i+1, got, want[i])
		}
	}
	rows := findAll(t, page, func(n *html.Node) bool { return n.Data == "tr" })
	var counts []string
	for _, r := range rows {
		var cells []string
		for c := r.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				cells = append(cells, textOf(c))
			}
		}
		counts = append(counts, strings.Join(cells, " "))
	}
	// 2021: the opening of each region's week, the pitch event and GOOD FOOD
	// in the South, and the national closing meeting.
	wantCounts := []string{"Region Activities", "Region East 1", "Region West 1", "Region North 1", "Region South 3", "National or without a region 1", "Total 7"}
	if strings.Join(counts, "|") != strings.Join(wantCounts, "|") {
		t.Errorf("counts %q, want %q", counts, wantCounts)
	}
	if !strings.Contains(page, "Looking back: the e-healthweek becomes a relay") && !strings.Contains(page, "Looking back: the last baton goes to Region South") {
		t.Errorf("no latest recap")
	}

	// 2024 has no route and no dates in the sources: the card says so.
	_, page = do(t, h, "/embed/editions/2024", nil)
	for _, want := range []string{"data onbekend", "De route van deze editie is niet bekend.", "Tour de BeterDichtbij", "Expobike", "Terugblik: het innovatiestokje in 2024"} {
		if !strings.Contains(page, want) {
			t.Errorf("2024 card lacks %q", want)
		}
	}
	_, page = do(t, h, "/embed/editions/2022?locale=en", nil)
	for _, want := range []string{"dates unknown", "The route of this edition is not known.", "No initiatives are known.", "There is no recap yet."} {
		if !strings.Contains(page, want) {
			t.Errorf("2022 card lacks %q", want)
		}
	}
}

// jsonLD returns the page's JSON-LD, decoded.
func jsonLD(t *testing.T, page string) map[string]any {
	t.Helper()
	blocks := findAll(t, page, func(n *html.Node) bool { return n.Data == "script" && attrOf(n, "type") == "application/ld+json" })
	if len(blocks) != 1 {
		t.Fatalf("%d JSON-LD blocks", len(blocks))
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(blocks[0].FirstChild.Data), &v); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, blocks[0].FirstChild.Data)
	}
	if v["@context"] != "https://schema.org" {
		t.Errorf("@context = %v", v["@context"])
	}
	return v
}

func TestMetadata(t *testing.T) {
	h, _ := newHandler(t, Options{PublicURL: "https://api.example.nl"})
	_, page := do(t, h, "/embed/recaps/terugblik-2021-regio-zuid?locale=en", nil)
	ld := jsonLD(t, page)
	for k, want := range map[string]any{
		"@type":      "NewsArticle",
		"headline":   "Looking back: the last baton goes to Region South",
		"url":        "https://api.example.nl/embed/recaps/terugblik-2021-regio-zuid?locale=en",
		"inLanguage": "en",
	} {
		if ld[k] != want {
			t.Errorf("JSON-LD %s = %v, want %v", k, ld[k], want)
		}
	}
	// No source gives the recap's publication date: none is claimed.
	if v, ok := ld["datePublished"]; ok {
		t.Errorf("JSON-LD datePublished = %v, but no source gives one", v)
	}
	if strings.Contains(page, "article:published_time") || strings.Contains(page, "Published on") {
		t.Error("the recap page shows a publication date no source gives")
	}
	if about, _ := ld["about"].(map[string]any); about["@type"] != "Event" || about["name"] != "Slimme Zorg Estafette 2021" {
		t.Errorf("JSON-LD about = %v", ld["about"])
	}

	og := map[string]string{}
	for _, m := range findAll(t, page, func(n *html.Node) bool { return n.Data == "meta" && attrOf(n, "property") != "" }) {
		og[attrOf(m, "property")] = attrOf(m, "content")
	}
	for k, want := range map[string]string{
		"og:type": "article", "og:title": "Looking back: the last baton goes to Region South",
		"og:url": "https://api.example.nl/embed/recaps/terugblik-2021-regio-zuid?locale=en", "og:locale": "en_GB",
		"og:locale:alternate": "nl_NL", "og:site_name": "Slimme Zorg Estafette",
	} {
		if og[k] != want {
			t.Errorf("%s = %q, want %q", k, og[k], want)
		}
	}
	if og["og:description"] == "" {
		t.Errorf("no og:description")
	}
	links := findAll(t, page, func(n *html.Node) bool {
		return n.Data == "link" && attrOf(n, "rel") == "alternate" && attrOf(n, "type") == "application/json+oembed"
	})
	if len(links) != 1 {
		t.Fatalf("%d oEmbed discovery links", len(links))
	}
	if want := "https://api.example.nl/oembed?url=" + url.QueryEscape("https://api.example.nl/embed/recaps/terugblik-2021-regio-zuid?locale=en") + "&format=json"; attrOf(links[0], "href") != want {
		t.Errorf("oEmbed link %q, want %q", attrOf(links[0], "href"), want)
	}

	// Editions are Events with the legs as sub-events, in the Netherlands;
	// unknown dates are absent, not guessed.
	_, page = do(t, h, "/embed/editions/2021", nil)
	ld = jsonLD(t, page)
	if ld["@type"] != "Event" || ld["startDate"] != "2021-02-01" || ld["endDate"] != "2021-02-26" {
		t.Errorf("2021 Event: %v", ld)
	}
	if loc, _ := ld["location"].(map[string]any); loc["name"] != "Nederland" {
		t.Errorf("2021 location %v", ld["location"])
	}
	subs, _ := ld["subEvent"].([]any)
	if len(subs) != 4 {
		t.Fatalf("2021 has %d sub-events", len(subs))
	}
	zuid := subs[3].(map[string]any)
	if zuid["startDate"] != "2021-02-22" || zuid["location"].(map[string]any)["name"] != "Regio Zuid" {
		t.Errorf("leg 4: %v", zuid)
	}
	if orgs, _ := zuid["organizer"].([]any); len(orgs) != 2 {
		t.Errorf("leg 4 organizers: %v", zuid["organizer"])
	}
	_, page = do(t, h, "/embed/editions/2024", nil)
	ld = jsonLD(t, page)
	if _, ok := ld["startDate"]; ok {
		t.Errorf("2024 has a startDate: %v", ld["startDate"])
	}
	if org, _ := ld["organizer"].(map[string]any); org["name"] != "ZonMw" {
		t.Errorf("2024 organizer %v", ld["organizer"])
	}
	if _, ok := ld["subEvent"]; ok {
		t.Errorf("2024 has legs in JSON-LD")
	}

	// Activities are Events with location and organizer.
	_, page = do(t, h, "/embed/initiatives/tour-de-beterdichtbij", nil)
	ld = jsonLD(t, page)
	graph, _ := ld["@graph"].([]any)
	var events int
	for _, g := range graph {
		ev := g.(map[string]any)
		if ev["@type"] != "Event" {
			continue
		}
		events++
		loc, _ := ev["location"].(map[string]any)
		addr, _ := loc["address"].(map[string]any)
		org, _ := ev["organizer"].(map[string]any)
		if loc["@type"] != "Place" || addr["addressLocality"] == nil || org["name"] != "BeterDichtbij" {
			t.Errorf("activity Event %v", ev)
		}
		if _, ok := ev["startDate"]; ok {
			t.Errorf("activity without known start has startDate %v", ev["startDate"])
		}
	}
	if events != 3 {
		t.Errorf("%d activity Events, want 3", events)
	}
}

func TestParseOptions(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	o, err := ParseOptions(env(nil))
	if err != nil || o.PublicURL != "" || o.AllowedParents != nil {
		t.Errorf("empty env: %+v, %v", o, err)
	}
	o, err = ParseOptions(env(map[string]string{
		"PUBLIC_URL":            "https://api.example.nl/",
		"EMBED_ALLOWED_PARENTS": "https://www.rijksoverheid.nl, https://*.example.nl 'self'",
	}))
	if err != nil || o.PublicURL != "https://api.example.nl" || strings.Join(o.AllowedParents, " ") != "https://www.rijksoverheid.nl https://*.example.nl 'self'" {
		t.Errorf("got %+v, %v", o, err)
	}
	for _, bad := range []map[string]string{
		{"PUBLIC_URL": "api.example.nl"},
		{"PUBLIC_URL": "ftp://api.example.nl"},
		{"PUBLIC_URL": "https://api.example.nl/prefix"},
		{"PUBLIC_URL": "https://api.example.nl/?x=1"},
		{"EMBED_ALLOWED_PARENTS": "https://ok.nl; script-src *"},
		{"EMBED_ALLOWED_PARENTS": "javascript:"},
		{"EMBED_ALLOWED_PARENTS": "'none' https://ok.nl"},
		{"EMBED_ALLOWED_PARENTS": "'unsafe-inline'"},
	} {
		if _, err := ParseOptions(env(bad)); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}

func TestBaseURL(t *testing.T) {
	h, _ := newHandler(t, Options{})
	for _, c := range []struct {
		host, proto, want string
	}{
		{"embed.example.nl", "", "http://embed.example.nl"},
		{"embed.example.nl", "https", "https://embed.example.nl"},
		{"embed.example.nl:8443", "https, http", "https://embed.example.nl:8443"},
		{"embed.example.nl", "gopher", "http://embed.example.nl"},
		{`evil"><script>`, "", "http://localhost"},
	} {
		req := httptest.NewRequest(http.MethodGet, "/embed/editions/2023", nil)
		req.Host = c.host
		if c.proto != "" {
			req.Header.Set("X-Forwarded-Proto", c.proto)
		}
		if got := h.baseURL(req); got != c.want {
			t.Errorf("host %q proto %q: %q, want %q", c.host, c.proto, got, c.want)
		}
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/embed/editions/2023", nil)
	req.Host = "embed.example.nl"
	req.Header.Set("X-Forwarded-Proto", "https")
	h.ServeHTTP(rec, req)
	if !bytes.Contains(rec.Body.Bytes(), []byte(`content="https://embed.example.nl/embed/editions/2023"`)) {
		t.Errorf("og:url does not use the forwarded scheme")
	}
}

func TestDraftsNeverShown(t *testing.T) {
	h, cat := newHandler(t, Options{})
	ctx := context.Background()
	rc, _ := content.BySlug[content.Recap](ctx, cat, "terugblik-2024")
	rc.Status = content.StatusDraft
	if err := cat.Save(ctx, rc); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/embed/recaps/terugblik-2024", nil)
	req = req.WithContext(content.WithViewer(req.Context(), content.Viewer{Actor: "editor", Role: content.Role("editor"), Drafts: true}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotFound {
		t.Errorf("a draft recap with a previewing viewer = %d, want 404", rec.Code)
	}
}

// TestSyntheticLeftOut: with 300 synthetic activities loaded, the embed
// pages of real records read exactly as without them, and no real
// initiative lists a synthetic activity.
func TestSyntheticLeftOut(t *testing.T) {
	plain, _ := newHandler(t, Options{})
	withSyn, cat := newHandler(t, Options{})
	if err := seed.LoadSynthetic(context.Background(), cat, 300, nil); err != nil {
		t.Fatal(err)
	}
	pages := []string{"/embed/editions/2021", "/embed/editions/2022", "/embed/editions/2023", "/embed/editions/2024",
		"/embed/editions/2024?locale=en"}
	for _, r := range seed.Content() {
		switch r := r.(type) {
		case *content.Initiative:
			pages = append(pages, "/embed/initiatives/"+r.Slug)
		case *content.Recap:
			pages = append(pages, "/embed/recaps/"+r.Slug)
		}
	}
	for _, p := range pages {
		_, a := do(t, plain, p, nil)
		_, b := do(t, withSyn, p, nil)
		if a != b {
			t.Errorf("%s differs with synthetic activities loaded", p)
		}
		if strings.Contains(b, seed.SyntheticMarkNL) || strings.Contains(b, seed.SyntheticMarkEN) {
			t.Errorf("%s shows a synthetic record", p)
		}
	}
}
