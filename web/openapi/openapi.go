// Package openapi holds the OpenAPI 3.1 description of the HTTP routes of
// Estafette that are not GraphQL (exports, calendar feeds, embed pages,
// oEmbed, insights, probes, metrics) and serves it at GET /openapi.json.
//
// The document is written by hand in openapi.json and embedded in the
// binary: a hand-written file reads like the documentation it is, and the
// tests of package web keep it true (it validates against the OpenAPI 3.1
// schema, it names every route the server registers and no other, and its
// examples match what the server answers). The GraphQL endpoint is
// described only as an endpoint; its types are in /schema.graphql.
package openapi

import (
	_ "embed"
	"net/http"

	"estafette/web/httpcache"
)

// Path is where the document is served.
const Path = "/openapi.json"

//go:embed openapi.json
var document []byte

// Document returns the document, in JSON.
func Document() []byte { return append([]byte(nil), document...) }

// Handler serves the document with a strong ETag (a matching If-None-Match
// gets 304); anyone may keep it for five minutes.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpcache.Write(w, r, http.StatusOK, "application/json", httpcache.Public, document)
	})
}
