package submissions_test

import (
	"context"
	"slices"
	"testing"

	"estafette/content"
	"estafette/events"
	"estafette/mail"
	"estafette/sqlite"
	"estafette/submissions"
	"estafette/submissions/submissionstest"
)

// TestConformance runs the store suite of package submissions on SQLite.
func TestConformance(t *testing.T) {
	s, err := sqlite.Open(context.Background(), t.TempDir(), slices.Concat(content.Collections, events.Collections, mail.Collections, submissions.Collections))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	submissionstest.Run(t, s)
}
