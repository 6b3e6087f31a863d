// Package graph is the GraphQL layer of Estafette: the code gqlgen generates
// from schema/*.graphqls, and thin resolvers that translate GraphQL
// arguments into calls on the domain's Catalog (root fields) and the
// per-request loaders (nested fields).
package graph

//go:generate go tool gqlgen generate

import (
	"estafette/auth"
	"estafette/content"
	"estafette/events"
	"estafette/submissions"
	"estafette/webhooks"
)

// Resolver is the one place the GraphQL layer gets its dependencies.
type Resolver struct {
	Catalog  *content.Catalog
	Keys     *auth.Keys
	Bus      *events.Bus
	Webhooks *webhooks.Service
	// Submissions handles the proposals of the public; nil refuses them.
	Submissions *submissions.Submissions
}
