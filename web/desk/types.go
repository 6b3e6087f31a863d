package desk

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"estafette/content"
)

// fieldKind says how a field is edited.
type fieldKind string

// The kinds of field.
const (
	fText     fieldKind = "text"     // one line of plain text
	fLocal    fieldKind = "local"    // one line, Dutch and English
	fArea     fieldKind = "area"     // a few lines, Dutch and English
	fMarkdown fieldKind = "markdown" // Markdown, Dutch and English, with a live preview
	fDate     fieldKind = "date"     // a day
	fTime     fieldKind = "time"     // a time of day in Amsterdam, on the day of another field
	fDateTime fieldKind = "datetime" // a moment, in Amsterdam
	fURL      fieldKind = "url"
	fNumber   fieldKind = "number"
	fSelect   fieldKind = "select" // one of a list (a reference or a value)
	fMulti    fieldKind = "multi"  // several of a list
	fChecks   fieldKind = "checks" // several of a short list
	fTri      fieldKind = "tri"    // yes, no or unknown
)

// localized reports whether the field has a Dutch and an English text.
func (k fieldKind) localized() bool { return k == fLocal || k == fArea || k == fMarkdown }

// option is one choice of a select.
type option struct{ Value, Label string }

// field is one field of an edit form. Its Name is its path in the domain's
// validation problems ("startsOn", "venue.city"); a localized field has
// the inputs Name.nl and Name.en.
type field struct {
	Name     string
	Label    string // key of words
	Kind     fieldKind
	Required bool
	Hint     string // key of words
	Group    string // key of words of the fieldset it belongs to; "" for none
	Options  func(rd *refData, l lang) []option
	Create   bool // shown only when creating (the year of an edition)
}

// inputs returns the form names of the field: one, or the Dutch and the
// English one.
func (f field) inputs() []string {
	if f.Kind.localized() {
		return []string{f.Name + ".nl", f.Name + ".en"}
	}
	return []string{f.Name}
}

// ops are the domain's writes for one kind of record, through content.
type ops struct {
	blank     func() content.Record
	get       func(ctx context.Context, c *content.Catalog, id string) (content.Record, error)
	create    func(ctx context.Context, c *content.Catalog, r content.Record) (content.Record, error)
	update    func(ctx context.Context, c *content.Catalog, id string, version int64, apply func(content.Record) error) (content.Record, error)
	setStatus func(ctx context.Context, c *content.Catalog, id string, s content.Status) (content.Record, error)
	remove    func(ctx context.Context, c *content.Catalog, id string) (content.Record, error)
	restore   func(ctx context.Context, c *content.Catalog, id string) (content.Record, error)
}

type recordPtr[T any] interface {
	*T
	content.Record
}

func opsOf[T any, P recordPtr[T]]() ops {
	return ops{
		blank: func() content.Record { return P(new(T)) },
		get: func(ctx context.Context, c *content.Catalog, id string) (content.Record, error) {
			r, err := content.GetOne[T, P](ctx, c, id)
			if err != nil || r == nil {
				return nil, err
			}
			return r, nil
		},
		create: func(ctx context.Context, c *content.Catalog, r content.Record) (content.Record, error) {
			return content.Create[T, P](ctx, c, r.(P))
		},
		update: func(ctx context.Context, c *content.Catalog, id string, v int64, apply func(content.Record) error) (content.Record, error) {
			return content.Update[T, P](ctx, c, id, v, func(p P) error { return apply(p) })
		},
		setStatus: func(ctx context.Context, c *content.Catalog, id string, s content.Status) (content.Record, error) {
			return content.SetStatus[T, P](ctx, c, id, nil, s)
		},
		remove: func(ctx context.Context, c *content.Catalog, id string) (content.Record, error) {
			return content.Delete[T, P](ctx, c, id, nil)
		},
		restore: func(ctx context.Context, c *content.Catalog, id string) (content.Record, error) {
			return content.Restore[T, P](ctx, c, id)
		},
	}
}

