package graphiql

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path"
	"strings"
	"sync"
	"testing"
	"time"
)

// element is a start tag of the page with its attributes.
type element struct {
	name  string
	attrs map[string]string
	text  string // character data directly inside, for script and noscript
}

// parsePage walks an HTML page with encoding/xml in its lenient HTML mode and
// returns its elements in document order.
func parsePage(t *testing.T, page []byte) []*element {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(page))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	var (
		elems []*element
		stack []*element
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("parsing page: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := &element{name: strings.ToLower(tok.Name.Local), attrs: map[string]string{}}
			for _, a := range tok.Attr {
				e.attrs[strings.ToLower(a.Name.Local)] = a.Value
			}
			elems = append(elems, e)
			stack = append(stack, e)
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tok)
			}
		}
	}
	return elems
}

func get(t *testing.T, h http.Handler, method, target string, header http.Header) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func readBody(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pageAssets returns the src and href URLs of the page's scripts and
// stylesheets.
func pageAssets(t *testing.T, elems []*element) []string {
	t.Helper()
	var urls []string
	for _, e := range elems {
		switch {
		case e.name == "script":
			urls = append(urls, e.attrs["src"])
		case e.name == "link" && e.attrs["rel"] == "stylesheet":
			urls = append(urls, e.attrs["href"])
		}
	}
	return urls
}

func TestPage(t *testing.T) {
	h := Handler("/query")
	resp := get(t, h, http.MethodGet, "/", nil)
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET / = %d", resp.StatusCode)
	}
	for k, want := range map[string]string{
		"Content-Type":           "text/html; charset=utf-8",
		"Cache-Control":          "no-cache",
		"X-Content-Type-Options": "nosniff",
	} {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	csp := resp.Header.Get("Content-Security-Policy")
	directives := map[string]string{}
	for _, d := range strings.Split(csp, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		directives[name] = value
	}
	for name, want := range map[string]string{
		"default-src":     "'none'",
		"script-src":      "'self'",
		"connect-src":     "'self'",
		"frame-ancestors": "'none'",
	} {
		if directives[name] != want {
			t.Errorf("CSP %s = %q, want %q (policy %q)", name, directives[name], want, csp)
		}
	}
	if strings.Contains(csp, "http:") || strings.Contains(csp, "https:") || strings.Contains(csp, "*") {
		t.Errorf("CSP allows other origins: %q", csp)
	}
	if etag := resp.Header.Get("ETag"); etag == "" || strings.HasPrefix(etag, "W/") {
		t.Errorf("page ETag = %q, want a strong one", etag)
	} else if r := get(t, h, http.MethodGet, "/", http.Header{"If-None-Match": {etag}}); r.StatusCode != http.StatusNotModified {
		t.Errorf("GET / with If-None-Match = %d, want 304", r.StatusCode)
	}

	elems := parsePage(t, body)
	var title, noscript string
	var sawHTML, sawRoot bool
	for _, e := range elems {
		for _, attr := range []string{"src", "href", "action", "data", "poster"} {
			v, ok := e.attrs[attr]
			if !ok {
				continue
			}
			u, err := url.Parse(v)
			if err != nil {
				t.Errorf("<%s %s=%q>: %v", e.name, attr, v, err)
				continue
			}
			if u.Scheme == "http" || u.Scheme == "https" || u.Host != "" || strings.HasPrefix(v, "//") {
				t.Errorf("<%s %s=%q> is not same-origin", e.name, attr, v)
			}
		}
		switch e.name {
		case "html":
			sawHTML = true
			if e.attrs["lang"] != "en" {
				t.Errorf(`<html lang=%q>, want "en"`, e.attrs["lang"])
			}
		case "title":
			title = e.text
		case "script":
			if e.attrs["src"] == "" || strings.TrimSpace(e.text) != "" {
				t.Errorf("inline script %q: all scripts must be files", e.text)
			}
		case "noscript":
			noscript = e.text
		case "div":
			if e.attrs["id"] == "graphiql" {
				sawRoot = true
				if e.attrs["data-endpoint"] != "/query" {
					t.Errorf("data-endpoint = %q", e.attrs["data-endpoint"])
				}
				if e.attrs["data-default-query"] != DefaultQuery {
					t.Errorf("data-default-query = %q, want DefaultQuery", e.attrs["data-default-query"])
				}
			}
		}
		if e.name == "pre" || e.name == "p" || e.name == "code" || e.name == "h1" {
			noscript += e.text
		}
	}
	if !sawHTML || !sawRoot {
		t.Errorf("page lacks <html> or <div id=graphiql>:\n%s", body)
	}
	if title != "Estafette GraphQL" {
		t.Errorf("title = %q", title)
	}
	for _, want := range []string{"needs JavaScript", "/query", "POST", "GET", "curl "} {
		if !strings.Contains(noscript, want) {
			t.Errorf("noscript text lacks %q: %q", want, noscript)
		}
	}

	urls := pageAssets(t, elems)
	if len(urls) != len(pageScripts)+len(pageStyles) {
		t.Errorf("page loads %v", urls)
	}
	for _, u := range urls {
		if !strings.HasPrefix(u, AssetPrefix) || !strings.Contains(u, "?v=") {
			t.Errorf("asset URL %q: want %s...?v=...", u, AssetPrefix)
		}
	}
}

func TestAssetsOfPage(t *testing.T) {
	h := Handler("/query")
	elems := parsePage(t, readBody(t, get(t, h, http.MethodGet, "/", nil)))
	for _, ref := range pageAssets(t, elems) {
		u, err := url.Parse(ref)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(u.Path, AssetPrefix)
		want, err := assetFiles.ReadFile("assets/" + name)
		if err != nil {
			t.Fatalf("%s: not embedded: %v", ref, err)
		}
		wantType := map[string]string{
			".js":  "text/javascript; charset=utf-8",
			".css": "text/css; charset=utf-8",
		}[path.Ext(name)]

		resp := get(t, h, http.MethodGet, ref, nil)
		body := readBody(t, resp)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d", ref, resp.StatusCode)
			continue
		}
		if ct := resp.Header.Get("Content-Type"); ct != wantType {
			t.Errorf("GET %s: Content-Type %q, want %q", ref, ct, wantType)
		}
		if !bytes.Equal(body, want) {
			t.Errorf("GET %s: body differs from the embedded file", ref)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != immutableCache {
			t.Errorf("GET %s: Cache-Control %q, want %q", ref, cc, immutableCache)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no nosniff", ref)
		}
		etag := resp.Header.Get("ETag")
		if !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) || len(etag) < 10 {
			t.Errorf("GET %s: ETag %q, want a strong one", ref, etag)
		}
		if v := u.Query().Get("v"); etag != `"`+v+`"` {
			t.Errorf("GET %s: ETag %q does not match the version in the URL", ref, etag)
		}

		for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag} {
			r := get(t, h, http.MethodGet, ref, http.Header{"If-None-Match": {inm}})
			if r.StatusCode != http.StatusNotModified || len(readBody(t, r)) != 0 {
				t.Errorf("GET %s with If-None-Match %s = %d, want 304 without body", ref, inm, r.StatusCode)
			}
		}
		if r := get(t, h, http.MethodGet, ref, http.Header{"If-None-Match": {`"stale"`}}); r.StatusCode != http.StatusOK {
			t.Errorf("GET %s with stale If-None-Match = %d, want 200", ref, r.StatusCode)
		}

		for _, target := range []string{u.Path, u.Path + "?v=0123456789"} {
			r := get(t, h, http.MethodGet, target, nil)
			if r.StatusCode != http.StatusOK || r.Header.Get("Cache-Control") != shortCache {
				t.Errorf("GET %s = %d, Cache-Control %q; want 200, %q", target, r.StatusCode, r.Header.Get("Cache-Control"), shortCache)
			}
		}

		r := get(t, h, http.MethodHead, ref, nil)
		if r.StatusCode != http.StatusOK || len(readBody(t, r)) != 0 || r.Header.Get("Content-Type") != wantType {
			t.Errorf("HEAD %s = %d, Content-Type %q", ref, r.StatusCode, r.Header.Get("Content-Type"))
		}

		r = get(t, h, http.MethodGet, ref, http.Header{"Accept-Encoding": {"br, gzip;q=0.8"}})
		gz := readBody(t, r)
		if r.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(r.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("GET %s accepting gzip: Content-Encoding %q, Vary %q", ref, r.Header.Get("Content-Encoding"), r.Header.Get("Vary"))
			continue
		}
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			t.Fatalf("GET %s: %v", ref, err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(plain, want) {
			t.Errorf("GET %s: gzip body does not decompress to the file (%v)", ref, err)
		}
		gzETag := r.Header.Get("ETag")
		if gzETag == etag || gzETag == "" {
			t.Errorf("GET %s: gzip ETag %q, want one of its own", ref, gzETag)
		}
		r = get(t, h, http.MethodGet, ref, http.Header{"Accept-Encoding": {"gzip"}, "If-None-Match": {gzETag}})
		if r.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s gzip with If-None-Match = %d, want 304", ref, r.StatusCode)
		}
		r = get(t, h, http.MethodGet, ref, http.Header{"Accept-Encoding": {"gzip;q=0, deflate"}})
		if r.Header.Get("Content-Encoding") != "" {
			t.Errorf("GET %s refusing gzip: Content-Encoding %q", ref, r.Header.Get("Content-Encoding"))
		}
	}
}

