package embed

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// validateOEmbed checks a JSON oEmbed response against the specification
// (https://oembed.com, section 2.3.4): the required fields of every type,
// those of type rich, and the types of the optional ones.
func validateOEmbed(t *testing.T, body string) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("oEmbed response is not JSON: %v\n%s", err, body)
	}
	if v["version"] != "1.0" {
		t.Errorf("version = %v, want \"1.0\"", v["version"])
	}
	if v["type"] != "rich" {
		t.Errorf("type = %v, want rich", v["type"])
	}
	if s, ok := v["html"].(string); !ok || s == "" {
		t.Errorf("rich response without html: %v", v["html"])
	}
	for _, k := range []string{"width", "height"} {
		n, ok := v[k].(float64)
		if !ok || n <= 0 || n != float64(int(n)) {
			t.Errorf("%s = %v, want a positive integer", k, v[k])
		}
	}
	for _, k := range []string{"title", "author_name", "author_url", "provider_name", "provider_url"} {
		if x, ok := v[k]; ok {
			if _, isString := x.(string); !isString {
				t.Errorf("%s = %v, want a string", k, x)
			}
		}
	}
	if x, ok := v["cache_age"]; ok {
		if n, isNum := x.(float64); !isNum || n < 0 {
			t.Errorf("cache_age = %v", x)
		}
	}
	// thumbnail_url, thumbnail_width and thumbnail_height come together or not at all.
	n := 0
	for _, k := range []string{"thumbnail_url", "thumbnail_width", "thumbnail_height"} {
		if _, ok := v[k]; ok {
			n++
		}
	}
	if n != 0 && n != 3 {
		t.Errorf("only %d of the thumbnail fields", n)
	}
	return v
}

