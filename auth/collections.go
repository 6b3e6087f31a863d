package auth

import "estafette/content"

// KindAPIKey is the kind of the API keys this package keeps in the store:
// their hashes, never the keys themselves.
const KindAPIKey content.Kind = "apikey"

// KindAPIKeyUse is the kind of the last-use records of the API keys: one
// per key that was used, with the key's id as its id. Using a key writes
// only this record, never the key, so a use can never undo a revocation
// or any other change of the key.
const KindAPIKeyUse content.Kind = "apikeyuse"

// Collections describes the collections this package keeps: the API keys,
// found by their hash (unique) and listed in creation order, and their
// last uses, found by id. Open a store
// with them (see estafette/internal/collections) before using Keys on it.
var Collections = []content.Collection{{
	Kind:    KindAPIKey,
	Scalars: []string{"hash", "createdKey"},
	Unique:  []string{"hash"},
	Indexes: [][]string{{"createdKey"}},
}, {
	Kind: KindAPIKeyUse,
}}
