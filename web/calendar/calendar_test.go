package calendar_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"

	"estafette/content"
	"estafette/internal/apitest"
	"estafette/seed"
	"estafette/web/calendar"
)

func catalog(t *testing.T, synthetic int) *content.Catalog {
	t.Helper()
	return apitest.Catalog(t, synthetic)
}

func get(t *testing.T, h http.Handler, url string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, url, nil))
	return rec
}

// listAll is the API listing the feed must hold.
func listAll(t *testing.T, cat *content.Catalog, f content.ActivityFilter) []*content.Activity {
	t.Helper()
	var out []*content.Activity
	n := 50
	p := content.PageArgs{First: &n}
	for {
		page, err := cat.ListActivities(context.Background(), f, content.Order[content.ActivityOrderField]{}, p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Items...)
		if !page.HasNextPage {
			return out
		}
		p.After = page.EndCursor()
	}
}

// component is a component as the test's own parser reads it.
type component struct {
	name  string
	props []prop
	subs  []*component
}

type prop struct {
	name   string
	params map[string]string
	value  string
}

func (c *component) get(name string) *prop {
	for i := range c.props {
		if c.props[i].name == name {
			return &c.props[i]
		}
	}
	return nil
}

// parse is a second, independent reader of RFC 5545: it checks the line
// ends and lengths, unfolds the lines, splits name, parameters and value,
// and builds the tree of components.
func parse(t *testing.T, b []byte) *component {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Fatal("the feed does not end with CRLF")
	}
	raw := strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n")
	var lines []string
	for i, l := range raw {
		if strings.ContainsAny(l, "\r\n") {
			t.Fatalf("line %d holds a bare CR or LF: %q", i+1, l)
		}
		if len(l) > 75 {
			t.Errorf("line %d is %d octets long (RFC 5545 3.1: at most 75)", i+1, len(l))
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a UTF-8 character: %q", i+1, l)
		}
		if strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") {
			if len(lines) == 0 {
				t.Fatal("the feed starts with a continuation line")
			}
			lines[len(lines)-1] += l[1:]
			continue
		}
		lines = append(lines, l)
	}
	var stack []*component
	var root *component
	for _, l := range lines {
		head, value, ok := cutUnquoted(l, ':')
		if !ok {
			t.Fatalf("no colon in %q", l)
		}
		parts := splitUnquoted(head, ';')
		p := prop{name: strings.ToUpper(parts[0]), params: map[string]string{}, value: value}
		for _, kv := range parts[1:] {
			k, v, _ := strings.Cut(kv, "=")
			p.params[strings.ToUpper(k)] = strings.Trim(v, `"`)
		}
		switch p.name {
		case "BEGIN":
			c := &component{name: value}
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.subs = append(top.subs, c)
			} else if root == nil {
				root = c
			} else {
				t.Fatalf("a second top-level component %s", value)
			}
			stack = append(stack, c)
		case "END":
			if len(stack) == 0 || stack[len(stack)-1].name != value {
				t.Fatalf("END:%s does not close the open component", value)
			}
			stack = stack[:len(stack)-1]
		default:
			if len(stack) == 0 {
				t.Fatalf("property %s outside any component", p.name)
			}
			top := stack[len(stack)-1]
			top.props = append(top.props, p)
		}
	}
	if len(stack) != 0 || root == nil || root.name != "VCALENDAR" {
		t.Fatalf("unbalanced or no VCALENDAR")
	}
	return root
}

