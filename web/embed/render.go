package embed

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"net/http"
	"strings"

	"estafette/content"
	"estafette/web/httpcache"
)

//go:embed templates/*.html templates/style.css templates/resize.js templates/icon.svg
var files embed.FS

// The inline stylesheet and script, and their CSP hashes.
var (
	styleText  = mustRead("templates/style.css")
	scriptText = strings.TrimSpace(mustRead("templates/resize.js"))
	styleHash  = cspHash(styleText)
	scriptHash = cspHash(scriptText)
	iconSVG    = []byte(mustRead("templates/icon.svg"))
)

// iconPath is where the pages' icon is served; a page without an icon of
// its own makes browsers ask for /favicon.ico, which is not ours to serve.
const iconPath = "/embed/icon.svg"

// serveIcon serves the icon, cached for a day.
func (h *Handler) serveIcon(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'")
	writeCached(w, r, http.StatusOK, "image/svg+xml", "public, max-age=86400", iconSVG)
}

func mustRead(name string) string {
	b, err := files.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// Cache headers of the pages.
const (
	cacheOK       = httpcache.Public
	cacheNotFound = "public, max-age=60"
	cacheNone     = "no-store"
)

// page is what the layout renders; one of Recap, Edition, Initiative and
// Error is set.
type page struct {
	Status  int
	Lang    content.Locale
	Theme   string
	Variant string
	T       map[string]string

	Kind        string // recaps, editions, initiatives; "" for error pages
	Title       string // <title> and og:title
	Description string
	URL         string // this page's canonical URL
	OEmbedURL   string
	OG          []metaTag
	JSONLD      template.JS
	Notice      string // the fallback notice, in the page's language
	OtherLang   *langLink
	Style       template.CSS
	Script      template.JS

	Recap      *recapView
	Edition    *editionView
	Initiative *initiativeView
	Error      *errorView
}

type metaTag struct{ Property, Content string }

// langLink links to the same page in the other language.
type langLink struct {
	Lang, Label, URL string
}

// errorView is the body of a 400, 404 or 500 page.
type errorView struct {
	Heading string
	Intro   string
	Lines   []string
	List    bool
}

// newPage returns a page of kind for the request; path is the page's path.
func (h *Handler) newPage(r *http.Request, p params, kind, path string) *page {
	pg := &page{
		Status: http.StatusOK, Lang: p.Locale, Theme: p.Theme, Variant: p.Variant,
		T: labels[p.Locale], Kind: kind,
		Style: template.CSS(styleText), Script: template.JS(scriptText),
	}
	if path != "" {
		base := h.baseURL(r)
		pg.URL = base + path + p.query(kind)
		pg.OEmbedURL = base + "/oembed?url=" + queryEscape(pg.URL) + "&format=json"
		other := p
		other.Locale = content.EN
		if p.Locale == content.EN {
			other.Locale = content.NL
		}
		pg.OtherLang = &langLink{Lang: string(other.Locale), Label: labels[other.Locale]["otherLanguage"], URL: path + other.query(kind)}
	}
	return pg
}

// setJSONLD sets the page's JSON-LD; json.Marshal escapes <, > and &, so
// the data cannot end the script element.
func (pg *page) setJSONLD(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	pg.JSONLD = template.JS(b)
	return nil
}

// ogLocale is the Open Graph form of a locale.
func ogLocale(l content.Locale) string {
	if l == content.EN {
		return "en_GB"
	}
	return "nl_NL"
}

// render writes the page with its headers, or 304 when the client has it.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, pg *page) {
	var buf bytes.Buffer
	if err := layout.ExecuteTemplate(&buf, "layout", pg); err != nil {
		h.log.ErrorContext(r.Context(), "embed page did not render", "path", r.URL.Path, "err", err)
		w.Header().Set("Cache-Control", cacheNone)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Security-Policy", h.csp)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Content-Language", string(pg.Lang))
	if h.opts.PublicURL == "" {
		hd.Add("Vary", "X-Forwarded-Proto")
	}
	cache := cacheOK
	switch pg.Status {
	case http.StatusOK:
	case http.StatusNotFound:
		cache = cacheNotFound
	default:
		cache = cacheNone
	}
	writeCached(w, r, pg.Status, "text/html; charset=utf-8", cache, buf.Bytes())
}

// writeCached writes body with a strong ETag and answers a matching
// If-None-Match with 304 (see httpcache.Write).
func writeCached(w http.ResponseWriter, r *http.Request, status int, contentType, cache string, body []byte) {
	httpcache.Write(w, r, status, contentType, cache, body)
}

// layout is the page template with its partials.
var layout = template.Must(template.New("").Funcs(template.FuncMap{
	"lang": func(t ltext) template.HTMLAttr {
		if t.Lang == "" {
			return ""
		}
		return template.HTMLAttr(` lang="` + t.Lang + `"`)
	},
}).ParseFS(files, "templates/*.html"))
