// Package mdlimits holds the limits a Markdown body must keep to be
// rendered as Markdown, and Check, which tells in one linear scan whether
// a body keeps to them. The domain refuses a body over them at write time
// (content/validate.go); the renderer (internal/markdown) shows a stored
// body over them as escaped text. It imports only the standard library, so
// that the domain can use it.
package mdlimits

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// The limits a Markdown body must keep to be rendered as Markdown. They
// keep the cost of parsing and the size of the HTML proportional to the
// length of the text: without them a 24 KB table of 1,500 columns renders
// into 135 MB of HTML, and 50,000 nested quotes or a paragraph of 25,000
// unfinished links take seconds to parse. Check tells whether a body keeps
// to them; Render shows a body that does not as escaped plain text.
const (
	// MaxLength is the length of a body in characters (Unicode code
	// points), the same as content.MaxBodyLength.
	MaxLength = 100000
	// MaxTableColumns is the number of columns of a table.
	MaxTableColumns = 20
	// MaxTableCells is the number of cells of all tables together, header
	// cells included: every row of a table gets as many cells as its
	// header has, however short the row is written.
	MaxTableCells = 2000
	// MaxDepth is how deep lists and block quotes may be nested.
	MaxDepth = 10
	// MaxHeadings is the number of headings.
	MaxHeadings = 200
	// MaxLinks is the number of links and images, counted by their closing
	// bracket "]" (a bracket that closes no link counts too).
	MaxLinks = 500
	// MaxLinkDefinition is the length in bytes of the destination and
	// title of a link reference definition ("[name]: url"), which every
	// use of the reference repeats in the HTML.
	MaxLinkDefinition = 2000
	// MaxParagraphWork bounds the work of reading links and emphasis: for
	// each paragraph, its closing brackets and runs of emphasis marks (*,
	// _, ~) times its length in bytes, added up. Parsing a link rescans the
	// rest of its paragraph and matching emphasis marks compares each with
	// the earlier ones, so a long paragraph full of unfinished links ("[a]("
	// 25,000 times) or of unmatched marks ("*a_" 30,000 times) takes
	// seconds. An ordinary paragraph of 2,000 bytes with 10 links and 10
	// emphasised words costs 80,000.
	MaxParagraphWork = 2000000
)

// LimitError is the error of Check: which limit the body goes over, by how
// much, and a sentence saying so for an editor.
type LimitError struct {
	// Limit names the limit: "length", "tableColumns", "tableCells",
	// "depth", "headings", "links", "linkDefinition" or "paragraphWork".
	Limit string
	// Found is what the body has; Max is what is allowed.
	Found, Max int
}

// Error returns a sentence such as "the body has a table of 1,500 columns;
// at most 20 are allowed".
func (e *LimitError) Error() string {
	f, m := thousands(e.Found), thousands(e.Max)
	switch e.Limit {
	case "length":
		return "the body is " + f + " characters long; at most " + m + " are allowed"
	case "tableColumns":
		return "the body has a table of " + f + " columns; at most " + m + " are allowed"
	case "tableCells":
		return "the tables of the body have " + f + " cells together (every row has as many cells as its header); at most " + m + " are allowed"
	case "depth":
		return "the body nests lists and quotes " + f + " levels deep; at most " + m + " levels are allowed"
	case "headings":
		return "the body has " + f + " headings; at most " + m + " are allowed"
	case "links":
		return "the body has " + f + " links and images (closing brackets \"]\"); at most " + m + " are allowed"
	case "linkDefinition":
		return "the body has a link definition of " + f + " characters; at most " + m + " are allowed"
	case "paragraphWork":
		return "the body has long paragraphs with many brackets and emphasis marks (their number times the length of their paragraph adds up to " + f + "; at most " + m + " is allowed): split the paragraphs with blank lines or remove stray ], *, _ and ~"
	}
	return "the body goes over the limit " + e.Limit + " (" + f + "; at most " + m + ")"
}

