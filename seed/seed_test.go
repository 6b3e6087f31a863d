package seed

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"estafette/content"
	"estafette/internal/collections"
	"estafette/sqlite"
)

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// index holds the records of a seed by kind and id.
type index struct {
	editions    map[string]*content.Edition
	regions     map[string]*content.Region
	provinces   map[string]string // province slug → region id
	initiatives map[string]*content.Initiative
	orgs        map[string]*content.Organization
	themes      map[string]*content.Theme
}

func newIndex(records []content.Record) index {
	x := index{
		editions:    map[string]*content.Edition{},
		regions:     map[string]*content.Region{},
		provinces:   map[string]string{},
		initiatives: map[string]*content.Initiative{},
		orgs:        map[string]*content.Organization{},
		themes:      map[string]*content.Theme{},
	}
	for _, r := range records {
		switch r := r.(type) {
		case *content.Edition:
			x.editions[r.ID] = r
		case *content.Region:
			x.regions[r.ID] = r
			for _, p := range r.Provinces {
				x.provinces[p.Slug] = r.ID
			}
		case *content.Initiative:
			x.initiatives[r.ID] = r
		case *content.Organization:
			x.orgs[r.ID] = r
		case *content.Theme:
			x.themes[r.ID] = r
		}
	}
	return x
}

func has[V any](m map[string]V, id string) bool { _, ok := m[id]; return ok }

