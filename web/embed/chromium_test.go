package embed

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"estafette/content"
	"estafette/internal/browsertest"
	"estafette/internal/markdown"
)

// probe is what the test reads off a rendered page.
type probe struct {
	ScrollWidth float64  `json:"scrollWidth"`
	ClientWidth float64  `json:"clientWidth"`
	Title       string   `json:"title"`
	TitleShown  bool     `json:"titleShown"`
	Paragraphs  []string `json:"paragraphs"` // the visible ones
	Wide        []string `json:"wide"`       // elements sticking out on the right
}

// probeScript measures the page: its width against the viewport, the h1
// and which paragraphs are visible (laid out with a size, not hidden, not
// cut off at the sides).
const probeScript = `(() => {
  const doc = document.documentElement;
  const shown = el => {
    if (!el) return false;
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none" &&
      Number(s.opacity) > 0 && r.left >= 0 && r.right <= doc.clientWidth + 0.5;
  };
  const norm = s => s.replace(/\s+/g, " ").trim();
  const h1 = document.querySelector("h1");
  return {
    scrollWidth: doc.scrollWidth,
    clientWidth: doc.clientWidth,
    title: h1 ? norm(h1.textContent) : "",
    titleShown: shown(h1),
    paragraphs: [...document.querySelectorAll("p")].filter(shown).map(p => norm(p.textContent)),
    wide: [...document.querySelectorAll("body *")]
      .filter(e => e.getBoundingClientRect().right > doc.clientWidth + 0.5)
      .map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : "")).slice(0, 10),
  };
})()`

// firstParagraph returns the plain text of the first paragraph of a
// Markdown body as it is rendered.
func firstParagraph(t *testing.T, md string) string {
	t.Helper()
	nodes := findAll(t, markdown.HTML(md), func(n *html.Node) bool { return n.Data == "p" })
	if len(nodes) == 0 {
		t.Fatalf("no paragraph in %q", md)
	}
	return textOf(nodes[0])
}

