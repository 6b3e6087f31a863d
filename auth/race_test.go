package auth_test

import (
	"context"
	"slices"
	"testing"

	"estafette/auth"
	"estafette/auth/authtest"
	"estafette/content"
	"estafette/sqlite"
)

// A use of a key (which records its last use) racing a revocation never
// undoes the revocation.
func TestRevokeWhileInUse(t *testing.T) {
	s, err := sqlite.Open(context.Background(), t.TempDir(), slices.Concat(content.Collections, auth.Collections))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	authtest.RevokeWhileInUse(t, s, 300)
}