// problems checks records against every rule of the seed and returns what
// is wrong, one line per problem. With encode, every record must also
// survive content.Encode and Decode (slow for many records).
func problems(records []content.Record, encode bool) []string {
	var out []string
	bad := func(r content.Record, format string, args ...any) {
		out = append(out, fmt.Sprintf("%s %s: %s", r.RecordKind(), metaOf(r).ID, fmt.Sprintf(format, args...)))
	}
	x := newIndex(records)
	ids := map[content.Kind]map[string]bool{}
	slugs := map[content.Kind]map[string]bool{}
	positions := map[int]bool{}
	provinceSeen := map[string]bool{}
	years := map[int]bool{}

	for _, r := range records {
		m := metaOf(r)
		k := r.RecordKind()
		if ids[k] == nil {
			ids[k], slugs[k] = map[string]bool{}, map[string]bool{}
		}
		if ids[k][m.ID] {
			bad(r, "duplicate id")
		}
		if slugs[k][m.Slug] {
			bad(r, "duplicate slug %q", m.Slug)
		}
		ids[k][m.ID], slugs[k][m.Slug] = true, true
		if m.ID != m.Slug {
			bad(r, "id differs from slug %q", m.Slug)
		}
		if !slugRE.MatchString(m.Slug) {
			bad(r, "slug %q is not lowercase a-z, 0-9 and single hyphens", m.Slug)
		}
		if m.Status != content.StatusPublished || m.Version != 1 {
			bad(r, "status %q version %d, want published version 1", m.Status, m.Version)
		}
		if !m.CreatedAt.Equal(Time) || !m.UpdatedAt.Equal(Time) {
			bad(r, "created %s updated %s, want the fixed seed time %s", m.CreatedAt, m.UpdatedAt, Time)
		}
		if len(m.Sources) == 0 {
			bad(r, "no source")
		}
		for _, s := range m.Sources {
			if strings.TrimSpace(s.Title) == "" {
				bad(r, "source without title")
			}
			if s.URL != nil && *s.URL != WebsiteURL {
				bad(r, "source URL %q is not a URL the facts give", *s.URL)
			}
			if s.PublishedOn != nil {
				bad(r, "source %q has a publication date, but the facts give none", s.Title)
			}
		}
		if encode {
			checkEncode(r, bad)
		}

		text := func(field string, t content.Text, required bool) {
			if required && strings.TrimSpace(t.NL) == "" {
				bad(r, "%s has no Dutch text", field)
			}
			if t.EN != "" && t.NL == "" {
				bad(r, "%s has English but no Dutch", field)
			}
			if t.NL != "" && t.EN == "" {
				bad(r, "%s has no English translation", field)
			}
		}
		refs := func(field string, list []string, exists func(string) bool) {
			seen := map[string]bool{}
			for _, id := range list {
				if !exists(id) {
					bad(r, "%s references unknown id %q", field, id)
				}
				if seen[id] {
					bad(r, "%s lists %q twice", field, id)
				}
				seen[id] = true
			}
		}
		isEdition := func(id string) bool { return has(x.editions, id) }
		isRegion := func(id string) bool { return has(x.regions, id) }
		isOrg := func(id string) bool { return has(x.orgs, id) }
		isTheme := func(id string) bool { return has(x.themes, id) }
		isInitiative := func(id string) bool { return has(x.initiatives, id) }

		switch r := r.(type) {
		case *content.Edition:
			if r.ID != strconv.Itoa(r.Year) {
				bad(r, "id is not the year %d", r.Year)
			}
			if years[r.Year] {
				bad(r, "second edition of %d", r.Year)
			}
			years[r.Year] = true
			text("name", r.Name, true)
			text("summary", r.Summary, true)
			if !strings.Contains(r.Name.NL, strconv.Itoa(r.Year)) {
				bad(r, "name %q does not name the year", r.Name.NL)
			}
			refs("commissionedBy", []string{r.CommissionedByID}, isOrg)
			if r.OrganizedByID != "" {
				refs("organizedBy", []string{r.OrganizedByID}, isOrg)
			}
			if r.Website != nil && *r.Website != WebsiteURL {
				bad(r, "website %q is not the event website", *r.Website)
			}
			if (r.StartsOn == nil) != (r.EndsOn == nil) {
				bad(r, "only one of startsOn and endsOn is set")
			}
			if r.StartsOn != nil && r.EndsOn != nil && r.EndsOn.Before(*r.StartsOn) {
				bad(r, "ends %s before it starts %s", r.EndsOn, r.StartsOn)
			}
			legRegions := map[string]bool{}
			for i, l := range r.Legs {
				if l.Order != i+1 {
					bad(r, "leg %d has order %d", i+1, l.Order)
				}
				if l.EditionID != r.ID {
					bad(r, "leg %d belongs to edition %q", l.Order, l.EditionID)
				}
				refs(fmt.Sprintf("leg %d region", l.Order), []string{l.RegionID}, isRegion)
				if legRegions[l.RegionID] {
					bad(r, "region %q has two legs", l.RegionID)
				}
				legRegions[l.RegionID] = true
				refs(fmt.Sprintf("leg %d organizers", l.Order), l.OrganizerIDs, isOrg)
				refs(fmt.Sprintf("leg %d themes", l.Order), l.ThemeIDs, isTheme)
				text(fmt.Sprintf("leg %d summary", l.Order), l.Summary, false)
				if l.StartsOn == nil || l.EndsOn == nil {
					continue
				}
				if l.EndsOn.Before(*l.StartsOn) {
					bad(r, "leg %d ends before it starts", l.Order)
				}
				if r.StartsOn == nil || l.StartsOn.Before(*r.StartsOn) || r.EndsOn.Before(*l.EndsOn) {
					bad(r, "leg %d (%s–%s) lies outside the edition's dates", l.Order, l.StartsOn, l.EndsOn)
				}
				if i > 0 && r.Legs[i-1].EndsOn != nil && !r.Legs[i-1].EndsOn.Before(*l.StartsOn) {
					bad(r, "leg %d starts before leg %d ends", l.Order, l.Order-1)
				}
			}
		case *content.Region:
			text("name", r.Name, true)
			if r.Position < 1 || r.Position > 4 || positions[r.Position] {
				bad(r, "position %d is not a free position 1..4", r.Position)
			}
			positions[r.Position] = true
			if len(r.Provinces) != 3 {
				bad(r, "%d provinces, want 3", len(r.Provinces))
			}
			for _, p := range r.Provinces {
				if !slugRE.MatchString(p.Slug) || p.Name == "" {
					bad(r, "province %q/%q has a bad slug or no name", p.Slug, p.Name)
				}
				if provinceSeen[p.Slug] {
					bad(r, "province %q is in two regions", p.Slug)
				}
				provinceSeen[p.Slug] = true
				if p.RegionID != r.ID {
					bad(r, "province %q points to region %q", p.Slug, p.RegionID)
				}
			}
		case *content.Organization:
			if strings.TrimSpace(r.Name) == "" {
				bad(r, "no name")
			}
			text("description", r.Description, false)
			if r.Kind != nil && !slices.Contains(content.OrganizationKinds, *r.Kind) {
				bad(r, "kind %v is not an organisation kind", r.Kind)
			}
			if r.Website != nil {
				bad(r, "website %q: the facts give no organisation website", *r.Website)
			}
		case *content.Theme:
			text("name", r.Name, true)
			text("summary", r.Summary, false)
		case *content.Initiative:
			text("name", r.Name, true)
			text("summary", r.Summary, true)
			if len(r.EditionIDs) == 0 {
				bad(r, "no edition")
			}
			refs("editions", r.EditionIDs, isEdition)
			refs("regions", r.RegionIDs, isRegion)
			refs("organizations", r.OrganizationIDs, isOrg)
			refs("themes", r.ThemeIDs, isTheme)
			if r.Website != nil {
				bad(r, "website %q: the facts give no initiative website", *r.Website)
			}
		case *content.Activity:
			checkActivity(r, x, bad, text, refs, isEdition, isRegion, isOrg, isTheme, isInitiative)
		case *content.Recap:
			text("title", r.Title, true)
			text("summary", r.Summary, true)
			text("body", r.Body, true)
			refs("edition", []string{r.EditionID}, isEdition)
			refs("regions", r.RegionIDs, isRegion)
			refs("initiatives", r.InitiativeIDs, isInitiative)
			// No source gives a recap's publication date: none is shown.
			if r.PublishedAt != nil {
				bad(r, "publishedAt %v, but no source gives a publication date", r.PublishedAt)
			}
		default:
			bad(r, "unexpected record type %T", r)
		}
	}
	return out
}

