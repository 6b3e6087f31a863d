// Package graphiql serves the GraphiQL IDE for the Estafette GraphQL API.
//
// Everything the page needs (GraphiQL, React, ReactDOM, their styles and
// fonts, and a small bootstrap script) is embedded in the binary with go:embed
// and served by the handler itself, so the IDE works without internet access
// and the browser makes no request to any other origin. The vendored files
// and how to refresh them are described in assets/README.md.
//
// Mount the handler at the root of a mux, next to the API:
//
//	mux := http.NewServeMux()
//	mux.Handle("/query", api)
//	mux.Handle("/", graphiql.Handler("/query"))
package graphiql

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// AssetPrefix is the path under which [Handler] serves the embedded assets,
// such as /graphiql/graphiql.min.js.
const AssetPrefix = "/graphiql/"

// DefaultQuery is the query GraphiQL shows on a first visit (GraphiQL keeps the
// user's own tabs in the browser's local storage after that).
const DefaultQuery = `# Welcome to Estafette, the GraphQL API
# of the Slimme Zorg Estafette.
#
# Run a query with the play button or
# Ctrl-Enter; the documentation explorer
# (top left) shows the whole schema.
query Route2023 {
  edition(year: 2023) {
    name
    legs {
      order
      startsOn
      endsOn
      region {
        slug
        name
        provinces {
          name
        }
      }
    }
  }
  relay(at: "2023-02-21T10:00:00+01:00") {
    current {
      region {
        name
      }
    }
    next {
      region {
        name
      }
    }
  }
}
`

const (
	// immutableCache is sent for an asset requested with its current version.
	immutableCache = "public, max-age=31536000, immutable"
	// shortCache is sent for an asset requested without (or with a stale)
	// version, as by a page still cached from an older build.
	shortCache = "public, max-age=300"
	// allowedMethods is the Allow header of a 405 response.
	allowedMethods = "GET, HEAD"
)

// contentSecurityPolicy returns the page's Content-Security-Policy, with
// connect as an extra origin GraphiQL may send queries to (none when empty).
// Scripts are all same-origin files, and GraphiQL needs neither eval nor
// inline scripts, so script-src is 'self' alone. Styles need 'unsafe-inline':
// GraphiQL's dialogs (Radix UI with react-remove-scroll) insert <style>
// elements whose content is computed at run time, so neither hashes nor a
// nonce can cover them. Fonts and a few images are data: URLs inlined in
// graphiql.min.css. TestChromium checks that nothing breaks this policy.
func contentSecurityPolicy(connect string) string {
	connectSrc := "connect-src 'self'"
	if connect != "" {
		connectSrc += " " + connect
	}
	return strings.Join([]string{
		"default-src 'none'",
		"script-src 'self'",
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data:",
		"font-src 'self' data:",
		connectSrc,
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'none'",
	}, "; ")
}

//go:embed page.html
var pageSource string

var pageTemplate = template.Must(template.New("page").Parse(pageSource))

//go:embed assets/*.js assets/*.css assets/LICENSES/*
var assetFiles embed.FS

// Order in which the page loads the assets: React before ReactDOM before
// GraphiQL before the bootstrap script that mounts it.
var (
	pageScripts = []string{"react.production.min.js", "react-dom.production.min.js", "graphiql.min.js", "estafette.js"}
	pageStyles  = []string{"graphiql.min.css", "estafette.css"}
)

// asset is one embedded file, with what is needed to serve it.
type asset struct {
	contentType string
	body        []byte
	version     string // hex prefix of the SHA-256 of body
	etag        string // strong ETag of body

	gzipOnce sync.Once
	gzipBody []byte // nil when gzip does not make it smaller
	gzipETag string
}

// gzipped returns the gzip-compressed body and its ETag, compressing on first
// use; it returns a nil body when compression does not pay.
func (a *asset) gzipped() ([]byte, string) {
	a.gzipOnce.Do(func() {
		var buf bytes.Buffer
		zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if err != nil {
			return
		}
		if _, err := zw.Write(a.body); err != nil {
			return
		}
		if err := zw.Close(); err != nil {
			return
		}
		if buf.Len() < len(a.body) {
			a.gzipBody = buf.Bytes()
			a.gzipETag = `"` + a.version + `-gz"`
		}
	})
	return a.gzipBody, a.gzipETag
}

var contentTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
	".txt": "text/plain; charset=utf-8",
}

// loadAssets reads and hashes the embedded files once per process.
var loadAssets = sync.OnceValue(func() map[string]*asset {
	assets := make(map[string]*asset)
	err := fs.WalkDir(assetFiles, "assets", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := assetFiles.ReadFile(name)
		if err != nil {
			return err
		}
		ct, ok := contentTypes[path.Ext(name)]
		if !ok {
			ct = "application/octet-stream"
		}
		sum := sha256.Sum256(body)
		version := hex.EncodeToString(sum[:10])
		assets[strings.TrimPrefix(name, "assets/")] = &asset{
			contentType: ct,
			body:        body,
			version:     version,
			etag:        `"` + version + `"`,
		}
		return nil
	})
	if err != nil {
		panic("graphiql: reading embedded assets: " + err.Error())
	}
	return assets
})