// kindDesk is what the desk knows of one kind of content: its address,
// its words, its form and how form values map onto the record.
type kindDesk struct {
	Kind     content.Kind
	Path     string // "activities"
	One      string // key of words for one record
	Many     string // key of words for the list
	Fields   []field
	ops      ops
	toForm   func(r content.Record) url.Values
	fromForm func(v url.Values, r content.Record, l lang) []*content.Error
	title    func(r content.Record) string
	list     func(ctx context.Context, d *Desk, q listQuery) (*listPage, error)
	filters  []string // the filters its list offers
}

// field returns the field of the kind named name.
func (k *kindDesk) field(name string) (field, bool) {
	for _, f := range k.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return field{}, false
}

// ownerOf returns the field a problem's path belongs to ("organizers[1]"
// belongs to "organizers", "sources[0].url" to none), or "".
func (k *kindDesk) ownerOf(path string) string {
	p := path
	for p != "" {
		if _, ok := k.field(p); ok {
			return p
		}
		for _, suffix := range []string{".nl", ".en"} {
			if base, ok := strings.CutSuffix(p, suffix); ok {
				if f, ok := k.field(base); ok && f.Kind.localized() {
					return p
				}
			}
		}
		if q := indexPattern.ReplaceAllString(p, ""); q != p {
			p = q
			continue
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return ""
}

var indexPattern = regexp.MustCompile(`\[\d+\]`)

// form helpers

func setText(v url.Values, name string, t content.Text) {
	v.Set(name+".nl", t.NL)
	v.Set(name+".en", t.EN)
}

func getText(v url.Values, name string, line bool) content.Text {
	t := content.Text{NL: v.Get(name + ".nl"), EN: v.Get(name + ".en")}
	if line {
		t.NL, t.EN = strings.TrimSpace(t.NL), strings.TrimSpace(t.EN)
	} else {
		t.NL, t.EN = strings.TrimRight(t.NL, " \t\r\n"), strings.TrimRight(t.EN, " \t\r\n")
	}
	return t
}

func setPtr(v url.Values, name string, s *string) {
	if s != nil {
		v.Set(name, *s)
	} else {
		v.Set(name, "")
	}
}

func getPtr(v url.Values, name string) *string {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return nil
	}
	return &s
}

func setDate(v url.Values, name string, d *content.Date) {
	if d != nil {
		v.Set(name, d.String())
	} else {
		v.Set(name, "")
	}
}

// problems collects what a form's values cannot be read as.
type problems []*content.Error

func (p *problems) add(field, format string, args ...any) {
	*p = append(*p, content.Invalidf(field, format, args...))
}

func (p *problems) date(v url.Values, name string, l lang) *content.Date {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return nil
	}
	d, err := content.ParseDate(s)
	if err != nil {
		p.add(name, l.T("notADate"), s)
		return nil
	}
	return &d
}

// clock reads a time of day ("14:30") on day in Amsterdam.
func (p *problems) clock(v url.Values, name string, day *content.Date, dayField string, l lang) *time.Time {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return nil
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		p.add(name, l.T("notATime"), s)
		return nil
	}
	if day == nil {
		p.add(name, "%s", l.T("timeNeedsDay"))
		return nil
	}
	at := time.Date(day.Year, day.Month, day.Day, t.Hour(), t.Minute(), 0, 0, content.Amsterdam)
	return &at
}

func setClock(v url.Values, name string, t *time.Time) {
	if t != nil {
		v.Set(name, t.In(content.Amsterdam).Format("15:04"))
	} else {
		v.Set(name, "")
	}
}

func (p *problems) moment(v url.Values, name string, l lang) *time.Time {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return nil
	}
	t, err := time.ParseInLocation("2006-01-02T15:04", s, content.Amsterdam)
	if err != nil {
		p.add(name, l.T("notADate"), s)
		return nil
	}
	return &t
}

func setMoment(v url.Values, name string, t *time.Time) {
	if t != nil {
		v.Set(name, t.In(content.Amsterdam).Format("2006-01-02T15:04"))
	} else {
		v.Set(name, "")
	}
}

