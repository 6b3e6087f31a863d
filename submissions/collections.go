package submissions

import "estafette/content"

// KindProposal is the kind of the proposals of the public: found by the
// SHA-256 hash of their link's token (unique), by state, edition and
// region (the moderation queue), by the contact's email address (the
// limit of open proposals, erasure) and by when they were made (expiry).
const KindProposal content.Kind = "proposal"

// Collections describes the collections this package keeps. Open a store
// with them (see estafette/internal/collections) before using Submissions
// on it.
var Collections = []content.Collection{
	{Kind: KindProposal,
		Scalars: []string{"state", "edition", "region", "email", "tokenHash", "createdAt", "contact", "version"},
		Unique:  []string{"tokenHash"},
		Indexes: [][]string{{"state", "createdAt"}, {"email", "state"}, {"edition", "contact"}, {"edition", "state"}}},
}
