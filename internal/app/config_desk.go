package app

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"estafette/content"
	"estafette/web/deskauth"
)

// readDesk reads OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and
// OIDC_AUTO_CREATE_ROLE: sign-in to the desk through the organisation's
// identity provider. The first three go together (all or none); the
// issuer is an https URL (http only on a loopback address, for
// development); the role of people created at their first sign-in is
// reader or editor (never admin).
func readDesk(c *Config, getenv func(string) string) error {
	o := deskauth.OIDC{
		Issuer:       strings.TrimSpace(getenv("OIDC_ISSUER")),
		ClientID:     strings.TrimSpace(getenv("OIDC_CLIENT_ID")),
		ClientSecret: getenv("OIDC_CLIENT_SECRET"),
	}
	set := map[string]bool{"OIDC_ISSUER": o.Issuer != "", "OIDC_CLIENT_ID": o.ClientID != "", "OIDC_CLIENT_SECRET": o.ClientSecret != ""}
	var missing []string
	for _, name := range []string{"OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"} {
		if !set[name] {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 && len(missing) < 3 {
		return fmt.Errorf("sign-in through an identity provider needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together; %s is not set", strings.Join(missing, " and "))
	}
	if o.Issuer != "" {
		u, err := url.Parse(o.Issuer)
		if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" ||
			(u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname()))) {
			return fmt.Errorf("OIDC_ISSUER=%q is not an https URL such as https://login.example.nl/realms/zonmw (http only on localhost)", o.Issuer)
		}
	}
	if v := strings.TrimSpace(getenv("OIDC_AUTO_CREATE_ROLE")); v != "" {
		r, ok := content.ParseRole(v)
		if !ok || r == content.RoleAdmin {
			return fmt.Errorf("OIDC_AUTO_CREATE_ROLE=%q: use reader or editor (admins are made with estafette users create)", v)
		}
		if o.Issuer == "" {
			return fmt.Errorf("OIDC_AUTO_CREATE_ROLE is set, but OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are not")
		}
		o.AutoCreateRole = r
	}
	c.OIDC = o
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
