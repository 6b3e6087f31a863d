package auth

import "estafette/content"

// KindAPIKey is the kind of the API keys this package keeps in the store:
// their hashes, never the keys themselves.
const KindAPIKey content.Kind = "apikey"

// Collections describes the collections this package keeps: the API keys,
// found by their hash (unique) and listed in creation order. Open a store
// with them (see estafette/internal/collections) before using Keys on it.
var Collections = []content.Collection{{
	Kind:    KindAPIKey,
	Scalars: []string{"hash", "createdKey"},
	Unique:  []string{"hash"},
	Indexes: [][]string{{"createdKey"}},
}}
