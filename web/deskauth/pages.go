package deskauth

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"estafette/content"
	"estafette/people"
	"estafette/web/deskid"
)

// view is what a page template shows.
type view struct {
	Lang, Title, OtherLang string
	T                      map[string]string
	CSRF                   string
	Email, Next            string
	Error, Notice          string
	OIDC                   bool
	OIDCStart              string
	Intro, Action, Link    string
}

// newView starts the view of a page in the request's language.
func (a *Auth) newView(w http.ResponseWriter, r *http.Request, titleKey string) *view {
	l := lang(w, r, a.secure)
	t := texts[l]
	q := r.URL.Query()
	q.Set("lang", t["other.code"])
	return &view{Lang: l, T: t, Title: t[titleKey], OtherLang: r.URL.Path + "?" + q.Encode()}
}

// render writes a page.
func (a *Auth) render(w http.ResponseWriter, r *http.Request, status int, page string, v *view) {
	var b bytes.Buffer
	if err := a.pages[page].ExecuteTemplate(&b, "layout", v); err != nil {
		a.o.Logger.ErrorContext(r.Context(), "desk: cannot render a page", "page", page, "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(b.Bytes())
	}
}

// message answers with a page of one sentence (an error when isError),
// linking to the sign-in page when link.
func (a *Auth) message(w http.ResponseWriter, r *http.Request, status int, titleKey, textKey string, link bool) {
	v := a.newView(w, r, titleKey)
	if status >= 400 {
		v.Error = v.T[textKey]
	} else {
		v.Notice = v.T[textKey]
	}
	if link {
		v.Link = "/desk/signin"
	}
	a.render(w, r, status, "message", v)
}

// signinView is the view of the sign-in form.
func (a *Auth) signinView(w http.ResponseWriter, r *http.Request, next string) *view {
	v := a.newView(w, r, "signin.title")
	v.CSRF = a.formTokenFor(w, r)
	v.Next = safeNext(next)
	if a.o.OIDC.Enabled() {
		v.OIDC = true
		v.OIDCStart = "/desk/oidc/start"
		if v.Next != "/desk/" {
			v.OIDCStart += "?next=" + url.QueryEscape(v.Next)
		}
	}
	return v
}

// signinForm shows the sign-in form; a person signed in already goes on.
func (a *Auth) signinForm(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	if _, _, ok := a.session(w, r); ok {
		http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
		return
	}
	v := a.signinView(w, r, next)
	switch {
	case r.URL.Query().Has("out"):
		v.Notice = v.T["signin.out"]
	case r.URL.Query().Has("again"):
		v.Notice = v.T["signin.again"]
	}
	a.render(w, r, http.StatusOK, "signin", v)
}

// signin checks an email address and password. Every refusal but the
// rate limit's has the same answer; an attempt over a limit is refused
// before the password is looked at.
func (a *Auth) signin(w http.ResponseWriter, r *http.Request) {
	email, password, next := r.PostFormValue("email"), r.PostFormValue("password"), r.PostFormValue("next")
	v := a.signinView(w, r, next)
	v.Email = strings.TrimSpace(email)
	if len(v.Email) > 254 {
		v.Email = ""
	}
	if strings.TrimSpace(email) == "" || password == "" {
		v.Error = v.T["signin.missing"]
		a.render(w, r, http.StatusBadRequest, "signin", v)
		return
	}
	account := strings.ToLower(strings.TrimSpace(email))
	if len(account) > 254 {
		account = account[:254]
	}
	wait := max(a.addresses.take("ip:"+a.o.ClientIP(r)), a.accounts.take("account:"+account))
	if wait > 0 {
		mins := int(math.Ceil(wait.Minutes()))
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		if mins <= 1 {
			v.Error = v.T["signin.limited1"]
		} else {
			v.Error = fmt.Sprintf(v.T["signin.limited"], mins)
		}
		a.render(w, r, http.StatusTooManyRequests, "signin", v)
		return
	}
	person, err := a.o.People.Authenticate(r.Context(), email, password)
	if content.ErrorCode(err) == content.EUNAUTHORIZED {
		v.Error = v.T["signin.wrong"]
		a.render(w, r, http.StatusUnauthorized, "signin", v)
		return
	}
	if err != nil {
		a.failed(w, r, err)
		return
	}
	a.startSession(w, r, person, next)
}

// signout ends the session (the guard checked it and its CSRF token).
func (a *Auth) signout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := a.o.People.EndSession(r.Context(), c.Value); err != nil {
			a.failed(w, r, err)
			return
		}
	}
	a.clearCookie(w, sessionCookie, "/desk")
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, "/desk/signin?out=1", http.StatusSeeOther)
}

