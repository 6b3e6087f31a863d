package content

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"estafette/content/mdlimits"
)

// Limits on the size of what editors write.
const (
	MaxSlugLength    = 100
	MaxNameLength    = 200  // names and titles
	MaxSummaryLength = 2000 // summaries and descriptions
	MaxBodyLength    = 100000
	MaxListLength    = 50 // organisers, themes, sources and other lists
	// MaxLineLength is the longest limit of a text that is a single line:
	// names, titles, cities, publishers. Such text refuses every control
	// character and the bidirectional embeddings, overrides and isolates;
	// longer text (summaries, bodies) refuses control characters other than
	// tab and line ends.
	MaxLineLength = 300
)

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Problems is every problem validation found in a record; its first
// problem is the error the API reports, the others travel with it.
type Problems []*Error

// Error implements error with the first problem.
func (p Problems) Error() string { return p[0].Error() }

// Unwrap exposes the first problem as an *Error, so that ErrorCode and
// ErrorField work on Problems.
func (p Problems) Unwrap() error { return p[0] }

// problems collects validation problems with field paths.
type problems struct{ list Problems }

func (p *problems) add(field, format string, args ...any) {
	p.list = append(p.list, Invalidf(field, format, args...))
}

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return p.list
}

// normalize trims what editors type by accident (spaces around slugs) and
// derives what follows from what was given: the day of an activity from its
// start time.
func normalize(r Record) {
	m := r.meta()
	m.Slug = strings.TrimSpace(m.Slug)
	if m.Sources == nil {
		m.Sources = []Source{}
	}
	if a, ok := r.(*Activity); ok {
		if a.StartsAt != nil && a.StartsOn == nil {
			d := DateOf(a.StartsAt.In(Amsterdam))
			a.StartsOn = &d
		}
		if a.EndsAt != nil && a.EndsOn == nil {
			d := DateOf(a.EndsAt.In(Amsterdam))
			a.EndsOn = &d
		}
	}
}

// Validate checks a record against the rules of the content: slug format
// and uniqueness, required Dutch text, text lengths, date order, dates
// inside the edition, http(s) URLs, existing references, known enum
// values. It returns Problems (code EINVALID, each with the path of the
// field, such as "title.nl" or "legs[2].startsOn") or nil. Drafts count as
// existing references; deleted records do not.
func (c *Catalog) Validate(ctx context.Context, r Record) error {
	return c.validate(ctx, r, nil)
}

// validate is Validate with records that are about to be written with r
// (an import): references to them count as existing.
func (c *Catalog) validate(ctx context.Context, r Record, pending map[Kind]map[string]Record) error {
	v := &validator{c: c, ctx: ctx, pending: pending}
	m := r.meta()
	v.slug(r.RecordKind(), m)
	v.sources(m.Sources)
	switch x := r.(type) {
	case *Edition:
		v.edition(x)
	case *Region:
		v.region(x)
	case *Initiative:
		v.initiative(x)
	case *Activity:
		v.activity(x)
	case *Organization:
		v.organization(x)
	case *Theme:
		v.text("name", x.Name, MaxNameLength, true)
		v.text("summary", x.Summary, MaxSummaryLength, false)
	case *Recap:
		v.recap(x)
	}
	if v.fail != nil {
		return v.fail
	}
	return v.p.err()
}

type validator struct {
	c       *Catalog
	ctx     context.Context
	p       problems
	fail    error                      // a store failure: not the editor's fault
	pending map[Kind]map[string]Record // records written together with this one, by id
}

func (v *validator) slug(kind Kind, m *Meta) {
	switch {
	case m.Slug == "":
		v.p.add("slug", "a slug is required")
		return
	case len(m.Slug) > MaxSlugLength:
		v.p.add("slug", "the slug is %d characters long; at most %d are allowed", len(m.Slug), MaxSlugLength)
		return
	case !slugPattern.MatchString(m.Slug):
		v.p.add("slug", "%q is not a slug: use lowercase letters a-z, digits and single hyphens between them, such as \"tour-de-beterdichtbij\"", m.Slug)
		return
	}
	docs, err := v.c.store.Find(v.ctx, Query{Kind: kind, Where: Eq("slug", m.Slug), Sort: []SortKey{{Field: "id"}}, Limit: 2})
	if err != nil {
		v.fail = err
		return
	}
	for _, d := range docs {
		if d.ID != m.ID {
			state := ""
			if st := d.Fields["status"]; len(st) > 0 && st[0] == StatusDeleted {
				state = " (deleted; an admin can restore it)"
			}
			v.p.add("slug", "the slug %q is already used by another %s%s", m.Slug, kind, state)
		}
	}
	// An earlier slug of another record still leads to it.
	a, _, err := v.c.alias(v.ctx, kind, m.Slug)
	if err != nil {
		v.fail = err
		return
	}
	if a != nil && a.RecordID != m.ID {
		v.p.add("slug", "the slug %q was the slug of another %s and still leads to it; an editor can release it (releaseSlugAlias)", m.Slug, kind)
	}
}

