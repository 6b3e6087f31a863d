package embed_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"estafette/internal/apitest"
)

// TestMounted checks the pages through the real HTTP surface of the API:
// the routes of web.New, its middleware and CORS.
func TestMounted(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	get := func(path string, header http.Header) *http.Response {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, env.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range header {
			req.Header[k] = v
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	resp := get("/embed/recaps/terugblik-2021", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors *") || resp.Header.Get("ETag") == "" {
		t.Errorf("GET /embed/recaps/terugblik-2021 = %d, headers %v", resp.StatusCode, resp.Header)
	}
	if r := get("/embed/recaps/terugblik-2021", http.Header{"If-None-Match": {resp.Header.Get("ETag")}}); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match through the API = %d, want 304", r.StatusCode)
	}
	if r := get("/embed/editions/1999", nil); r.StatusCode != http.StatusNotFound || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
		t.Errorf("GET /embed/editions/1999 = %d %q", r.StatusCode, r.Header.Get("Content-Type"))
	}
	r := get("/oembed?url="+url.QueryEscape(env.URL+"/embed/editions/2023"), http.Header{"Origin": {"https://www.example.nl"}})
	if r.StatusCode != http.StatusOK || r.Header.Get("Access-Control-Allow-Origin") == "" {
		t.Errorf("GET /oembed from a browser = %d, Access-Control-Allow-Origin %q", r.StatusCode, r.Header.Get("Access-Control-Allow-Origin"))
	}
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/embed/recaps/terugblik-2021", nil)
	pr, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	pr.Body.Close()
	if pr.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /embed/… = %d, want 405", pr.StatusCode)
	}
}
