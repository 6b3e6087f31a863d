package markdown

import (
	"errors"
	"estafette/content/mdlimits"
	"strconv"
	"strings"
	"testing"
)

// hostile returns bodies built to make a Markdown renderer slow or its HTML
// huge, each with the limit mdlimits.Check names for it.
func hostile() []struct{ name, limit, src string } {
	var table strings.Builder // the 24 KB table of 1,500 columns of issue 12
	table.WriteString(strings.Repeat("|a", 1500) + "|\n" + strings.Repeat("|-", 1500) + "|\n")
	for table.Len() < 24000 {
		table.WriteString("|\n")
	}
	return []struct{ name, limit, src string }{
		{"wide table", "tableColumns", table.String()},
		{"long table", "tableCells", strings.Repeat("|a", 20) + "|\n" + strings.Repeat("|-", 20) + "|\n" + strings.Repeat("|\n", 49000)},
		{"8,000 headings", "headings", strings.Repeat("# a\n", 8000)},
		{"setext headings", "headings", strings.Repeat("a\n=\n\n", 8000)},
		{"nested quotes", "depth", strings.Repeat(">", 50000)},
		{"nested lists", "depth", strings.Repeat("- ", 25000) + "a"},
		{"indented lists", "depth", func() string {
			var b strings.Builder
			for i := 0; i < 40; i++ {
				b.WriteString(strings.Repeat("  ", i) + "- a\n")
			}
			return b.String()
		}()},
		{"unfinished links", "links", strings.Repeat("[a](", 25000)},
		{"unfinished angle links", "links", strings.Repeat("[a](<", 20000)},
		{"reference amplification", "links", "[a]: http://" + strings.Repeat("x", 1000) + "\n\n" + strings.Repeat("[a]", 30000)},
		{"long reference", "linkDefinition", "[a]: http://" + strings.Repeat("x", 90000) + "\n\n[a] [a]"},
		{"unmatched emphasis", "paragraphWork", strings.Repeat("*a_", 30000)},
		{"unmatched emphasis in words", "paragraphWork", strings.Repeat("a*b_", 24000)},
		{"unfinished titles", "paragraphWork", strings.Repeat(strings.Repeat("x", 200)+" [a](b \"\n", 400)},
		{"reference definitions", "paragraphWork", strings.Repeat("[a]: b "+strings.Repeat("x", 200)+"\n", 450)},
		{"too long", "length", strings.Repeat("lang ", 25000)},
	}
}

func TestCheckRefusesHostileBodies(t *testing.T) {
	for _, h := range hostile() {
		err := mdlimits.Check(h.src)
		var le *mdlimits.LimitError
		if !errors.As(err, &le) || le.Limit != h.limit {
			t.Errorf("%s: mdlimits.Check = %v, want the limit %s", h.name, err, h.limit)
			continue
		}
		if le.Found <= le.Max || !strings.Contains(strings.ReplaceAll(err.Error(), ",", ""), strconv.Itoa(le.Max)) {
			t.Errorf("%s: %v does not name the limit", h.name, err)
		}
		out := HTML(h.src)
		if !strings.HasPrefix(out, notePara) {
			t.Errorf("%s: rendered as Markdown, not as text: %.100q", h.name, out)
		}
		if len(out) > 6*len(h.src)+1000 {
			t.Errorf("%s: %d bytes of HTML for %d of text", h.name, len(out), len(h.src))
		}
	}
}

func TestCheckMessage(t *testing.T) {
	err := mdlimits.Check(hostile()[0].src)
	if want := "the body has a table of 1,500 columns; at most 20 are allowed"; err == nil || err.Error() != want {
		t.Errorf("mdlimits.Check = %v, want %q", err, want)
	}
}

// Ordinary bodies, however long, keep to the limits; so do the near
// misses of the hostile ones.
func TestCheckAcceptsOrdinaryBodies(t *testing.T) {
	para := "De estafette ging van [Groningen](https://example.nl/groningen) naar " +
		"[Maastricht](https://example.nl/maastricht \"de laatste etappe\"), met *veel* **zorg** en `code`.\n\n"
	var table strings.Builder
	table.WriteString(strings.Repeat("| kolom ", 20) + "|\n" + strings.Repeat("|:---:", 20) + "|\n")
	for range 90 {
		table.WriteString(strings.Repeat("| cel ", 20) + "|\n")
	}
	ok := map[string]string{
		"paragraphs":                      strings.Repeat(para, 200),
		"table of 20 columns and 90 rows": table.String(),
		"headings":                        strings.Repeat("## Etappe\n\nTekst.\n\n", 200),
		"code with # lines":               "```sh\n" + strings.Repeat("# install\nmake\n", 500) + "```\n",
		"nesting of 10":                   strings.Repeat("> ", 5) + strings.Repeat("- ", 5) + "diep",
		"indented list of 10": func() string {
			var b strings.Builder
			for i := range 10 {
				b.WriteString(strings.Repeat("  ", i) + "- a\n")
			}
			return b.String()
		}(),
		"thematic breaks":           "a\n\n- - - - - - - - - - - - - -\n\n* * * * * * * * * * * *\n",
		"list of links":             strings.Repeat("- [Bron](https://example.nl/een/lange/weg/naar/een/bron)\n", 400),
		"long paragraph with links": strings.Repeat("tekst [link](https://example.nl) ", 150),
		"escaped brackets":          strings.Repeat(`\] `, 2000),
	}
	for name, src := range ok {
		if err := mdlimits.Check(src); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if strings.HasPrefix(HTML(src), notePara) {
			t.Errorf("%s: rendered as text", name)
		}
	}
}

