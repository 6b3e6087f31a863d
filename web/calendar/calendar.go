// Package calendar serves the programme of the Slimme Zorg Estafette as
// iCalendar feeds (RFC 5545) that calendar apps subscribe to:
//
//	GET /calendar/{year}.ics                 the edition: its legs and activities
//	GET /calendar/{year}/{region}.ics        one region's leg and activities of an edition
//	GET /calendar/initiatives/{slug}.ics     the activities of an initiative
//
// Legs are all-day events spanning their week. An activity with a start
// time is a timed event in Europe/Amsterdam (the feed carries its
// VTIMEZONE); an activity of which only the day is known is an all-day
// event; an activity whose timing is unknown is left out, and the feed's
// X-WR-CALDESC says how many were. UIDs are made from record ids, so they
// stay the same when titles, dates or the host change; each event links
// back to the record through URL. Texts are Dutch, or English with
// ?locale=en (falling back to Dutch per text).
//
// A feed is written as it is read: activities are paged through the
// Catalog with keyset cursors and each event is serialised on its own, so
// memory does not grow with the number of events. Events are built and
// serialised with github.com/arran4/golang-ical.
package calendar

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"estafette/content"
)

// Options configure the feeds.
type Options struct {
	// PublicURL is the base of the links in the feeds, such as
	// https://api.slimmezorgestafette.nl (the configuration's PUBLIC_URL).
	// Empty means the scheme and host the request came in on.
	PublicURL string
	// Logger receives failures; default slog.Default().
	Logger *slog.Logger
}

// uidDomain ends every UID; it names the feed's producer, not a host, so
// that UIDs do not change when the API moves.
const uidDomain = "@estafette.slimmezorgestafette"

// ProductID is the PRODID of every feed.
const ProductID = "-//Slimme Zorg Estafette//Estafette API//NL"

// Handler returns the handler of the feeds; mount it on "/calendar/". An
// unknown year, region or initiative (or one the caller may not see) is
// 404; so is any other path under /calendar/.
func Handler(cat *content.Catalog, o Options) http.Handler {
	o.PublicURL = strings.TrimRight(o.PublicURL, "/")
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	h := &handler{cat: cat, o: o}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /calendar/{file}", h.edition)
	mux.HandleFunc("GET /calendar/{year}/{file}", h.region)
	mux.HandleFunc("GET /calendar/initiatives/{file}", h.initiative)
	return mux
}

type handler struct {
	cat *content.Catalog
	o   Options
}

// feed is what one calendar holds.
type feed struct {
	name    string // file name
	title   string
	desc    string
	legs    []*content.Leg
	regions map[string]*content.Region
	edition *content.Edition
	filter  content.ActivityFilter
	locale  content.Locale
	base    string
}

func (h *handler) edition(w http.ResponseWriter, r *http.Request) {
	year, ok := icsName(r.PathValue("file"))
	if !ok {
		notFound(w, "a calendar is /calendar/{year}.ics, such as /calendar/2023.ics")
		return
	}
	f, ok := h.editionFeed(w, r, year)
	if !ok {
		return
	}
	f.name = "estafette-" + year + ".ics"
	h.serve(w, r, f)
}

func (h *handler) region(w http.ResponseWriter, r *http.Request) {
	slug, ok := icsName(r.PathValue("file"))
	if !ok {
		notFound(w, "a region's calendar is /calendar/{year}/{region}.ics, such as /calendar/2023/zuid.ics")
		return
	}
	f, ok := h.editionFeed(w, r, r.PathValue("year"))
	if !ok {
		return
	}
	region, err := content.BySlug[content.Region](r.Context(), h.cat, slug)
	if h.failed(w, r, err) {
		return
	}
	if region == nil {
		notFound(w, fmt.Sprintf("there is no region %q", slug))
		return
	}
	if region.Slug != slug { // an earlier slug
		movedTo(w, r, "/calendar/"+r.PathValue("year")+"/"+region.Slug+".ics")
		return
	}
	var legs []*content.Leg
	for _, l := range f.legs {
		if l.RegionID == region.ID {
			legs = append(legs, l)
		}
	}
	f.legs = legs
	f.filter.RegionSlug = &region.Slug
	f.name = "estafette-" + strconv.Itoa(f.edition.Year) + "-" + region.Slug + ".ics"
	f.title = f.edition.Name.In(f.locale) + " · " + region.Name.In(f.locale)
	h.serve(w, r, f)
}

