// Package embed serves the pages that other sites embed in an iframe:
// a recap, an edition card and an initiative card, server-rendered with
// html/template, plus an oEmbed provider that hands out the iframe.
//
//	GET /embed/recaps/{slug}        a recap (default variant full)
//	GET /embed/editions/{year}      an edition card: route, activity counts per region, initiatives, latest recap
//	GET /embed/initiatives/{slug}   an initiative card
//	GET /oembed?url=…&maxwidth=…&maxheight=…&format=json
//
// Pages are public: they show published content only, to every caller.
// Every page takes ?locale=nl|en (default nl; a text without an English
// version is shown in Dutch, marked lang="nl", and the page says so),
// ?variant=card|full and ?theme=light|dark (default light). Other query
// parameters are ignored, so tracking parameters do no harm; a bad value of
// one of these three is answered with 400 and a page that says what is
// wrong. An unknown slug or year gets a 404 page that can be embedded too.
//
// Pages need no JavaScript and load nothing: the CSS is inline, the fonts are
// the system's. One small inline script posts the height of the page to the
// parent window for auto-resizing iframes; the Content-Security-Policy allows
// exactly that script and that stylesheet by their hashes, and framing by
// the parents in Options.AllowedParents. Each page carries Open Graph tags,
// schema.org JSON-LD (NewsArticle for recaps, Event for editions and
// activities) and an oEmbed discovery link.
//
// Responses have a strong ETag (a hash of the bytes), answer If-None-Match
// with 304, and may be cached by anyone for five minutes and served stale
// for a day while revalidating.
package embed

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"estafette/content"
	"estafette/web/requestid"
)

// Options configure the embed pages.
type Options struct {
	// PublicURL is the origin (scheme and host, no path) the pages are
	// reached at from outside, such as https://api.example.nl; absolute
	// links (oEmbed, Open Graph, JSON-LD) start with it. Empty means: take
	// the scheme from X-Forwarded-Proto (else the connection) and the host
	// from the request's Host.
	PublicURL string
	// AllowedParents are the sources allowed to frame the pages, as the CSP
	// directive frame-ancestors takes them: "*", "'self'", "'none'",
	// "https://www.example.nl", "https://*.example.nl". Empty means "*".
	AllowedParents []string
	// Logger receives internal errors; default slog.Default().
	Logger *slog.Logger
}

// The environment variables ParseOptions reads.
const (
	EnvPublicURL      = "PUBLIC_URL"
	EnvAllowedParents = "EMBED_ALLOWED_PARENTS"
)

// ParseOptions reads the options from the environment, for the
// configuration (package app) to call once at start: PUBLIC_URL (an
// http or https origin, without path or query) and EMBED_ALLOWED_PARENTS
// (sources separated by spaces or commas; default "*"). It returns an error
// that names the variable when a value is not valid.
func ParseOptions(getenv func(string) string) (Options, error) {
	var o Options
	if v := strings.TrimSpace(getenv(EnvPublicURL)); v != "" {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return o, fmt.Errorf("%s=%q is not an origin (scheme and host, no path), such as https://api.example.nl", EnvPublicURL, v)
		}
		o.PublicURL = strings.TrimRight(u.String(), "/")
	}
	for _, p := range strings.FieldsFunc(getenv(EnvAllowedParents), func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if !validParent(p) {
			return o, fmt.Errorf("%s: %q is not a frame-ancestors source; use *, 'self', 'none' or an origin such as https://www.example.nl or https://*.example.nl", EnvAllowedParents, p)
		}
		o.AllowedParents = append(o.AllowedParents, p)
	}
	if len(o.AllowedParents) > 1 && (contains(o.AllowedParents, "'none'")) {
		return o, fmt.Errorf("%s: 'none' cannot be combined with other sources", EnvAllowedParents)
	}
	return o, nil
}

var parentSource = regexp.MustCompile(`^(https?://)(\*\.)?[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*(:([0-9]{1,5}|\*))?$`)

