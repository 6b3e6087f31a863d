// Package deskauth is the door of the editorial desk: the sign-in with a
// password or through the organisation's identity provider (OpenID
// Connect), the invitation pages where people set their password,
// sign-out, and the check in front of every other page of the desk.
//
// Handler lets a request through to the desk's pages only with a valid
// session (package people keeps them in the store, so every replica knows
// them), with a deskid.Session and a content.Viewer for the person on its
// context; a GET without one is sent to the sign-in page, anything else
// gets 401. Every unsafe request passes Go's http.CrossOriginProtection,
// and every POST must carry the CSRF token (deskid.CSRFField or
// deskid.CSRFHeader): the session's, or, on the sign-in and invitation
// forms, the one of a cookie set with the form. Sign-in attempts are
// limited per address and per account.
//
// Every response under /desk gets a strict Content-Security-Policy
// (scripts, styles and images from the desk's own origin only,
// frame-ancestors 'none'), which the pages may replace with their own.
package deskauth

import (
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"estafette/content"
	"estafette/people"
	"estafette/web/deskid"
)

// The cookies of the desk.
const (
	sessionCookie = "desk_session" // the session's token
	formCookie    = "desk_csrf"    // the CSRF token of the sign-in and invitation forms
	oidcCookie    = "desk_oidc"    // state, nonce and PKCE verifier of a sign-in at the identity provider
)

// CSP is the Content-Security-Policy of every response under /desk.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// OIDC configures sign-in through an OpenID Connect provider.
type OIDC struct {
	// Issuer is the provider's issuer URL (OIDC_ISSUER).
	Issuer string
	// ClientID and ClientSecret are the desk's registration at the
	// provider (OIDC_CLIENT_ID, OIDC_CLIENT_SECRET).
	ClientID, ClientSecret string
	// AutoCreateRole, when set (OIDC_AUTO_CREATE_ROLE), adds a person the
	// provider vouches for and who has no account yet, with this role;
	// empty: such a person is refused.
	AutoCreateRole content.Role
}

// Enabled reports whether the configuration switches OIDC on.
func (o OIDC) Enabled() bool { return o.Issuer != "" && o.ClientID != "" && o.ClientSecret != "" }

// Options are what the door is built from.
type Options struct {
	// People keeps the people and their sessions.
	People *people.People
	// PublicURL is the origin the desk is reached at (PUBLIC_URL); an
	// https one makes the cookies Secure. Empty: the request's own.
	PublicURL string
	// OIDC switches sign-in through an identity provider on.
	OIDC OIDC
	// HTTPClient talks to the identity provider (default: a client with a
	// 10 s timeout).
	HTTPClient *http.Client
	// ClientIP names the address a request comes from, for the limits of
	// sign-in attempts (default: the peer address).
	ClientIP func(*http.Request) string
	// AddressLimit and AccountLimit bound sign-in attempts per address
	// and per account (defaults DefaultAddressLimit, DefaultAccountLimit).
	AddressLimit, AccountLimit Limit
	// Logger gets failures that are not the user's (never an address or
	// a name); default slog.Default().
	Logger *slog.Logger
}

// Auth is the door of the desk.
type Auth struct {
	o         Options
	secure    bool
	addresses *limiter
	accounts  *limiter
	pages     map[string]*template.Template

	mu       sync.Mutex
	provider *provider // discovered on first use
}

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets/style.css
var styleCSS []byte

// New returns the door built from o.
func New(o Options) *Auth {
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if o.ClientIP == nil {
		o.ClientIP = peerIP
	}
	if o.AddressLimit.Burst == 0 {
		o.AddressLimit = DefaultAddressLimit
	}
	if o.AccountLimit.Burst == 0 {
		o.AccountLimit = DefaultAccountLimit
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	a := &Auth{o: o, secure: strings.HasPrefix(strings.ToLower(o.PublicURL), "https://"), pages: map[string]*template.Template{},
		addresses: newLimiter(o.AddressLimit, o.People.Now), accounts: newLimiter(o.AccountLimit, o.People.Now)}
	for _, name := range []string{"signin", "invite", "message", "welcome"} {
		a.pages[name] = template.Must(template.ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
	return a
}

func peerIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Handler serves /desk: the sign-in, sign-out and invitation pages, the
// identity provider's sign-in when configured, and pages for everything
// else, to signed-in people only.
func (a *Auth) Handler(pages http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /desk/auth/style.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=3600")
		_, _ = w.Write(styleCSS)
	})
	mux.HandleFunc("GET /desk/signin", a.signinForm)
	mux.Handle("POST /desk/signin", a.formToken(http.HandlerFunc(a.signin)))
	mux.Handle("POST /desk/signout", a.guard(http.HandlerFunc(a.signout)))
	mux.HandleFunc("GET /desk/invite/{token}", a.inviteForm)
	mux.Handle("POST /desk/invite/{token}", a.formToken(http.HandlerFunc(a.acceptInvite)))
	if a.o.OIDC.Enabled() {
		mux.HandleFunc("GET /desk/oidc/start", a.oidcStart)
		mux.HandleFunc("GET /desk/oidc/callback", a.oidcCallback)
	}
	mux.Handle("/desk", a.guard(pages))
	mux.Handle("/desk/", a.guard(pages))

	cop := http.NewCrossOriginProtection()
	if origin := originOf(a.o.PublicURL); origin != "" {
		_ = cop.AddTrustedOrigin(origin)
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.message(w, r, http.StatusForbidden, "forbidden.title", "forbidden.cross", false)
	}))
	protected := cop.Handler(mux)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", CSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions {
			r.Body = http.MaxBytesReader(w, r.Body, 8<<20)
		}
		protected.ServeHTTP(w, r)
	})
}