func (v *validator) text(field string, t Text, limit int, required bool) {
	if required && strings.TrimSpace(t.NL) == "" {
		v.p.add(field+".nl", "the Dutch text is required")
	}
	if !required && t.NL == "" && t.EN != "" {
		v.p.add(field+".nl", "an English text needs the Dutch text too")
	}
	for _, l := range []struct {
		name, s string
	}{{"nl", t.NL}, {"en", t.EN}} {
		if n := utf8.RuneCountInString(l.s); n > limit {
			v.p.add(field+"."+l.name, "the text is %d characters long; at most %d are allowed", n, limit)
		}
		v.chars(field+"."+l.name, l.s, limit <= MaxLineLength)
	}
}

// chars refuses the characters that make text display as something other
// than it is or break the formats it is written into (a bare CR starts a
// line in iCalendar and CSV): control characters (in a single line all of
// them, in longer text all but tab, LF and CR) and, in a single line, the
// line and paragraph separators and the bidirectional embeddings,
// overrides and isolates (U+202A–U+202E, U+2066–U+2069), with which
// "txt.exe" can read as "exe.txt". The marks U+200E and U+200F are allowed:
// they only set the direction of neutral characters.
func (v *validator) chars(field, s string, line bool) {
	i := 0
	for _, r := range s {
		i++
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			if line {
				v.p.add(field, "the text has the control character U+%04X at character %d; names and titles are a single line without tabs", r, i)
				return
			}
		case r < 0x20 || (r >= 0x7f && r < 0xa0):
			v.p.add(field, "the text has the control character U+%04X at character %d; leave it out", r, i)
			return
		case line && (r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069):
			v.p.add(field, "the text has the bidirectional control character U+%04X at character %d, which makes text read differently from what it is; leave it out", r, i)
			return
		case line && (r == 0x2028 || r == 0x2029):
			v.p.add(field, "the text has the line separator U+%04X at character %d; names and titles are a single line", r, i)
			return
		}
	}
}

func (v *validator) plain(field, s string, limit int, required bool) {
	if required && strings.TrimSpace(s) == "" {
		v.p.add(field, "this field is required")
	}
	if n := utf8.RuneCountInString(s); n > limit {
		v.p.add(field, "the text is %d characters long; at most %d are allowed", n, limit)
	}
	v.chars(field, s, limit <= MaxLineLength)
}

// markdown checks a Markdown text against the limits that keep rendering
// it cheap (mdlimits.Check): a body over them could take seconds and
// gigabytes to render on every view.
func (v *validator) markdown(field string, t Text) {
	for _, l := range []struct {
		name, s string
	}{{"nl", t.NL}, {"en", t.EN}} {
		var le *mdlimits.LimitError
		if err := mdlimits.Check(l.s); errors.As(err, &le) && le.Limit != "length" { // text reports the length
			v.p.add(field+"."+l.name, "%s", le.Error())
		}
	}
}

func (v *validator) url(field string, s *string) {
	if s == nil {
		return
	}
	u, err := url.Parse(*s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		v.p.add(field, "%q is not an http(s) URL", *s)
	}
	if len(*s) > 2000 {
		v.p.add(field, "the URL is longer than 2000 characters")
	}
}

func (v *validator) sources(ss []Source) {
	v.list("sources", len(ss))
	for i, s := range ss {
		f := fmt.Sprintf("sources[%d]", i)
		v.plain(f+".title", s.Title, 300, true)
		v.url(f+".url", s.URL)
		if s.Publisher != nil {
			v.plain(f+".publisher", *s.Publisher, MaxNameLength, false)
		}
	}
}

func (v *validator) list(field string, n int) {
	if n > MaxListLength {
		v.p.add(field, "the list has %d items; at most %d are allowed", n, MaxListLength)
	}
}

// dates checks that to is not before from; prefix is the path of the
// record part holding them ("" or "legs[1].").
func (v *validator) dates(prefix string, from, to *Date) {
	if from != nil && to != nil && to.Before(*from) {
		v.p.add(prefix+"endsOn", "the end (%s) is before the start (%s)", to, from)
	}
}

