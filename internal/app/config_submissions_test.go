package app

import (
	"strings"
	"testing"
	"time"
)

// TestSubmissionsConfig: PROPOSAL_CONTACT_RETENTION in days (90 unless
// set), PROPOSAL_FORM_SECRET long enough; errors name the variable and
// never the secret.
func TestSubmissionsConfig(t *testing.T) {
	c, err := ConfigFromEnv(env())
	if err != nil || c.ProposalContactRetention != 90*24*time.Hour || c.ProposalFormSecret != "" {
		t.Fatalf("default: %v %v", c.ProposalContactRetention, err)
	}
	for _, v := range []string{"30", "30d", " 30 "} {
		c, err = ConfigFromEnv(env("PROPOSAL_CONTACT_RETENTION", v))
		if err != nil || c.ProposalContactRetention != 30*24*time.Hour {
			t.Fatalf("%q: %v %v", v, c.ProposalContactRetention, err)
		}
	}
	for _, bad := range []string{"0", "-3", "drie", "90h"} {
		if _, err := ConfigFromEnv(env("PROPOSAL_CONTACT_RETENTION", bad)); err == nil || !strings.HasPrefix(err.Error(), "PROPOSAL_CONTACT_RETENTION") {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if _, err := ConfigFromEnv(env("PROPOSAL_FORM_SECRET", "kort-geheim")); err == nil || strings.Contains(err.Error(), "kort-geheim") ||
		!strings.HasPrefix(err.Error(), "PROPOSAL_FORM_SECRET") {
		t.Errorf("short secret: %v", err)
	}
	secret := strings.Repeat("s", 32)
	if c, err := ConfigFromEnv(env("PROPOSAL_FORM_SECRET", secret)); err != nil || c.ProposalFormSecret != secret {
		t.Errorf("secret: %v", err)
	}
}
