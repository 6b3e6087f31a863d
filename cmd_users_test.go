package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"estafette/internal/app"
)

var deskCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// deskBrowser is a browser of the desk: cookies kept, redirects not
// followed.
type deskBrowser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newDeskBrowser(t *testing.T, base string) *deskBrowser {
	jar, _ := cookiejar.New(nil)
	return &deskBrowser{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// do sends a request and returns the status, the Location and the body.
func (b *deskBrowser) do(method, path string, form url.Values) (int, string, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(data)
}

// csrf returns the CSRF token of the form at path.
func (b *deskBrowser) csrf(path string) string {
	b.t.Helper()
	status, _, body := b.do("GET", path, nil)
	m := deskCSRF.FindStringSubmatch(body)
	if status != http.StatusOK || m == nil {
		b.t.Fatalf("GET %s: %d without a form: %s", path, status, body)
	}
	return m[1]
}

// users runs an estafette command on dir, returning stdout, stderr and
// the exit status.
func users(t *testing.T, dir string, in string, args ...string) (string, string, int) {
	t.Helper()
	stdin = strings.NewReader(in)
	defer func() { stdin = nil }()
	getenv := func(k string) string {
		return map[string]string{"DATA_DIR": dir, "LOG_LEVEL": "warn", "SEED": "false"}[k]
	}
	var out, errs bytes.Buffer
	code := exitStatus(run(context.Background(), args, getenv, &out, &errs), &errs)
	return out.String(), errs.String(), code
}

// TestUsersCommand: users create prints an invite link that works in a
// sign-up; --password-stdin sets a password that signs in; users disable
// ends the person's session at once, on the running server.
func TestUsersCommand(t *testing.T) {
	dir := t.TempDir()
	out, errs, code := users(t, dir, "", "users", "create", "--email", "Anna@Example.nl", "--name", "Anna de Vries", "--role", "editor")
	if code != 0 {
		t.Fatalf("users create: %d %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	link := lines[len(lines)-1]
	if !strings.HasPrefix(link, "http://localhost:8080/desk/invite/") {
		t.Fatalf("last line %q is not the invite link:\n%s", link, out)
	}
	const pw = "een wachtwoord uit het script"
	if _, errs, code := users(t, dir, pw+"\n", "users", "create", "--email", "bram@example.nl", "--name", "Bram", "--role", "admin", "--password-stdin"); code != 0 {
		t.Fatalf("users create --password-stdin: %d %s", code, errs)
	}

	cfg, err := app.ConfigFromEnv(func(k string) string {
		return map[string]string{"DATA_DIR": dir, "LOG_LEVEL": "warn", "SEED": "false"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Addr = "127.0.0.1:0"
	m := app.New(cfg)
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	base := "http://" + m.Addr()

	// The invite link, on the running server, sets a password and signs in.
	anna := newDeskBrowser(t, base)
	path := strings.TrimPrefix(link, "http://localhost:8080")
	tok := anna.csrf(path)
	if status, loc, body := anna.do("POST", path, url.Values{"csrf": {tok}, "password": {"mijn eigen lange zin"}, "repeat": {"mijn eigen lange zin"}}); status != http.StatusSeeOther || loc != "/desk/" {
		t.Fatalf("sign-up: %d %q %s", status, loc, body)
	}
	if status, _, body := anna.do("GET", "/desk/", nil); status != http.StatusOK || !strings.Contains(body, "Anna de Vries") {
		t.Fatalf("desk after sign-up: %d %s", status, body)
	}
	if status, _, _ := newDeskBrowser(t, base).do("GET", path, nil); status != http.StatusNotFound {
		t.Fatalf("the invite link works twice: %d", status)
	}

	// The password set on the command line signs in.
	bram := newDeskBrowser(t, base)
	tok = bram.csrf("/desk/signin")
	if status, loc, body := bram.do("POST", "/desk/signin", url.Values{"csrf": {tok}, "email": {"bram@example.nl"}, "password": {pw}}); status != http.StatusSeeOther || loc != "/desk/" {
		t.Fatalf("sign-in with the password from stdin: %d %q %s", status, loc, body)
	}

	out, errs, code = users(t, dir, "", "users", "list")
	if code != 0 || !strings.Contains(out, "anna@example.nl") || !strings.Contains(out, "active") || !strings.Contains(out, "Bram") {
		t.Fatalf("users list: %d %s %s", code, out, errs)
	}

	// Disabling Anna ends her session at her next request.
	if out, errs, code := users(t, dir, "", "users", "disable", "anna@example.nl"); code != 0 || !strings.Contains(out, "Disabled Anna de Vries") {
		t.Fatalf("users disable: %d %s %s", code, out, errs)
	}
	if status, loc, _ := anna.do("GET", "/desk/", nil); status != http.StatusSeeOther || !strings.HasPrefix(loc, "/desk/signin") {
		t.Fatalf("a disabled person's session still works: %d %q", status, loc)
	}
	if status, _, _ := bram.do("GET", "/desk/", nil); status != http.StatusOK {
		t.Fatalf("someone else's session ended: %d", status)
	}

	// Mistakes: one line on stderr, exit 2 for the command line, 1 otherwise.
	for _, c := range []struct {
		in   string
		args []string
		code int
		want string
	}{
		{"", []string{"users", "create", "--email", "c@example.nl", "--name", "C", "--role", "boss"}, 2, `--role must be reader, editor or admin, not "boss"`},
		{"", []string{"users", "create", "--name", "C", "--role", "reader"}, 2, "--email and --name"},
		{"", []string{"users", "create", "--email", "c@example.nl", "--name", "C", "--role", "reader", "--password-stdin"}, 2, "read no password"},
		{"kort\n", []string{"users", "create", "--email", "c@example.nl", "--name", "C", "--role", "reader", "--password-stdin"}, 1, "at least 12 characters"},
		{"", []string{"users", "create", "--email", "ANNA@example.nl", "--name", "A", "--role", "reader"}, 1, "already"},
		{"", []string{"users", "create", "--email", "geen-adres", "--name", "A", "--role", "reader"}, 1, "not an email address"},
		{"", []string{"users", "disable", "niemand@example.nl"}, 1, "nobody has the email address"},
		{"", []string{"users", "disable"}, 2, "give the email address"},
		{"", []string{"users", "frob"}, 2, "create, list, invite, disable or enable"},
		{"", []string{"users", "create", "--emial", "x"}, 2, "--emial"},
	} {
		_, errs, code := users(t, dir, c.in, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want %d with %q", c.args, code, errs, c.code, c.want)
		}
	}
	if out, _, code := users(t, dir, "", "users", "create", "--help"); code != 0 || !strings.Contains(out, "--password-stdin") {
		t.Errorf("users create --help: %d %s", code, out)
	}
}