// A body shown as text is escaped: its HTML is text, not markup.
func TestTooComplexIsEscaped(t *testing.T) {
	src := "<script>alert(1)</script>\n\n" + strings.Repeat("# a\n", 300) + "\n\n[x](javascript:alert(1))"
	out := HTML(src)
	if !strings.HasPrefix(out, notePara) {
		t.Fatalf("not shown as text: %.200q", out)
	}
	assertSafe(t, src, out)
	if strings.Contains(out, "<script") || strings.Contains(out, "<h1") || strings.Contains(out, "<a ") {
		t.Errorf("markup in %.300q", out)
	}
	if !strings.Contains(out, "&lt;script&gt;") {
		t.Errorf("text lost in %.300q", out)
	}
	if ex := Excerpt(src, 40); strings.Contains(ex, "ingewikkeld") {
		t.Errorf("the excerpt %q holds the note", ex)
	}
	// A body stored before the length limit is cut at it.
	long := strings.Repeat("woord ", 40000)
	if n := Words(PlainText(long)); n != mdlimits.MaxLength/6+1 && n != mdlimits.MaxLength/6 {
		t.Errorf("a body of 40,000 words shows %d", n)
	}
}

// 8,000 headings with the same text get 8,000 different ids in linear
// time: before, each id tried every earlier number (5–17 s).
func TestHeadingIDsLinear(t *testing.T) {
	ids := newHeadingIDs()
	seen := map[string]bool{}
	for i := range 8000 {
		id := string(ids.Generate([]byte("Etappe"), 0))
		if seen[id] {
			t.Fatalf("heading %d: id %q twice", i, id)
		}
		seen[id] = true
	}
	if got := string(ids.Generate([]byte("Etappe"), 0)); got != "etappe-8000" {
		t.Errorf("the next id is %q", got)
	}
	// An id that reads like a number of another heading is skipped.
	ids = newHeadingIDs()
	var got []string
	for _, h := range []string{"a", "a 1", "a", "a", "a-3"} {
		got = append(got, string(ids.Generate([]byte(h), 0)))
	}
	if strings.Join(got, " ") != "a a-1 a-2 a-3 a-3-1" {
		t.Errorf("ids %v", got)
	}
}

func TestRenderCache(t *testing.T) {
	src := "# Een unieke kop voor de cache\n\nEen *alinea*."
	before := renders.Load()
	first := HTML(src)
	if renders.Load() != before+1 {
		t.Fatalf("the first render made %d renderings", renders.Load()-before)
	}
	if HTML(src) != first || PlainText(src) == "" || Excerpt(src, 10) == "" || ReadingMinutes(src) != 1 {
		t.Fatal("the cached rendering differs")
	}
	if n := renders.Load() - before; n != 1 {
		t.Errorf("rendering the same body again made %d renderings, want 1 (from the cache)", n)
	}
	// Other options are another rendering; so is another text.
	Render(src, Options{TopHeading: 2})
	HTML(src + " ")
	if n := renders.Load() - before; n != 3 {
		t.Errorf("%d renderings, want 3", n)
	}
}

// BenchmarkRenderHostile renders each hostile body (uncached), which mdlimits.Check
// refuses, so it renders as text: each takes well under 10 ms. Before the
// limits the wide table took 20–83 s and 2.8 GB.
func BenchmarkRenderHostile(b *testing.B) {
	for _, h := range hostile() {
		b.Run(strings.ReplaceAll(h.name, " ", "_"), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(h.src)))
			for b.Loop() {
				render(h.src, Options{})
			}
		})
	}
}

// BenchmarkCheck measures mdlimits.Check on an ordinary long body.
func BenchmarkCheck(b *testing.B) {
	src := strings.Repeat("De estafette ging van Groningen naar *Maastricht*, een [route](https://example.nl) van 400 km.\n\n", 450) + strings.Repeat("Een gewone alinea zonder opmaak, met alleen tekst erin.\n", 1000)
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if mdlimits.Check(src) != nil {
			b.Fatal("refused")
		}
	}
}

// BenchmarkRenderNearLimits renders bodies just within the limits, which
// render as Markdown: the most a body can cost once mdlimits.Check accepts it.
func BenchmarkRenderNearLimits(b *testing.B) {
	near := map[string]string{
		"table of 2,000 cells":            strings.Repeat("|a", 20) + "|\n" + strings.Repeat("|-", 20) + "|\n" + strings.Repeat("|\n", 98),
		"200 headings":                    strings.Repeat("# a\n", 200),
		"10 levels":                       strings.Repeat(strings.Repeat("> ", 5)+strings.Repeat("- ", 5)+"a\n", 2000),
		"500 unfinished links":            strings.Repeat("[a](", 500),
		"20 links in 100 KB":              strings.Repeat("[a](b"+strings.Repeat("x", 4990), 20),
		"450 paragraphs with links":       strings.Repeat("De estafette ging van [Groningen](https://example.nl) naar *Maastricht*.\n\n", 450),
		"emphasis in 2,200 paragraphs":    strings.Repeat("Een *mooie* en _goede_ ~~dag~~ **vandaag**.\n\n", 2200),
		"unmatched emphasis at the limit": strings.Repeat(strings.Repeat("*a_", 400)+"\n\n", 2),
		"reference used 500 times":        "[a]: http://" + strings.Repeat("x", 1980) + "\n\n" + strings.Repeat("[a]", 499),
	}
	for name, src := range near {
		if err := mdlimits.Check(src); err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		b.Run(strings.ReplaceAll(name, " ", "_"), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				render(src, Options{})
			}
		})
	}
}
