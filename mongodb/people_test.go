package mongodb

import (
	"testing"

	"estafette/people/peopletest"
)

// TestPeople runs the store suite of package people (invitations used
// once, sessions that idle out and end when a person is disabled, one
// person per address) on a MongoDB server.
func TestPeople(t *testing.T) {
	peopletest.Run(t, openTest(t, Options{}))
}
