// Package model holds the GraphQL-side types that the domain does not have:
// the scalars' wire format, Relay connections over domain pages, the write
// payloads, and the input types gqlgen generates (models_gen.go).
package model