func validParent(p string) bool {
	switch p {
	case "*", "'self'", "'none'":
		return true
	}
	return parentSource.MatchString(p)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Handler serves the embed pages and the oEmbed endpoint.
type Handler struct {
	cat     *content.Catalog
	opts    Options
	log     *slog.Logger
	mux     *http.ServeMux
	csp     string
	parents string
}

// New returns the handler of the embed pages over cat. Mount it at
// "/embed/" and "/oembed" of the root mux (it routes the full path).
func New(cat *content.Catalog, o Options) *Handler {
	h := &Handler{cat: cat, opts: o, log: o.Logger}
	if h.log == nil {
		h.log = slog.Default()
	}
	h.parents = "*"
	if len(o.AllowedParents) > 0 {
		h.parents = strings.Join(o.AllowedParents, " ")
	}
	h.csp = "default-src 'none'; style-src '" + styleHash + "'; script-src '" + scriptHash + "'; img-src 'self' https:; base-uri 'none'; form-action 'none'; frame-ancestors " + h.parents
	h.mux = http.NewServeMux()
	h.mux.HandleFunc("GET /embed/recaps/{slug}", h.serveRecap)
	h.mux.HandleFunc("GET /embed/editions/{year}", h.serveEdition)
	h.mux.HandleFunc("GET /embed/initiatives/{slug}", h.serveInitiative)
	h.mux.HandleFunc("GET /oembed", h.serveOEmbed)
	h.mux.HandleFunc("GET "+iconPath, h.serveIcon)
	h.mux.HandleFunc("/", h.serveNotFound)
	return h
}

// ServeHTTP implements http.Handler. Every request is served as an
// anonymous one, whatever key it carries: the pages are public and cached
// by shared caches, so they never show drafts.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(w, r.WithContext(content.WithViewer(r.Context(), content.Viewer{})))
}

// ContentSecurityPolicy returns the policy sent with every page.
func (h *Handler) ContentSecurityPolicy() string { return h.csp }

// Kinds of embedded things, as they appear in the path.
const (
	kindRecap      = "recaps"
	kindEdition    = "editions"
	kindInitiative = "initiatives"
)

// Variants and themes.
const (
	variantCard = "card"
	variantFull = "full"
	themeLight  = "light"
	themeDark   = "dark"
)

// defaultVariant is the variant of each kind without ?variant.
var defaultVariant = map[string]string{kindRecap: variantFull, kindEdition: variantCard, kindInitiative: variantCard}

// params are the validated query parameters of a page.
type params struct {
	Locale  content.Locale
	Variant string
	Theme   string
}

// problem is one thing wrong with a request, in both languages.
type problem struct{ NL, EN string }

// readParams validates the query of a page of kind.
func readParams(q url.Values, kind string) (params, []problem) {
	p := params{Locale: content.NL, Variant: defaultVariant[kind], Theme: themeLight}
	var probs []problem
	one := func(name string) (string, bool) {
		vs := q[name]
		if len(vs) > 1 {
			probs = append(probs, problem{
				fmt.Sprintf("De parameter %s staat %d keer in het adres; geef hem één keer.", name, len(vs)),
				fmt.Sprintf("The parameter %s appears %d times in the address; give it once.", name, len(vs))})
			return "", false
		}
		if len(vs) == 0 || strings.TrimSpace(vs[0]) == "" {
			return "", false
		}
		return strings.TrimSpace(vs[0]), true
	}
	if v, ok := one("locale"); ok {
		if l, ok := content.ParseLocale(v); ok {
			p.Locale = l
		} else {
			probs = append(probs, problem{
				fmt.Sprintf("De taal locale=%q bestaat hier niet; kies nl (Nederlands) of en (Engels).", v),
				fmt.Sprintf("The language locale=%q is not offered; choose nl (Dutch) or en (English).", v)})
		}
	}
	if v, ok := one("variant"); ok {
		if v = strings.ToLower(v); v == variantCard || v == variantFull {
			p.Variant = v
		} else {
			probs = append(probs, problem{
				fmt.Sprintf("De vorm variant=%q bestaat niet; kies card (kaart) of full (volledig).", v),
				fmt.Sprintf("The form variant=%q does not exist; choose card or full.", v)})
		}
	}
	if v, ok := one("theme"); ok {
		if v = strings.ToLower(v); v == themeLight || v == themeDark {
			p.Theme = v
		} else {
			probs = append(probs, problem{
				fmt.Sprintf("Het thema theme=%q bestaat niet; kies light (licht) of dark (donker).", v),
				fmt.Sprintf("The theme theme=%q does not exist; choose light or dark.", v)})
		}
	}
	return p, probs
}

