package insights_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"estafette/content"
	"estafette/export"
	"estafette/internal/apitest"
	"estafette/web/calendar"
	"estafette/web/insights"
)

func catalog(t *testing.T, synthetic int) *content.Catalog {
	t.Helper()
	return apitest.Catalog(t, synthetic)
}

// mux serves the page and the exports and feeds it links to.
func mux(cat *content.Catalog) *http.ServeMux {
	m := http.NewServeMux()
	ins := insights.Handler(cat, nil)
	m.Handle("GET /insights", ins)
	m.Handle("GET /insights/", ins)
	m.Handle("GET /export/{file}", export.Handler(cat, nil))
	m.Handle("/calendar/", calendar.Handler(cat, calendar.Options{}))
	return m
}

func get(t *testing.T, h http.Handler, url string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestSyntheticLeftOut: with 300 synthetic activities loaded, every
// insights page reads exactly as without them.
func TestSyntheticLeftOut(t *testing.T) {
	with, without := mux(catalog(t, 300)), mux(catalog(t, 0))
	for _, url := range []string{"/insights", "/insights?locale=en", "/insights/2021", "/insights/2022", "/insights/2023", "/insights/2024"} {
		a, b := get(t, with, url), get(t, without, url)
		if a.Code != 200 || a.Body.String() != b.Body.String() {
			t.Errorf("%s differs with synthetic activities loaded (%d, %d bytes against %d)", url, a.Code, a.Body.Len(), b.Body.Len())
		}
	}
}

func TestPage(t *testing.T) {
	cat := catalog(t, 200)
	h := mux(cat)
	for _, tc := range []struct {
		url, lang string
		want      []string
	}{
		{"/insights", "nl", []string{"De Slimme Zorg Estafette in cijfers", "Activiteiten per regio per editie", "Thema&#39;s door de edities heen",
			"De weken van elke editie op één tijdlijn", "Online of op locatie, per editie", `href="/export/activities.csv"`, `href="/calendar/2023.ics"`}},
		{"/insights?locale=en", "en", []string{"The Slimme Zorg Estafette in figures", "Activities per region per edition", "Region South",
			`href="/insights/2023?locale=en"`}},
		{"/insights/2023", "nl", []string{"De Slimme Zorg Estafette 2023 in cijfers", "Activiteiten per regio", `href="/export/activities.csv?edition=2023"`,
			`href="/export/activities.csv?edition=2023&amp;excel=1"`, `aria-current="page">2023`}},
		{"/insights/2022", "nl", []string{"data niet bekend"}},
	} {
		rec := get(t, h, tc.url)
		body := rec.Body.String()
		if rec.Code != 200 || !strings.Contains(body, `<html lang="`+tc.lang+`">`) {
			t.Fatalf("%s: %d\n%.500s", tc.url, rec.Code, body)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", tc.url, w)
			}
		}
		if n := strings.Count(body, `role="img"`); n != 4 && tc.url == "/insights" {
			t.Errorf("%s: %d charts with role=img", tc.url, n)
		}
		if n := strings.Count(body, "<h1>"); n != 1 {
			t.Errorf("%s: %d h1", tc.url, n)
		}
		for _, bad := range []string{"<script", "http://", "https://", "@import", "url("} {
			if strings.Contains(body, bad) {
				t.Errorf("%s holds %q: the page must load nothing else", tc.url, bad)
			}
		}
		csp := rec.Header().Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "style-src 'sha256-") {
			t.Errorf("CSP %q", csp)
		}
	}
	// The language is the link's, not the browser's.
	if rec := get(t, h, "/insights", "Accept-Language", "en-GB,en;q=0.9"); !strings.Contains(rec.Body.String(), `lang="nl"`) {
		t.Error("Accept-Language changed the language of /insights")
	}
	for _, url := range []string{"/insights/1999", "/insights/twenty", "/insights/2023/zuid"} {
		if rec := get(t, h, url); rec.Code != 404 {
			t.Errorf("%s: %d", url, rec.Code)
		}
	}
	// Every link on the page works.
	body := get(t, h, "/insights").Body.String()
	for _, m := range regexp.MustCompile(`href="([^"#]+)"`).FindAllStringSubmatch(body, -1) {
		u := html.UnescapeString(m[1])
		if rec := get(t, h, u); rec.Code != 200 {
			t.Errorf("link %s: %d", u, rec.Code)
		}
	}
}

