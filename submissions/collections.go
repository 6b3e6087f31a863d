package submissions

import (
	"encoding/base64"
	"strings"

	"estafette/content"
)

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

// GlobalID returns the global ID of the proposal with id, of the form of
// content.GlobalID (the base64url of "Proposal:" and the id), as the API
// and the change events name it.
func GlobalID(id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("Proposal:" + id))
}

// ParseID returns the id of a proposal's global ID; EINVALID for anything
// else.
func ParseID(gid string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(gid)
	if id, ok := strings.CutPrefix(string(b), "Proposal:"); err == nil && ok && id != "" {
		return id, nil
	}
	return "", content.Invalidf("id", "%q is not the id of a proposal", gid)
}