func checkActivity(a *content.Activity, x index,
	bad func(content.Record, string, ...any),
	text func(string, content.Text, bool),
	refs func(string, []string, func(string) bool),
	isEdition, isRegion, isOrg, isTheme, isInitiative func(string) bool,
) {
	text("title", a.Title, true)
	text("summary", a.Summary, true)
	refs("edition", []string{a.EditionID}, isEdition)
	if a.RegionID != "" {
		refs("region", []string{a.RegionID}, isRegion)
	}
	if a.InitiativeID != "" {
		refs("initiative", []string{a.InitiativeID}, isInitiative)
		if ini := x.initiatives[a.InitiativeID]; ini != nil && !slices.Contains(ini.EditionIDs, a.EditionID) {
			bad(a, "initiative %q does not run in edition %q", a.InitiativeID, a.EditionID)
		}
	}
	refs("organizers", a.OrganizerIDs, isOrg)
	refs("themes", a.ThemeIDs, isTheme)
	if a.Format != nil && !slices.Contains(content.Formats, *a.Format) {
		bad(a, "format %q is unknown", *a.Format)
	}
	if a.Mode != nil && !slices.Contains(content.Modes, *a.Mode) {
		bad(a, "mode %q is unknown", *a.Mode)
	}
	for _, au := range a.Audiences {
		if !slices.Contains(content.Audiences, au) {
			bad(a, "audience %q is unknown", au)
		}
	}
	if a.RegistrationURL != nil {
		bad(a, "registration URL %q: the facts give none", *a.RegistrationURL)
	}
	if v := a.Venue; v != nil {
		if v.ProvinceSlug != "" {
			region, ok := x.provinces[v.ProvinceSlug]
			switch {
			case !ok:
				bad(a, "venue province %q is unknown", v.ProvinceSlug)
			case a.RegionID != "" && region != a.RegionID:
				bad(a, "venue province %q lies in region %q, not %q", v.ProvinceSlug, region, a.RegionID)
			}
		}
		if v.OrganizationID != "" {
			refs("venue organization", []string{v.OrganizationID}, isOrg)
		}
	}

	// Timing: consistent in itself, and inside the edition and the leg of
	// the activity's region when their dates are known.
	if a.StartsAt != nil && a.StartsOn != nil && content.DateOf(a.StartsAt.In(content.Amsterdam)) != *a.StartsOn {
		bad(a, "startsAt %s is not on startsOn %s", a.StartsAt, a.StartsOn)
	}
	if a.EndsAt != nil && a.EndsOn != nil && content.DateOf(a.EndsAt.In(content.Amsterdam)) != *a.EndsOn {
		bad(a, "endsAt %s is not on endsOn %s", a.EndsAt, a.EndsOn)
	}
	if a.EndsAt != nil && (a.StartsAt == nil || a.EndsAt.Before(*a.StartsAt)) {
		bad(a, "endsAt without startsAt or before it")
	}
	if a.EndsOn != nil && (a.StartsOn == nil || a.EndsOn.Before(*a.StartsOn)) {
		bad(a, "endsOn without startsOn or before it")
	}
	start, end := a.Start(), a.End()
	if start == nil {
		return
	}
	if e := x.editions[a.EditionID]; e != nil && e.StartsOn != nil && e.EndsOn != nil {
		if start.Before(e.StartsOn.Start()) || end.After(e.EndsOn.End()) {
			bad(a, "takes place %s–%s, outside edition %s (%s–%s)", start, end, e.ID, e.StartsOn, e.EndsOn)
		}
		for _, l := range e.Legs {
			if l.RegionID != a.RegionID || l.StartsOn == nil || l.EndsOn == nil {
				continue
			}
			if start.Before(l.StartsOn.Start()) || end.After(l.EndsOn.End()) {
				bad(a, "takes place %s–%s, outside the %s leg (%s–%s)", start, end, l.RegionID, l.StartsOn, l.EndsOn)
			}
		}
	}
}

// checkEncode encodes r, decodes the document and encodes it again; both
// encodings must be the same document.
func checkEncode(r content.Record, bad func(content.Record, string, ...any)) {
	d, err := content.Encode(r)
	if err != nil {
		bad(r, "encode: %v", err)
		return
	}
	back, err := content.Decode(d)
	if err != nil {
		bad(r, "decode: %v", err)
		return
	}
	d2, err := content.Encode(back)
	if err != nil {
		bad(r, "encode after decode: %v", err)
		return
	}
	if !bytes.Equal(d.Body, d2.Body) || fmt.Sprint(d.Fields) != fmt.Sprint(d2.Fields) {
		bad(r, "does not survive encode/decode:\n%s\n%s", d.Body, d2.Body)
	}
}

func metaOf(r content.Record) *content.Meta {
	switch r := r.(type) {
	case *content.Edition:
		return &r.Meta
	case *content.Region:
		return &r.Meta
	case *content.Initiative:
		return &r.Meta
	case *content.Activity:
		return &r.Meta
	case *content.Organization:
		return &r.Meta
	case *content.Theme:
		return &r.Meta
	case *content.Recap:
		return &r.Meta
	}
	panic(fmt.Sprintf("unknown record type %T", r))
}

func reportProblems(tb testing.TB, ps []string) {
	tb.Helper()
	for _, p := range ps {
		tb.Error(p)
	}
}

func TestContentFollowsTheRules(t *testing.T) {
	reportProblems(t, problems(Content(), true))
}

