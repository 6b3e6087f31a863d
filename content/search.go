package content

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// nullLast is the index value of an unknown sort key. It sorts after every
// key this package writes (digits, folded letters), so unknown dates and
// titles come last in ascending order in every backend.
const nullLast = "~"

// specialFolds maps letters that Unicode decomposition does not reduce to
// plain Latin letters.
var specialFolds = strings.NewReplacer("ß", "ss", "æ", "ae", "œ", "oe", "ø", "o", "ł", "l", "đ", "d", "ð", "d", "þ", "th", "ĳ", "ij")

// Fold lowercases s and removes diacritics: "Cliënten" becomes "clienten",
// "Fryslân" becomes "fryslan".
func Fold(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	t := foldPool.Get().(transform.Transformer)
	defer foldPool.Put(t)
	t.Reset()
	out, _, err := transform.String(t, strings.ToLower(s))
	if err != nil {
		out = strings.ToLower(s)
	}
	return specialFolds.Replace(out)
}

// foldPool reuses diacritics-removing transformers, which are costly to
// build and not safe for concurrent use.
var foldPool = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// SortKeyOf returns the index value that orders texts alphabetically without
// regard to case or diacritics.
func SortKeyOf(s string) string {
	k := strings.Join(strings.FieldsFunc(Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
	if len(k) > 120 {
		k = k[:120]
	}
	if k == "" {
		return nullLast
	}
	return k
}

// Tokens returns the search tokens of the given texts, deduplicated. Each
// whitespace-separated word gives its folded alphanumeric runs, their
// concatenation, and the parts of CamelCase words, so that "Tour de
// BeterDichtbij" is found by "beterdichtbij", "beter" and "dichtbij", and
// "e-health" and "eHealth" both by "ehealth".
func Tokens(texts ...string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(t string) {
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, text := range texts {
		for word := range strings.FieldsSeq(text) {
			var whole strings.Builder
			for _, run := range alnumRuns(word) {
				for _, part := range camelParts(run) {
					add(Fold(part))
				}
				whole.WriteString(Fold(run))
			}
			add(whole.String())
		}
	}
	return out
}

// QueryTokens returns the tokens of a search query: one per word, folded and
// with punctuation removed. Common Dutch and English words are dropped unless
// the query has nothing else.
func QueryTokens(q string) []string {
	var all, kept []string
	seen := map[string]bool{}
	for word := range strings.FieldsSeq(q) {
		t := Fold(strings.Join(alnumRuns(word), ""))
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		all = append(all, t)
		if !stopWords[t] {
			kept = append(kept, t)
		}
	}
	if len(kept) == 0 {
		return all
	}
	return kept
}

func alnumRuns(word string) []string {
	return strings.FieldsFunc(word, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// camelParts splits "BeterDichtbij" into "Beter" and "Dichtbij" and "eHealth"
// into "e" and "Health"; a word without an inner capital is one part.
func camelParts(run string) []string {
	rs := []rune(run)
	var parts []string
	start := 0
	for i := 1; i < len(rs); i++ {
		if unicode.IsLower(rs[i-1]) && unicode.IsUpper(rs[i]) {
			parts = append(parts, string(rs[start:i]))
			start = i
		}
	}
	return append(parts, string(rs[start:]))
}

// stopWords are the Dutch and English words search ignores.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for w := range strings.FieldsSeq(`de het een en of van in op te voor met aan bij door om uit als dat die dit
		er is zijn naar over tot ook the a an and or of in on to for with at by from as is are`) {
		m[w] = true
	}
	return m
}()
