package deskauth_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"estafette/content"
	"estafette/people"
	"estafette/sqlite"
	"estafette/web/deskauth"
	"estafette/web/deskid"
)

const password = "lange zinnen zijn sterk"

// clock is a time the test moves.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is a desk behind its door, on a store of its own.
type env struct {
	t      *testing.T
	srv    *httptest.Server
	people *people.People
	store  content.Store
	clock  *clock
}

func admin() context.Context {
	return content.WithViewer(context.Background(), content.Viewer{Actor: "Beheerder", Role: content.RoleAdmin})
}

func newEnv(t *testing.T, o deskauth.Options) *env {
	t.Helper()
	s, err := sqlite.Open(context.Background(), t.TempDir(), slices.Concat(content.Collections, people.Collections))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	c := &clock{t: time.Now()}
	p := people.New(s)
	p.SetClock(c.now)
	o.People = p
	a := deskauth.New(o)
	srv := httptest.NewServer(a.Handler(a.Placeholder()))
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, people: p, store: s, clock: c}
}

// browser is a client with cookies that does not follow redirects.
type browser struct {
	t   *testing.T
	e   *env
	c   *http.Client
	hdr http.Header // sent with every request
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: e.t, e: e, hdr: http.Header{}, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type answer struct {
	status int
	header http.Header
	body   string
}

func (b *browser) do(method, path string, form url.Values, hdr ...string) answer {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.e.srv.URL+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range b.hdr {
		req.Header[k] = v
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, string(data)}
}

func (b *browser) get(path string) answer { b.t.Helper(); return b.do("GET", path, nil) }

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf returns the CSRF token of the form on a page.
func (b *browser) csrf(path string) string {
	b.t.Helper()
	a := b.get(path)
	m := csrfField.FindStringSubmatch(a.body)
	if m == nil {
		b.t.Fatalf("no CSRF field on %s (%d): %s", path, a.status, a.body)
	}
	return m[1]
}

// signIn signs in with the form and returns the answer of the post.
func (b *browser) signIn(email, pw string) answer {
	b.t.Helper()
	return b.do("POST", "/desk/signin", url.Values{deskid.CSRFField: {b.csrf("/desk/signin")}, "email": {email}, "password": {pw}})
}

func (e *env) person(email, name string, role content.Role) *people.Person {
	e.t.Helper()
	p, err := e.people.Create(admin(), email, name, role, password)
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

func wantStatus(t *testing.T, what string, a answer, status int, contains ...string) {
	t.Helper()
	if a.status != status {
		t.Fatalf("%s: status %d, want %d: %s", what, a.status, status, a.body)
	}
	for _, c := range contains {
		if !strings.Contains(a.body, c) {
			t.Fatalf("%s: %q not in %s", what, c, a.body)
		}
	}
}

func wantRedirect(t *testing.T, what string, a answer, location string) {
	t.Helper()
	if a.status != http.StatusSeeOther || a.header.Get("Location") != location {
		t.Fatalf("%s: %d to %q, want 303 to %q", what, a.status, a.header.Get("Location"), location)
	}
}

// TestSignInAndOut: the pages need a session; sign-in sets a strict
// cookie and goes where the person was going (on this site only); the
// same answer for an unknown address and a wrong password; sign-out ends
// the session.
func TestSignInAndOut(t *testing.T) {
	e := newEnv(t, deskauth.Options{AccountLimit: deskauth.Limit{Burst: 50, Every: time.Second}})
	e.person("anna@example.nl", "Anna de Vries", content.RoleEditor)
	b := e.browser()
	wantRedirect(t, "desk unsigned", b.get("/desk/"), "/desk/signin")
	wantRedirect(t, "a page unsigned", b.get("/desk/activities?edition=2023"), "/desk/signin?next=%2Fdesk%2Factivities%3Fedition%3D2023")
	wantStatus(t, "post unsigned", b.do("POST", "/desk/activities", url.Values{"x": {"1"}}), http.StatusUnauthorized, "Niet aangemeld")

	form := b.get("/desk/signin?next=%2Fdesk%2Factivities")
	wantStatus(t, "form", form, http.StatusOK, `lang="nl"`, "Aanmelden", `value="/desk/activities"`, `autocomplete="current-password"`)
	if csp := form.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
	if strings.Contains(form.body, "<script") || strings.Contains(form.body, "style=") || strings.Contains(form.body, "<style") {
		t.Error("inline script or style on the sign-in page")
	}

	token := csrfField.FindStringSubmatch(form.body)[1]
	post := func(email, pw, next string, tok string) answer {
		return b.do("POST", "/desk/signin", url.Values{deskid.CSRFField: {tok}, "email": {email}, "password": {pw}, "next": {next}})
	}
	wantStatus(t, "no CSRF token", post("anna@example.nl", password, "", ""), http.StatusForbidden, "formulier")
	wantStatus(t, "a wrong CSRF token", post("anna@example.nl", password, "", strings.Repeat("x", 43)), http.StatusForbidden)
	wrong := post("anna@example.nl", "niet het goede wachtwoord", "", token)
	unknown := post("niemand@example.nl", password, "", token)
	wantStatus(t, "wrong password", wrong, http.StatusUnauthorized, "Het e-mailadres of het wachtwoord klopt niet.")
	wantStatus(t, "unknown address", unknown, http.StatusUnauthorized, "Het e-mailadres of het wachtwoord klopt niet.")
	if strip(wrong.body, "niet het goede wachtwoord", "anna@example.nl") != strip(unknown.body, password, "niemand@example.nl") {
		t.Error("an unknown address and a wrong password get different pages")
	}

	ok := post("Anna@Example.nl ", password, "/desk/activities", token)
	wantRedirect(t, "sign-in", ok, "/desk/activities")
	var cookie string
	for _, c := range ok.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "desk_session=") {
			cookie = c
		}
	}
	for _, attr := range []string{"HttpOnly", "SameSite=Lax", "Path=/desk"} {
		if !strings.Contains(cookie, attr) {
			t.Errorf("session cookie %q lacks %s", cookie, attr)
		}
	}
	if strings.Contains(cookie, "Secure") {
		t.Errorf("a Secure cookie over http without an https PUBLIC_URL: %q", cookie)
	}
	home := b.get("/desk/")
	wantStatus(t, "desk", home, http.StatusOK, "Welkom, Anna de Vries", "redacteur")
	wantRedirect(t, "sign-in page when signed in", b.get("/desk/signin"), "/desk/")

	// Sign-out needs the session's token.
	sessionToken := csrfField.FindStringSubmatch(home.body)[1]
	wantStatus(t, "sign-out without token", b.do("POST", "/desk/signout", url.Values{}), http.StatusForbidden)
	wantStatus(t, "still signed in", b.get("/desk/"), http.StatusOK)
	wantStatus(t, "a page's post with the token in the header", b.do("POST", "/desk/other", url.Values{}, deskid.CSRFHeader, sessionToken), http.StatusNotFound)
	wantRedirect(t, "sign-out", b.do("POST", "/desk/signout", url.Values{deskid.CSRFField: {sessionToken}}), "/desk/signin?out=1")
	wantStatus(t, "signed out", b.get("/desk/signin?out=1"), http.StatusOK, "U bent afgemeld.")
	wantRedirect(t, "desk after sign-out", b.get("/desk/"), "/desk/signin")

	// next never leaves the desk.
	for _, next := range []string{"https://evil.example/", "//evil.example/desk", "/desk/../query", "/deskx", "/\\evil.example", "/desk/signout"} {
		b = e.browser()
		tok := b.csrf("/desk/signin")
		wantRedirect(t, "next "+next, post("anna@example.nl", password, next, tok), "/desk/")
	}
}