// ids returns the non-empty values of name, in order, once each.
func ids(v url.Values, name string) []string {
	out := []string{}
	for _, s := range v[name] {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func setMeta(v url.Values, m *content.Meta) { v.Set("slug", m.Slug) }

func getMeta(v url.Values, m *content.Meta) { m.Slug = strings.TrimSpace(v.Get("slug")) }

// kinds are the kinds the desk edits, in the order of the menu.
var kinds = []*kindDesk{activityDesk, recapDesk, initiativeDesk, organizationDesk, themeDesk, editionDesk}

func kindByPath(p string) *kindDesk {
	for _, k := range kinds {
		if k.Path == p {
			return k
		}
	}
	return nil
}

func kindOf(kind content.Kind) *kindDesk {
	for _, k := range kinds {
		if k.Kind == kind {
			return k
		}
	}
	return nil
}

var slugField = field{Name: "slug", Label: "slug", Kind: fText, Required: true, Hint: "slugHint"}

var activityDesk = &kindDesk{
	Kind: content.KindActivity, Path: "activities", One: "activity", Many: "activities",
	filters: []string{"q", "edition", "region", "initiative", "theme", "status", "sort"},
	Fields: []field{
		{Name: "title", Label: "title", Kind: fLocal, Required: true},
		slugField,
		{Name: "summary", Label: "summary", Kind: fArea},
		{Name: "edition", Label: "edition", Kind: fSelect, Required: true, Options: editionOptions},
		{Name: "region", Label: "region", Kind: fSelect, Options: regionOptions},
		{Name: "initiative", Label: "initiative", Kind: fSelect, Options: initiativeOptions},
		{Name: "organizers", Label: "organizers", Kind: fMulti, Options: organizationOptions},
		{Name: "startsOn", Label: "startsOn", Kind: fDate, Group: "when"},
		{Name: "startsAt", Label: "startsAt", Kind: fTime, Group: "when", Hint: "timeHint"},
		{Name: "endsOn", Label: "endsOn", Kind: fDate, Group: "when"},
		{Name: "endsAt", Label: "endsAt", Kind: fTime, Group: "when"},
		{Name: "venue.name", Label: "venueName", Kind: fText, Group: "where"},
		{Name: "venue.city", Label: "venueCity", Kind: fText, Group: "where"},
		{Name: "venue.province", Label: "venueProvince", Kind: fSelect, Group: "where", Options: provinceOptions},
		{Name: "venue.organization", Label: "venueOrganization", Kind: fSelect, Group: "where", Options: organizationOptions},
		{Name: "mode", Label: "mode", Kind: fSelect, Options: modeOptions},
		{Name: "format", Label: "format", Kind: fSelect, Options: formatOptions},
		{Name: "audiences", Label: "audiences", Kind: fChecks, Options: audienceOptions},
		{Name: "themes", Label: "themes", Kind: fMulti, Options: themeOptions},
		{Name: "registrationUrl", Label: "registrationUrl", Kind: fURL},
		{Name: "interactive", Label: "interactive", Kind: fTri},
	},
	ops: opsOf[content.Activity](),
	toForm: func(r content.Record) url.Values {
		a := r.(*content.Activity)
		v := url.Values{}
		setMeta(v, &a.Meta)
		setText(v, "title", a.Title)
		setText(v, "summary", a.Summary)
		v.Set("edition", a.EditionID)
		v.Set("region", a.RegionID)
		v.Set("initiative", a.InitiativeID)
		v["organizers"] = slices.Clone(a.OrganizerIDs)
		setDate(v, "startsOn", a.StartsOn)
		setClock(v, "startsAt", a.StartsAt)
		setDate(v, "endsOn", a.EndsOn)
		setClock(v, "endsAt", a.EndsAt)
		venue := a.Venue
		if venue == nil {
			venue = &content.Venue{}
		}
		setPtr(v, "venue.name", venue.Name)
		setPtr(v, "venue.city", venue.City)
		v.Set("venue.province", venue.ProvinceSlug)
		v.Set("venue.organization", venue.OrganizationID)
		v.Set("mode", "")
		if a.Mode != nil {
			v.Set("mode", string(*a.Mode))
		}
		v.Set("format", "")
		if a.Format != nil {
			v.Set("format", string(*a.Format))
		}
		v["audiences"] = []string{}
		for _, au := range a.Audiences {
			v.Add("audiences", string(au))
		}
		v["themes"] = slices.Clone(a.ThemeIDs)
		setPtr(v, "registrationUrl", a.RegistrationURL)
		v.Set("interactive", tri(a.Interactive))
		return v
	},
	fromForm: func(v url.Values, r content.Record, l lang) []*content.Error {
		a := r.(*content.Activity)
		var p problems
		getMeta(v, &a.Meta)
		a.Title = getText(v, "title", true)
		a.Summary = getText(v, "summary", false)
		a.EditionID = strings.TrimSpace(v.Get("edition"))
		a.RegionID = strings.TrimSpace(v.Get("region"))
		a.InitiativeID = strings.TrimSpace(v.Get("initiative"))
		a.OrganizerIDs = ids(v, "organizers")
		a.StartsOn = p.date(v, "startsOn", l)
		a.StartsAt = p.clock(v, "startsAt", a.StartsOn, "startsOn", l)
		a.EndsOn = p.date(v, "endsOn", l)
		endDay := a.EndsOn
		if endDay == nil {
			endDay = a.StartsOn
		}
		a.EndsAt = p.clock(v, "endsAt", endDay, "endsOn", l)
		venue := &content.Venue{Name: getPtr(v, "venue.name"), City: getPtr(v, "venue.city"),
			ProvinceSlug: strings.TrimSpace(v.Get("venue.province")), OrganizationID: strings.TrimSpace(v.Get("venue.organization"))}
		if venue.Name == nil && venue.City == nil && venue.ProvinceSlug == "" && venue.OrganizationID == "" {
			venue = nil
		}
		a.Venue = venue
		a.Mode, a.Format = nil, nil
		if s := v.Get("mode"); s != "" {
			m := content.Mode(s)
			a.Mode = &m
		}
		if s := v.Get("format"); s != "" {
			f := content.Format(s)
			a.Format = &f
		}
		a.Audiences = []content.Audience{}
		for _, s := range ids(v, "audiences") {
			a.Audiences = append(a.Audiences, content.Audience(s))
		}
		a.ThemeIDs = ids(v, "themes")
		a.RegistrationURL = getPtr(v, "registrationUrl")
		a.Interactive = readTri(v.Get("interactive"))
		return p
	},
	title: func(r content.Record) string { return r.(*content.Activity).Title.NL },
	list:  listActivities,
}

func tri(b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return "yes"
	}
	return "no"
}

func readTri(s string) *bool {
	switch s {
	case "yes":
		return new(true)
	case "no":
		return new(false)
	}
	return nil
}

var recapDesk = &kindDesk{
	Kind: content.KindRecap, Path: "recaps", One: "recap", Many: "recaps",
	filters: []string{"q", "edition", "region", "initiative", "status"},
	Fields: []field{
		{Name: "title", Label: "title", Kind: fLocal, Required: true},
		slugField,
		{Name: "summary", Label: "summary", Kind: fArea},
		{Name: "body", Label: "body", Kind: fMarkdown, Required: true, Hint: "markdownHelp"},
		{Name: "edition", Label: "edition", Kind: fSelect, Required: true, Options: editionOptions},
		{Name: "publishedAt", Label: "publishedAt", Kind: fDateTime, Hint: "timeHint"},
		{Name: "initiatives", Label: "initiatives", Kind: fMulti, Options: initiativeOptions},
		{Name: "regions", Label: "regions", Kind: fMulti, Options: regionOptions},
	},
	ops: opsOf[content.Recap](),
	toForm: func(r content.Record) url.Values {
		x := r.(*content.Recap)
		v := url.Values{}
		setMeta(v, &x.Meta)
		setText(v, "title", x.Title)
		setText(v, "summary", x.Summary)
		setText(v, "body", x.Body)
		v.Set("edition", x.EditionID)
		setMoment(v, "publishedAt", x.PublishedAt)
		v["initiatives"] = slices.Clone(x.InitiativeIDs)
		v["regions"] = slices.Clone(x.RegionIDs)
		return v
	},
	fromForm: func(v url.Values, r content.Record, l lang) []*content.Error {
		x := r.(*content.Recap)
		var p problems
		getMeta(v, &x.Meta)
		x.Title = getText(v, "title", true)
		x.Summary = getText(v, "summary", false)
		x.Body = getText(v, "body", false)
		x.EditionID = strings.TrimSpace(v.Get("edition"))
		x.PublishedAt = p.moment(v, "publishedAt", l)
		x.InitiativeIDs = ids(v, "initiatives")
		x.RegionIDs = ids(v, "regions")
		return p
	},
	title: func(r content.Record) string { return r.(*content.Recap).Title.NL },
	list:  listRecaps,
}

var initiativeDesk = &kindDesk{
	Kind: content.KindInitiative, Path: "initiatives", One: "initiative", Many: "initiatives",
	filters: []string{"q", "edition", "region", "theme", "status"},
	Fields: []field{
		{Name: "name", Label: "name", Kind: fLocal, Required: true},
		slugField,
		{Name: "summary", Label: "summary", Kind: fArea},
		{Name: "website", Label: "website", Kind: fURL},
		{Name: "organizations", Label: "organizations", Kind: fMulti, Options: organizationOptions},
		{Name: "editions", Label: "editionsOf", Kind: fMulti, Options: editionOptions},
		{Name: "regions", Label: "regions", Kind: fMulti, Options: regionOptions},
		{Name: "themes", Label: "themes", Kind: fMulti, Options: themeOptions},
	},
	ops: opsOf[content.Initiative](),
	toForm: func(r content.Record) url.Values {
		x := r.(*content.Initiative)
		v := url.Values{}
		setMeta(v, &x.Meta)
		setText(v, "name", x.Name)
		setText(v, "summary", x.Summary)
		setPtr(v, "website", x.Website)
		v["organizations"] = slices.Clone(x.OrganizationIDs)
		v["editions"] = slices.Clone(x.EditionIDs)
		v["regions"] = slices.Clone(x.RegionIDs)
		v["themes"] = slices.Clone(x.ThemeIDs)
		return v
	},
	fromForm: func(v url.Values, r content.Record, l lang) []*content.Error {
		x := r.(*content.Initiative)
		getMeta(v, &x.Meta)
		x.Name = getText(v, "name", true)
		x.Summary = getText(v, "summary", false)
		x.Website = getPtr(v, "website")
		x.OrganizationIDs = ids(v, "organizations")
		x.EditionIDs = ids(v, "editions")
		x.RegionIDs = ids(v, "regions")
		x.ThemeIDs = ids(v, "themes")
		return nil
	},
	title: func(r content.Record) string { return r.(*content.Initiative).Name.NL },
	list:  listInitiatives,
}

var organizationDesk = &kindDesk{
	Kind: content.KindOrganization, Path: "organizations", One: "organization", Many: "organizations",
	filters: []string{"q", "status"},
	Fields: []field{
		{Name: "name", Label: "name", Kind: fText, Required: true},
		slugField,
		{Name: "kind", Label: "kind", Kind: fSelect, Options: orgKindOptions},
		{Name: "city", Label: "city", Kind: fText},
		{Name: "website", Label: "website", Kind: fURL},
		{Name: "description", Label: "description", Kind: fArea},
	},
	ops: opsOf[content.Organization](),
	toForm: func(r content.Record) url.Values {
		x := r.(*content.Organization)
		v := url.Values{}
		setMeta(v, &x.Meta)
		v.Set("name", x.Name)
		v.Set("kind", "")
		if x.Kind != nil {
			v.Set("kind", string(*x.Kind))
		}
		setPtr(v, "city", x.City)
		setPtr(v, "website", x.Website)
		setText(v, "description", x.Description)
		return v
	},
	fromForm: func(v url.Values, r content.Record, l lang) []*content.Error {
		x := r.(*content.Organization)
		getMeta(v, &x.Meta)
		x.Name = strings.TrimSpace(v.Get("name"))
		x.Kind = nil
		if s := v.Get("kind"); s != "" {
			k := content.OrganizationKind(s)
			x.Kind = &k
		}
		x.City = getPtr(v, "city")
		x.Website = getPtr(v, "website")
		x.Description = getText(v, "description", false)
		return nil
	},
	title: func(r content.Record) string { return r.(*content.Organization).Name },
	list:  listOrganizations,
}

var themeDesk = &kindDesk{
	Kind: content.KindTheme, Path: "themes", One: "theme", Many: "themes",
	filters: []string{"q", "status"},
	Fields: []field{
		{Name: "name", Label: "name", Kind: fLocal, Required: true},
		slugField,
		{Name: "summary", Label: "summary", Kind: fArea},
	},
	ops: opsOf[content.Theme](),
	toForm: func(r content.Record) url.Values {
		x := r.(*content.Theme)
		v := url.Values{}
		setMeta(v, &x.Meta)
		setText(v, "name", x.Name)
		setText(v, "summary", x.Summary)
		return v
	},
	fromForm: func(v url.Values, r content.Record, l lang) []*content.Error {
		x := r.(*content.Theme)
		getMeta(v, &x.Meta)
		x.Name = getText(v, "name", true)
		x.Summary = getText(v, "summary", false)
		return nil
	},
	title: func(r content.Record) string { return r.(*content.Theme).Name.NL },
	list:  listThemes,
}

var editionDesk = &kindDesk{
	Kind: content.KindEdition, Path: "editions", One: "edition", Many: "editions",
	filters: []string{"status"},
	Fields: []field{
		{Name: "year", Label: "year", Kind: fNumber, Required: true},
		{Name: "name", Label: "name", Kind: fLocal, Required: true},
		{Name: "summary", Label: "summary", Kind: fArea},
		{Name: "startsOn", Label: "startsOn", Kind: fDate},
		{Name: "endsOn", Label: "endsOn", Kind: fDate},
		{Name: "website", Label: "website", Kind: fURL},
		{Name: "commissionedBy", Label: "commissionedBy", Kind: fSelect, Options: organizationOptions},
		{Name: "organizedBy", Label: "organizedBy", Kind: fSelect, Options: organizationOptions},
	},
	ops: opsOf[content.Edition](),
	toForm: func(r content.Record) url.Values {
		x := r.(*content.Edition)
		v := url.Values{}
		v.Set("year", "")
		if x.Year != 0 {
			v.Set("year", strconv.Itoa(x.Year))
		}
		setText(v, "name", x.Name)
		setText(v, "summary", x.Summary)
		setDate(v, "startsOn", x.StartsOn)
		setDate(v, "endsOn", x.EndsOn)
		setPtr(v, "website", x.Website)
		v.Set("commissionedBy", x.CommissionedByID)
		v.Set("organizedBy", x.OrganizedByID)
		return v
	},
	fromForm: func(v url.Values, r content.Record, l lang) []*content.Error {
		x := r.(*content.Edition)
		var p problems
		if s := strings.TrimSpace(v.Get("year")); s != "" {
			y, err := strconv.Atoi(s)
			if err != nil {
				p.add("year", l.T("notANumber"), s)
			} else {
				x.Year = y
				x.Slug = strconv.Itoa(y) // the slug of an edition is its year
			}
		} else {
			x.Year = 0
		}
		x.Name = getText(v, "name", true)
		x.Summary = getText(v, "summary", false)
		x.StartsOn = p.date(v, "startsOn", l)
		x.EndsOn = p.date(v, "endsOn", l)
		x.Website = getPtr(v, "website")
		x.CommissionedByID = strings.TrimSpace(v.Get("commissionedBy"))
		x.OrganizedByID = strings.TrimSpace(v.Get("organizedBy"))
		return p
	},
	title: func(r content.Record) string {
		x := r.(*content.Edition)
		return fmt.Sprintf("%d: %s", x.Year, x.Name.NL)
	},
	list: listEditions,
}
