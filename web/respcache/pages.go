package respcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"estafette/content"
	"estafette/internal/bytelru"
	"estafette/web/httpcache"
)

// MaxPageBytes is the largest response Pages keeps.
const MaxPageBytes = 4 << 20

// Pages caches whole HTTP responses of anonymous GET and HEAD requests for
// published content (the embed pages): a handler that renders a page from
// the store runs once per page and content generation, and every later
// request is answered from memory, with 304 when If-None-Match holds the
// response's ETag. A response is kept only when its status is 200 or 404
// and its Cache-Control allows public caching (not private or no-store).
//
// The key is the path and query, the Host and X-Forwarded-Proto (pages may
// hold absolute links built from them) and the content generation, so a
// write is never followed by a stale page.
type Pages struct {
	gen   *Generation
	pages *bytelru.Cache[string, cachedPage]
	// OnLookup, when set, is told about every lookup (for hit-ratio metrics).
	OnLookup func(hit bool)
}

type cachedPage struct {
	status int
	header http.Header
	body   []byte
}

// PagesMaxBytes is the budget of a page cache.
const PagesMaxBytes = 32 << 20

// Pages returns a page cache of at most size responses and PagesMaxBytes
// of them that follows the cache's content generation.
func (c *Cache) Pages(size int) *Pages {
	return &Pages{gen: c.gen, pages: bytelru.New[string, cachedPage](PagesMaxBytes, size), OnLookup: c.OnLookup}
}

// Handler serves cacheable requests from the cache and passes the others
// (and misses) to next.
func (p *Pages) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := content.ViewerFrom(r.Context())
		if (r.Method != http.MethodGet && r.Method != http.MethodHead) || !v.Anonymous() || v.Drafts {
			next.ServeHTTP(w, r)
			return
		}
		key := p.key(r)
		e, ok := p.pages.Get(key)
		if p.OnLookup != nil {
			p.OnLookup(ok)
		}
		if ok {
			e.write(w, r)
			return
		}
		rec := &pageRecorder{ResponseWriter: w, status: http.StatusOK, pre: w.Header().Clone()}
		next.ServeHTTP(rec, r)
		if rec.cacheable() && r.Method == http.MethodGet {
			body := rec.body.Bytes()
			if rec.status == http.StatusOK && rec.snapshot.Get("ETag") == "" {
				// A streamed page (a calendar feed) has no ETag of its own:
				// the copy kept gets one, and its time as Last-Modified, so
				// that revalidations of it answer 304.
				rec.snapshot.Set("ETag", httpcache.ETag(body))
				rec.snapshot.Set("Last-Modified", time.Now().UTC().Format(http.TimeFormat))
			}
			p.pages.Add(key, cachedPage{status: rec.status, header: rec.snapshot, body: body}, int64(len(body)+len(key)+1024))
		}
	})
}

func (p *Pages) key(r *http.Request) string {
	h := sha256.New()
	for _, part := range []string{r.URL.RequestURI(), r.Host, r.Header.Get("X-Forwarded-Proto"), strconv.FormatUint(p.gen.Current(), 10)} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (c cachedPage) write(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	for k, v := range c.header {
		h[k] = v
	}
	if c.status == http.StatusOK && notModified(r, c.header) {
		h.Del("Content-Length")
		h.Del("Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(c.body)))
	w.WriteHeader(c.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(c.body)
	}
}

// pageRecorder passes a response through and keeps a copy of it.
type pageRecorder struct {
	http.ResponseWriter
	status   int
	wrote    bool
	pre      http.Header // set before the handler ran (request id, CORS): not part of the page
	snapshot http.Header // what the handler set
	body     bytes.Buffer
	tooBig   bool
}

func (p *pageRecorder) WriteHeader(code int) {
	if !p.wrote {
		p.wrote, p.status = true, code
		p.snapshot = http.Header{}
		for k, v := range p.ResponseWriter.Header() {
			if !slices.Equal(p.pre[k], v) {
				p.snapshot[k] = slices.Clone(v)
			}
		}
	}
	p.ResponseWriter.WriteHeader(code)
}

func (p *pageRecorder) Write(b []byte) (int, error) {
	if !p.wrote {
		p.WriteHeader(http.StatusOK)
	}
	if !p.tooBig {
		if p.body.Len()+len(b) > MaxPageBytes {
			p.tooBig = true
			p.body = bytes.Buffer{}
		} else {
			p.body.Write(b)
		}
	}
	return p.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (p *pageRecorder) Unwrap() http.ResponseWriter { return p.ResponseWriter }

func (p *pageRecorder) cacheable() bool {
	if !p.wrote || p.tooBig || (p.status != http.StatusOK && p.status != http.StatusNotFound) {
		return false
	}
	cc := strings.ToLower(p.snapshot.Get("Cache-Control"))
	if cc == "" || strings.Contains(cc, "no-store") || strings.Contains(cc, "private") || strings.Contains(cc, "no-cache") {
		return false
	}
	return p.snapshot.Get("Set-Cookie") == ""
}

// notModified reports whether a conditional request may get 304 for a page
// with header h: If-None-Match against its ETag, else If-Modified-Since
// against its Last-Modified.
func notModified(r *http.Request, h http.Header) bool {
	if inm := r.Header.Values("If-None-Match"); len(inm) > 0 {
		etag := h.Get("ETag")
		return etag != "" && httpcache.NoneMatch(inm, etag)
	}
	lm, err := http.ParseTime(h.Get("Last-Modified"))
	if err != nil {
		return false
	}
	ims, err := http.ParseTime(r.Header.Get("If-Modified-Since"))
	return err == nil && !lm.After(ims)
}
