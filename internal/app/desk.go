package app

import (
	"log/slog"
	"net/http"

	"estafette/web/desk"
	"estafette/web/deskauth"
	"estafette/web/ratelimit"
)

// newDesk builds the editorial desk at /desk: its door (package
// web/deskauth: sign-in, sessions, invitations, OpenID Connect) in front
// of its pages.
func (a *App) newDesk(log *slog.Logger) http.Handler {
	// The addresses of clients as the rate limiter sees them (behind
	// TRUSTED_PROXIES too), for the limits of sign-in attempts; this
	// limiter only names addresses, it limits nothing.
	addresses := ratelimit.New(ratelimit.Config{PerSecond: 1, TrustedProxies: a.Config.RateLimit.TrustedProxies})
	auth := deskauth.New(deskauth.Options{
		People:    a.people,
		PublicURL: a.Config.PublicURL,
		OIDC:      a.Config.OIDC,
		ClientIP:  addresses.ClientIP,
		Logger:    log,
	})
	// The desk's pages (package web/desk), behind the door: every page
	// finds the signed-in person and their content.Viewer on the context,
	// so its writes go through the same domain rules as the API's. The
	// admin pages of people use package people directly (through the
	// desk's PeopleAdmin), with the admin's viewer, so their writes are
	// audited under the admin's name.
	pages := desk.New(a.catalog, desk.Options{
		Keys:      a.keys,
		Webhooks:  a.webhooks,
		Mail:      a.mail,
		People:    a.people,
		Proposals: a.submissions,
		PublicURL: a.Config.PublicURL,
		Logger:    log,
	})
	return auth.Handler(pages)
}