func (h *handler) initiative(w http.ResponseWriter, r *http.Request) {
	slug, ok := icsName(r.PathValue("file"))
	if !ok {
		notFound(w, "an initiative's calendar is /calendar/initiatives/{slug}.ics")
		return
	}
	loc := locale(r)
	ctx := content.WithLocale(r.Context(), loc)
	ini, err := content.BySlug[content.Initiative](ctx, h.cat, slug)
	if h.failed(w, r, err) {
		return
	}
	if ini == nil {
		notFound(w, fmt.Sprintf("there is no initiative %q", slug))
		return
	}
	if ini.Slug != slug { // an earlier slug
		movedTo(w, r, "/calendar/initiatives/"+ini.Slug+".ics")
		return
	}
	f := &feed{
		name:  "estafette-" + ini.Slug + ".ics",
		title: ini.Name.In(loc) + " · Slimme Zorg Estafette",
		desc:  ini.Summary.In(loc),
		// A synthetic initiative has synthetic activities only: its feed
		// lists them. Real feeds never hold synthetic activities.
		filter: content.ActivityFilter{InitiativeSlug: &ini.Slug, Synthetic: &ini.Synthetic},
		locale: loc,
	}
	h.serve(w, r, f)
}

// editionFeed starts the feed of the edition of year, or answers 404.
func (h *handler) editionFeed(w http.ResponseWriter, r *http.Request, year string) (*feed, bool) {
	y, err := strconv.Atoi(year)
	if err != nil || y < 1000 || y > 9999 {
		notFound(w, fmt.Sprintf("%q is not a year", year))
		return nil, false
	}
	loc := locale(r)
	ctx := content.WithLocale(r.Context(), loc)
	ed, err := h.cat.EditionByYear(ctx, y)
	if h.failed(w, r, err) {
		return nil, false
	}
	if ed == nil {
		notFound(w, fmt.Sprintf("there is no edition %d", y))
		return nil, false
	}
	regions, err := h.cat.Regions(ctx)
	if h.failed(w, r, err) {
		return nil, false
	}
	byID := map[string]*content.Region{}
	for _, g := range regions {
		byID[g.ID] = g
	}
	return &feed{
		title:   ed.Name.In(loc),
		desc:    ed.Summary.In(loc),
		legs:    ed.Legs,
		regions: byID,
		edition: ed,
		filter:  content.ActivityFilter{EditionYear: &y},
		locale:  loc,
	}, true
}

// icsName returns the name of a file "name.ics".
func icsName(file string) (string, bool) {
	name, ok := strings.CutSuffix(file, ".ics")
	return name, ok && name != ""
}

// locale is the language of the feed: ?locale=en, else Dutch. Calendar
// apps seldom send Accept-Language, so the link decides.
func locale(r *http.Request) content.Locale {
	if l, ok := content.ParseLocale(r.URL.Query().Get("locale")); ok {
		return l
	}
	return content.NL
}

func notFound(w http.ResponseWriter, msg string) {
	http.Error(w, "Not found: "+msg+".", http.StatusNotFound)
}

func (h *handler) failed(w http.ResponseWriter, r *http.Request, err error) bool {
	if err == nil {
		return false
	}
	h.o.Logger.ErrorContext(r.Context(), "calendar feed failed", "path", r.URL.Path, "err", err)
	http.Error(w, "The calendar could not be made; try again later.", http.StatusInternalServerError)
	return true
}

