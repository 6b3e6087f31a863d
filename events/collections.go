package events

import "estafette/content"

// Kind is the kind of the change events this package records.
const Kind content.Kind = "event"

// Collections describes the collection of change events, read in time
// order. Open a store with it (see estafette/internal/collections) before
// recording or reading events.
var Collections = []content.Collection{
	{Kind: Kind, Scalars: []string{"at", "type", "recordKind"}, Indexes: [][]string{{"at"}}},
}
