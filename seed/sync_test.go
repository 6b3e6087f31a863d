package seed_test

import (
	"context"
	"testing"

	"estafette/internal/collections"
	"estafette/seed/seedtest"
	"estafette/sqlite"
)

// Seeding again never undoes an edit (see seedtest.NeverUndoesAnEdit).
func TestSeedNeverUndoesAnEdit(t *testing.T) {
	s, err := sqlite.Open(context.Background(), t.TempDir(), collections.All())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seedtest.NeverUndoesAnEdit(t, s)
}
