// Package desk is the editorial desk: the web pages at /desk in which the
// people who own the content manage it. Its lists, forms, previews and
// admin pages are server-rendered (html/template, every asset embedded,
// a little JavaScript as progressive enhancement), and every write goes
// through the content domain with the signed-in person's content.Viewer,
// so nothing can be done in the desk that the API would refuse.
//
// The desk does not sign anyone in: the sign-in side (package
// web/deskauth) wraps it and puts a deskid.Session and a content.Viewer
// on the context of every request it lets through; see package deskid.
package desk

import (
	"crypto/subtle"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"estafette/auth"
	"estafette/content"
	"estafette/loaders"
	"estafette/mail"
	"estafette/submissions"
	"estafette/web/deskid"
	embedpages "estafette/web/embed"
	"estafette/web/gqlhttp"
	"estafette/webhooks"
)

// Options are what the desk needs besides the catalog.
type Options struct {
	// Keys manages the API keys (the admin page API keys); nil leaves
	// that page out.
	Keys *auth.Keys
	// Webhooks manages webhook endpoints and their deliveries (the admin
	// page Webhooks, and the dashboard's failing deliveries); nil leaves
	// them out.
	Webhooks *webhooks.Service
	// Mail is the outbox of emails (the admin page Outgoing mail at
	// /desk/admin/mail); nil leaves it out.
	Mail *mail.Outbox
	// People manages the people of the desk (*people.People): the admin
	// pages of people at /desk/people (list, invite, role, disable,
	// enable); nil leaves them out, and the menu does not link to them.
	People PeopleAdmin
	// Proposals handles the proposals of the public (the page
	// Aanmeldingen, for editors); nil leaves it empty.
	Proposals *submissions.Submissions
	// PublicURL is the origin of the public pages (previews of embeds);
	// empty: the request's own.
	PublicURL string
	// Logger receives internal errors; default slog.Default().
	Logger *slog.Logger
	// Now is the clock of the dashboard (whose turn it is); default
	// time.Now.
	Now func() time.Time
}

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// ContentSecurityPolicy is the policy of every desk page: scripts,
// styles and requests from the desk itself only, no inline script or
// style, never framed by another page.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"form-action 'self'; frame-src 'self'; base-uri 'none'; frame-ancestors 'none'"

// Desk is the desk's handler.
type Desk struct {
	cat    *content.Catalog
	opts   Options
	log    *slog.Logger
	mux    *http.ServeMux
	api    http.Handler // the GraphQL endpoint, for previews of the API's answer
	embed  *embedpages.Handler
	static http.Handler
}

// New returns the desk over catalog: every page under /desk except the
// sign-in side's (/desk/signin, /desk/signout, /desk/invite/, /desk/oidc/).
func New(catalog *content.Catalog, opts Options) http.Handler {
	return newDesk(catalog, opts)
}

func newDesk(catalog *content.Catalog, opts Options) *Desk {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	d := &Desk{cat: catalog, opts: opts, log: opts.Logger, mux: http.NewServeMux()}
	d.api = loaders.Middleware(catalog, true, gqlhttp.NewHandler(catalog, gqlhttp.Options{Logger: opts.Logger, Keys: opts.Keys, Webhooks: opts.Webhooks, SlowQueryThreshold: -1, MaxConcurrent: -1}))
	d.embed = embedpages.New(catalog, embedpages.Options{PublicURL: opts.PublicURL, AllowedParents: []string{"'self'"}, Logger: opts.Logger})
	static, _ := fs.Sub(staticFiles, "static")
	m := d.mux
	d.static = http.StripPrefix("/desk/static/", http.FileServerFS(static))
	m.HandleFunc("GET /desk", d.dashboard)
	m.HandleFunc("GET /desk/{$}", d.dashboard)
	m.HandleFunc("POST /desk/lang", d.setLang)
	m.HandleFunc("POST /desk/markdown", d.markdownPreview)
	m.HandleFunc("GET /desk/admin/keys", d.keysPage)
	m.HandleFunc("POST /desk/admin/keys", d.createKey)
	m.HandleFunc("POST /desk/admin/keys/{id}/revoke", d.revokeKey)
	m.HandleFunc("GET /desk/admin/webhooks", d.webhooksPage)
	m.HandleFunc("GET /desk/admin/mail", d.mailPage)
	m.HandleFunc("POST /desk/admin/webhooks", d.addWebhook)
	m.HandleFunc("GET /desk/admin/webhooks/{id}", d.webhookPage)
	m.HandleFunc("POST /desk/admin/webhooks/{id}/remove", d.removeWebhook)
	m.HandleFunc("POST /desk/admin/webhooks/{id}/replay", d.replay)
	m.HandleFunc("GET /desk/admin/audit", d.auditPage)
	m.HandleFunc("GET /desk/admin/trash", d.trashPage)
	m.HandleFunc("GET /desk/proposals", d.proposalsPage)
	m.HandleFunc("POST /desk/proposals/{id}/{decision}", d.decideProposal)
	m.HandleFunc("GET /desk/people", d.peoplePage)
	m.HandleFunc("POST /desk/people", d.invitePerson)
	m.HandleFunc("POST /desk/people/{id}/invite", d.reinvitePerson)
	m.HandleFunc("POST /desk/people/{id}/{action}", d.changePerson)
	for _, k := range kinds {
		base := "/desk/" + k.Path
		m.HandleFunc("GET "+base, d.listPage)
		m.HandleFunc("POST "+base+"/bulk", d.bulk)
		m.HandleFunc("GET "+base+"/new", d.newForm)
		m.HandleFunc("POST "+base+"/new", d.create)
		m.HandleFunc("GET "+base+"/{id}", d.editForm)
		m.HandleFunc("POST "+base+"/{id}", d.save)
		m.HandleFunc("POST "+base+"/{id}/status", d.status)
		m.HandleFunc("GET "+base+"/{id}/preview", d.preview)
		m.HandleFunc("GET "+base+"/{id}/frame", d.previewFrame)
	}
	return d
}

