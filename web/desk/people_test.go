package desk_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"estafette/auth"
	"estafette/content"
	"estafette/internal/apitest"
	"estafette/people"
)

// person is someone signed in to the desk of a running program through
// the real sign-in form, with a browser-like client (cookies, redirects).
type person struct {
	t      *testing.T
	base   string
	client *http.Client
	csrf   string
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// signIn makes a person with a password and signs them in through the
// sign-in form of the program env runs.
func signIn(t *testing.T, env *apitest.Env, email, name string, role content.Role) *person {
	t.Helper()
	const password = "een lang en eigen wachtwoord"
	if _, err := env.App.People().Create(auth.CommandLine(t.Context(), "test"), email, name, role, password); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	p := &person{t: t, base: env.URL, client: &http.Client{Jar: jar}}
	status, body, _ := p.request(http.MethodGet, "/desk/signin", nil)
	m := csrfField.FindStringSubmatch(body)
	if status != http.StatusOK || m == nil {
		t.Fatalf("sign-in form: %d", status)
	}
	status, body, at := p.request(http.MethodPost, "/desk/signin", url.Values{"csrf": {m[1]}, "email": {email}, "password": {password}, "next": {"/desk"}})
	if status != http.StatusOK || at != "/desk" || !strings.Contains(body, name) {
		t.Fatalf("signing in %s: %d at %s", name, status, at)
	}
	p.csrf = regexp.MustCompile(`data-csrf="([^"]+)"`).FindStringSubmatch(body)[1]
	return p
}

// request sends a request and returns the final status, body and path.
func (p *person) request(method, path string, form url.Values) (int, string, string) {
	p.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, p.base+path, body)
	if err != nil {
		p.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := p.client.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Request.URL.Path
}

func (p *person) get(path string) (int, string, string) { return p.request(http.MethodGet, path, nil) }

// post posts a desk form with the session's CSRF token.
func (p *person) post(path string, form url.Values) (int, string, string) {
	p.t.Helper()
	f := url.Values{"csrf": {p.csrf}}
	for k, v := range form {
		f[k] = v
	}
	return p.request(http.MethodPost, path, f)
}

// lockedBuffer collects the program's logs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func personByEmail(t *testing.T, env *apitest.Env, email string) *people.Person {
	t.Helper()
	p, err := env.App.People().Find(auth.CommandLine(context.Background(), "test"), email)
	if err != nil {
		t.Fatalf("%s: %v", email, err)
	}
	return p
}