// TestSourceMonth: the 2024 article gives its month, March 2024, and the
// seed keeps it at month precision (no invented day).
func TestSourceMonth(t *testing.T) {
	found := false
	for _, r := range Content() {
		for _, s := range metaOf(r).Sources {
			if p := s.PublishedAsKnown(); p != nil {
				if s.Title != srcICTHealth2024().Title || p.Value() != "2024-03" || p.Precision() != content.PrecisionMonth || s.PublishedOn != nil {
					t.Errorf("%s: source %q published %v (%s), on %v", metaOf(r).ID, s.Title, p, p.Precision(), s.PublishedOn)
				}
				found = true
			}
		}
	}
	if !found {
		t.Error("no source carries the month of the 2024 article")
	}
}

func TestContentCounts(t *testing.T) {
	got := map[content.Kind]int{}
	for _, r := range Content() {
		got[r.RecordKind()]++
	}
	want := map[content.Kind]int{
		content.KindEdition:      4,
		content.KindRegion:       4,
		content.KindOrganization: 12,
		content.KindTheme:        10,
		content.KindInitiative:   5,
		content.KindActivity:     13,
		content.KindRecap:        4,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("records per kind: got %v, want %v", got, want)
	}
}

// TestProblemsCatchBrokenRules proves that the checks can fail: each case
// breaks one rule in a fresh copy of the content.
func TestProblemsCatchBrokenRules(t *testing.T) {
	find := func(records []content.Record, kind content.Kind, id string) content.Record {
		for _, r := range records {
			if r.RecordKind() == kind && metaOf(r).ID == id {
				return r
			}
		}
		t.Fatalf("no %s %s", kind, id)
		return nil
	}
	cases := map[string]func([]content.Record) []content.Record{
		"unknown theme": func(rs []content.Record) []content.Record {
			find(rs, content.KindActivity, "2024-expobike").(*content.Activity).ThemeIDs = []string{"no-such-theme"}
			return rs
		},
		"unknown leg region": func(rs []content.Record) []content.Record {
			find(rs, content.KindEdition, "2023").(*content.Edition).Legs[0].RegionID = "midden"
			return rs
		},
		"bad slug": func(rs []content.Record) []content.Record {
			m := metaOf(find(rs, content.KindTheme, "ehealth"))
			m.ID, m.Slug = "eHealth", "eHealth"
			return rs
		},
		"duplicate id": func(rs []content.Record) []content.Record {
			m := metaOf(find(rs, content.KindOrganization, "cz"))
			m.ID, m.Slug = "zonmw", "zonmw"
			return rs
		},
		"no source": func(rs []content.Record) []content.Record {
			metaOf(find(rs, content.KindRegion, "west")).Sources = nil
			return rs
		},
		"no Dutch": func(rs []content.Record) []content.Record {
			find(rs, content.KindRecap, "terugblik-2023").(*content.Recap).Body.NL = ""
			return rs
		},
		"invented URL": func(rs []content.Record) []content.Record {
			m := metaOf(find(rs, content.KindInitiative, "expobike"))
			m.Sources[0].URL = ptr("https://example.org/expobike")
			return rs
		},
		"activity outside its edition": func(rs []content.Record) []content.Record {
			find(rs, content.KindActivity, "2023-landelijke-opening").(*content.Activity).StartsOn = day(2023, time.March, 6)
			return rs
		},
		"activity outside its leg": func(rs []content.Record) []content.Record {
			a := find(rs, content.KindActivity, "2021-zuid-good-food").(*content.Activity)
			a.StartsOn = day(2021, time.February, 4)
			return rs
		},
		"venue province in another region": func(rs []content.Record) []content.Record {
			find(rs, content.KindActivity, "2024-tour-de-beterdichtbij-bravis-ziekenhuis").(*content.Activity).Venue.ProvinceSlug = "utrecht"
			return rs
		},
		"unknown venue organisation": func(rs []content.Record) []content.Record {
			find(rs, content.KindActivity, "2024-tour-de-beterdichtbij-antonius-sneek").(*content.Activity).Venue.OrganizationID = "antonius"
			return rs
		},
		"initiative outside its edition": func(rs []content.Record) []content.Record {
			find(rs, content.KindActivity, "2021-zuid-good-food").(*content.Activity).InitiativeID = initExpobike
			return rs
		},
		"leg out of order": func(rs []content.Record) []content.Record {
			e := find(rs, content.KindEdition, "2021").(*content.Edition)
			e.Legs[0], e.Legs[1] = e.Legs[1], e.Legs[0]
			return rs
		},
		"draft": func(rs []content.Record) []content.Record {
			metaOf(find(rs, content.KindEdition, "2022")).Status = content.StatusDraft
			return rs
		},
		"missing reference target": func(rs []content.Record) []content.Record {
			return slices.DeleteFunc(rs, func(r content.Record) bool {
				return r.RecordKind() == content.KindOrganization && metaOf(r).ID == orgBeterDichtbij
			})
		},
	}
	for name, breakIt := range cases {
		t.Run(name, func(t *testing.T) {
			if ps := problems(breakIt(Content()), true); len(ps) == 0 {
				t.Error("the broken content passes the checks")
			}
		})
	}
}

