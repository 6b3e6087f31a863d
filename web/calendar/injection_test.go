package calendar_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"

	"estafette/content"
	"estafette/web/calendar"
)

// A title, summary or venue holding CR, LF or other control characters
// (stored before validation refused them) cannot add lines, properties or
// events to a feed.
func TestFeedTextCannotInjectLines(t *testing.T) {
	cat := catalog(t, 0)
	h := calendar.Handler(cat, calendar.Options{PublicURL: "https://api.example.nl/"})
	before := events(get(t, h, "/calendar/2023.ics").Body.Bytes())
	day := content.D(2023, 2, 21)
	inject := "\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil\r\nSUMMARY:ingevoegd\r\nEND:VEVENT\rBEGIN:VEVENT"
	city, venue := "Assen\rLOCATION:elders", "Zaal\x00\x1b\u2028"
	for i, title := range []string{"Zorg\r", "Zorg\rBEGIN:VEVENT", "Zorg" + inject, "Zorg\nBEGIN:VEVENT\x0b\x7f\u0085"} {
		a := &content.Activity{Meta: content.Meta{ID: "inject" + itoa(i), Slug: "inject-" + itoa(i), Status: content.StatusPublished, Version: 1},
			EditionID: "2023", RegionID: "noord", StartsOn: &day, OrganizerIDs: []string{}, ThemeIDs: []string{},
			Title:   content.Text{NL: title, EN: title},
			Summary: content.Text{NL: "Regel een" + inject + "\r\nRegel twee"},
			Venue:   &content.Venue{Name: &venue, City: &city},
		}
		if err := cat.Save(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
	body := get(t, h, "/calendar/2023.ics").Body.Bytes()
	if n := events(body); n != before+4 {
		t.Errorf("%d events in the feed, want %d: lines were injected", n, before+4)
	}
	for i, line := range strings.Split(string(body), "\r\n") {
		if strings.ContainsAny(line, "\r\n\x00\x0b\x1b\x7f\u0085\u2028") {
			t.Errorf("line %d holds a control character: %q", i+1, line)
		}
		for _, bad := range []string{"UID:evil", "SUMMARY:ingevoegd", "LOCATION:elders"} {
			if strings.HasPrefix(line, bad) {
				t.Errorf("line %d is injected: %q", i+1, line)
			}
		}
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(cal.Events()); n != before+4 {
		t.Errorf("golang-ical reads %d events, want %d", n, before+4)
	}
	found := 0
	for _, e := range cal.Events() {
		if !strings.HasPrefix(e.Id(), "activity-inject") {
			continue
		}
		found++
		s := e.GetProperty(ics.ComponentPropertySummary)
		if s == nil || !strings.HasPrefix(s.Value, "Zorg") || strings.ContainsAny(s.Value, "\r\n") {
			t.Errorf("%s: summary %+v", e.Id(), s)
		}
		if d := e.GetProperty(ics.ComponentPropertyDescription); d == nil || !strings.Contains(ics.FromText(d.Value), "Regel twee") {
			t.Errorf("%s: description %+v", e.Id(), d)
		}
	}
	if found != 4 {
		t.Errorf("%d injected activities found, want 4", found)
	}
	checkFeed(t, body)
}

// events counts the lines that begin an event.
func events(body []byte) int {
	n := 0
	for _, l := range bytes.Split(body, []byte("\r\n")) {
		if string(l) == "BEGIN:VEVENT" {
			n++
		}
	}
	return n
}