func TestOEmbed(t *testing.T) {
	h, _ := newHandler(t, Options{PublicURL: "https://api.example.nl"})
	page := "https://api.example.nl/embed/recaps/terugblik-2021?locale=en"
	resp, body := do(t, h, "/oembed?format=json&url="+url.QueryEscape(page), nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("oEmbed = %d %q: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	v := validateOEmbed(t, body)
	for k, want := range map[string]any{
		"title": "Looking back: the e-healthweek becomes a relay", "provider_name": "Slimme Zorg Estafette",
		"provider_url": "https://api.example.nl/", "cache_age": 300.0, "width": 720.0, "height": 900.0,
	} {
		if v[k] != want {
			t.Errorf("%s = %v, want %v", k, v[k], want)
		}
	}
	frames := findAll(t, v["html"].(string), func(n *html.Node) bool { return true })
	var iframe *html.Node
	for _, f := range frames {
		if f.Data == "iframe" {
			iframe = f
		} else if f.Data != "html" && f.Data != "head" && f.Data != "body" {
			t.Errorf("oEmbed html has a <%s>", f.Data)
		}
	}
	if iframe == nil {
		t.Fatalf("no iframe in %q", v["html"])
	}
	for k, want := range map[string]string{
		"src": page, "title": "Looking back: the e-healthweek becomes a relay", "width": "720", "height": "900",
		"sandbox": "allow-scripts allow-popups allow-popups-to-escape-sandbox", "loading": "lazy",
	} {
		if got := attrOf(iframe, k); got != want {
			t.Errorf("iframe %s = %q, want %q", k, got, want)
		}
	}
	if resp.Header.Get("ETag") == "" || resp.Header.Get("Cache-Control") != cacheOK {
		t.Errorf("oEmbed caching headers: %v", resp.Header)
	}

	// maxwidth and maxheight are respected; format defaults to json.
	_, body = do(t, h, "/oembed?maxwidth=400&maxheight=300&url="+url.QueryEscape("https://api.example.nl/embed/editions/2023?theme=dark"), nil)
	v = validateOEmbed(t, body)
	if v["width"] != 400.0 || v["height"] != 300.0 || v["title"] != "Slimme Zorg Estafette 2023" {
		t.Errorf("maxwidth/maxheight: %v", v)
	}
	if !strings.Contains(v["html"].(string), `src="https://api.example.nl/embed/editions/2023?theme=dark"`) {
		t.Errorf("theme lost: %s", v["html"])
	}
	_, body = do(t, h, "/oembed?maxwidth=2000&url="+url.QueryEscape("https://api.example.nl/embed/initiatives/expobike?variant=full"), nil)
	if v = validateOEmbed(t, body); v["width"] != 720.0 {
		t.Errorf("maxwidth above the default: width %v", v["width"])
	}

	for target, want := range map[string]int{
		"/oembed?url=" + url.QueryEscape(page) + "&format=xml":  http.StatusNotImplemented,
		"/oembed?url=" + url.QueryEscape(page) + "&format=yaml": http.StatusNotImplemented,
		"/oembed": http.StatusBadRequest,
		"/oembed?url=" + url.QueryEscape(page) + "&maxwidth=wide":                                       http.StatusBadRequest,
		"/oembed?url=" + url.QueryEscape(page) + "&maxheight=0":                                         http.StatusBadRequest,
		"/oembed?url=" + url.QueryEscape("https://api.example.nl/embed/recaps/nope"):                    http.StatusNotFound,
		"/oembed?url=" + url.QueryEscape("https://api.example.nl/embed/editions/1999"):                  http.StatusNotFound,
		"/oembed?url=" + url.QueryEscape("https://other.example.nl/embed/recaps/terugblik-2021"):        http.StatusNotFound,
		"/oembed?url=" + url.QueryEscape("https://api.example.nl/query"):                                http.StatusNotFound,
		"/oembed?url=" + url.QueryEscape("https://api.example.nl/embed/organizations/zonmw"):            http.StatusNotFound,
		"/oembed?url=" + url.QueryEscape("https://api.example.nl/embed/recaps/terugblik-2021?theme=x"):  http.StatusNotFound,
		"/oembed?url=" + url.QueryEscape("javascript:alert(1)"):                                         http.StatusNotFound,
		"/oembed?url=" + url.QueryEscape("https://api.example.nl/embed/recaps/terugblik-2021/x"):        http.StatusNotFound,
		"/oembed?url=" + url.QueryEscape("http://API.example.nl/embed/recaps/terugblik-2021?locale=nl"): http.StatusOK,
	} {
		if resp, body := do(t, h, target, nil); resp.StatusCode != want {
			t.Errorf("GET %s = %d, want %d: %s", target, resp.StatusCode, want, body)
		}
	}
}

func TestOEmbedDiscovery(t *testing.T) {
	// The discovery link of every page leads to a valid oEmbed response for
	// that page.
	h, _ := newHandler(t, Options{})
	for _, p := range pages {
		if strings.HasPrefix(p.name, "not-found") || strings.HasPrefix(p.name, "bad-request") {
			continue
		}
		_, page := do(t, h, p.target, nil)
		links := findAll(t, page, func(n *html.Node) bool { return n.Data == "link" && attrOf(n, "type") == "application/json+oembed" })
		if len(links) != 1 {
			t.Errorf("%s: %d discovery links", p.target, len(links))
			continue
		}
		u, err := url.Parse(attrOf(links[0], "href"))
		if err != nil || u.Host != "embed.example.nl" {
			t.Fatalf("%s: discovery link %q", p.target, attrOf(links[0], "href"))
		}
		resp, body := do(t, h, u.RequestURI(), nil)
		if resp.StatusCode != 200 {
			t.Errorf("%s: oEmbed %d %s", p.target, resp.StatusCode, body)
			continue
		}
		v := validateOEmbed(t, body)
		og := findAll(t, page, func(n *html.Node) bool { return n.Data == "meta" && attrOf(n, "property") == "og:url" })
		if len(og) != 1 || !strings.Contains(v["html"].(string), `src="`+strings.ReplaceAll(attrOf(og[0], "content"), "&", "&amp;")+`"`) {
			t.Errorf("%s: oEmbed iframe %s", p.target, v["html"])
		}
	}
}