// refs checks that the referenced records exist (drafts included, deleted
// records not) and returns them.
func (v *validator) refs(field string, kind Kind, ids []string) map[string]Record {
	v.list(field, len(ids))
	if len(ids) == 0 || v.fail != nil {
		return nil
	}
	docs, err := v.c.store.Get(v.ctx, kind, ids)
	if err != nil {
		v.fail = err
		return nil
	}
	out := map[string]Record{}
	for i, id := range ids {
		d, ok := docs[id]
		var r Record
		if p, isPending := v.pending[kind][id]; isPending {
			r, ok = p, true
		} else if ok {
			if r, err = Decode(d); err != nil {
				v.fail = err
				return nil
			}
		}
		if !ok || r.meta().DeletedAt != nil {
			name := field
			if len(ids) > 1 || strings.HasSuffix(field, "s") {
				name = fmt.Sprintf("%s[%d]", field, i)
			}
			v.p.add(name, "there is no %s with id %q", kind, id)
			continue
		}
		if slices.Contains(ids[:i], id) {
			v.p.add(fmt.Sprintf("%s[%d]", field, i), "%s %q is listed twice", kind, id)
		}
		out[id] = r
	}
	return out
}

func (v *validator) ref(field string, kind Kind, id string) Record {
	if id == "" {
		return nil
	}
	return v.refs(field, kind, []string{id})[id]
}

func (v *validator) edition(e *Edition) {
	if e.Year < 2000 || e.Year > 2100 {
		v.p.add("year", "%d is not a year of the relay (2000-2100)", e.Year)
	} else if e.Slug != "" && e.Slug != fmt.Sprint(e.Year) {
		v.p.add("slug", "the slug of an edition is its year (%d), not %q", e.Year, e.Slug)
	}
	v.text("name", e.Name, MaxNameLength, true)
	v.text("summary", e.Summary, MaxSummaryLength, false)
	v.dates("", e.StartsOn, e.EndsOn)
	v.url("website", e.Website)
	v.ref("commissionedBy", KindOrganization, e.CommissionedByID)
	v.ref("organizedBy", KindOrganization, e.OrganizedByID)
	v.list("legs", len(e.Legs))
	seen := map[int]bool{}
	for i, l := range e.Legs {
		f := fmt.Sprintf("legs[%d]", i)
		if l.Order < 1 || seen[l.Order] {
			v.p.add(f+".order", "each leg needs its own order, 1 or more; %d is taken or too small", l.Order)
		}
		seen[l.Order] = true
		if l.RegionID == "" {
			v.p.add(f+".region", "a leg needs a region")
		} else {
			v.ref(f+".region", KindRegion, l.RegionID)
		}
		v.dates(f+".", l.StartsOn, l.EndsOn)
		for _, d := range []struct {
			name string
			day  *Date
		}{{"startsOn", l.StartsOn}, {"endsOn", l.EndsOn}} {
			if d.day == nil {
				continue
			}
			if (e.StartsOn != nil && d.day.Before(*e.StartsOn)) || (e.EndsOn != nil && e.EndsOn.Before(*d.day)) {
				v.p.add(f+"."+d.name, "%s is outside the edition (%s to %s)", d.day, dateOrUnknown(e.StartsOn), dateOrUnknown(e.EndsOn))
			}
		}
		v.text(f+".summary", l.Summary, MaxSummaryLength, false)
		v.refs(f+".organizers", KindOrganization, l.OrganizerIDs)
		v.refs(f+".themes", KindTheme, l.ThemeIDs)
	}
	if v.fail != nil || e.Year < 2000 {
		return
	}
	docs, err := v.c.store.Find(v.ctx, Query{Kind: KindEdition, Where: Eq("year", yearKey(e.Year)), Sort: []SortKey{{Field: "id"}}, Limit: 2})
	if err != nil {
		v.fail = err
		return
	}
	for _, d := range docs {
		if d.ID != e.ID {
			v.p.add("year", "there is already an edition of %d", e.Year)
		}
	}
}

func dateOrUnknown(d *Date) string {
	if d == nil {
		return "unknown"
	}
	return d.String()
}

func (v *validator) region(r *Region) {
	v.text("name", r.Name, MaxNameLength, true)
	if r.Position < 1 {
		v.p.add("position", "the position must be 1 or more")
	}
	v.list("provinces", len(r.Provinces))
	for i, p := range r.Provinces {
		f := fmt.Sprintf("provinces[%d]", i)
		if !slugPattern.MatchString(p.Slug) {
			v.p.add(f+".slug", "%q is not a slug", p.Slug)
		}
		v.plain(f+".name", p.Name, MaxNameLength, true)
	}
}

func (v *validator) initiative(in *Initiative) {
	v.text("name", in.Name, MaxNameLength, true)
	v.text("summary", in.Summary, MaxSummaryLength, false)
	v.url("website", in.Website)
	v.refs("organizations", KindOrganization, in.OrganizationIDs)
	v.refs("editions", KindEdition, in.EditionIDs)
	v.refs("regions", KindRegion, in.RegionIDs)
	v.refs("themes", KindTheme, in.ThemeIDs)
}

