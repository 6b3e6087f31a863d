package app

import (
	"fmt"
	"strings"
	"time"
)

// DefaultProposalContactRetention is how long after an edition's end the
// contacts of its proposals are kept when PROPOSAL_CONTACT_RETENTION is
// not set.
const DefaultProposalContactRetention = 90 * 24 * time.Hour

// readSubmissions reads PROPOSAL_CONTACT_RETENTION (days, such as 90 or
// 90d) and PROPOSAL_FORM_SECRET (signs the proposal forms' tokens; every
// replica needs the same, at least 32 characters; empty: a random one per
// process, which suits a single replica).
func readSubmissions(c *Config, getenv func(string) string) error {
	c.ProposalContactRetention = DefaultProposalContactRetention
	if v := strings.TrimSpace(getenv("PROPOSAL_CONTACT_RETENTION")); v != "" {
		days, err := parsePositive("PROPOSAL_CONTACT_RETENTION", strings.TrimSuffix(v, "d"))
		if err != nil {
			return fmt.Errorf("PROPOSAL_CONTACT_RETENTION=%q is not a number of days such as 90", v)
		}
		c.ProposalContactRetention = time.Duration(days) * 24 * time.Hour
	}
	c.ProposalFormSecret = getenv("PROPOSAL_FORM_SECRET")
	if c.ProposalFormSecret != "" && len(c.ProposalFormSecret) < 32 {
		return fmt.Errorf("PROPOSAL_FORM_SECRET is too short: give at least 32 random characters")
	}
	return nil
}
