// Package httpcache writes responses that shared caches and browsers may
// keep: a strong ETag computed from the bytes, a Cache-Control header, and a
// 304 Not Modified answer to a matching If-None-Match.
package httpcache

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
)

// Public is the Cache-Control of public content: anyone may keep it for
// five minutes, and serve it stale for a day while fetching a fresh copy.
const Public = "public, max-age=300, stale-while-revalidate=86400"

// ETag returns the strong entity tag of body: the first 128 bits of its
// SHA-256, in hex, quoted.
func ETag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// NoneMatch reports whether the If-None-Match header values match etag.
// The comparison is weak, as RFC 9110 (13.1.2) asks for If-None-Match, so
// W/"x" matches "x"; "*" matches anything.
func NoneMatch(headers []string, etag string) bool {
	for _, h := range headers {
		for t := range strings.SplitSeq(h, ",") {
			t = strings.TrimSpace(t)
			if t == "*" || strings.TrimPrefix(t, "W/") == etag {
				return true
			}
		}
	}
	return false
}

// Write writes body with the given status, Content-Type and Cache-Control.
// A 200 response gets an ETag, and a request whose If-None-Match matches it
// gets 304 without a body. Other statuses get no ETag. The body is left out
// for HEAD requests.
func Write(w http.ResponseWriter, r *http.Request, status int, contentType, cacheControl string, body []byte) {
	hd := w.Header()
	hd.Set("Cache-Control", cacheControl)
	if status == http.StatusOK {
		etag := ETag(body)
		hd.Set("ETag", etag)
		if NoneMatch(r.Header.Values("If-None-Match"), etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	hd.Set("Content-Type", contentType)
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}
