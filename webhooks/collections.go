package webhooks

import "estafette/content"

// The kinds of the records this package keeps: webhook endpoints and the
// deliveries of events to them.
const (
	KindWebhook  content.Kind = "webhook"
	KindDelivery content.Kind = "delivery"
)

// Collections describes the collections of endpoints and deliveries, with
// the indexes the delivery queue and the endpoint listings read. Open a
// store with them (see estafette/internal/collections) before using a
// Service on it.
var Collections = []content.Collection{
	{Kind: KindWebhook, Scalars: []string{"createdKey", "version"}, Indexes: [][]string{{"createdKey"}}},
	{Kind: KindDelivery, Scalars: []string{"state", "nextKey", "endpoint", "createdKey", "version"},
		Indexes: [][]string{{"state", "nextKey"}, {"endpoint", "createdKey"}, {"endpoint", "state", "createdKey"}}},
}
