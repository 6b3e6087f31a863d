package httpcache

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestWrite(t *testing.T) {
	body := []byte("hallo")
	etag := ETag(body)
	if len(etag) != 34 || etag[0] != '"' || etag[33] != '"' {
		t.Fatalf("ETag %q", etag)
	}
	if ETag([]byte("hallo!")) == etag {
		t.Errorf("different bodies, same ETag")
	}
	for _, c := range []struct {
		method, inm string
		status      int
		want        int
		wantBody    string
		wantETag    bool
	}{
		{http.MethodGet, "", 200, 200, "hallo", true},
		{http.MethodGet, etag, 200, 304, "", true},
		{http.MethodGet, "W/" + etag, 200, 304, "", true},
		{http.MethodGet, `"a", ` + etag, 200, 304, "", true},
		{http.MethodGet, "*", 200, 304, "", true},
		{http.MethodGet, `"stale"`, 200, 200, "hallo", true},
		{http.MethodHead, "", 200, 200, "", true},
		{http.MethodGet, etag, 404, 404, "hallo", false},
	} {
		req := httptest.NewRequest(c.method, "/", nil)
		if c.inm != "" {
			req.Header.Set("If-None-Match", c.inm)
		}
		rec := httptest.NewRecorder()
		Write(rec, req, c.status, "text/plain; charset=utf-8", Public, body)
		if rec.Code != c.want || rec.Body.String() != c.wantBody || (rec.Header().Get("ETag") != "") != c.wantETag {
			t.Errorf("%s If-None-Match %q status %d: got %d %q ETag %q", c.method, c.inm, c.status, rec.Code, rec.Body.String(), rec.Header().Get("ETag"))
		}
		if rec.Header().Get("Cache-Control") != Public {
			t.Errorf("Cache-Control %q", rec.Header().Get("Cache-Control"))
		}
	}
}