// baseURL is the base of the links in the feeds.
func (h *handler) baseURL(r *http.Request) string {
	if h.o.PublicURL != "" {
		return h.o.PublicURL
	}
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// serve writes the feed f.
func (h *handler) serve(w http.ResponseWriter, r *http.Request, f *feed) {
	ctx := content.WithLocale(r.Context(), f.locale)
	f.base = h.baseURL(r)
	// Count the activities left out for want of a date: all that match,
	// less those with a known start (a time window keeps only those).
	all, err := h.cat.Stats(ctx, f.filter, nil)
	if h.failed(w, r, err) {
		return
	}
	dated := f.filter
	dated.From = &time.Time{}
	known, err := h.cat.Stats(ctx, dated, nil)
	if h.failed(w, r, err) {
		return
	}
	undated := all[0].Count - known[0].Count

	hdr := w.Header()
	hdr.Set("Content-Type", "text/calendar; charset=utf-8")
	hdr.Set("Content-Disposition", `inline; filename="`+f.name+`"`)
	hdr.Set("X-Content-Type-Options", "nosniff")
	if content.ViewerFrom(ctx).Drafts {
		hdr.Set("Cache-Control", "private, no-store")
	} else {
		hdr.Set("Cache-Control", "public, max-age=300")
	}
	bw := bufio.NewWriterSize(w, 32<<10)
	rc := http.NewResponseController(w)
	n, err := writeFeed(ctx, h.cat, bw, f, undated, func() {
		// After each page: send it, and give the response another minute.
		_ = rc.SetWriteDeadline(time.Now().Add(time.Minute))
		_ = rc.Flush()
	})
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		h.o.Logger.ErrorContext(ctx, "calendar feed broke off", "path", r.URL.Path, "events", n, "err", err)
		panic(http.ErrAbortHandler)
	}
}

// crlf is the line end of iCalendar.
const crlf = "\r\n"

var serial = &ics.SerializationConfiguration{MaxLength: 75, PropertyMaxLength: 75, NewLine: crlf}

// vtimezone describes Europe/Amsterdam since 1996 (the EU rules: summer
// time from the last Sunday of March to the last Sunday of October).
const vtimezone = "BEGIN:VTIMEZONE" + crlf +
	"TZID:Europe/Amsterdam" + crlf +
	"X-LIC-LOCATION:Europe/Amsterdam" + crlf +
	"BEGIN:DAYLIGHT" + crlf +
	"TZOFFSETFROM:+0100" + crlf +
	"TZOFFSETTO:+0200" + crlf +
	"TZNAME:CEST" + crlf +
	"DTSTART:19700329T020000" + crlf +
	"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" + crlf +
	"END:DAYLIGHT" + crlf +
	"BEGIN:STANDARD" + crlf +
	"TZOFFSETFROM:+0200" + crlf +
	"TZOFFSETTO:+0100" + crlf +
	"TZNAME:CET" + crlf +
	"DTSTART:19701025T030000" + crlf +
	"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU" + crlf +
	"END:STANDARD" + crlf +
	"END:VTIMEZONE" + crlf

// texts of the feeds, in Dutch and English.
var (
	txtOnTurn  = content.Text{NL: "%s aan zet", EN: "%s's turn"}
	txtLegDesc = content.Text{NL: "Week %d van %s: %s heeft het stokje.", EN: "Week %d of %s: %s holds the baton."}
	txtUndated = content.Text{
		NL: "%d activiteit(en) zonder bekende datum staan niet in deze agenda; zie de API of de export.",
		EN: "%d activit(y/ies) whose date is not known are not in this calendar; see the API or the export.",
	}
	txtRegister = content.Text{NL: "Aanmelden: %s", EN: "Registration: %s"}
)

