package embed

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"estafette/content"
)

// OEmbed is an oEmbed response of type rich (https://oembed.com, 2.3.4 and
// 2.3.4.4): an iframe of an embed page.
type OEmbed struct {
	Version      string `json:"version"`
	Type         string `json:"type"`
	HTML         string `json:"html"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	Title        string `json:"title,omitempty"`
	ProviderName string `json:"provider_name"`
	ProviderURL  string `json:"provider_url"`
	CacheAge     int    `json:"cache_age"`
}

// frameSize is the size an iframe of a page gets without maxwidth or
// maxheight; the height is a start, the resize script sets the real one.
var frameSize = map[string]map[string][2]int{
	kindRecap:      {variantFull: {720, 900}, variantCard: {480, 360}},
	kindEdition:    {variantFull: {720, 1400}, variantCard: {720, 1000}},
	kindInitiative: {variantFull: {720, 1000}, variantCard: {480, 480}},
}

// cacheAge is how long (in seconds) a consumer may keep an oEmbed response.
const cacheAge = 300

// IframeSandbox is the sandbox of the iframe the oEmbed response hands out:
// the page may run its resize script and open links in a new tab, nothing
// else (no same-origin access, no forms, no top navigation).
const IframeSandbox = "allow-scripts allow-popups allow-popups-to-escape-sandbox"

func (h *Handler) serveOEmbed(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if h.opts.PublicURL == "" {
		w.Header().Add("Vary", "X-Forwarded-Proto")
	}
	fail := func(status int, msg string) {
		w.Header().Set("Cache-Control", cacheNone)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		fmt.Fprintln(w, msg)
	}
	switch f := strings.ToLower(q.Get("format")); f {
	case "", "json":
	default:
		fail(http.StatusNotImplemented, fmt.Sprintf("format %q is not supported; this provider answers format=json only", f))
		return
	}
	limit := func(name string) (int, bool) {
		v := q.Get(name)
		if v == "" {
			return 0, true
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			fail(http.StatusBadRequest, fmt.Sprintf("%s=%q is not a positive whole number of pixels", name, v))
			return 0, false
		}
		return n, true
	}
	maxW, ok := limit("maxwidth")
	if !ok {
		return
	}
	maxH, ok := limit("maxheight")
	if !ok {
		return
	}
	raw := q.Get("url")
	if raw == "" {
		fail(http.StatusBadRequest, "url is missing: give the address of an embed page, such as "+h.baseURL(r)+"/embed/recaps/terugblik-2023")
		return
	}
	kind, id, p, ok := h.matchURL(r, raw)
	if !ok {
		fail(http.StatusNotFound, "this provider has no embed for that url")
		return
	}
	ctx := r.Context()
	var title, current string
	var err error
	switch kind {
	case kindRecap:
		var rc *content.Recap
		if rc, err = content.BySlug[content.Recap](ctx, h.cat, id); rc != nil {
			title, current = rc.Title.In(p.Locale), rc.Slug
		}
	case kindEdition:
		var e *content.Edition
		if y, ok := atoiYear(id); ok {
			if e, err = h.cat.EditionByYear(ctx, y); e != nil {
				title = e.Name.In(p.Locale)
			}
		}
	case kindInitiative:
		var in *content.Initiative
		if in, err = content.BySlug[content.Initiative](ctx, h.cat, id); in != nil {
			title, current = in.Name.In(p.Locale), in.Slug
		}
	}
	if err != nil {
		h.log.ErrorContext(ctx, "oembed failed", "url", raw, "err", err)
		fail(http.StatusInternalServerError, "Internal error.")
		return
	}
	if title == "" {
		fail(http.StatusNotFound, "this provider has no embed for that url")
		return
	}
	if current != "" && current != id {
		// An earlier slug: answer with the oEmbed of the page's current
		// address.
		u, _ := url.Parse(raw)
		u.Path = "/embed/" + kind + "/" + current
		q.Set("url", u.String())
		movedTo(w, r, r.URL.Path, q.Encode())
		return
	}
	size := frameSize[kind][p.Variant]
	width, height := size[0], size[1]
	if maxW > 0 {
		width = min(width, maxW)
	}
	if maxH > 0 {
		height = min(height, maxH)
	}
	base := h.baseURL(r)
	src := base + "/embed/" + kind + "/" + id + p.query(kind)
	resp := OEmbed{
		Version: "1.0", Type: "rich",
		HTML:         IframeHTML(src, title, width, height),
		Width:        width,
		Height:       height,
		Title:        title,
		ProviderName: labels[p.Locale]["brand"],
		ProviderURL:  base + "/",
		CacheAge:     cacheAge,
	}
	body, err := json.Marshal(resp)
	if err != nil {
		fail(http.StatusInternalServerError, "Internal error.")
		return
	}
	writeCached(w, r, http.StatusOK, "application/json; charset=utf-8", cacheOK, append(body, '\n'))
}

// IframeHTML returns the iframe that embeds the page at src: titled for
// screen readers, lazily loaded, sandboxed, without a border, never wider
// than its container.
func IframeHTML(src, title string, width, height int) string {
	return fmt.Sprintf(`<iframe src="%s" title="%s" width="%d" height="%d" loading="lazy" sandbox="%s" referrerpolicy="strict-origin-when-cross-origin" style="border:0;width:100%%;max-width:%dpx"></iframe>`,
		html.EscapeString(src), html.EscapeString(title), width, height, IframeSandbox, width)
}

// matchURL reports whether raw is the address of an embed page of this
// provider, and which one.
func (h *Handler) matchURL(r *http.Request, raw string) (kind, id string, p params, ok bool) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return "", "", p, false
	}
	base, err := url.Parse(h.baseURL(r))
	if err != nil || !strings.EqualFold(u.Host, base.Host) {
		return "", "", p, false
	}
	rest, found := strings.CutPrefix(u.Path, "/embed/")
	if !found {
		return "", "", p, false
	}
	kind, id, found = strings.Cut(rest, "/")
	if !found || id == "" || strings.Contains(id, "/") || defaultVariant[kind] == "" {
		return "", "", p, false
	}
	p, probs := readParams(u.Query(), kind)
	if len(probs) > 0 {
		return "", "", p, false
	}
	return kind, id, p, true
}