func TestContentIsFresh(t *testing.T) {
	a := Content()
	a[0].(*content.Region).Provinces[0].Name = "changed"
	metaOf(a[len(a)-1]).Sources[0].Publisher = ptr("changed")
	b := Content()
	if b[0].(*content.Region).Provinces[0].Name == "changed" || *metaOf(b[len(b)-1]).Sources[0].Publisher == "changed" {
		t.Error("Content shares values between calls")
	}
}

func TestRegionsAndProvinces(t *testing.T) {
	want := []struct {
		id, nl, en string
		provinces  []string
	}{
		{"oost", "Regio Oost", "Region East", []string{"overijssel", "gelderland", "flevoland"}},
		{"west", "Regio West", "Region West", []string{"noord-holland", "zuid-holland", "utrecht"}},
		{"noord", "Regio Noord", "Region North", []string{"groningen", "friesland", "drenthe"}},
		{"zuid", "Regio Zuid", "Region South", []string{"zeeland", "noord-brabant", "limburg"}},
	}
	x := newIndex(Content())
	for i, w := range want {
		r := x.regions[w.id]
		if r == nil {
			t.Errorf("no region %s", w.id)
			continue
		}
		var got []string
		for _, p := range r.Provinces {
			got = append(got, p.Slug)
		}
		if r.Position != i+1 || r.Name.NL != w.nl || r.Name.EN != w.en || !slices.Equal(got, w.provinces) {
			t.Errorf("region %s: got position %d, %q/%q, %v; want %d, %q/%q, %v",
				w.id, r.Position, r.Name.NL, r.Name.EN, got, i+1, w.nl, w.en, w.provinces)
		}
	}
	if fr := x.regions["noord"].Province("friesland"); fr == nil || fr.Name != "Friesland" || !slices.Equal(fr.AltNames, []string{"Fryslân"}) {
		t.Errorf("friesland: got %+v, want Friesland with alt name Fryslân", fr)
	}
}

func TestEditionsAndLegs(t *testing.T) {
	type legWant struct {
		region   string
		from, to content.Date
	}
	d := content.D
	want := map[string]struct {
		from, to    *content.Date
		organizedBy string
		legs        []legWant
	}{
		"2021": {day(2021, 2, 1), day(2021, 2, 26), "", []legWant{
			{"oost", d(2021, 2, 1), d(2021, 2, 5)},
			{"west", d(2021, 2, 8), d(2021, 2, 12)},
			{"noord", d(2021, 2, 15), d(2021, 2, 19)},
			{"zuid", d(2021, 2, 22), d(2021, 2, 26)},
		}},
		"2022": {nil, nil, "", nil},
		"2023": {day(2023, 2, 6), day(2023, 3, 3), "", []legWant{
			{"oost", d(2023, 2, 6), d(2023, 2, 10)},
			{"west", d(2023, 2, 13), d(2023, 2, 17)},
			{"noord", d(2023, 2, 20), d(2023, 2, 24)},
			{"zuid", d(2023, 2, 27), d(2023, 3, 3)},
		}},
		"2024": {nil, nil, "zonmw", nil},
	}
	x := newIndex(Content())
	if len(x.editions) != len(want) {
		t.Errorf("got %d editions, want %d", len(x.editions), len(want))
	}
	str := func(p *content.Date) string {
		if p == nil {
			return "nil"
		}
		return p.String()
	}
	for id, w := range want {
		e := x.editions[id]
		if e == nil {
			t.Errorf("no edition %s", id)
			continue
		}
		if e.Name.NL != "Slimme Zorg Estafette "+id || e.CommissionedByID != "ministerie-van-vws" || e.OrganizedByID != w.organizedBy {
			t.Errorf("edition %s: got name %q, commissioned by %q, organised by %q", id, e.Name.NL, e.CommissionedByID, e.OrganizedByID)
		}
		if str(e.StartsOn) != str(w.from) || str(e.EndsOn) != str(w.to) {
			t.Errorf("edition %s: got %s–%s, want %s–%s", id, str(e.StartsOn), str(e.EndsOn), str(w.from), str(w.to))
		}
		if (id == "2023") != (e.Website != nil) || (e.Website != nil && *e.Website != WebsiteURL) {
			t.Errorf("edition %s: website %v, want %s on 2023 only (the only source that gives it)", id, e.Website, WebsiteURL)
		}
		if len(e.Legs) != len(w.legs) {
			t.Errorf("edition %s: got %d legs, want %d", id, len(e.Legs), len(w.legs))
			continue
		}
		for i, l := range e.Legs {
			wl := w.legs[i]
			if l.Order != i+1 || l.RegionID != wl.region || str(l.StartsOn) != wl.from.String() || str(l.EndsOn) != wl.to.String() {
				t.Errorf("edition %s leg %d: got %d %s %s–%s, want %d %s %s–%s", id, i+1,
					l.Order, l.RegionID, str(l.StartsOn), str(l.EndsOn), i+1, wl.region, wl.from, wl.to)
			}
		}
	}
	zuid := x.editions["2021"].Legs[3]
	if !slices.Equal(zuid.OrganizerIDs, []string{orgCIC, orgVWS}) || !slices.Equal(zuid.ThemeIDs, themesZuid2021()) || zuid.Summary.NL == "" {
		t.Errorf("2021 Zuid leg: got organizers %v, themes %v, summary %q", zuid.OrganizerIDs, zuid.ThemeIDs, zuid.Summary.NL)
	}
	if n := len(themesZuid2021()); n != 5 {
		t.Errorf("2021 Zuid themes: got %d, want the five the facts name", n)
	}
}