// writeFeed writes the calendar and returns the number of events; it calls
// flushed after writing each page of activities through.
func writeFeed(ctx context.Context, cat *content.Catalog, w *bufio.Writer, f *feed, undated int, flushed func()) (int, error) {
	cal := ics.NewCalendarFor("Slimme Zorg Estafette")
	cal.SetProductId(ProductID)
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetXWRCalName(oneLine(f.title))
	desc := f.desc
	if undated > 0 {
		note := fmt.Sprintf(txtUndated.In(f.locale), undated)
		desc = strings.TrimSpace(desc + "\n\n" + note)
	}
	if desc != "" {
		cal.SetXWRCalDesc(multiLine(desc))
	}
	cal.SetXWRTimezone("Europe/Amsterdam")
	cal.SetRefreshInterval("PT12H") // adds VALUE=DURATION
	cal.SetXPublishedTTL("PT12H")
	head := cal.Serialize(serial)
	head = strings.TrimSuffix(head, "END:VCALENDAR"+crlf)
	if _, err := w.WriteString(head + vtimezone); err != nil {
		return 0, err
	}
	n := 0
	for _, l := range f.legs {
		e := legEvent(f, l)
		if e == nil {
			continue
		}
		if err := e.SerializeTo(w, serial); err != nil {
			return n, err
		}
		n++
	}
	// Only activities whose start is known: a time window leaves out the
	// others.
	filter := f.filter
	filter.From = &time.Time{}
	size := content.MaxPageSize
	args := content.PageArgs{First: &size}
	for {
		page, err := cat.ListActivities(ctx, filter, content.Order[content.ActivityOrderField]{}, args)
		if err != nil {
			return n, err
		}
		for _, a := range page.Items {
			if err := activityEvent(f, a).SerializeTo(w, serial); err != nil {
				return n, err
			}
			n++
		}
		if !page.HasNextPage {
			break
		}
		if err := w.Flush(); err != nil {
			return n, err
		}
		flushed()
		args.After = page.EndCursor()
	}
	_, err := w.WriteString("END:VCALENDAR" + crlf)
	return n, err
}

// legEvent is the all-day event of a leg, or nil when its days are not known.
func legEvent(f *feed, l *content.Leg) *ics.VEvent {
	if l.StartsOn == nil {
		return nil
	}
	end := l.StartsOn
	if l.EndsOn != nil {
		end = l.EndsOn
	}
	name := l.RegionID
	if g := f.regions[l.RegionID]; g != nil {
		name = g.Name.In(f.locale)
	}
	e := ics.NewEvent(fmt.Sprintf("leg-%s-%d%s", f.edition.ID, l.Order, uidDomain))
	e.SetDtStampTime(f.edition.UpdatedAt)
	e.SetModifiedAt(f.edition.UpdatedAt)
	e.SetSequence(int(f.edition.Version))
	e.SetSummary(oneLine(fmt.Sprintf(txtOnTurn.In(f.locale), name)))
	desc := fmt.Sprintf(txtLegDesc.In(f.locale), l.Order, f.edition.Name.In(f.locale), name)
	if s := l.Summary.In(f.locale); s != "" {
		desc += "\n\n" + s
	}
	e.SetDescription(multiLine(desc))
	e.SetAllDayStartAt(dayTime(*l.StartsOn))
	e.SetAllDayEndAt(dayTime(*end).AddDate(0, 0, 1)) // DTEND of a day is exclusive
	e.SetProperty(ics.ComponentPropertyTransp, "TRANSPARENT")
	e.SetURL(uri(fmt.Sprintf("%s/insights/%d", f.base, f.edition.Year)))
	e.AddCategory("Slimme Zorg Estafette")
	return e
}

