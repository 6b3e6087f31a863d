package app

import (
	"strings"
	"testing"

	"estafette/content"
)

// TestDeskConfig: the OIDC variables go together, the issuer is https
// (http on loopback only), the auto-create role is reader or editor; a
// wrong value stops the start with one line naming the variable.
func TestDeskConfig(t *testing.T) {
	c, err := ConfigFromEnv(env())
	if err != nil || c.OIDC.Enabled() {
		t.Fatalf("default: %+v %v", c.OIDC, err)
	}
	full := []string{"OIDC_ISSUER", "https://login.example.nl/realms/zonmw", "OIDC_CLIENT_ID", "desk", "OIDC_CLIENT_SECRET", "s3cret"}
	c, err = ConfigFromEnv(env(full...))
	if err != nil || !c.OIDC.Enabled() || c.OIDC.Issuer != "https://login.example.nl/realms/zonmw" || c.OIDC.ClientID != "desk" || c.OIDC.AutoCreateRole != "" {
		t.Fatalf("set: %+v %v", c.OIDC, err)
	}
	c, err = ConfigFromEnv(env(append(full, "OIDC_AUTO_CREATE_ROLE", "reader")...))
	if err != nil || c.OIDC.AutoCreateRole != content.RoleReader {
		t.Fatalf("auto-create: %+v %v", c.OIDC, err)
	}
	if c, err := ConfigFromEnv(env("OIDC_ISSUER", "http://127.0.0.1:5556", "OIDC_CLIENT_ID", "d", "OIDC_CLIENT_SECRET", "s")); err != nil || !c.OIDC.Enabled() {
		t.Fatalf("http on loopback: %v", err)
	}
	for _, bad := range []struct {
		env  []string
		want string
	}{
		{[]string{"OIDC_ISSUER", "https://login.example.nl"}, "OIDC_CLIENT_ID and OIDC_CLIENT_SECRET is not set"},
		{[]string{"OIDC_CLIENT_ID", "d", "OIDC_CLIENT_SECRET", "s"}, "OIDC_ISSUER is not set"},
		{[]string{"OIDC_ISSUER", "http://login.example.nl", "OIDC_CLIENT_ID", "d", "OIDC_CLIENT_SECRET", "s"}, "OIDC_ISSUER="},
		{[]string{"OIDC_ISSUER", "login.example.nl", "OIDC_CLIENT_ID", "d", "OIDC_CLIENT_SECRET", "s"}, "OIDC_ISSUER="},
		{append(full, "OIDC_AUTO_CREATE_ROLE", "admin"), "OIDC_AUTO_CREATE_ROLE=\"admin\""},
		{append(full, "OIDC_AUTO_CREATE_ROLE", "chef"), "OIDC_AUTO_CREATE_ROLE=\"chef\""},
		{[]string{"OIDC_AUTO_CREATE_ROLE", "reader"}, "OIDC_AUTO_CREATE_ROLE is set"},
	} {
		_, err := ConfigFromEnv(env(bad.env...))
		if err == nil || !strings.Contains(err.Error(), bad.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: %v, want one line with %q", bad.env, err, bad.want)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("the error shows the client secret: %v", err)
		}
	}
}
