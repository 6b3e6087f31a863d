package seed

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"estafette/content"
	"estafette/internal/overlap"
)

// The sources are kept here only as fingerprints: seed/testdata/
// sourcehash.json holds salted hashes of their 8-word runs and of the words
// of each of their sentences, never their text. It is generated from
// ../shared (the two source texts in shared/sources/ and shared/sze-facts.md)
// by
//
//	go run ./cmd/sourcehash
//
// and must be generated again when a source changes. The tokenisation
// (lower case, diacritics removed, split on every character that is not a
// letter or digit) and the sentence rules are those of
// estafette/internal/overlap.

// sourceFingerprints reads the fingerprints of the sources.
func sourceFingerprints(tb testing.TB) []overlap.Fingerprint {
	tb.Helper()
	b, err := os.ReadFile("testdata/sourcehash.json")
	if err != nil {
		tb.Fatal(err)
	}
	var fps []overlap.Fingerprint
	if err := json.Unmarshal(b, &fps); err != nil {
		tb.Fatal(err)
	}
	if len(fps) != 3 {
		tb.Fatalf("got %d source fingerprints, want 3 (two source texts and the fact sheet)", len(fps))
	}
	return fps
}

// ownWordsProblems returns, for records, every text (each language of every
// content.Text, and every plain string such as a name or a city) that shares
// a run of overlap.RunLength words with a source, and every sentence of
// which more than overlap.MaxSentenceOverlap of the words occur in one
// source sentence. A sentence that is exactly the name of a seeded record
// (an initiative, an organisation, a theme…) may match a source fully: it
// is a name, not a sentence.
func ownWordsProblems(records []content.Record, fps []overlap.Fingerprint) []string {
	names := map[string]bool{}
	key := func(s string) string { return strings.Join(overlap.Words(s), " ") }
	for _, r := range records {
		for _, l := range leaves(r) {
			if l.path != "Name" && l.path != "Title" {
				continue
			}
			names[key(l.value)] = true
			if l.text != nil {
				names[key(l.text.EN)] = true
			}
		}
	}
	var out []string
	check := func(r content.Record, field, lang, s string) {
		for _, f := range overlap.Check(s, fps) {
			if f.Run != "" {
				out = append(out, fmt.Sprintf("%s %s %s (%s): shares the run %q with %s", r.RecordKind(), content.MetaOf(r).ID, field, lang, f.Run, f.Source))
				continue
			}
			if names[key(f.Sentence)] {
				continue
			}
			out = append(out, fmt.Sprintf("%s %s %s (%s): sentence %q shares %.0f %% of its words with a sentence of %s", r.RecordKind(), content.MetaOf(r).ID, field, lang, f.Sentence, 100*f.Share, f.Source))
		}
	}
	for _, r := range records {
		for _, l := range leaves(r) {
			switch {
			case l.text != nil:
				check(r, l.path, "nl", l.text.NL)
				check(r, l.path, "en", l.text.EN)
			case l.plain:
				check(r, l.path, "-", l.value)
			}
		}
	}
	return out
}

// TestTextsAreOwnWords checks that every seeded text is written in the
// catalogue's own words (issue 14, point 1).
func TestTextsAreOwnWords(t *testing.T) {
	reportProblems(t, ownWordsProblems(Content(), sourceFingerprints(t)))
}