// artifactDir is where screenshots go: $ESTAFETTE_ARTIFACTS, else a
// temporary directory that the test removes.
func artifactDir(t *testing.T) string {
	if d := os.Getenv("ESTAFETTE_ARTIFACTS"); d != "" {
		d = filepath.Join(d, "embed")
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	t.Log("screenshots go to a temporary directory; set ESTAFETTE_ARTIFACTS to keep them")
	return t.TempDir()
}

// TestChromium renders every kind of embed page, and a news page that embeds
// a recap through its oEmbed iframe, in headless Chromium at 375 and 1280
// pixels wide. It checks that nothing goes to the console (no errors, no
// Content-Security-Policy violations), that nothing scrolls sideways, that
// the title and the recap's first paragraph are visible, and that axe-core
// finds no serious or critical accessibility violation; it saves a
// screenshot of each. It is skipped when /usr/bin/chromium is missing.
func TestChromium(t *testing.T) {
	newsTemplate, err := os.ReadFile(filepath.Join("testdata", "news-page.html"))
	if err != nil {
		t.Fatal(err)
	}
	h, cat := newHandler(t, Options{})
	ctx := context.Background()

	// The embed pages are served as http://localhost:port, the news page as
	// http://127.0.0.1:port: another site, as on the web.
	api := httptest.NewServer(h)
	defer api.Close()
	_, port, _ := net.SplitHostPort(api.Listener.Addr().String())
	apiOrigin := "http://localhost:" + port

	recapURL := apiOrigin + "/embed/recaps/terugblik-2021"
	resp, err := http.Get(apiOrigin + "/oembed?maxwidth=760&url=" + url.QueryEscape(recapURL))
	if err != nil {
		t.Fatal(err)
	}
	var oe OEmbed
	if err := json.NewDecoder(resp.Body).Decode(&oe); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("oEmbed: %d %v", resp.StatusCode, err)
	}
	resp.Body.Close()
	newsPage := strings.Replace(string(newsTemplate), "<!--EMBED-->", oe.HTML, 1)
	news := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/bad" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, badPage)
			return
		}
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, newsPage)
	}))
	defer news.Close()

	dir := artifactDir(t)
	browser := browsertest.Start(t)

	recap := func(slug string) *content.Recap {
		rc, err := content.BySlug[content.Recap](ctx, cat, slug)
		if err != nil || rc == nil {
			t.Fatal(slug, err)
		}
		return rc
	}
	r2021, r2024 := recap("terugblik-2021"), recap("terugblik-2024")
	cases := []struct {
		name, path, title, paragraph string
		status                       int // the page's own status, when not 200
	}{
		{"recap-nl", "/embed/recaps/terugblik-2021", r2021.Title.NL, firstParagraph(t, r2021.Body.NL), 0},
		{"recap-en-dark", "/embed/recaps/terugblik-2021?locale=en&theme=dark", r2021.Title.EN, firstParagraph(t, r2021.Body.EN), 0},
		{"recap-2024-en", "/embed/recaps/terugblik-2024?locale=en", r2024.Title.EN, firstParagraph(t, r2024.Body.EN), 0},
		{"recap-card-nl", "/embed/recaps/terugblik-2024?variant=card", r2024.Title.NL, r2024.Summary.NL, 0},
		{"edition-2021-nl", "/embed/editions/2021", "Slimme Zorg Estafette 2021", "", 0},
		{"edition-2023-full-en-dark", "/embed/editions/2023?variant=full&locale=en&theme=dark", "Slimme Zorg Estafette 2023", "", 0},
		{"edition-2024-en", "/embed/editions/2024?locale=en", "Slimme Zorg Estafette 2024", "", 0},
		{"initiative-nl", "/embed/initiatives/tour-de-beterdichtbij", "Tour de BeterDichtbij", "", 0},
		{"initiative-full-en-dark", "/embed/initiatives/tour-de-beterdichtbij?variant=full&locale=en&theme=dark", "Tour de BeterDichtbij", "", 0},
		{"not-found-nl", "/embed/recaps/bestaat-niet", "Niet gevonden", "", 404},
		{"bad-request-en", "/embed/editions/2021?locale=en&variant=huge", "Invalid address", "", 400},
	}
	for _, width := range []int64{375, 1280} {
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s-%d", c.name, width), func(t *testing.T) {
				tab := browsertest.NewTab(t, browser)
				console := collectConsole(tab)
				p := loadPage(t, tab, apiOrigin+c.path, width)
				checkPage(t, p, c.title, c.paragraph)
				checkAxe(t, tab)
				screenshot(t, tab, width, filepath.Join(dir, fmt.Sprintf("%s-%d.png", c.name, width)))
				checkFocus(t, tab)
				for _, m := range console.stop() {
					// Chromium logs the status of an error page it shows.
					if c.status != 0 && strings.Contains(m, fmt.Sprintf("status of %d", c.status)) && strings.Contains(m, "("+apiOrigin+c.path+":") {
						continue
					}
					t.Errorf("console: %s", m)
				}
			})
		}

		t.Run(fmt.Sprintf("news-page-%d", width), func(t *testing.T) {
			tab := browsertest.NewTab(t, browser)
			console := collectConsole(tab)
			top := loadPage(t, tab, news.URL+"/", width)
			if top.ScrollWidth > top.ClientWidth {
				t.Errorf("news page scrolls sideways: %v > %v (%q)", top.ScrollWidth, top.ClientWidth, top.Wide)
			}
			// The resize script in the iframe posts its height; the news page's
			// listener sets it.
			var height string
			deadline := time.Now().Add(15 * time.Second)
			for height == "" && time.Now().Before(deadline) {
				height, _ = chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector("iframe").getAttribute("data-resized") || ""`))
				if height == "" {
					time.Sleep(100 * time.Millisecond)
				}
			}
			if height == "" {
				t.Fatalf("the iframe never posted its height")
			}
			frame, err := chromedp.Run(tab, chromedp.Evaluate[struct {
				Width, Height, Viewport float64
			}](`(() => { const r = document.querySelector("iframe").getBoundingClientRect();
				return { width: r.width, height: r.height, viewport: document.documentElement.clientWidth }; })()`))
			if err != nil {
				t.Fatal(err)
			}
			if frame.Width > frame.Viewport || frame.Width < 200 || frame.Height < 400 {
				t.Errorf("iframe is %vx%v in a viewport %v wide (posted height %s)", frame.Width, frame.Height, frame.Viewport, height)
			}
			screenshot(t, tab, width, filepath.Join(dir, fmt.Sprintf("news-page-%d.png", width)))

			// Inside the iframe: a cross-site iframe is a target of its own.
			targets, err := chromedp.Targets(tab)
			if err != nil {
				t.Fatal(err)
			}
			var frameTab context.Context
			for _, info := range targets {
				if info.Type == "iframe" && strings.HasPrefix(info.URL, recapURL) {
					var cancel context.CancelFunc
					frameTab, cancel = chromedp.NewContext(tab, chromedp.WithTargetID(info.TargetID))
					defer cancel()
				}
			}
			if frameTab == nil {
				t.Fatalf("no iframe target for %s among %d targets", recapURL, len(targets))
			}
			p, err := chromedp.Run(frameTab, chromedp.Evaluate[probe](probeScript))
			if err != nil {
				t.Fatal(err)
			}
			checkPage(t, p, r2021.Title.NL, firstParagraph(t, r2021.Body.NL))
			checkAxe(t, frameTab)
			for _, m := range console.stop() {
				t.Errorf("console: %s", m)
			}
		})
	}
	// A control: axe-core, as run here, does find problems on a bad page.
	t.Run("axe-control", func(t *testing.T) {
		tab := browsertest.NewTab(t, browser)
		loadPage(t, tab, news.URL+"/bad", 375)
		found := map[string]bool{}
		for _, v := range browsertest.Axe(t, tab) {
			found[v.ID] = true
		}
		for _, id := range []string{"image-alt", "color-contrast", "html-has-lang"} {
			if !found[id] {
				t.Errorf("axe-core did not report %s on the bad page (found %v)", id, found)
			}
		}
	})
	t.Logf("screenshots in %s", dir)
}

// badPage breaks rules that axe-core must catch.
const badPage = `<!doctype html><html><head><title>bad</title><style>p{color:#bbb;background:#fff}</style></head>
<body><main><h1>Bad</h1><p>Pale text.</p><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>`

// consoleLog collects the console messages of a tab.
type consoleLog struct {
	mu     sync.Mutex
	msgs   []string
	cancel context.CancelFunc
	done   chan struct{}
}

func collectConsole(tab context.Context) *consoleLog {
	ctx, cancel := context.WithCancel(tab)
	c := &consoleLog{cancel: cancel, done: make(chan struct{})}
	msgs := chromedp.Console(ctx)
	go func() {
		defer close(c.done)
		for m, err := range msgs {
			if err != nil {
				return
			}
			c.mu.Lock()
			c.msgs = append(c.msgs, fmt.Sprintf("%s %s (%s:%d)", m.Type, m.Text, m.URL, m.Line))
			c.mu.Unlock()
		}
	}()
	return c
}

// stop ends the collection and returns the messages.
func (c *consoleLog) stop() []string {
	time.Sleep(100 * time.Millisecond) // let late messages arrive
	c.cancel()
	<-c.done
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.msgs
}

// loadPage opens target in the tab at the given width and probes it.
func loadPage(t *testing.T, tab context.Context, target string, width int64) probe {
	t.Helper()
	browsertest.Do(t, tab, chromedp.EmulateViewport(width, 900), chromedp.Navigate(target))
	return browsertest.Eval[probe](t, tab, probeScript)
}

// checkPage checks the width, the title and the paragraph of a page.
func checkPage(t *testing.T, p probe, title, paragraph string) {
	t.Helper()
	if p.ScrollWidth > p.ClientWidth {
		t.Errorf("page scrolls sideways: %v > %v; wide elements %q", p.ScrollWidth, p.ClientWidth, p.Wide)
	}
	if p.Title != title || !p.TitleShown {
		t.Errorf("h1 %q (shown %v), want %q", p.Title, p.TitleShown, title)
	}
	if paragraph != "" {
		found := false
		for _, s := range p.Paragraphs {
			found = found || s == paragraph
		}
		if !found {
			t.Errorf("paragraph %q not shown; visible paragraphs: %q", paragraph, p.Paragraphs)
		}
	}
}

// checkAxe fails on serious or critical violations and logs the others.
func checkAxe(t *testing.T, tab context.Context) {
	t.Helper()
	for _, v := range browsertest.Axe(t, tab) {
		msg := v.String()
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Error(msg)
		} else {
			t.Log(msg)
		}
	}
}

// checkFocus presses Tab and checks that the first link, if any, gets the
// focus style: black text on yellow.
func checkFocus(t *testing.T, tab context.Context) {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.KeyEvent("\t")); err != nil {
		t.Fatal(err)
	}
	focus, err := chromedp.Run(tab, chromedp.Evaluate[struct{ Tag, Background, Color string }](`(() => {
		const e = document.activeElement, s = getComputedStyle(e);
		return { tag: e.tagName.toLowerCase(), background: s.backgroundColor, color: s.color };
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if focus.Tag == "body" {
		return // a page without links
	}
	if focus.Tag != "a" || focus.Background != "rgb(255, 221, 0)" || focus.Color != "rgb(11, 12, 12)" {
		t.Errorf("after Tab the focus is on <%s> with background %s and color %s, want a link in black on yellow", focus.Tag, focus.Background, focus.Color)
	}
}

// screenshot saves a PNG of the whole page. It makes the viewport as high as
// the page first, because Chromium paints a cross-site iframe only within
// the viewport.
func screenshot(t *testing.T, tab context.Context, width int64, file string) {
	t.Helper()
	height, err := chromedp.Run(tab, chromedp.Evaluate[float64](`document.documentElement.scrollHeight`))
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	if err := chromedp.Do(tab, chromedp.EmulateViewport(width, int64(min(height, 16000)))); err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	time.Sleep(300 * time.Millisecond)
	png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Error(err)
	}
}
