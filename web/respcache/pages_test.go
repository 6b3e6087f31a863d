package respcache_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"estafette/content"
	"estafette/web/httpcache"
	"estafette/web/respcache"
)

// TestPages: a page is rendered once per content generation and then
// served from memory with the handler's headers (not those of the
// middleware before it), 304 for a matching If-None-Match; private
// responses, callers with a key and other methods pass through.
func TestPages(t *testing.T) {
	var gen respcache.Generation
	var calls atomic.Int32
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		body := []byte(fmt.Sprintf("<p>%s gen %d</p>", r.URL.Path, gen.Current()))
		cc := httpcache.Public
		if r.URL.Query().Has("private") {
			cc = "private, no-store"
		}
		w.Header().Set("X-Render", fmt.Sprint(n))
		httpcache.Write(w, r, http.StatusOK, "text/html; charset=utf-8", cc, body)
	})
	var lookups, hits int
	pages := respcache.New(&gen, 10).Pages(10)
	pages.OnLookup = func(hit bool) {
		lookups++
		if hit {
			hits++
		}
	}
	h := pages.Handler(page)
	get := func(target string, mod func(*http.Request)) *httptest.ResponseRecorder {
		t.Helper()
		r := httptest.NewRequest(http.MethodGet, target, nil)
		if mod != nil {
			mod(r)
		}
		w := httptest.NewRecorder()
		w.Header().Set("X-Request-Id", "id-"+target+fmt.Sprint(lookups)) // as the middleware before it sets it
		h.ServeHTTP(w, r)
		return w
	}

	first := get("/embed/recaps/a", nil)
	second := get("/embed/recaps/a", nil)
	if calls.Load() != 1 {
		t.Fatalf("rendered %d times, want 1", calls.Load())
	}
	if second.Body.String() != first.Body.String() || second.Code != 200 || second.Header().Get("ETag") != first.Header().Get("ETag") ||
		second.Header().Get("Content-Type") != "text/html; charset=utf-8" || second.Header().Get("X-Render") != "1" {
		t.Errorf("cached response differs: %d %q %v", second.Code, second.Body, second.Header())
	}
	if first.Header().Get("X-Request-Id") == second.Header().Get("X-Request-Id") {
		t.Error("the cached page replays the request id of the first request")
	}
	if hits != 1 || lookups != 2 {
		t.Errorf("%d hits of %d lookups", hits, lookups)
	}
	notModified := get("/embed/recaps/a", func(r *http.Request) { r.Header.Set("If-None-Match", first.Header().Get("ETag")) })
	if notModified.Code != http.StatusNotModified || notModified.Body.Len() != 0 {
		t.Errorf("If-None-Match: %d %q", notModified.Code, notModified.Body)
	}

	// Another page, host or scheme is another entry.
	get("/embed/recaps/b", nil)
	get("/embed/recaps/a", func(r *http.Request) { r.Host = "other.example" })
	get("/embed/recaps/a", func(r *http.Request) { r.Header.Set("X-Forwarded-Proto", "https") })
	if calls.Load() != 4 {
		t.Errorf("rendered %d times, want 4", calls.Load())
	}

	// A write changes the generation: the page is rendered again.
	gen.Bump()
	if got := get("/embed/recaps/a", nil); calls.Load() != 5 || got.Body.String() == first.Body.String() {
		t.Errorf("after a write: %d renders, %q", calls.Load(), got.Body)
	}

	// Not kept: private responses, callers with a key, and HEAD misses.
	before := calls.Load()
	get("/embed/recaps/a?private=1", nil)
	get("/embed/recaps/a?private=1", nil)
	get("/embed/recaps/c", func(r *http.Request) {
		*r = *r.WithContext(content.WithViewer(r.Context(), content.Viewer{Actor: "k", Role: content.RoleReader}))
	})
	get("/embed/recaps/c", func(r *http.Request) {
		*r = *r.WithContext(content.WithViewer(r.Context(), content.Viewer{Actor: "k", Role: content.RoleReader}))
	})
	if n := calls.Load() - before; n != 4 {
		t.Errorf("%d renders of uncacheable requests, want 4", n)
	}
}