func (v *validator) organization(o *Organization) {
	v.plain("name", o.Name, MaxNameLength, true)
	v.text("description", o.Description, MaxSummaryLength, false)
	if o.Kind != nil && !slices.Contains(OrganizationKinds, *o.Kind) {
		v.p.add("kind", "%q is not a kind of organisation", *o.Kind)
	}
	if o.City != nil {
		v.plain("city", *o.City, MaxNameLength, false)
	}
	v.url("website", o.Website)
}

func (v *validator) recap(r *Recap) {
	v.text("title", r.Title, MaxNameLength, true)
	v.text("summary", r.Summary, MaxSummaryLength, false)
	v.text("body", r.Body, MaxBodyLength, true)
	v.markdown("body", r.Body)
	if r.EditionID == "" {
		v.p.add("edition", "a recap belongs to an edition")
	} else {
		v.ref("edition", KindEdition, r.EditionID)
	}
	v.refs("initiatives", KindInitiative, r.InitiativeIDs)
	v.refs("regions", KindRegion, r.RegionIDs)
}

func (v *validator) activity(a *Activity) {
	v.text("title", a.Title, MaxNameLength, true)
	v.text("summary", a.Summary, MaxSummaryLength, false)
	var edition *Edition
	if a.EditionID == "" {
		v.p.add("edition", "an activity belongs to an edition")
	} else if e, ok := v.ref("edition", KindEdition, a.EditionID).(*Edition); ok {
		edition = e
	}
	v.ref("region", KindRegion, a.RegionID)
	v.ref("initiative", KindInitiative, a.InitiativeID)
	v.refs("organizers", KindOrganization, a.OrganizerIDs)
	v.refs("themes", KindTheme, a.ThemeIDs)
	v.dates("", a.StartsOn, a.EndsOn)
	if a.StartsAt != nil && a.EndsAt != nil && a.EndsAt.Before(*a.StartsAt) {
		v.p.add("endsAt", "the end (%s) is before the start (%s)", FormatDateTime(*a.EndsAt), FormatDateTime(*a.StartsAt))
	}
	for _, pair := range []struct {
		field string
		day   *Date
		at    *time.Time
	}{{"startsOn", a.StartsOn, a.StartsAt}, {"endsOn", a.EndsOn, a.EndsAt}} {
		if pair.day != nil && pair.at != nil && DateOf(pair.at.In(Amsterdam)) != *pair.day {
			v.p.add(pair.field, "%s is not the day of %s in the Netherlands", pair.day, FormatDateTime(*pair.at))
		}
	}
	if a.Format != nil && !slices.Contains(Formats, *a.Format) {
		v.p.add("format", "%q is not a format", *a.Format)
	}
	if a.Mode != nil && !slices.Contains(Modes, *a.Mode) {
		v.p.add("mode", "%q is not a mode", *a.Mode)
	}
	for i, au := range a.Audiences {
		if !slices.Contains(Audiences, au) {
			v.p.add(fmt.Sprintf("audiences[%d]", i), "%q is not an audience", au)
		}
	}
	v.list("audiences", len(a.Audiences))
	v.url("registrationUrl", a.RegistrationURL)
	if a.Venue != nil {
		if a.Venue.Name != nil {
			v.plain("venue.name", *a.Venue.Name, MaxNameLength, false)
		}
		if a.Venue.City != nil {
			v.plain("venue.city", *a.Venue.City, MaxNameLength, false)
		}
		v.ref("venue.organization", KindOrganization, a.Venue.OrganizationID)
		if a.Venue.ProvinceSlug != "" && v.fail == nil {
			n, err := v.c.store.Count(v.ctx, KindRegion, And(Eq("provinces", a.Venue.ProvinceSlug), Not(Eq("status", StatusDeleted))))
			if err != nil {
				v.fail = err
			} else if n == 0 {
				v.p.add("venue.province", "there is no province %q", a.Venue.ProvinceSlug)
			}
		}
	}
	// An activity takes place within its edition, when both are known.
	if edition != nil {
		for _, d := range []struct {
			field string
			day   *Date
		}{{"startsOn", a.StartsOn}, {"endsOn", a.EndsOn}} {
			if d.day == nil {
				continue
			}
			if (edition.StartsOn != nil && d.day.Before(*edition.StartsOn)) || (edition.EndsOn != nil && edition.EndsOn.Before(*d.day)) {
				v.p.add(d.field, "%s is outside the edition %d (%s to %s)", d.day, edition.Year, dateOrUnknown(edition.StartsOn), dateOrUnknown(edition.EndsOn))
			}
		}
	}
}