func TestLicensesServed(t *testing.T) {
	h := Handler("/query")
	for _, name := range []string{"graphiql.LICENSE.txt", "react.LICENSE.txt", "react-dom.LICENSE.txt"} {
		resp := get(t, h, http.MethodGet, AssetPrefix+"LICENSES/"+name, nil)
		body := readBody(t, resp)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" || !bytes.Contains(body, []byte("MIT License")) {
			t.Errorf("GET %s = %d %q", name, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
}

func TestNotFoundAndMethods(t *testing.T) {
	h := Handler("/query")
	for _, p := range []string{
		"/graphiql/nope.js", "/graphiql/", "/graphiql", "/graphiql/assets/graphiql.min.js",
		"/graphiql/LICENSES", "/favicon.ico", "/index.html", "/query", "/graphiql/README.md",
	} {
		for _, m := range []string{http.MethodGet, http.MethodPost} {
			if r := get(t, h, m, p, nil); r.StatusCode != http.StatusNotFound {
				t.Errorf("%s %s = %d, want 404", m, p, r.StatusCode)
			}
		}
	}
	for _, p := range []string{"/", "/graphiql/graphiql.min.js", "/graphiql/estafette.css"} {
		for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodOptions} {
			r := get(t, h, m, p, nil)
			if r.StatusCode != http.StatusMethodNotAllowed || r.Header.Get("Allow") != "GET, HEAD" {
				t.Errorf("%s %s = %d, Allow %q; want 405, \"GET, HEAD\"", m, p, r.StatusCode, r.Header.Get("Allow"))
			}
		}
	}
	if r := get(t, h, http.MethodHead, "/", nil); r.StatusCode != http.StatusOK || len(readBody(t, r)) != 0 {
		t.Errorf("HEAD / = %d", r.StatusCode)
	}
}

func TestEndpoint(t *testing.T) {
	page := func(h http.Handler) (string, string) {
		r := get(t, h, http.MethodGet, "/", nil)
		return string(readBody(t, r)), r.Header.Get("Content-Security-Policy")
	}
	body, csp := page(Handler(""))
	if !strings.Contains(body, `data-endpoint="/query"`) || !strings.Contains(csp, "connect-src 'self';") {
		t.Errorf("empty endpoint: want /query, same-origin; CSP %q", csp)
	}
	body, csp = page(Handler("https://api.example.org/graphql"))
	if !strings.Contains(body, `data-endpoint="https://api.example.org/graphql"`) ||
		!strings.Contains(csp, "connect-src 'self' https://api.example.org;") ||
		strings.Contains(body, "$SERVER") {
		t.Errorf("absolute endpoint: CSP %q, page:\n%s", csp, body)
	}
	body, _ = page(Handler(`/q"><script>alert(1)</script>`))
	if strings.Contains(body, "<script>alert") {
		t.Errorf("endpoint not escaped:\n%s", body)
	}
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"":                    false,
		"gzip":                true,
		"GZIP":                true,
		"deflate, gzip":       true,
		"gzip;q=0":            false,
		"gzip; q=0.000":       false,
		"gzip;q=0.1":          true,
		"x-gzip":              true,
		"*":                   true,
		"*;q=0":               false,
		"br":                  false,
		"identity":            false,
		"gzipx, deflate;q=1":  false,
		"br;q=1.0, gzip;q=.5": true,
	} {
		if got := acceptsGzip([]string{header}); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}

func TestServeMux(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/query", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "api") })
	mux.Handle("/", Handler("/query"))
	if r := get(t, mux, http.MethodGet, "/", nil); r.StatusCode != http.StatusOK {
		t.Errorf("GET / via mux = %d", r.StatusCode)
	}
	if r := get(t, mux, http.MethodPost, "/query", nil); string(readBody(t, r)) != "api" {
		t.Errorf("POST /query via mux did not reach the API")
	}
	if r := get(t, mux, http.MethodGet, "/graphiql/estafette.js", nil); r.StatusCode != http.StatusOK {
		t.Errorf("GET /graphiql/estafette.js via mux = %d", r.StatusCode)
	}
}

// probeScript records Content-Security-Policy violations, errors and the
// URLs of all loaded resources in attributes of <html>, where Chromium's
// --dump-dom shows them.
const probeScript = `(function () {
  var problems = [];
  var root = document.documentElement;
  function put() {
    root.setAttribute("data-problems", JSON.stringify(problems));
    root.setAttribute("data-resources", JSON.stringify(
      performance.getEntriesByType("resource").map(function (e) { return e.name; })));
  }
  document.addEventListener("securitypolicyviolation", function (e) {
    problems.push("csp: " + e.violatedDirective + " blocked " + e.blockedURI + " at " + e.sourceFile + ":" + e.lineNumber);
    put();
  });
  window.addEventListener("error", function (e) { problems.push("error: " + e.message); put(); });
  window.addEventListener("unhandledrejection", function (e) { problems.push("rejection: " + e.reason); put(); });
  put();
  setInterval(put, 100);

  // Once GraphiQL is up, press its buttons one after the other, so that
  // panels, dialogs and the result pane are rendered under the policy too.
  var steps = [
    "Show Documentation Explorer", "Show History", "Show editor tools",
    "Execute query (Ctrl-Enter)", "Prettify query (Shift-Ctrl-P)", "New tab",
    "Open settings dialog", "Escape", "Open short keys dialog", "Escape",
  ];
  var done = [];
  function step() {
    if (!document.querySelector(".graphiql-container")) { setTimeout(step, 100); return; }
    var label = steps.shift();
    if (label === undefined) { root.setAttribute("data-steps", JSON.stringify(done)); return; }
    if (label === "Escape") {
      document.activeElement.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
      done.push(label);
    } else {
      var b = document.querySelector('[aria-label="' + label + '"]');
      if (b) {
        b.dispatchEvent(new PointerEvent("pointerdown", { bubbles: true, pointerType: "mouse" }));
        b.click();
        done.push(label);
      } else {
        problems.push("no button " + label);
      }
    }
    root.setAttribute("data-steps", JSON.stringify(done));
    setTimeout(step, 300);
  }
  setTimeout(step, 100);
})();
`

// introspection is a minimal schema (type Query { hello: String }) for the
// fake endpoint, enough for GraphiQL to build its schema without errors.
const introspection = `{"data":{"__schema":{
  "description":null,
  "queryType":{"name":"Query"},"mutationType":null,"subscriptionType":null,
  "types":[
    {"kind":"OBJECT","name":"Query","description":null,"specifiedByURL":null,
     "fields":[{"name":"hello","description":null,"args":[],"type":{"kind":"SCALAR","name":"String","ofType":null},"isDeprecated":false,"deprecationReason":null}],
     "inputFields":null,"interfaces":[],"enumValues":null,"possibleTypes":null},
    {"kind":"SCALAR","name":"String","description":null,"specifiedByURL":null,"fields":null,"inputFields":null,"interfaces":null,"enumValues":null,"possibleTypes":null}
  ],
  "directives":[]}}}`

// TestChromium loads the page in headless Chromium against a test server and
// checks that GraphiQL rendered with the default query, fetched the schema
// from the endpoint, broke no Content-Security-Policy rule, threw no error,
// and loaded nothing from another origin. It is skipped when
// /usr/bin/chromium is not installed.
func TestChromium(t *testing.T) {
	const chromium = "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("%s not installed", chromium)
	}
	if testing.Short() {
		t.Skip("skipping browser test in short mode")
	}

	var (
		mu      sync.Mutex
		queries []string
	)
	h := Handler("/query")
	mux := http.NewServeMux()
	mux.HandleFunc("/query", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Query string `json:"query"`
		}
		if r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			_ = json.NewDecoder(r.Body).Decode(&req)
		}
		mu.Lock()
		queries = append(queries, r.Method+" "+req.Query)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if strings.Contains(req.Query, "__schema") {
			io.WriteString(w, introspection)
			return
		}
		io.WriteString(w, `{"data":null}`)
	})
	mux.HandleFunc("/probe.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		io.WriteString(w, probeScript)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			h.ServeHTTP(w, r)
			return
		}
		// Serve the real page with the probe as its first script.
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		page := strings.Replace(rec.Body.String(), "<script ", `<script src="/probe.js"></script><script `, 1)
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		io.WriteString(w, page)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-default-apps", "--disable-extensions", "--no-first-run",
		"--user-data-dir="+t.TempDir(), "--window-size=1280,800",
		"--virtual-time-budget=10000", "--dump-dom", srv.URL+"/")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}

	elems := parsePage(t, dom)
	if len(elems) == 0 || elems[0].name != "html" {
		t.Fatalf("dumped DOM does not start with <html>:\n%.2000s", dom)
	}
	var problems, resources []string
	if err := json.Unmarshal([]byte(elems[0].attrs["data-problems"]), &problems); err != nil {
		t.Fatalf("probe did not run (data-problems %q): %v", elems[0].attrs["data-problems"], err)
	}
	for _, p := range problems {
		t.Errorf("browser: %s", p)
	}
	if err := json.Unmarshal([]byte(elems[0].attrs["data-resources"]), &resources); err != nil {
		t.Fatalf("data-resources: %v", err)
	}
	var steps []string
	if err := json.Unmarshal([]byte(elems[0].attrs["data-steps"]), &steps); err != nil || len(steps) != 10 {
		t.Errorf("probe pressed only %q of GraphiQL's buttons (%v)", steps, err)
	}
	for _, r := range resources {
		if strings.HasPrefix(r, "data:") {
			continue // fonts and images inlined in graphiql.min.css
		}
		if !strings.HasPrefix(r, srv.URL+"/") {
			t.Errorf("browser loaded %s from another origin", r)
		}
	}

	text := string(dom)
	for _, want := range []string{"graphiql-container", "graphiql-editor", "Route2023"} {
		if !strings.Contains(text, want) {
			t.Errorf("rendered DOM lacks %q", want)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	var introspected, executed bool
	for _, q := range queries {
		introspected = introspected || strings.HasPrefix(q, "POST ") && strings.Contains(q, "__schema")
		executed = executed || strings.HasPrefix(q, "POST ") && strings.Contains(q, "query Route2023")
	}
	if !introspected || !executed {
		t.Errorf("GraphiQL did not POST the introspection query (%v) and the default query (%v) to /query; got %.300q",
			introspected, executed, queries)
	}
	if t.Failed() {
		t.Logf("resources: %q", resources)
		t.Logf("DOM:\n%.3000s", dom)
	}
}
