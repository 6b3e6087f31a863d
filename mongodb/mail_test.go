package mongodb

import (
	"testing"

	"estafette/mail/outboxtest"
)

// TestMailOutbox runs the store suite of the mail outbox (delivery once,
// one mail per key, retries, replicas, erasure) on a MongoDB server.
func TestMailOutbox(t *testing.T) {
	outboxtest.Run(t, openTest(t, Options{}))
}
