package mongodb

import (
	"testing"

	"estafette/auth/authtest"
)

// A use of an API key racing its revocation never undoes the revocation
// (see authtest.RevokeWhileInUse), on a MongoDB server.
func TestRevokeWhileInUse(t *testing.T) {
	authtest.RevokeWhileInUse(t, openTest(t, Options{}), 200)
}
