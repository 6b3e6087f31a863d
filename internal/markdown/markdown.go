// Package markdown turns the Markdown bodies of recaps into safe HTML and
// into plain text: an excerpt of a given length and a reading time.
//
// Rendering uses goldmark (CommonMark with the GitHub tables, strikethrough
// and autolinks; no task lists) and sanitizes the result with bluemonday's
// user-generated-content policy, so the HTML never holds a script, a style,
// an inline event handler, an iframe, raw HTML from the source or a URL
// with a scheme other than http, https and mailto (no javascript:, no data:).
//
// Every link gets rel="noopener noreferrer". Links get target="_blank" only
// when Options.NewTab asks for it: whether a link opens a new tab is a choice
// of the page the HTML ends up in, so HTML leaves it out. Headings carry ids
// (lowercase words joined by hyphens, numbered when repeated: "de-route",
// "de-route-1") so that pages can link to a section.
//
// A body that goes over the limits of mdlimits.Check (length, table columns and
// cells, nesting depth, headings, links) is not parsed: it renders as its
// escaped text in paragraphs, after a note saying it could not be
// formatted, so that a body stored before the limits were enforced cannot
// make a render take seconds or gigabytes. Every rendering is kept in a
// cache bounded by bytes and keyed by a hash of the text and the options,
// so a body renders once however often it is read (see CacheBytes).
//
// All functions are safe for concurrent use and never fail: Markdown has no
// syntax errors, and text that is not Markdown renders as paragraphs.
package markdown

import (
	"bytes"
	"estafette/content/mdlimits"
	"html"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Options change how HTML is rendered. The zero value is what HTML uses.
type Options struct {
	// TopHeading is the level (1–6) the highest heading of the document is
	// rendered at; the other headings move with it, so their order is kept
	// (never deeper than 6). Zero leaves the levels as they are written. A
	// page whose own title is an h1 renders a body with TopHeading 2.
	TopHeading int
	// NewTab adds target="_blank" to every link, for pages such as embeds in
	// an iframe, where following a link inside the frame would be wrong.
	NewTab bool
}

// HTML renders Markdown as sanitized HTML with the zero Options.
func HTML(src string) string { return Render(src, Options{}) }

// Render renders Markdown as sanitized HTML.
func Render(src string, o Options) string { return rendered(src, o).html }

// render renders src without the cache: as Markdown when it keeps to the
// limits of mdlimits.Check, as escaped text otherwise.
func render(src string, o Options) string {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	if mdlimits.Check(src) != nil {
		return escaped(src)
	}
	source := []byte(src)
	doc := md.Parser().Parse(text.NewReader(source), parser.WithContext(parser.NewContext(parser.WithIDs(newHeadingIDs()))))
	adjust(doc, o)
	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, source, doc); err != nil {
		return "" // cannot happen: a bytes.Buffer does not fail
	}
	if buf.Len() > maxOutput(len(src)) {
		// Within the limits the HTML stays near the length of the text; a
		// body that still grows too much is shown as text.
		return escaped(src)
	}
	return policy.Sanitize(buf.String())
}

// maxOutput is the most HTML a body of n bytes may render to.
func maxOutput(n int) int { return 20*n + 64<<10 }

// TooComplex is the note before a body shown as text because it goes over
// the limits of mdlimits.Check, in Dutch and English (the page may be in either).
const TooComplex = "Deze tekst is te groot of te ingewikkeld om opgemaakt te tonen. / This text is too large or too complex to be shown formatted."

// notePara is the paragraph of the note.
const notePara = `<p><em>` + TooComplex + `</em></p>`

// escaped shows src as text: the note, then its first mdlimits.MaxLength
// characters, escaped, in paragraphs at its blank lines with line breaks
// at its newlines.
func escaped(src string) string {
	if utf8.RuneCountInString(src) > mdlimits.MaxLength {
		n := 0
		for i := range src {
			if n == mdlimits.MaxLength {
				src = src[:i]
				break
			}
			n++
		}
	}
	var b strings.Builder
	b.Grow(len(src) + len(src)/8 + 256)
	b.WriteString(notePara)
	for _, para := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n\n") {
		if strings.TrimSpace(para) == "" {
			continue
		}
		b.WriteString("\n<p>")
		for i, l := range strings.Split(strings.Trim(para, "\n"), "\n") {
			if i > 0 {
				b.WriteString("<br>\n")
			}
			b.WriteString(html.EscapeString(l))
		}
		b.WriteString("</p>")
	}
	return b.String()
}

// md parses and renders; raw HTML in the source is omitted (goldmark's
// default), and the sanitizer removes whatever else could be unsafe.
var md = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
	goldmark.WithParserOptions(parser.WithAutoHeadingID()),
)

// rel is the link relation of every link.
const rel = "noopener noreferrer"

// adjust sets the link attributes and moves the headings to o.TopHeading.
func adjust(doc ast.Node, o Options) {
	top := 7
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering && h.Level < top {
			top = h.Level
		}
		return ast.WalkContinue, nil
	})
	shift := 0
	if o.TopHeading >= 1 && o.TopHeading <= 6 && top <= 6 {
		shift = o.TopHeading - top
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			n.Level = min(max(n.Level+shift, 1), 6)
		case *ast.Link, *ast.AutoLink:
			n.SetAttributeString("rel", []byte(rel))
			if o.NewTab {
				n.SetAttributeString("target", []byte("_blank"))
			}
		}
		return ast.WalkContinue, nil
	})
}

// policy is bluemonday's policy for user-generated content (no scripts,
// styles, event handlers, forms or frames; URLs only http, https, mailto or
// relative), plus heading ids and the link attributes set by adjust.
var policy = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(false) // the content is editorial, not user-submitted
	p.AllowAttrs("id").Matching(regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}-]*$`)).OnElements("h1", "h2", "h3", "h4", "h5", "h6")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^` + rel + `$`)).OnElements("a")
	p.AllowAttrs("target").Matching(regexp.MustCompile(`^_blank$`)).OnElements("a")
	return p
}()

// headingIDs makes heading ids from the heading text: lowercase letters and
// digits, other characters as single hyphens; a repeated id gets -1, -2.
// It remembers, for each base, the last number it gave, so that n
// headings with the same text take linear time, not quadratic.
type headingIDs struct {
	used map[string]bool
	last map[string]int // the last number given to a base
}

func newHeadingIDs() *headingIDs {
	return &headingIDs{used: map[string]bool{}, last: map[string]int{}}
}

// Generate implements parser.IDs.
func (ids *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	var b strings.Builder
	hyphen := false
	for _, r := range string(util.UnescapePunctuations(value)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(unicode.ToLower(r))
		default:
			hyphen = true
		}
	}
	base := b.String()
	if base == "" {
		base = "section"
	}
	id := base
	if ids.used[id] {
		// Each number is tried once per base: an id that is taken is either
		// an earlier number of this base or a heading that reads like one.
		n := ids.last[base]
		for {
			n++
			id = base + "-" + strconv.Itoa(n)
			if !ids.used[id] {
				break
			}
		}
		ids.last[base] = n
	}
	ids.used[id] = true
	return []byte(id)
}

// Put implements parser.IDs.
func (ids *headingIDs) Put(value []byte) { ids.used[string(value)] = true }
