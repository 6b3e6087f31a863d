package web_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"estafette/content"
	"estafette/internal/apitest"
	"estafette/internal/browsertest"
	"estafette/web"
)

// TestCORSAllowsTheDocumentedHeaders sends the preflight a browser sends
// before a cross-origin request with each header the API documents, one
// at a time and all together (lowercase and sorted, as browsers list
// them), and checks that every one is allowed and that the headers a
// client reads are exposed.
func TestCORSAllowsTheDocumentedHeaders(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	preflight := func(headers string) *http.Response {
		req, _ := http.NewRequest(http.MethodOptions, env.URL+"/query", nil)
		req.Header.Set("Origin", "https://www.rijksoverheid.nl")
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", headers)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	var all []string
	for _, h := range web.CORSAllowedHeaders {
		all = append(all, strings.ToLower(h))
		res := preflight(strings.ToLower(h))
		if res.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("a preflight asking for %s is refused: %v", h, res.Header)
		}
	}
	for _, h := range []string{"x-preview", "authorization", "if-none-match", "x-request-id"} {
		if !slices.Contains(all, h) {
			t.Errorf("%s is not among the allowed headers", h)
		}
	}
	slices.Sort(all)
	res := preflight(strings.Join(all, ","))
	if res.Header.Get("Access-Control-Allow-Origin") != "*" || res.Header.Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("a preflight asking for every documented header: %v", res.Header)
	}
	if res := preflight("x-not-documented"); res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("an undocumented header is allowed: %v", res.Header)
	}
	r := env.Do(t, "GET", "/query?query="+strings.ReplaceAll("{ regions { slug } }", " ", "+"), nil, "Origin", "https://example.org")
	exposed := strings.ToLower(r.Header.Get("Access-Control-Expose-Headers"))
	for _, h := range []string{"etag", "x-request-id", "retry-after"} {
		if !strings.Contains(exposed, h) {
			t.Errorf("%s is not exposed: %q", h, exposed)
		}
	}
}

// TestBrowserPreviewsCrossOrigin runs the requests of a frontend on
// another origin in headless Chromium: a page on 127.0.0.1 fetches from
// the API on localhost (another site to the browser) with an editor's key
// and X-Preview, which needs a preflight, and sees the draft; without
// X-Preview it does not; and it reads the ETag of a GET.
func TestBrowserPreviewsCrossOrigin(t *testing.T) {
	browser := browsertest.Start(t)
	env := apitest.New(t, apitest.Options{Cache: true})
	editor := env.Key(t, "frontend", content.RoleEditor)
	created := env.Query(t, `mutation { createTheme(input: {slug: "voorvertoning", name: {nl: "Voorvertoning"}}) { version } }`, nil, editor...)
	if created.Status != http.StatusOK || len(created.Errors) > 0 {
		t.Fatalf("draft theme: %d %s", created.Status, created.Raw)
	}
	_, port, _ := net.SplitHostPort(env.Server.Listener.Addr().String())
	api := "http://localhost:" + port
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><html lang="en"><title>frontend</title><p>frontend</p>`)
	}))
	defer page.Close()
	if !strings.Contains(page.URL, "127.0.0.1") {
		t.Fatalf("the page must be on another site than %s: %s", api, page.URL)
	}

	script := `(async () => {
  const api = ` + jsString(api) + `, key = ` + jsString(strings.TrimPrefix(editor[1], "Bearer ")) + `;
  const body = JSON.stringify({query: "{ themes { slug } }"});
  const ask = async headers => {
    try {
      const r = await fetch(api + "/query", {method: "POST", headers, body});
      return {status: r.status, body: await r.text()};
    } catch (e) { return {status: 0, body: String(e)}; }
  };
  const auth = {"Content-Type": "application/json", "Authorization": "Bearer " + key};
  const preview = await ask({...auth, "X-Preview": "true"});
  const plain = await ask(auth);
  const get = await fetch(api + "/query?query=" + encodeURIComponent("{ regions { slug } }"));
  return JSON.stringify({preview, plain, getStatus: get.status, etag: get.headers.get("ETag") || "",
    requestId: get.headers.get("X-Request-Id") || ""});
})()`
	tab := browsertest.NewTab(t, browser)
	browsertest.Do(t, tab, chromedp.Navigate(page.URL))
	out := browsertest.Eval[string](t, tab, script)
	var got struct {
		Preview, Plain struct {
			Status int
			Body   string
		}
		GetStatus int
		ETag      string
		RequestID string
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got.Preview.Status != http.StatusOK || !strings.Contains(got.Preview.Body, `"voorvertoning"`) {
		t.Errorf("a cross-origin preview does not show the draft: %+v", got.Preview)
	}
	if got.Plain.Status != http.StatusOK || strings.Contains(got.Plain.Body, `"voorvertoning"`) {
		t.Errorf("without X-Preview the draft shows or the request fails: %+v", got.Plain)
	}
	if got.GetStatus != http.StatusOK || got.ETag == "" || got.RequestID == "" {
		t.Errorf("a cross-origin GET cannot read ETag and X-Request-Id: %+v", got)
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