// maxFormBytes bounds a posted form (a recap's body in two languages fits).
const maxFormBytes = 2 << 20

// ServeHTTP sets the desk's security headers, sends whoever is not signed
// in to the sign-in page, refuses a post without the session's CSRF token
// and serves the page.
func (d *Desk) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	if strings.HasPrefix(r.URL.Path, "/desk/static/") {
		h.Set("Cache-Control", "public, max-age=3600")
		d.static.ServeHTTP(w, r)
		return
	}
	h.Set("Cache-Control", "no-store")
	for _, p := range signInPaths {
		if r.URL.Path == p || (strings.HasSuffix(p, "/") && strings.HasPrefix(r.URL.Path, p)) {
			http.NotFound(w, r)
			return
		}
	}
	s, ok := deskid.From(r.Context())
	if !ok || content.ViewerFrom(r.Context()).Anonymous() {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			http.Redirect(w, r, "/desk/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		http.Error(w, langOf(r).T("signinNeeded"), http.StatusUnauthorized)
		return
	}
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		token := r.Header.Get(deskid.CSRFHeader)
		if token == "" {
			token = r.PostFormValue(deskid.CSRFField)
		}
		if s.CSRF == "" || subtle.ConstantTimeCompare([]byte(token), []byte(s.CSRF)) != 1 {
			d.fail(w, r, content.Errorf(content.EFORBIDDEN, "%s", langOf(r).T("csrf")))
			return
		}
	}
	if p := r.URL.Path; p == "/desk/people" || strings.HasPrefix(p, "/desk/people/") {
		if d.opts.People == nil {
			d.notFound(w, r)
			return
		}
	}
	d.mux.ServeHTTP(w, r)
}

// signInPaths are the sign-in side's; it answers them before the desk
// sees them, so the desk has none of its own there.
var signInPaths = []string{"/desk/signin", "/desk/signout", "/desk/invite/", "/desk/oidc/"}

// setLang switches the desk's language and goes back to the page.
func (d *Desk) setLang(w http.ResponseWriter, r *http.Request) {
	l := "nl"
	if r.PostFormValue("lang") == "en" {
		l = "en"
	}
	http.SetCookie(w, &http.Cookie{Name: deskid.LangCookie, Value: l, Path: "/desk", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	http.Redirect(w, r, localPath(r.PostFormValue("next")), http.StatusSeeOther)
}

// localPath returns p when it is a path of the desk, else /desk.
func localPath(p string) string {
	if strings.HasPrefix(p, "/desk") && !strings.HasPrefix(p, "//") && !strings.ContainsAny(p, "\\\r\n") {
		return p
	}
	return "/desk"
}

// statusOf maps a domain error to an HTTP status.
func statusOf(err error) int {
	switch content.ErrorCode(err) {
	case content.EINVALID:
		return http.StatusUnprocessableEntity
	case content.ENOTFOUND:
		return http.StatusNotFound
	case content.ECONFLICT:
		return http.StatusConflict
	case content.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case content.EFORBIDDEN:
		return http.StatusForbidden
	case content.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// fail shows an error page with the domain's message (never internals).
func (d *Desk) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	if status == http.StatusInternalServerError || status == http.StatusServiceUnavailable {
		d.log.ErrorContext(r.Context(), "desk page failed", "path", r.URL.Path, "err", err)
	}
	var de *content.Error
	msg := content.ErrorMessage(err)
	if !errors.As(err, &de) {
		msg = "Internal error."
	}
	d.render(w, r, status, "error", langOf(r).T("error"), errorView{Message: msg, Status: status})
}

type errorView struct {
	Message string
	Status  int
}

func (d *Desk) notFound(w http.ResponseWriter, r *http.Request) {
	d.fail(w, r, content.Errorf(content.ENOTFOUND, "%s", langOf(r).T("notFound")))
}

// session returns the signed-in person's session.
func session(r *http.Request) deskid.Session {
	s, _ := deskid.From(r.Context())
	return s
}

func isAdmin(r *http.Request) bool {
	return content.ViewerFrom(r.Context()).Role.Includes(content.RoleAdmin)
}

func canWrite(r *http.Request) bool {
	return content.ViewerFrom(r.Context()).Role.Includes(content.RoleEditor)
}

var _ = template.HTML("")
