package collections_test

import (
	"testing"

	"estafette/auth"
	"estafette/content"
	"estafette/events"
	"estafette/internal/collections"
	"estafette/mail"
	"estafette/people"
	"estafette/web/gqlhttp/persisted"
	"estafette/webhooks"
)

func TestAll(t *testing.T) {
	all := collections.All()
	seen := map[content.Kind]bool{}
	for _, c := range all {
		if err := c.Check(); err != nil {
			t.Errorf("%s: %v", c.Kind, err)
		}
		if seen[c.Kind] {
			t.Errorf("%s is described twice", c.Kind)
		}
		seen[c.Kind] = true
	}
	for _, k := range []content.Kind{content.KindActivity, content.KindAudit, auth.KindAPIKey, events.Kind,
		webhooks.KindWebhook, webhooks.KindDelivery, persisted.Kind, people.KindPerson, people.KindInvite, people.KindSession, mail.Kind} {
		if !seen[k] {
			t.Errorf("%s is missing", k)
		}
	}
	all[0].Kind = "changed"
	if collections.All()[0].Kind == "changed" {
		t.Error("All returns a shared slice")
	}
}
