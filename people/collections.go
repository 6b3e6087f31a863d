package people

import "estafette/content"

// The kinds of the records this package keeps.
const (
	// KindPerson is the kind of the people who may sign in to the desk;
	// a person's password is kept only as its argon2id hash.
	KindPerson content.Kind = "person"
	// KindInvite is the kind of the invitations: one-time links to set a
	// password, kept by the SHA-256 hash of their token (the id).
	KindInvite content.Kind = "invite"
	// KindSession is the kind of the desk's sessions, kept by the SHA-256
	// hash of their token (the id), so that every replica knows them.
	KindSession content.Kind = "session"
)

// Collections describes the collections this package keeps: people,
// found by their email address (unique) and listed by name; invitations
// and sessions, found by id (the hash of their token) and by person.
// Open a store with them (see estafette/internal/collections) before using
// People on it.
var Collections = []content.Collection{
	{Kind: KindPerson, Scalars: []string{"email", "nameKey", "status", "version"}, Unique: []string{"email"},
		Indexes: [][]string{{"nameKey"}}},
	{Kind: KindInvite, Scalars: []string{"person", "version"}, Indexes: [][]string{{"person"}}},
	{Kind: KindSession, Scalars: []string{"person", "version"}, Indexes: [][]string{{"person"}}},
}