// strip removes what the person typed from a page.
func strip(page string, typed ...string) string {
	for _, s := range typed {
		page = strings.ReplaceAll(page, s, "")
	}
	return csrfField.ReplaceAllString(page, "")
}

// TestSecureCookie: with an https PUBLIC_URL every cookie is Secure.
func TestSecureCookie(t *testing.T) {
	e := newEnv(t, deskauth.Options{PublicURL: "https://desk.example.nl"})
	e.person("anna@example.nl", "Anna", content.RoleEditor)
	b := e.browser()
	a := b.get("/desk/signin")
	for _, c := range a.header.Values("Set-Cookie") {
		if !strings.Contains(c, "Secure") {
			t.Errorf("cookie %q is not Secure", c)
		}
	}
}

// TestCrossSitePost: a cross-site POST is refused with 403 (by
// Sec-Fetch-Site or by a foreign Origin) even with the right token, and
// changes nothing.
func TestCrossSitePost(t *testing.T) {
	e := newEnv(t, deskauth.Options{})
	e.person("anna@example.nl", "Anna", content.RoleEditor)
	b := e.browser()
	wantRedirect(t, "sign-in", b.signIn("anna@example.nl", password), "/desk/")
	token := csrfField.FindStringSubmatch(b.get("/desk/").body)[1]
	for _, hdr := range [][]string{{"Sec-Fetch-Site", "cross-site"}, {"Origin", "http://evil.example"}, {"Sec-Fetch-Site", "same-site"}} {
		wantStatus(t, "cross-site sign-out "+hdr[1], b.do("POST", "/desk/signout", url.Values{deskid.CSRFField: {token}}, hdr...),
			http.StatusForbidden, "andere website")
		wantStatus(t, "after "+hdr[1], b.get("/desk/"), http.StatusOK, "Welkom")
		wantStatus(t, "cross-site page post "+hdr[1], b.do("POST", "/desk/x", url.Values{deskid.CSRFField: {token}}, hdr...), http.StatusForbidden)
	}
	other := e.browser()
	tok := other.csrf("/desk/signin")
	wantStatus(t, "cross-site sign-in", other.do("POST", "/desk/signin", url.Values{deskid.CSRFField: {tok}, "email": {"anna@example.nl"}, "password": {password}},
		"Sec-Fetch-Site", "cross-site"), http.StatusForbidden)
	wantRedirect(t, "same-origin sign-in", other.do("POST", "/desk/signin", url.Values{deskid.CSRFField: {tok}, "email": {"anna@example.nl"}, "password": {password}},
		"Sec-Fetch-Site", "same-origin", "Origin", e.srv.URL), "/desk/")
}