func cutUnquoted(s string, sep byte) (string, string, bool) {
	q := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"':
			q = !q
		case s[i] == sep && !q:
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func splitUnquoted(s string, sep byte) []string {
	var out []string
	for {
		a, b, ok := cutUnquoted(s, sep)
		out = append(out, a)
		if !ok {
			return out
		}
		s = b
	}
}

// unescape undoes TEXT escaping (RFC 5545 3.3.11).
func unescape(s string) string {
	return strings.NewReplacer(`\n`, "\n", `\N`, "\n", `\,`, ",", `\;`, ";", `\\`, `\`).Replace(s)
}

// checkFeed parses a feed with both parsers and returns the events as the
// test's parser reads them.
func checkFeed(t *testing.T, body []byte) []*component {
	t.Helper()
	cal, err := ics.ParseCalendar(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("golang-ical: %v", err)
	}
	root := parse(t, body)
	for _, want := range []string{"VERSION", "PRODID"} {
		if root.get(want) == nil {
			t.Errorf("no %s", want)
		}
	}
	var events []*component
	var tz int
	for _, c := range root.subs {
		switch c.name {
		case "VEVENT":
			events = append(events, c)
		case "VTIMEZONE":
			tz++
			if c.get("TZID").value != "Europe/Amsterdam" || len(c.subs) != 2 {
				t.Errorf("VTIMEZONE %+v", c)
			}
		}
	}
	if tz != 1 {
		t.Errorf("%d VTIMEZONEs", tz)
	}
	if n := len(cal.Events()); n != len(events) {
		t.Errorf("golang-ical reads %d events, the test's parser %d", n, len(events))
	}
	uids := map[string]bool{}
	for i, e := range cal.Events() {
		uid := e.Id()
		if uid == "" || uids[uid] {
			t.Errorf("event %d: UID %q empty or repeated", i, uid)
		}
		uids[uid] = true
		if got := events[i].get("UID").value; got != uid {
			t.Errorf("event %d: UID %q and %q", i, got, uid)
		}
		for _, p := range []string{"DTSTAMP", "DTSTART", "SUMMARY", "URL"} {
			if events[i].get(p) == nil {
				t.Errorf("event %s has no %s", uid, p)
			}
		}
		// A timed start is Amsterdam local time; an all-day start a DATE.
		ds := events[i].get("DTSTART")
		switch {
		case ds.params["VALUE"] == "DATE":
			if _, err := e.GetAllDayStartAt(); err != nil || len(ds.value) != 8 {
				t.Errorf("%s: all-day DTSTART %q: %v", uid, ds.value, err)
			}
			if de := events[i].get("DTEND"); de == nil || de.params["VALUE"] != "DATE" || de.value <= ds.value {
				t.Errorf("%s: all-day DTEND %+v after %s", uid, de, ds.value)
			}
		case ds.params["TZID"] == "Europe/Amsterdam":
			if _, err := time.ParseInLocation("20060102T150405", ds.value, content.Amsterdam); err != nil {
				t.Errorf("%s: DTSTART %q: %v", uid, ds.value, err)
			}
		default:
			t.Errorf("%s: DTSTART %+v is neither a DATE nor Amsterdam time", uid, ds)
		}
	}
	return events
}

func TestEditionFeed(t *testing.T) {
	cat := catalog(t, 300)
	h := calendar.Handler(cat, calendar.Options{PublicURL: "https://api.example.nl/"})
	rec := get(t, h, "/calendar/2023.ics")
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/calendar") {
		t.Fatalf("%d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	events := checkFeed(t, rec.Body.Bytes())
	as := listAll(t, cat, content.ActivityFilter{EditionYear: ptr(2023)})
	var dated []*content.Activity
	for _, a := range as {
		if a.Start() != nil {
			dated = append(dated, a)
		}
	}
	// The four legs of 2023 come first, as all-day events of their week.
	legs := []struct{ region, start, end string }{
		{"Regio Oost", "20230206", "20230211"}, {"Regio West", "20230213", "20230218"},
		{"Regio Noord", "20230220", "20230225"}, {"Regio Zuid", "20230227", "20230304"},
	}
	if len(events) != len(legs)+len(dated) {
		t.Fatalf("%d events, want %d legs and %d activities", len(events), len(legs), len(dated))
	}
	for i, l := range legs {
		e := events[i]
		if !strings.HasPrefix(unescape(e.get("SUMMARY").value), l.region) || e.get("DTSTART").value != l.start ||
			e.get("DTEND").value != l.end || e.get("DTSTART").params["VALUE"] != "DATE" {
			t.Errorf("leg %d: %s %s-%s", i+1, e.get("SUMMARY").value, e.get("DTSTART").value, e.get("DTEND").value)
		}
	}
	for i, a := range dated {
		e := events[len(legs)+i]
		if e.get("UID").value != "activity-"+a.ID+"@estafette.slimmezorgestafette" {
			t.Errorf("event %d: UID %s, want activity %s", i, e.get("UID").value, a.ID)
		}
		if unescape(e.get("SUMMARY").value) != a.Title.NL {
			t.Errorf("%s: summary %q", a.ID, e.get("SUMMARY").value)
		}
		if !strings.HasPrefix(e.get("URL").value, "https://api.example.nl/query?query=") || !strings.Contains(e.get("URL").value, a.Slug) {
			t.Errorf("%s: URL %s", a.ID, e.get("URL").value)
		}
		if a.StartsAt == nil && e.get("DTSTART").params["VALUE"] != "DATE" {
			t.Errorf("%s: only the day is known, but the event is timed", a.ID)
		}
	}
	// The feed says how many activities it leaves out.
	root := parse(t, rec.Body.Bytes())
	desc := unescape(root.get("X-WR-CALDESC").value)
	if missing := len(as) - len(dated); missing > 0 && !strings.Contains(desc, itoa(missing)+" activiteit(en) zonder bekende datum") {
		t.Errorf("%d undated activities, X-WR-CALDESC %q", missing, desc)
	}
	// The same feed twice is the same bytes (stable UIDs, DTSTAMPs).
	if again := get(t, h, "/calendar/2023.ics"); !bytes.Equal(again.Body.Bytes(), rec.Body.Bytes()) {
		t.Error("the feed changed between two requests")
	}
}

func TestRegionAndInitiativeFeeds(t *testing.T) {
	cat := catalog(t, 300)
	h := calendar.Handler(cat, calendar.Options{})
	rec := get(t, h, "/calendar/2021/zuid.ics?locale=en")
	events := checkFeed(t, rec.Body.Bytes())
	dated := 0
	for _, a := range listAll(t, cat, content.ActivityFilter{EditionYear: ptr(2021), RegionSlug: ptr("zuid")}) {
		if a.Start() != nil {
			dated++
		}
	}
	if len(events) != 1+dated {
		t.Errorf("%d events, want the leg and %d activities", len(events), dated)
	}
	if s := unescape(events[0].get("SUMMARY").value); s != "Region South's turn" {
		t.Errorf("leg summary %q", s)
	}
	// Without PUBLIC_URL the links use the request's host.
	if u := events[0].get("URL").value; u != "http://example.com/insights/2021" {
		t.Errorf("leg URL %q", u)
	}

	// Initiatives run in 2024, whose activities have days but no legs. The
	// feed of a synthetic initiative lists its synthetic activities.
	var slug string
	for _, r := range seed.SyntheticReferences() {
		if i, ok := r.(*content.Initiative); ok {
			slug = i.Slug
			break
		}
	}
	rec = get(t, h, "/calendar/initiatives/"+slug+".ics")
	events = checkFeed(t, rec.Body.Bytes())
	dated = 0
	yes := true
	for _, a := range listAll(t, cat, content.ActivityFilter{InitiativeSlug: &slug, Synthetic: &yes}) {
		if a.Start() != nil {
			dated++
		}
	}
	if len(events) != dated || dated == 0 {
		t.Errorf("initiative %s: %d events, want %d", slug, len(events), dated)
	}
}

func TestNotFound(t *testing.T) {
	cat := catalog(t, 0)
	h := calendar.Handler(cat, calendar.Options{})
	for _, url := range []string{
		"/calendar/1999.ics", "/calendar/twenty.ics", "/calendar/2023", "/calendar/2023/atlantis.ics",
		"/calendar/1999/zuid.ics", "/calendar/initiatives/nothing.ics", "/calendar/a/b/c.ics",
	} {
		if rec := get(t, h, url); rec.Code != 404 {
			t.Errorf("%s: %d", url, rec.Code)
		}
	}
	// An edition without dates is an empty calendar, saying why.
	rec := get(t, h, "/calendar/2022.ics")
	if rec.Code != 200 || len(checkFeed(t, rec.Body.Bytes())) != 0 {
		t.Errorf("2022: %d %s", rec.Code, rec.Body)
	}
}

func ptr[T any](v T) *T { return &v }

func itoa(n int) string { return strconv.Itoa(n) }
