// Package overlap measures how closely a text follows a source text, without
// keeping the source: a source is reduced to a Fingerprint that holds only
// hashes (of every run of RunLength consecutive words, and of the distinct
// words of each sentence), so it can live in the repository without
// republishing the source.
//
// Tokenisation: a text is folded to lower case and its diacritics are
// removed (Unicode NFD, combining marks dropped: "cliënten" → "clienten",
// "Fryslân" → "fryslan"), then split on every character that is not a
// letter or a digit ("regio's" → "regio", "s"; "t/m" → "t", "m"; "10.00" →
// "10", "00"). Numbers are words like any other. Sentences end at '.', '!'
// or '?' followed by white space or the end of the text, at a blank line, and
// before a line that starts a list item or a heading ("-", "*", "•", "#",
// "|"), so a Markdown list item is a sentence of its own; a single line
// break inside a paragraph (a hard-wrapped line) does not end a sentence.
package overlap

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// RunLength is the length of the word runs a text may not share with a
// source.
const RunLength = 8

// MaxSentenceOverlap is the largest share of a sentence's distinct words
// that may also occur in one source sentence.
const MaxSentenceOverlap = 0.70

// MinSentenceWords is the least number of distinct words a sentence needs
// for MaxSentenceOverlap to apply: shorter sentences (titles, names, a
// heading) are too short to carry a source's sentence structure, and a name
// alone always matches the source that names it.
const MinSentenceWords = 6

// salt is hashed before every word or run, so that the hashes are of use to
// this package only.
const salt = "estafette-overlap-v1\x00"

// Words returns the words of s after case folding and removing diacritics.
func Words(s string) []string {
	s = norm.NFD.String(strings.ToLower(s))
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			// a combining mark: dropped
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Fields(b.String())
}

// Sentences splits s into sentences (see the package comment).
func Sentences(s string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if t := strings.TrimSpace(cur.String()); t != "" {
			out = append(out, t)
		}
		cur.Reset()
	}
	for _, line := range strings.Split(s, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.ContainsAny(t[:1], "-*•#|") || strings.HasPrefix(t, "•") {
			flush()
		}
		rs := []rune(t)
		for i, r := range rs {
			cur.WriteRune(r)
			if (r == '.' || r == '!' || r == '?') && (i+1 == len(rs) || unicode.IsSpace(rs[i+1])) {
				flush()
			}
		}
		cur.WriteByte(' ')
	}
	flush()
	return out
}

// Hash returns the salted hash of one word or of a run of words.
func Hash(words ...string) string {
	h := sha256.Sum256([]byte(salt + strings.Join(words, " ")))
	return hex.EncodeToString(h[:8])
}

// Runs returns the hashes of every run of RunLength consecutive words of s.
func Runs(s string) []string {
	w := Words(s)
	var out []string
	for i := 0; i+RunLength <= len(w); i++ {
		out = append(out, Hash(w[i:i+RunLength]...))
	}
	return out
}

// wordSet returns the hashes of the distinct words of s, sorted.
func wordSet(s string) []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range Words(s) {
		if h := Hash(w); !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	sort.Strings(out)
	return out
}

// A Fingerprint is what the checks need of one source: no text, only
// hashes.
type Fingerprint struct {
	// Name names the source (its file name).
	Name string `json:"name"`
	// Runs are the hashes of the source's word runs of RunLength, sorted
	// and without duplicates.
	Runs []string `json:"runs"`
	// Sentences are, per sentence of the source, the hashes of its
	// distinct words, sorted.
	Sentences [][]string `json:"sentences"`
}

// NewFingerprint returns the fingerprint of the source text s named name.
func NewFingerprint(name, s string) Fingerprint {
	seen := map[string]bool{}
	fp := Fingerprint{Name: name, Runs: []string{}, Sentences: [][]string{}}
	for _, h := range Runs(s) {
		if !seen[h] {
			seen[h] = true
			fp.Runs = append(fp.Runs, h)
		}
	}
	sort.Strings(fp.Runs)
	for _, sen := range Sentences(s) {
		if ws := wordSet(sen); len(ws) > 0 {
			fp.Sentences = append(fp.Sentences, ws)
		}
	}
	return fp
}

// A Finding is one way a text follows a source too closely.
type Finding struct {
	// Source names the source.
	Source string
	// Run is the shared run of words, or empty for a sentence finding.
	Run string
	// Sentence is the sentence whose words overlap, for a sentence finding.
	Sentence string
	// Share is the share of the sentence's distinct words found in one
	// sentence of the source.
	Share float64
}

// Check returns how s follows the sources: every run of RunLength words it
// shares with one, and every sentence of at least MinSentenceWords distinct
// words of which more than MaxSentenceOverlap occur in one source sentence.
func Check(s string, sources []Fingerprint) []Finding {
	var out []Finding
	w := Words(s)
	for _, fp := range sources {
		runs := map[string]bool{}
		for _, h := range fp.Runs {
			runs[h] = true
		}
		for i := 0; i+RunLength <= len(w); i++ {
			if runs[Hash(w[i:i+RunLength]...)] {
				out = append(out, Finding{Source: fp.Name, Run: strings.Join(w[i:i+RunLength], " ")})
			}
		}
	}
	for _, sen := range Sentences(s) {
		ws := wordSet(sen)
		if len(ws) < MinSentenceWords {
			continue
		}
		for _, fp := range sources {
			best := 0.0
			for _, src := range fp.Sentences {
				in := map[string]bool{}
				for _, h := range src {
					in[h] = true
				}
				n := 0
				for _, h := range ws {
					if in[h] {
						n++
					}
				}
				best = max(best, float64(n)/float64(len(ws)))
			}
			if best > MaxSentenceOverlap {
				out = append(out, Finding{Source: fp.Name, Sentence: sen, Share: best})
			}
		}
	}
	return out
}