// activityEvent is the event of an activity whose start is known.
func activityEvent(f *feed, a *content.Activity) *ics.VEvent {
	e := ics.NewEvent(oneLine("activity-" + a.ID + uidDomain))
	e.SetDtStampTime(a.UpdatedAt)
	e.SetModifiedAt(a.UpdatedAt)
	e.SetSequence(int(a.Version))
	e.SetSummary(oneLine(a.Title.In(f.locale)))
	desc := a.Summary.In(f.locale)
	if a.RegistrationURL != nil {
		desc = strings.TrimSpace(desc + "\n\n" + fmt.Sprintf(txtRegister.In(f.locale), *a.RegistrationURL))
	}
	if desc != "" {
		e.SetDescription(multiLine(desc))
	}
	switch {
	case a.StartsAt != nil:
		e.SetProperty(ics.ComponentPropertyDtStart, localTime(*a.StartsAt), ics.WithTZID("Europe/Amsterdam"))
		if a.EndsAt != nil && a.EndsAt.After(*a.StartsAt) {
			e.SetProperty(ics.ComponentPropertyDtEnd, localTime(*a.EndsAt), ics.WithTZID("Europe/Amsterdam"))
		}
	case a.StartsOn != nil:
		end := *a.StartsOn
		if a.EndsOn != nil && !a.EndsOn.Before(end) {
			end = *a.EndsOn
		}
		e.SetAllDayStartAt(dayTime(*a.StartsOn))
		e.SetAllDayEndAt(dayTime(end).AddDate(0, 0, 1))
	}
	if a.Venue != nil {
		var parts []string
		for _, p := range []*string{a.Venue.Name, a.Venue.City} {
			if p != nil && *p != "" {
				parts = append(parts, *p)
			}
		}
		if len(parts) > 0 {
			e.SetLocation(oneLine(strings.Join(parts, ", ")))
		}
	}
	if a.Format != nil {
		e.AddCategory(oneLine(content.FormatLabel(*a.Format, f.locale)))
	}
	if a.Mode != nil {
		e.AddCategory(oneLine(content.ModeLabel(*a.Mode, f.locale)))
	}
	e.SetURL(uri(ActivityURL(f.base, a.Slug)))
	return e
}

// ActivityURL is the link from a calendar event back to an activity: the
// API's GraphQL GET request for it, which any browser opens.
func ActivityURL(base, slug string) string {
	q := `{ activity(slug: ` + strconv.Quote(slug) + `) { title summary startsOn startsAt endsAt venue { name city } registrationUrl } }`
	return base + "/query?" + url.Values{"query": {q}}.Encode()
}

// multiLine makes text safe for a TEXT value of several lines
// (DESCRIPTION, X-WR-CALDESC). golang-ical escapes backslashes, commas,
// semicolons and LF (as \n), but writes every other character as it is,
// so a bare CR in a title would end the line and start a property or a
// component of its own ("\rBEGIN:VEVENT"). Here CRLF and a lone CR become
// LF (escaped as \n by golang-ical), and the other control characters
// (C0 but tab, DEL, C1), which RFC 5545 does not allow in TEXT, are
// dropped, as are the Unicode line and paragraph separators.
func multiLine(s string) string { return clean(s, "\n") }

// oneLine makes text safe for a TEXT value of one line (SUMMARY,
// LOCATION, CATEGORIES, UID, X-WR-CALNAME): as multiLine, with every line
// end a space.
func oneLine(s string) string { return clean(s, " ") }

func clean(s, newline string) string {
	if !strings.ContainsFunc(s, unsafeInText) {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r':
			b.WriteString(newline)
		case unsafeInText(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// unsafeInText reports whether r needs care in an iCalendar TEXT value:
// a control character other than tab, or a line or paragraph separator.
func unsafeInText(r rune) bool {
	return r < 0x20 && r != '\t' || r >= 0x7f && r < 0xa0 || r == 0x2028 || r == 0x2029
}

// uri makes a URL safe for a URI value, which golang-ical does not escape
// at all: it drops controls and spaces (a URL with them is broken anyway).
func uri(s string) string {
	return strings.Map(func(r rune) rune {
		if r <= ' ' || r >= 0x7f && r < 0xa0 || r == 0x2028 || r == 0x2029 {
			return -1
		}
		return r
	}, s)
}

// dayTime is the midnight of a day, for the DATE values of all-day events.
func dayTime(d content.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// localTime writes an instant as Amsterdam local time, for TZID values.
func localTime(t time.Time) string { return t.In(content.Amsterdam).Format("20060102T150405") }

// movedTo answers 301 with the current address of a calendar asked for
// by an earlier slug of its record, keeping the query. Calendar clients
// follow it; it may be cached for five minutes, since an editor may
// release the slug for another record.
func movedTo(w http.ResponseWriter, r *http.Request, path string) {
	if r.URL.RawQuery != "" {
		path += "?" + r.URL.RawQuery
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	http.Redirect(w, r, path, http.StatusMovedPermanently)
}
