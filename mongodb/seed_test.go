package mongodb

import (
	"testing"

	"estafette/seed/seedtest"
)

// Seeding again never undoes an edit (see seedtest.NeverUndoesAnEdit), on
// a MongoDB server.
func TestSeedNeverUndoesAnEdit(t *testing.T) {
	seedtest.NeverUndoesAnEdit(t, openTest(t, Options{}))
}
