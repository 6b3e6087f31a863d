package desk_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"estafette/auth"
	"estafette/content"
	"estafette/internal/collections"
	"estafette/mail"
	"estafette/seed"
	"estafette/sqlite"
	"estafette/web"
	"estafette/web/desk"
	"estafette/web/deskid"
	"estafette/web/gqlhttp"
	"estafette/webhooks"
)

// testCookie names who is signed in, in tests only: "name|role".
const testCookie = "desk_test_person"

// testSignIn is the test-only stand-in for the desk's sign-in (package
// web/deskauth): it puts a deskid.Session and a content.Viewer on the
// context of a request whose test cookie names a person, and lets every
// other request through as it is (the desk then sends it to sign in).
// Only the httptest unit tests of desk_test.go use it, to run many pages
// quickly as any name and role; the browser test (TestBrowser), the
// people pages' tests and TestDeskBehindRealSignIn sign in through the
// real sign-in of the program (internal/apitest).
func testSignIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(testCookie)
		if err == nil {
			name, role, _ := strings.Cut(c.Value, "|")
			ro, ok := content.ParseRole(role)
			if ok && name != "" {
				s := deskid.Session{Person: deskid.Person{ID: "p-" + name, Name: name, Role: ro}, CSRF: csrfOf(name)}
				ctx := deskid.With(r.Context(), s)
				ctx = content.WithViewer(ctx, content.Viewer{Actor: s.Person.Actor(), Role: ro, Drafts: true})
				r = r.WithContext(ctx)
			}
		}
		next.ServeHTTP(w, r)
	})
}

func csrfOf(name string) string { return "csrf-token-of-" + strings.ReplaceAll(name, " ", "-") }

// env is a full server: the API and the desk over one seeded store.
type env struct {
	cat      *content.Catalog
	handler  http.Handler
	keys     *auth.Keys
	webhooks *webhooks.Service
	mail     *mail.Outbox
}

func newEnv(t testing.TB) *env {
	t.Helper()
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()
	s, err := sqlite.Open(ctx, t.TempDir(), collections.All())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	cat := content.NewCatalog(s)
	if _, err := seed.Load(ctx, cat); err != nil {
		t.Fatal(err)
	}
	keys := auth.New(s)
	hooks := webhooks.New(s, webhooks.Options{AllowPrivate: true})
	outbox := mail.New(s, nil, mail.Options{})
	dk := desk.New(cat, desk.Options{Keys: keys, Webhooks: hooks, Mail: outbox})
	h := web.New(web.Deps{Catalog: cat, Options: gqlhttp.Options{Keys: keys, Webhooks: hooks}, Desk: testSignIn(dk)})
	return &env{cat: cat, handler: h, keys: keys, webhooks: hooks, mail: outbox}
}

// as is a person using the desk in a test.
type as struct {
	t          testing.TB
	e          *env
	name, role string
}

func (e *env) as(t testing.TB, name, role string) *as { return &as{t, e, name, role} }

func (a *as) do(method, path string, form url.Values) *httptest.ResponseRecorder {
	a.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if a.name != "" {
		req.AddCookie(&http.Cookie{Name: testCookie, Value: a.name + "|" + a.role})
	}
	rec := httptest.NewRecorder()
	a.e.handler.ServeHTTP(rec, req)
	return rec
}

func (a *as) get(path string) *httptest.ResponseRecorder { return a.do(http.MethodGet, path, nil) }

// post posts form with the person's CSRF token.
func (a *as) post(path string, form url.Values) *httptest.ResponseRecorder {
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	f.Set(deskid.CSRFField, csrfOf(a.name))
	return a.do(http.MethodPost, path, f)
}

// ctx is a context of an admin, to look at the store through the domain.
func adminCtx() context.Context {
	return content.WithViewer(context.Background(), content.Viewer{Actor: "test", Role: content.RoleAdmin, Drafts: true})
}

func edition(t testing.TB, cat *content.Catalog, year int) *content.Edition {
	t.Helper()
	e, err := cat.EditionByYear(adminCtx(), year)
	if err != nil || e == nil {
		t.Fatalf("edition %d: %v", year, err)
	}
	return e
}
