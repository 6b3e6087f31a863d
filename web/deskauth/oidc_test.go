package deskauth_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"estafette/content"
	"estafette/people"
	"estafette/web/deskauth"
)

// idp is a small OpenID provider for the tests: discovery, JWKS, an
// authorization endpoint that approves at once, and a token endpoint that
// checks the client, the redirect and the PKCE verifier and signs an ID
// token with the user the test chose.
type idp struct {
	t      *testing.T
	srv    *httptest.Server
	key    *rsa.PrivateKey
	signer jose.Signer

	mu       sync.Mutex
	codes    map[string]grant
	user     idpUser
	badNonce bool     // sign a nonce other than the one asked for
	pkceOK   int      // exchanges whose verifier matched the challenge
	refused  []string // why exchanges were refused
}

type idpUser struct {
	Email    string
	Verified any
	Name     string
}

type grant struct {
	challenge, method, nonce, redirect string
}

const clientID, clientSecret = "estafette-desk", "geheim-van-de-desk"

func newIDP(t *testing.T) *idp {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
	if err != nil {
		t.Fatal(err)
	}
	p := &idp{t: t, key: key, signer: signer, codes: map[string]grant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /jwks", p.jwks)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

func (p *idp) discovery(w http.ResponseWriter, r *http.Request) {
	u := p.srv.URL
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer": u, "authorization_endpoint": u + "/authorize", "token_endpoint": u + "/token", "jwks_uri": u + "/jwks",
		"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"}, "code_challenge_methods_supported": []string{"S256"},
	})
}

func (p *idp) jwks(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &p.key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
}

func (p *idp) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != clientID || q.Get("response_type") != "code" || q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256" ||
		q.Get("nonce") == "" || q.Get("state") == "" || !strings.Contains(q.Get("scope"), "openid") {
		http.Error(w, "bad authorization request: "+r.URL.RawQuery, http.StatusBadRequest)
		return
	}
	code := base64.RawURLEncoding.EncodeToString([]byte(time.Now().String()))
	p.mu.Lock()
	p.codes[code] = grant{challenge: q.Get("code_challenge"), method: q.Get("code_challenge_method"), nonce: q.Get("nonce"), redirect: q.Get("redirect_uri")}
	p.mu.Unlock()
	http.Redirect(w, r, q.Get("redirect_uri")+"?"+url.Values{"code": {code}, "state": {q.Get("state")}}.Encode(), http.StatusFound)
}