// thousands formats n with commas between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Check reports whether src keeps to the limits (nil) or which one it goes
// over first (a *LimitError). It reads src once, line by line, without
// parsing it: its time and memory are linear in the length of src, however
// hostile src is, and it allocates nothing for a body within the limits.
// The counts are upper bounds of what the parser finds (a "#" line in a
// fenced code block is not a heading; a bracket in a code span counts).
func Check(src string) error {
	if n := utf8.RuneCountInString(src); n > MaxLength {
		return &LimitError{Limit: "length", Found: n, Max: MaxLength}
	}
	return scan(src)
}

// scanner holds the state of scan between lines.
type scanner struct {
	headings, links, cells int
	fence                  byte // '`' or '~' inside a fenced code block
	fenceLen               int
	prevText               bool // the previous line is text (not blank, not a fence)
	tableCols              int  // columns of the table being read, 0 outside one
	blockBytes, blockMarks int  // bytes, closing brackets and emphasis runs of the paragraph so far
	work                   int
}

func scan(src string) error {
	var s scanner
	for len(src) > 0 {
		line := src
		if i := strings.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			src = ""
		}
		if err := s.line(strings.TrimSuffix(line, "\r")); err != nil {
			return err
		}
	}
	s.endBlock()
	// The counts are reported whole, so the editor learns how far over the
	// limit the body is.
	switch {
	case s.headings > MaxHeadings:
		return &LimitError{Limit: "headings", Found: s.headings, Max: MaxHeadings}
	case s.cells > MaxTableCells:
		return &LimitError{Limit: "tableCells", Found: s.cells, Max: MaxTableCells}
	case s.links > MaxLinks:
		return &LimitError{Limit: "links", Found: s.links, Max: MaxLinks}
	}
	if s.work > MaxParagraphWork {
		return &LimitError{Limit: "paragraphWork", Found: s.work, Max: MaxParagraphWork}
	}
	return nil
}

// endBlock ends the paragraph being read.
func (s *scanner) endBlock() {
	s.work = satAdd(s.work, satMul(s.blockMarks, s.blockBytes))
	s.blockBytes, s.blockMarks = 0, 0
}

func satMul(a, b int) int {
	if a != 0 && b > (1<<62)/a {
		return 1 << 62
	}
	return a * b
}

func satAdd(a, b int) int { return min(a+b, 1<<62) }

func (s *scanner) line(line string) error {
	rest, depth, item := containers(line)
	if depth > MaxDepth {
		return &LimitError{Limit: "depth", Found: depth, Max: MaxDepth}
	}
	blank := strings.TrimSpace(rest) == ""
	trimmed := strings.TrimLeft(rest, " \t")
	// Fenced code is not Markdown: only its end matters.
	if s.fence != 0 {
		if n := fenceRun(trimmed, s.fence); n >= s.fenceLen && strings.TrimSpace(trimmed[n:]) == "" {
			s.fence = 0
		}
		s.prevText = false
		return nil
	}
	if c := byte0(trimmed); (c == '`' || c == '~') && len(rest)-len(trimmed) < 4 {
		if n := fenceRun(trimmed, c); n >= 3 && (c == '~' || !strings.Contains(trimmed[n:], "`")) {
			s.fence, s.fenceLen = c, n
			s.endBlock()
			s.tableCols = 0
			s.prevText = false
			return nil
		}
	}
	if blank {
		s.endBlock()
		s.tableCols = 0
		s.prevText = false
		return nil
	}
	if item {
		s.endBlock() // a list item starts a paragraph of its own
	}
	// Headings: ATX ("## Title") and setext (a line of = or - under text).
	if len(rest)-len(trimmed) < 4 {
		if n := fenceRun(trimmed, '#'); n >= 1 && n <= 6 && (len(trimmed) == n || trimmed[n] == ' ' || trimmed[n] == '\t') {
			s.headings++
		} else if s.prevText && s.tableCols == 0 && !item && underline(trimmed) {
			s.headings++
		}
	}
	// Tables: a delimiter row under a header row starts one; every line up
	// to a blank one is a row with as many cells as the header.
	if s.tableCols > 0 {
		s.cells += s.tableCols
	} else if s.prevText && strings.IndexByte(trimmed, '|') >= 0 {
		if n := delimiterRow(trimmed); n > 0 {
			if n > MaxTableColumns {
				return &LimitError{Limit: "tableColumns", Found: n, Max: MaxTableColumns}
			}
			s.tableCols = n
			s.cells += n // the header row
		}
	}
	// Links: closing brackets, and the length of reference definitions;
	// emphasis: runs of marks.
	right, marks := 0, 0
	for i := 0; i < len(rest); i++ {
		switch c := rest[i]; c {
		case '\\':
			i++
		case ']':
			right++
		case '*', '_', '~':
			marks++
			for i+1 < len(rest) && rest[i+1] == c {
				i++
			}
		}
	}
	s.links += right
	if c := byte0(trimmed); c == '[' {
		if i := strings.Index(trimmed, "]:"); i > 0 {
			if n := len(strings.TrimSpace(trimmed[i+2:])); n > MaxLinkDefinition {
				return &LimitError{Limit: "linkDefinition", Found: n, Max: MaxLinkDefinition}
			}
		}
	}
	s.blockBytes += len(line) + 1
	s.blockMarks += right + marks
	s.prevText = true
	return nil
}