func TestActivityFacts(t *testing.T) {
	acts := map[string]*content.Activity{}
	for _, r := range Content() {
		if a, ok := r.(*content.Activity); ok {
			acts[a.ID] = a
			if a.Synthetic {
				t.Errorf("activity %s: real content marked synthetic", a.ID)
			}
		}
	}
	op := acts["2021-zuid-opening"]
	wantStart := time.Date(2021, 2, 22, 10, 0, 0, 0, content.Amsterdam)
	if op == nil || op.StartsAt == nil || !op.StartsAt.Equal(wantStart) || op.EndsAt != nil ||
		*op.Format != content.FormatOpening || *op.Mode != content.ModeOnline || op.RegionID != "zuid" ||
		len(op.OrganizerIDs) != 0 {
		t.Errorf("2021 Zuid opening: got %+v", op)
	}
	if got := content.FormatDateTime(*op.StartsAt); got != "2021-02-22T10:00:00+01:00" {
		t.Errorf("2021 Zuid opening starts at %s, want 2021-02-22T10:00:00+01:00", got)
	}
	days := map[string]content.Date{
		"2021-zuid-pitchevent-vl-nl": content.D(2021, 2, 23),
		"2021-zuid-good-food":        content.D(2021, 2, 25),
		"2023-landelijke-opening":    content.D(2023, 2, 6),
	}
	for id, want := range days {
		a := acts[id]
		if a == nil || a.StartsOn == nil || *a.StartsOn != want || a.StartsAt != nil || a.EndsAt != nil {
			t.Errorf("%s: got %+v, want only startsOn %s", id, a, want)
		}
	}
	for _, id := range []string{"2021-oost-opening", "2021-west-opening", "2021-noord-opening", "2021-landelijke-slotbijeenkomst"} {
		a := acts[id]
		if a == nil || a.Start() != nil {
			t.Errorf("%s: missing, or has a date the facts do not give", id)
		}
	}
	visits := map[string][3]string{ // venue organisation → region, city, province
		orgAntonius:   {"noord", "Sneek", "friesland"},
		orgWilhelmina: {"noord", "Assen", "drenthe"},
		orgBravis:     {"zuid", "Roosendaal", "noord-brabant"},
	}
	n := 0
	for _, a := range acts {
		if a.InitiativeID != initTour {
			continue
		}
		n++
		v := a.Venue
		w, ok := visits[v.OrganizationID]
		if !ok || a.RegionID != w[0] || *v.City != w[1] || v.ProvinceSlug != w[2] || a.Start() != nil ||
			*a.Format != content.FormatVisit || *a.Mode != content.ModeOnsite ||
			!slices.Equal(a.OrganizerIDs, []string{orgBeterDichtbij}) || !slices.Contains(a.ThemeIDs, themeDigitaleCommunic) ||
			len(a.Audiences) != 0 {
			t.Errorf("tour visit %s: got %+v venue %+v", a.ID, a, v)
		}
	}
	if n != len(visits) {
		t.Errorf("got %d tour visits, want %d", n, len(visits))
	}
}

// recordingStore is the embedded store that also records the size of
// every Put and every Apply.
type recordingStore struct {
	content.Store
	puts    []int
	applies []int
}

func (s *recordingStore) Apply(ctx context.Context, writes ...content.Write) error {
	s.applies = append(s.applies, len(writes))
	return s.Store.Apply(ctx, writes...)
}

func newTestStore(t *testing.T) *recordingStore {
	t.Helper()
	s, err := sqlite.Open(context.Background(), t.TempDir(), collections.All())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &recordingStore{Store: s}
}

func (s *recordingStore) Put(ctx context.Context, docs ...content.Doc) error {
	s.puts = append(s.puts, len(docs))
	return s.Store.Put(ctx, docs...)
}

// all returns every document of every kind.
func (s *recordingStore) all(t *testing.T) []content.Doc {
	t.Helper()
	var out []content.Doc
	for _, c := range collections.All() {
		docs, err := s.Find(context.Background(), content.Query{Kind: c.Kind, Sort: []content.SortKey{{Field: "id"}}})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, docs...)
	}
	return out
}

