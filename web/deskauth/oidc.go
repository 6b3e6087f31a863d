package deskauth

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"estafette/content"
)

// flowTTL is how long a sign-in at the identity provider may take.
const flowTTL = 10 * time.Minute

// provider is the discovered identity provider.
type provider struct {
	p        *oidc.Provider
	verifier *oidc.IDTokenVerifier
}

// flow is what the desk remembers of a sign-in at the identity provider,
// in a cookie of its own, between the start and the callback.
type flow struct {
	State    string    `json:"s"`
	Nonce    string    `json:"n"`
	Verifier string    `json:"v"` // the PKCE code verifier
	Next     string    `json:"next"`
	Expires  time.Time `json:"exp"`
}

// clientCtx is ctx with the HTTP client that talks to the provider.
func (a *Auth) clientCtx(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, a.o.HTTPClient)
}

// discover returns the identity provider, reading its discovery document
// on first use (and again after a failure).
func (a *Auth) discover(ctx context.Context) (*provider, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.provider != nil {
		return a.provider, nil
	}
	p, err := oidc.NewProvider(a.clientCtx(ctx), a.o.OIDC.Issuer)
	if err != nil {
		return nil, err
	}
	a.provider = &provider{p: p, verifier: p.Verifier(&oidc.Config{ClientID: a.o.OIDC.ClientID, Now: a.now})}
	return a.provider, nil
}

// oauth returns the OAuth 2 configuration of the desk at the provider.
func (a *Auth) oauth(r *http.Request, p *provider) *oauth2.Config {
	base := originOf(a.o.PublicURL)
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return &oauth2.Config{ClientID: a.o.OIDC.ClientID, ClientSecret: a.o.OIDC.ClientSecret, Endpoint: p.p.Endpoint(),
		RedirectURL: base + "/desk/oidc/callback", Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
}

// oidcStart sends the browser to the identity provider, with a new
// state, nonce and PKCE verifier kept in the flow cookie.
func (a *Auth) oidcStart(w http.ResponseWriter, r *http.Request) {
	p, err := a.discover(r.Context())
	if err != nil {
		a.failed(w, r, err)
		return
	}
	f := flow{State: randomToken(), Nonce: randomToken(), Verifier: oauth2.GenerateVerifier(),
		Next: safeNext(r.URL.Query().Get("next")), Expires: a.now().Add(flowTTL)}
	body, err := json.Marshal(f)
	if err != nil {
		a.failed(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: base64.RawURLEncoding.EncodeToString(body), Path: "/desk/oidc/",
		MaxAge: int(flowTTL.Seconds()), HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode})
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, a.oauth(r, p).AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)), http.StatusFound)
}

// claims are the ID token's claims the desk reads.
type claims struct {
	Email         string          `json:"email"`
	EmailVerified json.RawMessage `json:"email_verified"`
	Name          string          `json:"name"`
}

// verified reads email_verified, which some providers send as a string.
func (c claims) verified() bool {
	s := strings.Trim(string(c.EmailVerified), `"`)
	return s == "true"
}

// oidcCallback finishes a sign-in at the identity provider: the state
// must be the flow's, the code is exchanged with the PKCE verifier, the
// ID token must be valid for the desk with the flow's nonce and a
// verified email address, and a person must have that address (or be
// created, with OIDC_AUTO_CREATE_ROLE).
func (a *Auth) oidcCallback(w http.ResponseWriter, r *http.Request) {
	a.clearCookie(w, oidcCookie, "/desk/oidc/")
	refuse := func(status int, key string) {
		v := a.signinView(w, r, "")
		v.Error = v.T[key]
		a.render(w, r, status, "signin", v)
	}
	f, ok := a.readFlow(r)
	q := r.URL.Query()
	if !ok || subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(f.State)) != 1 {
		refuse(http.StatusBadRequest, "oidc.stale")
		return
	}
	if q.Get("error") != "" || q.Get("code") == "" {
		refuse(http.StatusUnauthorized, "oidc.refused")
		return
	}
	p, err := a.discover(r.Context())
	if err != nil {
		a.failed(w, r, err)
		return
	}
	ctx := a.clientCtx(r.Context())
	tok, err := a.oauth(r, p).Exchange(ctx, q.Get("code"), oauth2.VerifierOption(f.Verifier))
	if err != nil {
		a.o.Logger.WarnContext(r.Context(), "desk: the identity provider refused the code", "err", err)
		refuse(http.StatusUnauthorized, "oidc.refused")
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := p.verifier.Verify(ctx, raw)
	if err == nil && subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		err = errors.New("the ID token's nonce is not the one of the sign-in")
	}
	if err != nil {
		a.o.Logger.WarnContext(r.Context(), "desk: an ID token was refused", "err", err)
		refuse(http.StatusUnauthorized, "oidc.refused")
		return
	}
	var c claims
	if err := idt.Claims(&c); err != nil || c.Email == "" || !c.verified() {
		refuse(http.StatusForbidden, "oidc.unverified")
		return
	}
	person, err := a.o.People.ByVerifiedEmail(r.Context(), c.Email)
	if content.ErrorCode(err) == content.ENOTFOUND && a.o.OIDC.AutoCreateRole != "" {
		person, err = a.o.People.AutoCreate(r.Context(), c.Email, c.Name, a.o.OIDC.AutoCreateRole)
		if content.ErrorCode(err) == content.ECONFLICT { // created meanwhile by another sign-in
			person, err = a.o.People.ByVerifiedEmail(r.Context(), c.Email)
		}
	}
	switch content.ErrorCode(err) {
	case "":
	case content.ENOTFOUND:
		refuse(http.StatusForbidden, "oidc.unknown")
		return
	case content.EUNAUTHORIZED:
		refuse(http.StatusForbidden, "oidc.disabled")
		return
	default:
		a.failed(w, r, err)
		return
	}
	a.startSession(w, r, person, f.Next)
}

// readFlow reads the flow cookie, if it is there and fresh.
func (a *Auth) readFlow(r *http.Request) (flow, bool) {
	var f flow
	c, err := r.Cookie(oidcCookie)
	if err != nil {
		return f, false
	}
	body, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || json.Unmarshal(body, &f) != nil || f.State == "" || f.Verifier == "" || !a.now().Before(f.Expires) {
		return f, false
	}
	return f, true
}