// containers strips the block quote markers and list markers that start
// line and returns the rest, how deep they nest (a list item indented by
// two spaces per level counts those levels too) and whether the line
// starts a list item.
func containers(line string) (rest string, depth int, item bool) {
	rest = line
	indentDepth := -1
	// A line such as "- - -" or "> * * *" is a thematic break, not lists.
	hr := thematicBreak(strings.TrimLeft(line, " \t>"))
	for {
		t := strings.TrimLeft(rest, " \t")
		if indentDepth < 0 {
			indentDepth = indentWidth(rest[:len(rest)-len(t)]) / 2
		}
		switch {
		case strings.HasPrefix(t, ">"):
			depth++
			rest = t[1:]
			continue
		case hr && !strings.HasPrefix(t, ">"):
			return t, depth, item
		case len(t) >= 1 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && (len(t) == 1 || t[1] == ' ' || t[1] == '\t'):
			if !item {
				depth += indentDepth
			}
			depth++
			item = true
			rest = t[1:]
			continue
		}
		if n := digits(t); n > 0 && n <= 9 && len(t) > n && (t[n] == '.' || t[n] == ')') && (len(t) == n+1 || t[n+1] == ' ' || t[n+1] == '\t') {
			if !item {
				depth += indentDepth
			}
			depth++
			item = true
			rest = t[n+1:]
			continue
		}
		return rest, depth, item
	}
}

func indentWidth(ws string) int {
	w := 0
	for i := 0; i < len(ws); i++ {
		if ws[i] == '\t' {
			w += 4 - w%4
		} else {
			w++
		}
	}
	return w
}

func digits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

func byte0(s string) byte {
	if s == "" {
		return 0
	}
	return s[0]
}

// fenceRun returns how many times c repeats at the start of s.
func fenceRun(s string, c byte) int {
	n := 0
	for n < len(s) && s[n] == c {
		n++
	}
	return n
}

// thematicBreak reports whether s is a line such as "---" or "* * *".
func thematicBreak(s string) bool {
	var c byte
	n := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t':
		case '-', '*', '_':
			if c != 0 && s[i] != c {
				return false
			}
			c = s[i]
			n++
		default:
			return false
		}
	}
	return n >= 3
}

// underline reports whether s underlines a setext heading: only = or only
// -, with spaces after them.
func underline(s string) bool {
	s = strings.TrimRight(s, " \t")
	if s == "" || (s[0] != '=' && s[0] != '-') {
		return false
	}
	return fenceRun(s, s[0]) == len(s)
}

// delimiterRow returns the number of columns of a table delimiter row
// ("| --- | :-: |"), or 0 when s is not one.
func delimiterRow(s string) int {
	s = strings.TrimSpace(s)
	dash := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '-':
			dash = true
		case '|', ':', ' ', '\t':
		default:
			return 0
		}
	}
	if !dash {
		return 0
	}
	s = strings.TrimPrefix(strings.TrimSuffix(s, "|"), "|")
	return strings.Count(s, "|") + 1
}
