package desk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"estafette/content"
	"estafette/internal/markdown"
)

// previewView shows what the public will see of a record once published:
// the embed page of a recap (in a frame), the API's answer for any other
// kind.
type previewView struct {
	KindPath, ID, Heading string
	Frame                 string
	API                   string
	Published             bool
	Version               int64
}

// apiQueries ask the API for a record the way a frontend does, by slug.
var apiQueries = map[content.Kind]string{
	content.KindActivity: `query($slug: String!) { activity(slug: $slug, preview: true) { id slug status title titleEn: title(locale: EN) summary summaryEn: summary(locale: EN)
  edition { year } region { slug name } initiative { slug name } organizers { slug name }
  startsOn endsOn startsAt endsAt format mode venue { name city province { slug name } organization { slug name } }
  audiences themes { slug name } registrationUrl interactive version updatedAt } }`,
	content.KindInitiative:   `query($slug: String!) { initiative(slug: $slug, preview: true) { id slug status name nameEn: name(locale: EN) summary website version } }`,
	content.KindOrganization: `query($slug: String!) { organization(slug: $slug, preview: true) { id slug status name kind city website version } }`,
	content.KindTheme:        `query($slug: String!) { theme(slug: $slug, preview: true) { id slug status name nameEn: name(locale: EN) summary version } }`,
}

func (d *Desk) preview(w http.ResponseWriter, r *http.Request) {
	k := d.kind(w, r)
	if k == nil {
		return
	}
	ctx, l := r.Context(), langOf(r)
	rec, err := k.ops.get(ctx, d.cat, r.PathValue("id"))
	if err != nil {
		d.fail(w, r, err)
		return
	}
	if rec == nil {
		d.notFound(w, r)
		return
	}
	m := content.MetaOf(rec)
	pv := previewView{KindPath: k.Path, ID: m.ID, Heading: k.title(rec), Published: m.IsPublished(), Version: m.Version}
	switch k.Kind {
	case content.KindRecap:
		pv.Frame = "/desk/" + k.Path + "/" + m.ID + "/frame"
	case content.KindEdition:
		pv.Frame = "/desk/" + k.Path + "/" + m.ID + "/frame"
	default:
		q, ok := apiQueries[k.Kind]
		if !ok {
			d.notFound(w, r)
			return
		}
		body, _ := json.Marshal(map[string]any{"query": q, "variables": map[string]string{"slug": m.Slug}})
		req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/query", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		d.api.ServeHTTP(rec, req)
		var out bytes.Buffer
		if err := json.Indent(&out, rec.Body.Bytes(), "", "  "); err != nil {
			d.fail(w, r, fmt.Errorf("preview of %s %s: %w", k.Kind, m.ID, err))
			return
		}
		pv.API = out.String()
	}
	d.render(w, r, http.StatusOK, "preview", fmt.Sprintf(l.T("previewOf"), pv.Heading), pv)
}

// previewFrame serves the embed page of a recap (or edition) as the
// public will see it, drafts included, to be framed by the preview page
// only.
func (d *Desk) previewFrame(w http.ResponseWriter, r *http.Request) {
	k := d.kind(w, r)
	if k == nil {
		return
	}
	rec, err := k.ops.get(r.Context(), d.cat, r.PathValue("id"))
	if err != nil {
		d.fail(w, r, err)
		return
	}
	var path string
	switch x := rec.(type) {
	case *content.Recap:
		path = "/embed/recaps/" + x.Slug
	case *content.Edition:
		path = fmt.Sprintf("/embed/editions/%d", x.Year)
	default:
		d.notFound(w, r)
		return
	}
	req := r.Clone(r.Context())
	req.URL.Path, req.URL.RawPath, req.URL.RawQuery = path, "", "variant=full&locale="+string(langOf(r))
	req.RequestURI = req.URL.RequestURI()
	rw := httptest.NewRecorder()
	d.embed.ServeHTTP(rw, req)
	h := w.Header()
	for k, vs := range rw.Header() {
		if k == "Content-Security-Policy" {
			continue
		}
		h[k] = vs
	}
	// The embed page's own policy, framed by the desk only; never cached.
	h.Set("Content-Security-Policy", d.embed.ContentSecurityPolicy())
	h.Del("X-Frame-Options")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Cache-Control", "no-store")
	h.Del("ETag")
	w.WriteHeader(rw.Code)
	_, _ = w.Write(rw.Body.Bytes())
}

// markdownPreview renders Markdown as the embed pages do, for the live
// preview beside a recap's text.
func (d *Desk) markdownPreview(w http.ResponseWriter, r *http.Request) {
	src, err := io.ReadAll(io.LimitReader(strings.NewReader(r.PostFormValue("text")), maxFormBytes))
	if err != nil {
		d.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = io.WriteString(w, string(template.HTML(markdown.Render(string(src), markdown.Options{TopHeading: 2, NewTab: true}))))
}