// TestDisableEndsSession: a person disabled while signed in is out at
// the next request; an idle session ends after 12 hours.
func TestDisableEndsSession(t *testing.T) {
	e := newEnv(t, deskauth.Options{})
	p := e.person("anna@example.nl", "Anna", content.RoleEditor)
	b := e.browser()
	wantRedirect(t, "sign-in", b.signIn("anna@example.nl", password), "/desk/")
	token := csrfField.FindStringSubmatch(b.get("/desk/").body)[1]
	if _, err := e.people.Disable(admin(), p.ID); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "a post after disabling", b.do("POST", "/desk/x", url.Values{deskid.CSRFField: {token}}), http.StatusUnauthorized)
	c := e.browser()
	wantStatus(t, "sign-in of a disabled person", c.signIn("anna@example.nl", password), http.StatusUnauthorized, "klopt niet")

	e.person("bram@example.nl", "Bram", content.RoleReader)
	wantRedirect(t, "sign-in", c.signIn("bram@example.nl", password), "/desk/")
	e.clock.add(11 * time.Hour)
	wantStatus(t, "after 11 h", c.get("/desk/"), http.StatusOK, "Welkom, Bram")
	e.clock.add(people.IdleTimeout)
	wantRedirect(t, "after 12 h idle", c.get("/desk/"), "/desk/signin?again=1")
	wantStatus(t, "the notice", c.get("/desk/signin?again=1"), http.StatusOK, "Uw sessie is verlopen")
}