// originOf returns the scheme and host of a URL, "" for none.
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// guard lets a request through only with a valid session; it checks the
// session's CSRF token on every unsafe method.
func (a *Auth) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, person, ok := a.session(w, r)
		if !ok {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				q := url.Values{}
				if n := safeNext(r.URL.RequestURI()); n != "/desk/" {
					q.Set("next", n)
				}
				if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
					q.Set("again", "1") // the session ended: say so
				}
				target := "/desk/signin"
				if len(q) > 0 {
					target += "?" + q.Encode()
				}
				w.Header().Set("Cache-Control", "no-store")
				http.Redirect(w, r, target, http.StatusSeeOther)
				return
			}
			a.message(w, r, http.StatusUnauthorized, "unauth.title", "unauth.text", true)
			return
		}
		if unsafe(r.Method) && !tokenMatches(r, sess.CSRF) {
			a.message(w, r, http.StatusForbidden, "forbidden.title", "forbidden.csrf", false)
			return
		}
		ctx := deskid.With(r.Context(), deskid.Session{Person: deskid.Person{ID: person.ID, Email: person.Email,
			Name: person.Name, Role: person.Role}, CSRF: sess.CSRF})
		ctx = content.WithViewer(ctx, content.Viewer{Actor: person.Actor(), Role: person.Role, Drafts: true})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func unsafe(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return false
	}
	return true
}

// session returns the session of the request's cookie; a cookie of a
// session that ended is removed.
func (a *Auth) session(w http.ResponseWriter, r *http.Request) (*people.Session, *people.Person, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil, false
	}
	sess, person, err := a.o.People.Session(r.Context(), c.Value)
	if err != nil {
		if content.ErrorCode(err) != content.EUNAUTHORIZED {
			a.o.Logger.ErrorContext(r.Context(), "desk: cannot read a session", "err", err)
		}
		a.clearCookie(w, sessionCookie, "/desk")
		return nil, nil, false
	}
	return sess, person, true
}

// tokenMatches reports whether the request carries want as its CSRF
// token, in the header or in the form.
func tokenMatches(r *http.Request, want string) bool {
	got := r.Header.Get(deskid.CSRFHeader)
	if got == "" {
		got = r.PostFormValue(deskid.CSRFField)
		if got == "" && r.MultipartForm == nil && strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			if err := r.ParseMultipartForm(8 << 20); err == nil {
				got = r.FormValue(deskid.CSRFField)
			}
		}
	}
	return want != "" && got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// formToken checks the CSRF token of the forms that are posted without a
// session (sign-in, invitation): the form must carry the token of the
// cookie set with the form.
func (a *Auth) formToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(formCookie)
		if err != nil || !tokenMatches(r, c.Value) {
			a.message(w, r, http.StatusForbidden, "forbidden.title", "forbidden.csrf", false)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// formTokenFor returns the CSRF token of the request's form cookie, or
// sets a new one.
func (a *Auth) formTokenFor(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(formCookie); err == nil && len(c.Value) == 43 {
		return c.Value
	}
	t := randomToken()
	http.SetCookie(w, &http.Cookie{Name: formCookie, Value: t, Path: "/desk", MaxAge: 2 * 60 * 60,
		HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode})
	return t
}

func randomToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// startSession signs a person in: the session cookie, a new form token,
// and a redirect to next.
func (a *Auth) startSession(w http.ResponseWriter, r *http.Request, person *people.Person, next string) {
	token, _, err := a.o.People.StartSession(r.Context(), person.ID)
	if err != nil {
		a.failed(w, r, err)
		return
	}
	if old, err := r.Cookie(sessionCookie); err == nil {
		_ = a.o.People.EndSession(r.Context(), old.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/desk",
		HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode})
	a.clearCookie(w, formCookie, "/desk")
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
}

func (a *Auth) clearCookie(w http.ResponseWriter, name, path string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: path, MaxAge: -1,
		HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode})
}

// safeNext returns next when it is a path of the desk on this site, else
// the desk's start page.
func safeNext(next string) string {
	if next == "" || len(next) > 2000 || !strings.HasPrefix(next, "/desk") || strings.HasPrefix(next, "//") ||
		strings.ContainsAny(next, "\\\r\n\t") {
		return "/desk/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || (u.Path != "/desk" && !strings.HasPrefix(u.Path, "/desk/")) {
		return "/desk/"
	}
	for _, p := range []string{"/desk/signin", "/desk/signout", "/desk/oidc/", "/desk/invite/"} {
		if strings.HasPrefix(u.Path, p) {
			return "/desk/"
		}
	}
	if strings.Contains(u.Path, "/../") || strings.HasSuffix(u.Path, "/..") {
		return "/desk/"
	}
	return next
}

// failed answers a failure that is not the user's.
func (a *Auth) failed(w http.ResponseWriter, r *http.Request, err error) {
	a.o.Logger.ErrorContext(r.Context(), "desk sign-in failed", "err", err)
	status := http.StatusInternalServerError
	if content.ErrorCode(err) == content.EUNAVAILABLE {
		status = http.StatusServiceUnavailable
	}
	a.message(w, r, status, "error.title", "error.retry", false)
}
