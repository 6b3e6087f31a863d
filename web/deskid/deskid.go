// Package deskid is the contract between the desk's sign-in (package
// web/deskauth) and the desk's pages (package web/desk): who is signed in
// on a request, the token that guards the desk's forms, and the names of
// the cookie and fields both sides use.
//
// The sign-in side puts a Session on the request context of every desk
// page it lets through, together with a content.Viewer for the person (so
// every write the pages make goes through the same domain rules, and into
// the audit log under the person's name); the pages read it with From.
package deskid

import (
	"context"

	"estafette/content"
)

// CSRFField is the name of the hidden form field that carries the
// session's CSRF token on every form the desk posts.
const CSRFField = "csrf"

// CSRFHeader carries the same token on requests the desk's script sends.
const CSRFHeader = "X-CSRF-Token"

// LangCookie holds the desk's language ("nl", the default, or "en").
const LangCookie = "desk_lang"

// Person is someone signed in to the desk.
type Person struct {
	// ID is the person's record id.
	ID string
	// Email is the address the person signs in with; never shown on a
	// public surface or written to a log.
	Email string
	// Name is the person's name as the desk and the audit log show it.
	Name string
	// Role is what the person may do: the same roles as API keys.
	Role content.Role
}

// Actor is the name the audit log gives the person's writes.
func (p Person) Actor() string { return p.Name }

// Session is a signed-in visit to the desk.
type Session struct {
	// Person is who is signed in.
	Person Person
	// CSRF is the token every form of the desk posts back in CSRFField
	// (or a script sends in CSRFHeader).
	CSRF string
}

type sessionKey struct{}

// With returns ctx carrying s.
func With(ctx context.Context, s Session) context.Context {
	return context.WithValue(ctx, sessionKey{}, s)
}

// From returns the session ctx carries, if any.
func From(ctx context.Context) (Session, bool) {
	s, ok := ctx.Value(sessionKey{}).(Session)
	return s, ok
}
