package persisted

import "estafette/content"

// Kind is the kind of the persisted queries (GraphQL documents stored by
// their SHA-256 hash) that every replica shares.
const Kind content.Kind = "pquery"

// Collections describes the collection this package keeps. Open a store
// with it (see estafette/internal/collections) before using Queries on it.
var Collections = []content.Collection{{Kind: Kind, Scalars: []string{"createdKey", "automatic"}, Indexes: [][]string{{"automatic", "createdKey"}}}}