// audited reports whether the audit log has action on the person under
// actor.
func audited(t *testing.T, env *apitest.Env, id, action, actor string) bool {
	t.Helper()
	entries, err := env.Catalog.ListAudit(adminCtx(), content.AuditFilter{}, content.PageArgs{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries.Items {
		if e.RecordKind == people.KindPerson && e.RecordID == id && e.Action == action && e.Actor == actor {
			return true
		}
	}
	return false
}

// TestPeoplePages runs the admin pages of people in the program as it is
// served, with people signed in through the real sign-in: the list, an
// invitation with its one-time link, a role change, disabling (the
// person's session stops at once) and enabling, every write audited under
// the admin's name; readers and editors are refused, a post without the
// session's CSRF token changes nothing, and no address reaches the logs.
func TestPeoplePages(t *testing.T) {
	logs := &lockedBuffer{}
	env := apitest.New(t, apitest.Options{Logger: slog.New(slog.NewTextHandler(logs, nil))})
	ada := signIn(t, env, "ada@example.org", "Ada Beheer", content.RoleAdmin)
	bram := signIn(t, env, "bram@example.org", "Bram Jansen", content.RoleEditor)
	lies := signIn(t, env, "lies@example.org", "Lies Lezer", content.RoleReader)
	bramID := personByEmail(t, env, "bram@example.org").ID

	t.Run("list", func(t *testing.T) {
		status, body, _ := ada.get("/desk/people")
		if status != http.StatusOK {
			t.Fatalf("status %d", status)
		}
		for _, want := range []string{"Mensen", "ada@example.org", "Bram Jansen", "bram@example.org", "Lies Lezer", "Redacteur", "Actief", `href="/desk/people" aria-current="page"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the list has no %q", want)
			}
		}
		// Everyone here has a session, so when they were last active is known.
		if strings.Contains(body, "Onbekend") {
			t.Error("last active is unknown for someone signed in")
		}
		_, _, _ = ada.post("/desk/lang", url.Values{"lang": {"en"}, "next": {"/desk/people"}})
		if _, en, _ := ada.get("/desk/people"); !strings.Contains(en, "Invite someone") || !strings.Contains(en, "Last active") {
			t.Error("the English page is not in English")
		}
		_, _, _ = ada.post("/desk/lang", url.Values{"lang": {"nl"}, "next": {"/desk/people"}})
	})

	t.Run("invite", func(t *testing.T) {
		status, body, _ := ada.post("/desk/people", url.Values{"email": {"Cees@Example.org"}, "name": {"Cees de Wit"}, "role": {"editor"}})
		if status != http.StatusCreated {
			t.Fatalf("status %d", status)
		}
		m := regexp.MustCompile(`value="(http[^"]+/desk/invite/([A-Za-z0-9_-]+))"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no invitation link on the page")
		}
		if !strings.HasPrefix(m[1], env.URL+"/desk/invite/") {
			t.Errorf("link %s is not on the desk's address", m[1])
		}
		invited, err := env.App.People().Invitation(t.Context(), m[2])
		if err != nil || invited.Email != "cees@example.org" || invited.Status != people.StatusInvited || invited.Role != content.RoleEditor {
			t.Fatalf("the invitation: %+v %v", invited, err)
		}
		if !audited(t, env, invited.ID, "invite", "Ada Beheer") {
			t.Error("the invitation is not audited under the admin")
		}
		// The link works: Cees sets a password and is in the desk.
		jar, _ := cookiejar.New(nil)
		cees := &person{t: t, base: env.URL, client: &http.Client{Jar: jar}}
		status, page, _ := cees.get(strings.TrimPrefix(m[1], env.URL))
		form := csrfField.FindStringSubmatch(page)
		if status != http.StatusOK || form == nil {
			t.Fatalf("the invitation page: %d", status)
		}
		const pw = "mijn eigen lange zin om mee in te loggen"
		status, page, at := cees.request(http.MethodPost, strings.TrimPrefix(m[1], env.URL), url.Values{"csrf": {form[1]}, "password": {pw}, "repeat": {pw}})
		if status != http.StatusOK || !strings.HasPrefix(at, "/desk") || !strings.Contains(page, "Cees de Wit") {
			t.Fatalf("accepting the invitation: %d at %s", status, at)
		}
		if p := personByEmail(t, env, "cees@example.org"); p.Status != people.StatusActive {
			t.Fatalf("after accepting: %s", p.Status)
		}
		// Shown once: the list does not show it again.
		if _, again, _ := ada.get("/desk/people"); strings.Contains(again, m[2]) || !strings.Contains(again, "cees@example.org") {
			t.Error("the link is shown again, or the invited person is not listed")
		}
		// The address taken, or not an address: the problem, nothing added.
		n := len(list(t, env))
		for _, bad := range []url.Values{
			{"email": {"cees@example.org"}, "name": {"Cees Twee"}, "role": {"reader"}},
			{"email": {"geen-adres"}, "name": {"Iemand"}, "role": {"reader"}},
			{"email": {"d@example.org"}, "name": {"Iemand"}, "role": {"baas"}},
		} {
			status, body, _ := ada.post("/desk/people", bad)
			if status != http.StatusConflict && status != http.StatusUnprocessableEntity || !strings.Contains(body, `role="alert"`) {
				t.Errorf("%v: status %d", bad, status)
			}
			if !strings.Contains(body, `value="`+bad.Get("name")+`"`) {
				t.Errorf("%v: the form lost what was typed", bad)
			}
		}
		if len(list(t, env)) != n {
			t.Error("a refused invitation added someone")
		}
		// A new link for someone already there.
		status, body, _ = ada.post("/desk/people/"+invited.ID+"/invite", nil)
		if status != http.StatusCreated || !strings.Contains(body, "/desk/invite/") {
			t.Errorf("new link: %d", status)
		}
	})

	t.Run("role", func(t *testing.T) {
		status, _, at := ada.post("/desk/people/"+bramID+"/role", url.Values{"role": {"reader"}})
		if status != http.StatusOK || at != "/desk/people" {
			t.Fatalf("status %d at %s", status, at)
		}
		if p := personByEmail(t, env, "bram@example.org"); p.Role != content.RoleReader {
			t.Fatalf("role %s", p.Role)
		}
		if !audited(t, env, bramID, "set-role", "Ada Beheer") {
			t.Error("the role change is not audited under the admin")
		}
		// Bram's next request has his new role: the desk is read-only.
		if _, body, _ := bram.get("/desk"); !strings.Contains(body, "rol lezer") {
			t.Error("the new role did not reach Bram's session")
		}
		if status, _, _ := ada.post("/desk/people/"+bramID+"/role", url.Values{"role": {"koning"}}); status != http.StatusUnprocessableEntity {
			t.Errorf("an unknown role: %d", status)
		}
		_, _, _ = ada.post("/desk/people/"+bramID+"/role", url.Values{"role": {"editor"}})
		if p := personByEmail(t, env, "bram@example.org"); p.Role != content.RoleEditor {
			t.Fatalf("role %s", p.Role)
		}
	})

	t.Run("refused", func(t *testing.T) {
		n := len(list(t, env))
		for _, who := range []*person{bram, lies} {
			if status, body, _ := who.get("/desk/people"); status != http.StatusForbidden || strings.Contains(body, "ada@example.org") {
				t.Errorf("GET by a non-admin: %d", status)
			}
			if status, _, _ := who.post("/desk/people", url.Values{"email": {"x@example.org"}, "name": {"X"}, "role": {"admin"}}); status != http.StatusForbidden {
				t.Errorf("invite by a non-admin: %d", status)
			}
			if status, _, _ := who.post("/desk/people/"+bramID+"/role", url.Values{"role": {"admin"}}); status != http.StatusForbidden {
				t.Errorf("role change by a non-admin: %d", status)
			}
		}
		if _, body, _ := bram.get("/desk"); strings.Contains(body, `href="/desk/people"`) {
			t.Error("the menu of an editor links to the people")
		}
		// Without the session's CSRF token: refused, nothing changed.
		status, _, _ := ada.request(http.MethodPost, "/desk/people", url.Values{"email": {"y@example.org"}, "name": {"Y"}, "role": {"reader"}})
		if status != http.StatusForbidden {
			t.Errorf("without CSRF token: %d", status)
		}
		if status, _, _ := ada.request(http.MethodPost, "/desk/people/"+bramID+"/disable", url.Values{"csrf": {"forged"}}); status != http.StatusForbidden {
			t.Errorf("with a wrong CSRF token: %d", status)
		}
		if len(list(t, env)) != n || personByEmail(t, env, "bram@example.org").Status != people.StatusActive {
			t.Error("a refused post changed something")
		}
	})

	t.Run("disable", func(t *testing.T) {
		if status, _, at := bram.get("/desk"); status != http.StatusOK || at != "/desk" {
			t.Fatalf("Bram before: %d at %s", status, at)
		}
		status, body, at := ada.post("/desk/people/"+bramID+"/disable", nil)
		if status != http.StatusOK || at != "/desk/people" || !strings.Contains(body, "Geblokkeerd") {
			t.Fatalf("status %d at %s", status, at)
		}
		if !audited(t, env, bramID, "disable", "Ada Beheer") {
			t.Error("disabling is not audited under the admin")
		}
		// At once: Bram's very next request is sent to sign in.
		if _, _, at := bram.get("/desk/activities"); at != "/desk/signin" {
			t.Errorf("a disabled person's session still works: at %s", at)
		}
		if status, _, _ := bram.post("/desk/activities/new", url.Values{"title.nl": {"Na blokkeren"}}); status != http.StatusUnauthorized && status != http.StatusForbidden {
			t.Errorf("a disabled person's post: %d", status)
		}
		status, _, _ = ada.post("/desk/people/"+bramID+"/enable", nil)
		if status != http.StatusOK || personByEmail(t, env, "bram@example.org").Status != people.StatusActive {
			t.Fatalf("enable: %d", status)
		}
		if !audited(t, env, bramID, "enable", "Ada Beheer") {
			t.Error("enabling is not audited under the admin")
		}
		// The last active admin cannot be disabled.
		adaID := personByEmail(t, env, "ada@example.org").ID
		if status, body, _ := ada.post("/desk/people/"+adaID+"/disable", nil); status != http.StatusConflict || !strings.Contains(body, "last active admin") {
			t.Errorf("disabling the last admin: %d", status)
		}
	})

	for _, email := range []string{"ada@example.org", "bram@example.org", "cees@example.org", "lies@example.org"} {
		if strings.Contains(strings.ToLower(logs.String()), email) {
			t.Errorf("the logs have %s", email)
		}
	}
}

func list(t *testing.T, env *apitest.Env) []*people.Person {
	t.Helper()
	l, err := env.App.People().List(auth.CommandLine(context.Background(), "test"))
	if err != nil {
		t.Fatal(err)
	}
	return l
}