// inviteView is the view of the invitation form of a person.
func (a *Auth) inviteView(w http.ResponseWriter, r *http.Request, p *people.Person) *view {
	v := a.newView(w, r, "invite.title")
	v.CSRF = a.formTokenFor(w, r)
	v.Intro = fmt.Sprintf(v.T["invite.intro"], p.Name)
	v.Email = p.Email
	v.Action = "/desk/invite/" + url.PathEscape(r.PathValue("token"))
	return v
}

// inviteForm shows the form to set a password with an invitation.
func (a *Auth) inviteForm(w http.ResponseWriter, r *http.Request) {
	p, err := a.o.People.Invitation(r.Context(), r.PathValue("token"))
	if content.ErrorCode(err) == content.ENOTFOUND {
		a.message(w, r, http.StatusNotFound, "invite.title", "invite.gone", true)
		return
	}
	if err != nil {
		a.failed(w, r, err)
		return
	}
	a.render(w, r, http.StatusOK, "invite", a.inviteView(w, r, p))
}

// ruleKeys are the texts of the password rules.
var ruleKeys = map[people.Rule]string{people.RuleTooShort: "rule.short", people.RuleTooLong: "rule.long",
	people.RuleRepeated: "rule.repeated", people.RuleCommon: "rule.common", people.RuleNotText: "rule.text"}

// acceptInvite sets the password of an invitation and signs the person in.
func (a *Auth) acceptInvite(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	p, err := a.o.People.Invitation(r.Context(), token)
	if content.ErrorCode(err) == content.ENOTFOUND {
		a.message(w, r, http.StatusNotFound, "invite.title", "invite.gone", true)
		return
	}
	if err != nil {
		a.failed(w, r, err)
		return
	}
	if wait := a.addresses.take("ip:" + a.o.ClientIP(r)); wait > 0 {
		v := a.inviteView(w, r, p)
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		v.Error = fmt.Sprintf(v.T["signin.limited"], int(math.Ceil(wait.Minutes())))
		a.render(w, r, http.StatusTooManyRequests, "invite", v)
		return
	}
	password, repeat := r.PostFormValue("password"), r.PostFormValue("repeat")
	v := a.inviteView(w, r, p)
	if rule := people.BrokenRule(password); rule != people.RuleNone {
		v.Error = v.T[ruleKeys[rule]]
		a.render(w, r, http.StatusBadRequest, "invite", v)
		return
	}
	if password != repeat {
		v.Error = v.T["invite.differ"]
		a.render(w, r, http.StatusBadRequest, "invite", v)
		return
	}
	p, err = a.o.People.AcceptInvitation(r.Context(), token, password)
	switch content.ErrorCode(err) {
	case "":
		a.startSession(w, r, p, "/desk/")
	case content.ENOTFOUND:
		a.message(w, r, http.StatusNotFound, "invite.title", "invite.gone", true)
	default:
		a.failed(w, r, err)
	}
}

// Placeholder returns a page for the desk until the desk's pages are
// there: it greets the signed-in person and offers to sign out.
func (a *Auth) Placeholder() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, ok := deskid.From(r.Context())
		if !ok {
			http.Error(w, "Unauthorized.", http.StatusUnauthorized)
			return
		}
		if r.URL.Path != "/desk" && r.URL.Path != "/desk/" {
			http.NotFound(w, r)
			return
		}
		v := a.newView(w, r, "welcome.title")
		v.Title = fmt.Sprintf(v.T["welcome.title"], s.Person.Name)
		v.Notice = fmt.Sprintf(v.T["welcome.text"], v.T["role."+string(s.Person.Role)])
		v.CSRF = s.CSRF
		a.render(w, r, http.StatusOK, "welcome", v)
	})
}

// now is the door's clock (the people's).
func (a *Auth) now() time.Time { return a.o.People.Now() }