// handler serves the page and the assets; see [Handler].
type handler struct {
	page     []byte
	pageETag string
	csp      string
	assets   map[string]*asset
}

// Handler returns an http.Handler that serves the GraphiQL page at exactly "/"
// and the embedded assets under [AssetPrefix]; the page's GraphiQL sends its
// queries with POST to endpoint, such as "/query" (the default when endpoint
// is empty). If endpoint is an absolute http(s) URL, its origin is added to the
// page's connect-src; otherwise everything stays same-origin.
//
// Only GET and HEAD are allowed (405 with an Allow header otherwise); any other
// path, including an unknown asset, is 404. The page is sent with
// Cache-Control: no-cache, a strict Content-Security-Policy and an ETag.
// Assets carry a strong ETag (a SHA-256 prefix of their bytes) and honour
// If-None-Match with 304; requested with the version the page puts in their
// URL (?v=...) they are cacheable for a year as immutable, otherwise for five
// minutes. Clients that accept gzip get a gzip-compressed copy.
func Handler(endpoint string) http.Handler {
	if endpoint == "" {
		endpoint = "/query"
	}
	assets := loadAssets()

	connect := ""
	curlURL := endpoint
	u, err := url.Parse(endpoint)
	absolute := err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
	if absolute {
		connect = u.Scheme + "://" + u.Host
	} else {
		curlURL = "$SERVER/" + strings.TrimPrefix(endpoint, "/")
	}

	assetURL := func(name string) string {
		a, ok := assets[name]
		if !ok {
			panic("graphiql: page refers to missing asset " + name)
		}
		return AssetPrefix + name + "?v=" + a.version
	}
	data := struct {
		Endpoint, DefaultQuery, CurlURL string
		Relative                        bool
		Scripts, Styles                 []string
	}{Endpoint: endpoint, DefaultQuery: DefaultQuery, CurlURL: curlURL, Relative: !absolute}
	for _, s := range pageScripts {
		data.Scripts = append(data.Scripts, assetURL(s))
	}
	for _, s := range pageStyles {
		data.Styles = append(data.Styles, assetURL(s))
	}
	var page bytes.Buffer
	if err := pageTemplate.Execute(&page, data); err != nil {
		panic("graphiql: rendering page: " + err.Error())
	}
	sum := sha256.Sum256(page.Bytes())

	return &handler{
		page:     page.Bytes(),
		pageETag: `"` + hex.EncodeToString(sum[:10]) + `"`,
		csp:      contentSecurityPolicy(connect),
		assets:   assets,
	}
}

// ServeHTTP implements http.Handler.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("X-Content-Type-Options", "nosniff")

	p := r.URL.Path
	var a *asset
	switch {
	case p == "/":
	case strings.HasPrefix(p, AssetPrefix):
		if a = h.assets[strings.TrimPrefix(p, AssetPrefix)]; a == nil {
			http.NotFound(w, r)
			return
		}
	default:
		http.NotFound(w, r)
		return
	}

	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hdr.Set("Allow", allowedMethods)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}

	if a == nil {
		hdr.Set("Content-Type", "text/html; charset=utf-8")
		hdr.Set("Cache-Control", "no-cache")
		hdr.Set("Content-Security-Policy", h.csp)
		hdr.Set("Referrer-Policy", "no-referrer")
		hdr.Set("ETag", h.pageETag)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(h.page))
		return
	}

	hdr.Set("Content-Type", a.contentType)
	hdr.Set("Vary", "Accept-Encoding")
	if r.URL.Query().Get("v") == a.version {
		hdr.Set("Cache-Control", immutableCache)
	} else {
		hdr.Set("Cache-Control", shortCache)
	}
	body, etag := a.body, a.etag
	if acceptsGzip(r.Header.Values("Accept-Encoding")) {
		if gz, gzETag := a.gzipped(); gz != nil {
			body, etag = gz, gzETag
			hdr.Set("Content-Encoding", "gzip")
		}
	}
	hdr.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// acceptsGzip reports whether Accept-Encoding header values allow gzip: it is
// listed (as gzip, x-gzip or *) with a q-value other than zero.
func acceptsGzip(values []string) bool {
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(part, ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding != "gzip" && coding != "x-gzip" && coding != "*" {
				continue
			}
			refused := false
			for _, param := range strings.Split(params, ";") {
				k, v, ok := strings.Cut(param, "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
					refused = err == nil && q == 0
				}
			}
			if !refused {
				return true
			}
		}
	}
	return false
}
