package markdown

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// WordsPerMinute is the reading speed ReadingMinutes assumes: 200 words a
// minute, a careful pace for an adult reading on a screen (slower than the
// 230–260 often quoted for paper), which suits the mix of Dutch and English
// readers the recaps have.
const WordsPerMinute = 200

// DefaultExcerptLength is a good length for an excerpt in a list or a card,
// in characters; it is what a meta description shows before it is cut.
const DefaultExcerptLength = 160

// Ellipsis ends an excerpt that was cut.
const Ellipsis = "…"

// PlainText returns the text a reader sees of the Markdown, without markup:
// one line per block (heading, paragraph, list item, table cell, line of
// code), whitespace inside a block collapsed. Images count with their
// alternative text; raw HTML in the source is not text.
func PlainText(src string) string {
	return rendered(src, Options{}).text
}

// Excerpt returns the start of the Markdown's running text (paragraphs,
// list items, quotes and tables; not headings, code blocks or images) as
// plain text of at most length characters (Unicode code points), cut after a
// whole word and ended with Ellipsis when the text is longer. A single word
// longer than length is cut between two characters, never inside a UTF-8
// sequence and never before a combining mark. A length below 1 gives "".
func Excerpt(src string, length int) string {
	if length < 1 {
		return ""
	}
	return cut(rendered(src, Options{}).running, length)
}

// ReadingMinutes returns how many minutes reading the Markdown takes at
// WordsPerMinute, rounded up: at least 1 for any text with a word in it, 0
// for text without one. Words are runs of letters or digits, so "e-health"
// is two words and punctuation is none.
func ReadingMinutes(src string) int {
	n := rendered(src, Options{}).words
	if n == 0 {
		return 0
	}
	return (n + WordsPerMinute - 1) / WordsPerMinute
}

// Words counts the words of a plain text: runs of letters, digits and
// combining marks.
func Words(s string) int {
	n, in := 0, false
	for _, r := range s {
		w := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		if w && !in {
			n++
		}
		in = w
	}
	return n
}

// cut shortens s to at most length runes, at a word boundary, with an
// ellipsis when anything was left out.
func cut(s string, length int) string {
	// Only the first length+1 characters matter: whether there are more,
	// and where the last word before length ends.
	n, stop := 0, len(s)
	for i := range s {
		if n == length+1 {
			stop = i
			break
		}
		n++
	}
	if n <= length {
		return s
	}
	runes := []rune(s[:stop])
	keep := length - 1 // room for the ellipsis
	// The last space at or before keep ends the last whole word.
	end := -1
	for i := keep; i > 0; i-- {
		if unicode.IsSpace(runes[i]) {
			end = i
			break
		}
	}
	if end <= 0 {
		// One long word: cut between characters, not before a combining mark.
		end = keep
		for end > 0 && unicode.Is(unicode.Mn, runes[end]) {
			end--
		}
	}
	out := strings.TrimRightFunc(string(runes[:end]), func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:-–—(", r)
	})
	return out + Ellipsis
}

// blocks returns the text of each block of sanitized HTML. With running
// set, headings, preformatted text and images are left out.
func blocks(h string, running bool) []string {
	var (
		out  []string
		cur  strings.Builder
		skip int
	)
	flush := func() {
		if t := strings.Join(strings.Fields(cur.String()), " "); t != "" {
			out = append(out, t)
		}
		cur.Reset()
	}
	z := html.NewTokenizer(strings.NewReader(h))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			flush()
			return out
		case html.TextToken:
			if skip == 0 {
				cur.Write(z.Text())
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			if running && skipped[a] && tt != html.SelfClosingTagToken {
				if tt == html.StartTagToken {
					skip++
				} else if skip > 0 {
					skip--
				}
			}
			switch {
			case a == atom.Img && !running && hasAttr:
				for {
					k, v, more := z.TagAttr()
					if string(k) == "alt" {
						cur.WriteString(" " + string(v) + " ")
					}
					if !more {
						break
					}
				}
			case a == atom.Br:
				cur.WriteByte(' ')
			case a == atom.Pre && !running && tt == html.StartTagToken:
				flush()
			case block[a]:
				flush()
			}
			if a == atom.Pre && !running && tt == html.EndTagToken {
				// Each line of code is a block of its own.
				lines := strings.Split(cur.String(), "\n")
				cur.Reset()
				for _, l := range lines {
					cur.WriteString(l)
					flush()
				}
			}
		}
	}
}

// block lists the elements that start and end a block of text.
var block = map[atom.Atom]bool{
	atom.P: true, atom.Li: true, atom.Blockquote: true, atom.Ul: true, atom.Ol: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Td: true, atom.Th: true, atom.Tr: true, atom.Table: true, atom.Hr: true,
	atom.Div: true, atom.Dd: true, atom.Dt: true,
}

// skipped lists the elements that are not running text.
var skipped = map[atom.Atom]bool{
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Pre: true,
}