func (p *idp) token(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	refuse := func(why string) {
		p.refused = append(p.refused, why)
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": why})
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
	}
	if id != clientID || secret != clientSecret {
		refuse("client")
		return
	}
	g, ok := p.codes[r.PostFormValue("code")]
	delete(p.codes, r.PostFormValue("code"))
	if !ok || r.PostFormValue("grant_type") != "authorization_code" || r.PostFormValue("redirect_uri") != g.redirect {
		refuse("code")
		return
	}
	sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
	if base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
		refuse("PKCE verifier does not match the challenge")
		return
	}
	p.pkceOK++
	nonce := g.nonce
	if p.badNonce {
		nonce = "another-nonce"
	}
	now := time.Now()
	claims := map[string]any{"iss": p.srv.URL, "sub": "user-1", "aud": clientID, "iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
		"nonce": nonce, "email": p.user.Email, "email_verified": p.user.Verified, "name": p.user.Name}
	raw, err := jwt.Signed(p.signer).Claims(claims).Serialize()
	if err != nil {
		p.t.Error(err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": "at-" + nonce[:4], "token_type": "Bearer", "expires_in": 300, "id_token": raw})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// viaIDP signs the browser in through the provider as user and returns
// the desk's answer to the callback.
func (b *browser) viaIDP(p *idp, user idpUser, tamper func(*http.Request)) answer {
	b.t.Helper()
	p.mu.Lock()
	p.user = user
	p.mu.Unlock()
	start := b.get("/desk/oidc/start?next=%2Fdesk%2Frecaps")
	if start.status != http.StatusFound || !strings.HasPrefix(start.header.Get("Location"), p.srv.URL+"/authorize?") {
		b.t.Fatalf("start: %d %q %s", start.status, start.header.Get("Location"), start.body)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(start.header.Get("Location"))
	if err != nil {
		b.t.Fatal(err)
	}
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound || !strings.HasPrefix(back.String(), b.e.srv.URL+"/desk/oidc/callback?") {
		b.t.Fatalf("authorize: %d %q", resp.StatusCode, back)
	}
	if tamper != nil {
		req, _ := http.NewRequest("GET", back.String(), nil)
		tamper(req)
		back = req.URL
	}
	return b.get(back.RequestURI())
}

func newOIDCEnv(t *testing.T, autoCreate content.Role) (*env, *idp) {
	p := newIDP(t)
	e := newEnv(t, deskauth.Options{OIDC: deskauth.OIDC{Issuer: p.srv.URL, ClientID: clientID, ClientSecret: clientSecret, AutoCreateRole: autoCreate}})
	return e, p
}

// TestOIDC: the authorization code flow with PKCE, state and nonce against
// a provider started in the test: a person with a verified address signs
// in; a wrong nonce, a changed state, a wrong PKCE verifier, an unverified
// address, an unknown and a disabled person are refused.
func TestOIDC(t *testing.T) {
	e, p := newOIDCEnv(t, "")
	anna := e.person("anna@example.nl", "Anna de Vries", content.RoleEditor)
	b := e.browser()
	wantStatus(t, "sign-in page", b.get("/desk/signin"), http.StatusOK, `href="/desk/oidc/start"`, "organisatieaccount")

	wantRedirect(t, "verified address", b.viaIDP(p, idpUser{Email: "Anna@Example.nl", Verified: true, Name: "Anna"}, nil), "/desk/recaps")
	wantStatus(t, "signed in", b.get("/desk/"), http.StatusOK, "Welkom, Anna de Vries")
	if p.pkceOK != 1 {
		t.Fatalf("the token endpoint saw %d matching PKCE verifiers", p.pkceOK)
	}
	// A provider sending the verified flag as a string is understood.
	wantRedirect(t, "verified as a string", e.browser().viaIDP(p, idpUser{Email: "anna@example.nl", Verified: "true"}, nil), "/desk/recaps")

	for _, c := range []struct {
		name   string
		user   idpUser
		nonce  bool
		tamper func(*http.Request)
		status int
		text   string
	}{
		{"wrong nonce", idpUser{Email: "anna@example.nl", Verified: true}, true, nil, http.StatusUnauthorized, "niet bevestigd"},
		{"unverified address", idpUser{Email: "anna@example.nl", Verified: false}, false, nil, http.StatusForbidden, "e-mailadres niet bevestigd"},
		{"no verified flag", idpUser{Email: "anna@example.nl"}, false, nil, http.StatusForbidden, "e-mailadres niet bevestigd"},
		{"unknown person", idpUser{Email: "niemand@example.nl", Verified: true}, false, nil, http.StatusForbidden, "geen account"},
		{"changed state", idpUser{Email: "anna@example.nl", Verified: true}, false, func(r *http.Request) {
			q := r.URL.Query()
			q.Set("state", "forged")
			r.URL.RawQuery = q.Encode()
		}, http.StatusBadRequest, "duurde te lang"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p.mu.Lock()
			p.badNonce = c.nonce
			p.mu.Unlock()
			defer func() { p.mu.Lock(); p.badNonce = false; p.mu.Unlock() }()
			b := e.browser()
			wantStatus(t, c.name, b.viaIDP(p, c.user, c.tamper), c.status, c.text)
			wantRedirect(t, "not signed in", b.get("/desk/"), "/desk/signin")
		})
	}

	t.Run("wrong PKCE verifier", func(t *testing.T) {
		b := e.browser()
		before := len(p.refused)
		got := b.viaIDP(p, idpUser{Email: "anna@example.nl", Verified: true}, func(r *http.Request) {
			// Replace the verifier the desk keeps in its flow cookie.
			u, _ := url.Parse(e.srv.URL + "/desk/oidc/")
			for _, c := range b.c.Jar.Cookies(u) {
				if c.Name != "desk_oidc" {
					continue
				}
				raw, _ := base64.RawURLEncoding.DecodeString(c.Value)
				var f map[string]any
				_ = json.Unmarshal(raw, &f)
				f["v"] = "a-verifier-the-provider-never-saw-0123456789abcdef"
				raw, _ = json.Marshal(f)
				c.Value = base64.RawURLEncoding.EncodeToString(raw)
				c.Path = "/desk/oidc/"
				b.c.Jar.SetCookies(u, []*http.Cookie{c})
			}
		})
		wantStatus(t, "wrong verifier", got, http.StatusUnauthorized, "niet bevestigd")
		if len(p.refused) == before || !strings.HasPrefix(p.refused[before], "PKCE") {
			t.Fatalf("the token endpoint did not refuse the verifier: %q", p.refused[before:])
		}
	})

	t.Run("disabled person", func(t *testing.T) {
		if _, err := e.people.Disable(admin(), anna.ID); err != nil {
			t.Fatal(err)
		}
		// The session Anna had is over, and the provider cannot start one.
		wantRedirect(t, "old session", b.get("/desk/"), "/desk/signin?again=1")
		wantStatus(t, "disabled", e.browser().viaIDP(p, idpUser{Email: "anna@example.nl", Verified: true}, nil), http.StatusForbidden, "uitgeschakeld")
	})
}

// TestOIDCAutoCreate: with OIDC_AUTO_CREATE_ROLE=reader an unknown person
// with a verified address is added as a reader, once.
func TestOIDCAutoCreate(t *testing.T) {
	e, p := newOIDCEnv(t, content.RoleReader)
	b := e.browser()
	wantRedirect(t, "new person", b.viaIDP(p, idpUser{Email: "Nieuw@Example.nl", Verified: true, Name: "Nina Nieuw"}, nil), "/desk/recaps")
	wantStatus(t, "signed in", b.get("/desk/"), http.StatusOK, "Welkom, Nina Nieuw", "lezer")
	wantRedirect(t, "again", e.browser().viaIDP(p, idpUser{Email: "nieuw@example.nl", Verified: true, Name: "Nina"}, nil), "/desk/recaps")
	list, err := e.people.List(admin())
	if err != nil || len(list) != 1 || list[0].Role != content.RoleReader || list[0].Email != "nieuw@example.nl" || list[0].Status != people.StatusActive {
		t.Fatalf("people: %+v %v", list, err)
	}
	wantStatus(t, "unverified", e.browser().viaIDP(p, idpUser{Email: "ander@example.nl", Verified: false}, nil), http.StatusForbidden)
	if list, _ := e.people.List(admin()); len(list) != 1 {
		t.Fatalf("an unverified address made a person: %+v", list)
	}
}