// snapshot writes every document of s in a stable order.
func (s *recordingStore) snapshot(t *testing.T) string {
	var lines []string
	for _, d := range s.all(t) {
		lines = append(lines, fmt.Sprintf("%s/%s %s %v", d.Kind, d.ID, d.Body, d.Fields))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

func TestLoadIsAllAtOnceAndIdempotent(t *testing.T) {
	ctx := context.Background()
	store := newTestStore(t)
	cat := content.NewCatalog(store)
	if empty, err := IsEmpty(ctx, store); err != nil || !empty {
		t.Fatalf("IsEmpty before loading: got %v, %v; want true", empty, err)
	}
	n, err := Load(ctx, cat)
	if err != nil {
		t.Fatal(err)
	}
	if want := len(Content()); n != want {
		t.Errorf("Load returned %d, want %d", n, want)
	}
	if !slices.Equal(store.applies, []int{n}) || len(store.puts) != 0 {
		t.Errorf("Load made applies of %v writes and puts %v, want one apply of %d", store.applies, store.puts, n)
	}
	if empty, err := IsEmpty(ctx, store); err != nil || empty {
		t.Fatalf("IsEmpty after loading: got %v, %v; want false", empty, err)
	}
	first := store.snapshot(t)
	if _, err := Load(ctx, cat); err != nil {
		t.Fatal(err)
	}
	if second := store.snapshot(t); second != first {
		t.Error("loading twice changed the stored documents")
	}
	if len(store.applies) != 1 {
		t.Errorf("loading again wrote: applies %v", store.applies)
	}
	// The records, and an audit entry and a revision of each.
	if total := len(store.all(t)); total != 3*n {
		t.Errorf("store holds %d documents after two loads, want %d", total, 3*n)
	}
}

// A store seeded before the seed wrote through the catalog (no audit
// entries, no seed hashes) follows a changed seed: nobody else wrote it.
func TestSyncUpdatesRecordsSavedByAnOlderSeed(t *testing.T) {
	ctx := context.Background()
	store := newTestStore(t)
	cat := content.NewCatalog(store)
	if err := cat.Save(ctx, Content()...); err != nil {
		t.Fatal(err)
	}
	rep, err := Sync(ctx, cat, content.SeedOptions{})
	if err != nil || rep.Unchanged != len(Content()) {
		t.Fatalf("sync of the same content: %+v %v", rep, err)
	}
	changed := Content()
	th := changed[slices.IndexFunc(changed, func(r content.Record) bool { return r.RecordKind() == content.KindTheme })].(*content.Theme)
	th.Name.NL = "Nieuwe naam"
	if rep, err = cat.Seed(ctx, changed, content.SeedOptions{}); err != nil || rep.Updated != 1 || len(rep.Edited) != 0 {
		t.Fatalf("sync of a changed theme: %+v %v", rep, err)
	}
	docs, _ := store.Get(ctx, content.KindTheme, []string{th.ID})
	if r, _ := content.Decode(docs[th.ID]); r.(*content.Theme).Name.NL != "Nieuwe naam" || content.MetaOf(r).Version != 2 {
		t.Errorf("theme %+v", r)
	}
}

func TestIsEmptyReportsStoreErrors(t *testing.T) {
	if _, err := IsEmpty(context.Background(), failingCount{newTestStore(t)}); err == nil {
		t.Error("IsEmpty hid a store error")
	}
}

type failingCount struct{ content.Store }

func (failingCount) Count(context.Context, content.Kind, *content.Cond) (int, error) {
	return 0, errors.New("down")
}

// bodies returns the JSON of records, which is the body content.Encode
// stores (Encode itself is slow: it also computes search tokens).
func bodies(tb testing.TB, records []content.Record) []string {
	tb.Helper()
	out := make([]string, len(records))
	for i, r := range records {
		b, err := json.Marshal(r)
		if err != nil {
			tb.Fatal(err)
		}
		out[i] = string(b)
	}
	return out
}

func TestSyntheticIsDeterministic(t *testing.T) {
	a, b := bodies(t, Synthetic(500)), bodies(t, Synthetic(500))
	if !slices.Equal(a, b) {
		t.Error("Synthetic(500) differs between calls")
	}
	if c := bodies(t, Synthetic(200)); !slices.Equal(c, a[:200]) {
		t.Error("Synthetic(200) is not a prefix of Synthetic(500)")
	}
	if len(Synthetic(0)) != 0 || len(Synthetic(-3)) != 0 {
		t.Error("Synthetic of zero or fewer gives records")
	}
}

func TestSyntheticFollowsTheRules(t *testing.T) {
	const n = 1200
	syn := Synthetic(n)
	refs := SyntheticReferences()
	reportProblems(t, problems(append(append(Content(), refs...), syn...), false))
	for _, r := range refs {
		if m := metaOf(r); !m.Synthetic || !strings.HasPrefix(m.ID, SyntheticPrefix) {
			t.Errorf("synthetic reference %s is not marked synthetic", m.ID)
		}
	}
	for i := 0; i < len(syn); i += 10 {
		if _, err := content.Encode(syn[i]); err != nil {
			t.Errorf("encode %s: %v", metaOf(syn[i]).ID, err)
		}
	}

	seen := map[string]map[string]bool{}
	see := func(what, v string) {
		if seen[what] == nil {
			seen[what] = map[string]bool{}
		}
		seen[what][v] = true
	}
	for i, r := range syn {
		a, ok := r.(*content.Activity)
		if !ok {
			t.Fatalf("synthetic record %d is a %T", i, r)
		}
		if want := fmt.Sprintf("synthetic-%06d", i+1); a.ID != want {
			t.Errorf("synthetic record %d has id %s, want %s", i, a.ID, want)
		}
		if !a.Synthetic || !strings.HasPrefix(a.Title.NL, "[Synthetisch] ") || !strings.HasPrefix(a.Title.EN, "[Synthetic] ") {
			t.Errorf("%s is not marked synthetic: %v %q %q", a.ID, a.Synthetic, a.Title.NL, a.Title.EN)
		}
		if a.StartsAt == nil || a.EndsAt == nil || a.StartsOn == nil || a.RegionID == "" || a.Venue == nil {
			t.Errorf("%s lacks times, region or venue", a.ID)
			continue
		}
		s, e := a.StartsAt.In(content.Amsterdam), a.EndsAt.In(content.Amsterdam)
		if d := e.Sub(s); d < time.Hour || d > 3*time.Hour {
			t.Errorf("%s lasts %s, want 1 to 3 hours", a.ID, d)
		}
		if s.Hour() < 9 || e.Hour()*60+e.Minute() > 18*60 || s.Weekday() == time.Saturday || s.Weekday() == time.Sunday {
			t.Errorf("%s runs %s–%s, outside working hours", a.ID, s, e)
		}
		if s.Month() != time.February && !(a.EditionID == "2023" && s.Month() == time.March) {
			t.Errorf("%s starts %s, not in its edition's February", a.ID, s)
		}
		if strconv.Itoa(s.Year()) != a.EditionID {
			t.Errorf("%s starts in %d, edition %s", a.ID, s.Year(), a.EditionID)
		}
		if n := len(a.OrganizerIDs); n < 1 || n > 3 {
			t.Errorf("%s has %d organizers, want 1-3", a.ID, n)
		}
		if n := len(a.ThemeIDs); n < 1 || n > 3 {
			t.Errorf("%s has %d themes, want 1-3", a.ID, n)
		}
		see("edition", a.EditionID)
		see("region", a.RegionID)
		see("province", a.Venue.ProvinceSlug)
		see("format", string(*a.Format))
		see("mode", string(*a.Mode))
		see("initiative", a.InitiativeID)
		for _, o := range a.OrganizerIDs {
			see("organization", o)
		}
		for _, th := range a.ThemeIDs {
			see("theme", th)
		}
		for _, au := range a.Audiences {
			see("audience", string(au))
		}
	}
	x, sx := newIndex(Content()), newIndex(refs)
	// No synthetic activity is listed under a real organisation,
	// initiative or theme.
	for what := range map[string]bool{"initiative": true, "organization": true, "theme": true} {
		for id := range seen[what] {
			if id != "" && !strings.HasPrefix(id, SyntheticPrefix) {
				t.Errorf("a synthetic activity references the real %s %s", what, id)
			}
		}
	}
	spread := map[string]int{
		"edition": len(x.editions), "region": len(x.regions), "province": len(x.provinces),
		"format": len(content.Formats), "mode": len(content.Modes), "audience": len(content.Audiences),
		"initiative":   len(sx.initiatives) + 1, // and none
		"organization": len(sx.orgs), "theme": len(sx.themes),
	}
	for what, want := range spread {
		if got := len(seen[what]); got != want {
			t.Errorf("synthetic activities use %d distinct %ss, want %d", got, what, want)
		}
	}
}

func TestLoadSyntheticInBatches(t *testing.T) {
	ctx := context.Background()
	store := newTestStore(t)
	if _, err := Load(ctx, content.NewCatalog(store)); err != nil {
		t.Fatal(err)
	}
	store.puts = nil
	cat := content.NewCatalog(store)
	var calls [][2]int
	if err := LoadSynthetic(ctx, cat, 2100, func(done, total int) { calls = append(calls, [2]int{done, total}) }); err != nil {
		t.Fatal(err)
	}
	if want := [][2]int{{1000, 2100}, {2000, 2100}, {2100, 2100}}; !slices.Equal(calls, want) {
		t.Errorf("progress: got %v, want %v", calls, want)
	}
	// The synthetic organisations, themes and initiatives first, then the
	// activities in batches.
	if want := []int{len(SyntheticReferences()), 1000, 1000, 100}; !slices.Equal(store.puts, want) {
		t.Errorf("puts: got %v, want %v", store.puts, want)
	}
	want := bodies(t, Synthetic(2100))
	got := make([]string, 0, len(want))
	ids := make([]string, 2100)
	for i := range ids {
		ids[i] = SyntheticID(i + 1)
	}
	saved, err := store.Get(ctx, content.KindActivity, ids)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 2100; i++ {
		d, ok := saved[SyntheticID(i)]
		if !ok {
			t.Fatalf("%s was not saved", SyntheticID(i))
		}
		got = append(got, string(d.Body))
	}
	if !slices.Equal(got, want) {
		t.Error("LoadSynthetic saved other records than Synthetic returns")
	}

	store = newTestStore(t)
	if err := LoadSynthetic(ctx, content.NewCatalog(store), 0, nil); err != nil || len(store.puts) != 0 {
		t.Errorf("LoadSynthetic(0): got %v and puts %v, want nothing", err, store.puts)
	}
	if err := LoadSynthetic(ctx, content.NewCatalog(store), -1, nil); content.ErrorCode(err) != content.EINVALID {
		t.Errorf("LoadSynthetic(-1): got %v, want an EINVALID error", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := LoadSynthetic(cctx, content.NewCatalog(store), 10, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("LoadSynthetic with a cancelled context: got %v", err)
	}
}
