package mongodb

import (
	"testing"

	"estafette/submissions/submissionstest"
)

// TestSubmissionsConformance runs the store suite of package submissions
// on MongoDB.
func TestSubmissionsConformance(t *testing.T) {
	submissionstest.Run(t, openTest(t, Options{}))
}