// TestNumbersMatchStats: the data tables hold the counts of the statistics.
func TestNumbersMatchStats(t *testing.T) {
	cat := catalog(t, 0)
	h := mux(cat)
	body := get(t, h, "/insights/2021").Body.String()
	buckets, err := cat.Stats(context.Background(), content.ActivityFilter{EditionYear: ptr(2021)}, []content.Dimension{content.DimensionRegion})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range buckets {
		name := b.Keys[0].Label
		if b.Keys[0].Value == nil {
			name = "Landelijk of onbekend"
		}
		row := `<tr><th scope="row">` + name + `</th><td class="num">` + itoa(b.Count) + `</td></tr>`
		if !strings.Contains(body, row) {
			t.Errorf("no row %s", row)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func itoa(n int) string { return strconv.Itoa(n) }

// probe reports problems and loaded resources in attributes of <html>,
// where --dump-dom shows them: CSP violations, errors, resources from
// elsewhere, and a page wider than the window.
const probe = `(function () {
  var problems = [];
  var root = document.documentElement;
  function put() {
    root.setAttribute("data-problems", JSON.stringify(problems));
    root.setAttribute("data-resources", JSON.stringify(performance.getEntriesByType("resource").map(function (e) { return e.name; })));
    root.setAttribute("data-overflow", String(root.scrollWidth > root.clientWidth));
    root.setAttribute("data-svgs", String(document.querySelectorAll("svg[role=img] > title").length));
  }
  document.addEventListener("securitypolicyviolation", function (e) {
    problems.push("csp: " + e.violatedDirective + " blocked " + e.blockedURI);
    put();
  });
  window.addEventListener("error", function (e) { problems.push("error: " + e.message); put(); }, true);
  window.addEventListener("load", put);
  document.addEventListener("DOMContentLoaded", put);
})();`

// TestChromium renders the page in headless Chromium at 1280 and 375
// pixels wide: no console error, no CSP violation, nothing loaded from
// elsewhere, no horizontal scrolling, the four charts drawn; and saves
// screenshots in $ESTAFETTE_ARTIFACTS (else estafette-insights-screenshots
// in the temporary directory, named in the log). Skipped when /usr/bin/chromium is not installed.
func TestChromium(t *testing.T) {
	const chromium = "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("%s not installed", chromium)
	}
	if testing.Short() {
		t.Skip("skipping browser test in short mode")
	}
	cat := catalog(t, 2000)
	inner := mux(cat)
	probed := http.NewServeMux()
	probed.HandleFunc("/probe.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		io.WriteString(w, probe)
	})
	probed.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		// The real page, with the probe as its first script and the CSP
		// widened for that one script only.
		rec := httptest.NewRecorder()
		inner.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		if csp := rec.Header().Get("Content-Security-Policy"); csp != "" {
			w.Header().Set("Content-Security-Policy", csp+"; script-src 'self'; connect-src 'self'")
		}
		page := strings.Replace(rec.Body.String(), "<head>", `<head><script src="/probe.js"></script>`, 1)
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		io.WriteString(w, page)
	})
	plain := httptest.NewServer(inner)
	defer plain.Close()
	withProbe := httptest.NewServer(probed)
	defer withProbe.Close()

	// One directory, overwritten by every run, so that runs do not pile up.
	dir := os.Getenv("ESTAFETTE_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "estafette-insights-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
			"--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--disable-default-apps", "--disable-extensions", "--no-first-run", "--hide-scrollbars",
			"--enable-logging=stderr", "--v=0", "--user-data-dir=" + t.TempDir()}
		cmd := exec.CommandContext(ctx, chromium, append(base, args...)...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
		}
		return stdout.String(), stderr.String()
	}
	for _, page := range []struct{ name, path string }{
		{"insights", "/insights"}, {"insights-en", "/insights?locale=en"}, {"insights-2023", "/insights/2023"},
	} {
		for _, width := range []int{1280, 375} {
			size := "--window-size=" + itoa(width) + ",900"
			dom, stderr := run(size, "--virtual-time-budget=5000", "--dump-dom", withProbe.URL+page.path)
			attr := func(name string) string {
				m := regexp.MustCompile(`<html[^>]*\s` + name + `="([^"]*)"`).FindStringSubmatch(dom)
				if m == nil {
					t.Fatalf("%s at %d: the probe did not run; no %s in\n%.1000s", page.path, width, name, dom)
				}
				return html.UnescapeString(m[1])
			}
			var problems, resources []string
			if err := json.Unmarshal([]byte(attr("data-problems")), &problems); err != nil {
				t.Fatal(err)
			}
			for _, p := range problems {
				t.Errorf("%s at %d px: %s", page.path, width, p)
			}
			if err := json.Unmarshal([]byte(attr("data-resources")), &resources); err != nil {
				t.Fatal(err)
			}
			for _, r := range resources {
				if r != withProbe.URL+"/probe.js" {
					t.Errorf("%s loaded %s", page.path, r)
				}
			}
			if attr("data-overflow") != "false" {
				t.Errorf("%s at %d px scrolls sideways", page.path, width)
			}
			// Every chart the page serves renders with its title (a chart
			// without data in this catalogue is left out of the page).
			if want := strconv.Itoa(strings.Count(get(t, inner, page.path).Body.String(), `role="img"`)); attr("data-svgs") != want || want == "0" {
				t.Errorf("%s: %s charts with a title rendered, the page has %s", page.path, attr("data-svgs"), want)
			}
			for _, line := range strings.Split(stderr, "\n") {
				if strings.Contains(line, "CONSOLE") {
					t.Errorf("%s at %d px: console: %s", page.path, width, line)
				}
			}
			// The screenshot is of the page as served, without the probe.
			shot := filepath.Join(dir, page.name+"-"+itoa(width)+".png")
			run("--window-size="+itoa(width)+",4200", "--screenshot="+shot, plain.URL+page.path)
			if fi, err := os.Stat(shot); err != nil || fi.Size() < 10_000 {
				t.Errorf("screenshot %s: %v", shot, err)
			}
		}
	}
	t.Logf("screenshots in %s", dir)
}

// TestChartsNameUnknownEditions: the charts per edition draw no bars for
// an edition whose activities the catalogue does not know (2022), and their
// labels say it is unknown, so that an empty bar never reads as "none".
func TestChartsNameUnknownEditions(t *testing.T) {
	h := mux(catalog(t, 0))
	for url, want := range map[string]string{"/insights": "2022 (onbekend)", "/insights?locale=en": "2022 (unknown)"} {
		body := get(t, h, url).Body.String()
		svgs := strings.Count(body, "<svg")
		if svgs == 0 {
			t.Fatalf("%s: no charts", url)
		}
		if n := strings.Count(body, want); n < 3 {
			t.Errorf("%s: %q appears %d times; want it in the region, theme and mode charts", url, want, n)
		}
	}
}