// query returns the query string of a page of kind with p, leaving out the
// defaults, in a fixed order.
func (p params) query(kind string) string {
	var parts []string
	if p.Locale != content.NL {
		parts = append(parts, "locale="+string(p.Locale))
	}
	if p.Variant != defaultVariant[kind] {
		parts = append(parts, "variant="+p.Variant)
	}
	if p.Theme != themeLight {
		parts = append(parts, "theme="+p.Theme)
	}
	if len(parts) == 0 {
		return ""
	}
	return "?" + strings.Join(parts, "&")
}

// baseURL returns the public scheme and host of the request.
func (h *Handler) baseURL(r *http.Request) string {
	if h.opts.PublicURL != "" {
		return h.opts.PublicURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p != "" {
		p = strings.ToLower(strings.TrimSpace(strings.Split(p, ",")[0]))
		if p == "http" || p == "https" {
			scheme = p
		}
	}
	host := r.Host
	if !validHost.MatchString(host) {
		host = "localhost"
	}
	return scheme + "://" + host
}

var validHost = regexp.MustCompile(`^[a-zA-Z0-9.-]+(:[0-9]{1,5})?$|^\[[0-9a-fA-F:.]+\](:[0-9]{1,5})?$`)

// fail answers an internal error with a page that hides the details.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, p params, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	h.log.ErrorContext(r.Context(), "embed page failed", "path", r.URL.Path, "err", err)
	pg := h.newPage(r, p, "", "")
	pg.Status = http.StatusInternalServerError
	pg.Title = pg.T["errorTitle"]
	pg.Error = &errorView{Heading: pg.T["errorTitle"], Lines: []string{fmt.Sprintf(pg.T["errorText"], requestid.From(r.Context()))}}
	h.render(w, r, pg)
}

// notFound answers with the 404 page.
func (h *Handler) notFound(w http.ResponseWriter, r *http.Request, p params, what string) {
	pg := h.newPage(r, p, "", "")
	pg.Status = http.StatusNotFound
	pg.Title = pg.T["notFoundTitle"]
	pg.Error = &errorView{Heading: pg.T["notFoundTitle"], Lines: []string{what, pg.T["notFoundHint"]}}
	h.render(w, r, pg)
}

func (h *Handler) serveNotFound(w http.ResponseWriter, r *http.Request) {
	p, _ := readParams(r.URL.Query(), "")
	if !strings.HasPrefix(r.URL.Path, "/embed/") && r.URL.Path != "/embed" {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	h.notFound(w, r, p, labels[p.Locale]["notFoundPath"])
}

// badRequest answers with the 400 page listing the problems.
func (h *Handler) badRequest(w http.ResponseWriter, r *http.Request, kind string, probs []problem) {
	p, _ := readParams(url.Values{}, kind)
	// Speak the language the caller asked for when that part was right.
	if l, ok := content.ParseLocale(r.URL.Query().Get("locale")); ok && len(r.URL.Query()["locale"]) == 1 {
		p.Locale = l
	}
	if t := strings.ToLower(r.URL.Query().Get("theme")); t == themeDark && len(r.URL.Query()["theme"]) == 1 {
		p.Theme = t
	}
	pg := h.newPage(r, p, "", "")
	pg.Status = http.StatusBadRequest
	pg.Title = pg.T["badRequestTitle"]
	v := &errorView{Heading: pg.T["badRequestTitle"], Intro: pg.T["badRequestIntro"]}
	for _, pr := range probs {
		if p.Locale == content.EN {
			v.Lines = append(v.Lines, pr.EN)
		} else {
			v.Lines = append(v.Lines, pr.NL)
		}
	}
	v.List = true
	pg.Error = v
	h.render(w, r, pg)
}

// atoiYear reads a year from the path: digits only, four of them.
func atoiYear(s string) (int, bool) {
	if len(s) != 4 || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0
}
