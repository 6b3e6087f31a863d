// Package collections is the one place that knows every collection the
// program keeps in its store.
//
// Each package declares the collections of the records it writes, next to
// the code that writes them: content the content kinds and the audit log
// (content.Collections), auth the API keys, events the change events,
// webhooks the endpoints and deliveries, persisted the persisted queries, people the
// people of the desk with their invitations and sessions, mail the outbox
// of emails, submissions the proposals of the public.
// Nothing registers itself anywhere; All combines the lists, and whoever
// opens a store (the program, the copy command, the load harness, tests)
// passes All to sqlite.Open or mongodb.Open, and to the conformance suite.
// This package exists so that main and the tests of other packages share
// that list without importing package main; a package that needs only
// its own kinds in a test may open a store with a shorter list.
package collections

import (
	"slices"

	"estafette/auth"
	"estafette/content"
	"estafette/events"
	"estafette/mail"
	"estafette/people"
	"estafette/submissions"
	"estafette/web/gqlhttp/persisted"
	"estafette/webhooks"
)

// All returns the collections of every kind the program stores, in a new
// slice each time (callers may append to it).
func All() []content.Collection {
	return slices.Concat(
		content.Collections,
		events.Collections,
		webhooks.Collections,
		auth.Collections,
		persisted.Collections,
		people.Collections,
		mail.Collections,
		submissions.Collections,
	)
}