// TestRateLimit: sign-in attempts are limited per account and per
// address, with a clear message and the same answer for an unknown
// account; a limited attempt is refused even with the right password.
func TestRateLimit(t *testing.T) {
	e := newEnv(t, deskauth.Options{AccountLimit: deskauth.Limit{Burst: 3, Every: time.Hour}, AddressLimit: deskauth.Limit{Burst: 8, Every: time.Hour}})
	e.person("anna@example.nl", "Anna", content.RoleEditor)
	b := e.browser()
	for i := range 3 {
		wantStatus(t, "wrong password", b.signIn("anna@example.nl", "verkeerd wachtwoord "+string(rune('a'+i))), http.StatusUnauthorized)
	}
	limited := b.signIn("anna@example.nl", password)
	wantStatus(t, "over the account limit", limited, http.StatusTooManyRequests, "Te veel pogingen om aan te melden. Probeer het over 60 minuten opnieuw.")
	if ra := limited.header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("Retry-After %q", ra)
	}
	for i := range 3 {
		wantStatus(t, "unknown account", b.signIn("niemand@example.nl", "verkeerd wachtwoord "+string(rune('a'+i))), http.StatusUnauthorized)
	}
	unknown := b.signIn("niemand@example.nl", password)
	wantStatus(t, "unknown account over the limit", unknown, http.StatusTooManyRequests)
	if strip(unknown.body, "niemand@example.nl") != strip(limited.body, "anna@example.nl") {
		t.Error("a known and an unknown account get different answers at the limit")
	}
	// 8 attempts from this address so far: the address is limited, for
	// every account.
	e.person("bram@example.nl", "Bram", content.RoleEditor)
	wantStatus(t, "address limit", b.signIn("bram@example.nl", password), http.StatusTooManyRequests, "Te veel pogingen")
	e.clock.add(time.Hour)
	wantRedirect(t, "an hour later", b.signIn("anna@example.nl", password), "/desk/")
}

// TestInvitation: the link of an invitation sets a password once, with
// the rules explained in the person's language, and signs the person in.
func TestInvitation(t *testing.T) {
	e := newEnv(t, deskauth.Options{})
	p, token, err := e.people.Invite(admin(), "cor@example.nl", "Cor Jansen", content.RoleEditor)
	if err != nil {
		t.Fatal(err)
	}
	b := e.browser()
	path := "/desk/invite/" + token
	page := b.get(path)
	wantStatus(t, "invitation", page, http.StatusOK, "Welkom, Cor Jansen", "cor@example.nl", `autocomplete="new-password"`)
	tok := csrfField.FindStringSubmatch(page.body)[1]
	post := func(pw, repeat string) answer {
		return b.do("POST", path, url.Values{deskid.CSRFField: {tok}, "password": {pw}, "repeat": {repeat}})
	}
	wantStatus(t, "short", post("kort", "kort"), http.StatusBadRequest, "minstens 12 tekens")
	wantStatus(t, "common", post("wachtwoord123", "wachtwoord123"), http.StatusBadRequest, "meest gebruikte")
	wantStatus(t, "different", post(password, password+"!"), http.StatusBadRequest, "niet gelijk")
	wantStatus(t, "no token", b.do("POST", path, url.Values{"password": {password}, "repeat": {password}}), http.StatusForbidden)
	wantRedirect(t, "accept", post(password, password), "/desk/")
	wantStatus(t, "signed in", b.get("/desk/"), http.StatusOK, "Welkom, Cor Jansen")
	wantStatus(t, "used link", b.get(path), http.StatusNotFound, "al gebruikt")
	wantStatus(t, "used link, another browser", e.browser().get(path), http.StatusNotFound)
	wantStatus(t, "unknown link", b.get("/desk/invite/nonsense"), http.StatusNotFound)
	got, err := e.people.Get(admin(), p.ID)
	if err != nil || got.Status != people.StatusActive {
		t.Fatalf("after the invitation: %+v %v", got, err)
	}
	// An expired link.
	_, token, err = e.people.Invite(admin(), "dirk@example.nl", "Dirk", content.RoleEditor)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.add(people.InviteValidity)
	wantStatus(t, "expired link", e.browser().get("/desk/invite/"+token+"?lang=en"), http.StatusNotFound, "expired. Ask an admin")
}

// TestLanguage: Dutch by default, English by ?lang=en, which the cookie
// keeps.
func TestLanguage(t *testing.T) {
	e := newEnv(t, deskauth.Options{})
	b := e.browser()
	wantStatus(t, "Dutch", b.get("/desk/signin"), http.StatusOK, `lang="nl"`, "E-mailadres", `href="/desk/signin?lang=en"`)
	wantStatus(t, "English", b.get("/desk/signin?lang=en"), http.StatusOK, `lang="en"`, "Email address", "Sign in")
	wantStatus(t, "English kept", b.get("/desk/signin"), http.StatusOK, `lang="en"`)
	c := e.browser()
	c.hdr.Set("Cookie", deskid.LangCookie+"=en")
	wantStatus(t, "the cookie", c.get("/desk/signin"), http.StatusOK, `lang="en"`)
	wantStatus(t, "style", b.get("/desk/auth/style.css"), http.StatusOK, "focus-visible")
}
