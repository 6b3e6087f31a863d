package storetest

import (
	"cmp"
	"slices"
	"testing"
	"time"

	"estafette/content"
)

// The records of the catalog tests, built here so the suite depends on
// nothing but the content package.

var created = time.Date(2023, 1, 10, 9, 0, 0, 0, time.UTC)

// at is a moment in Amsterdam time.
func at(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, content.Amsterdam)
}

func day(y int, m time.Month, d int) *content.Date {
	v := content.D(y, m, d)
	return &v
}

func meta(id string, status content.Status) content.Meta {
	return content.Meta{ID: id, Slug: id, Status: status, Version: 1, CreatedAt: created, UpdatedAt: created,
		Sources: []content.Source{{Title: "storetest"}}}
}

func published(id string) content.Meta { return meta(id, content.StatusPublished) }

// reference returns the records activities refer to: two editions (2023
// with four legs, 2024 without), a draft edition, four regions and a draft
// one, two themes, two organisations and an initiative.
func reference() []content.Record {
	region := func(id, slug string, pos int, name string, provinces ...string) *content.Region {
		r := &content.Region{Meta: published(id), Name: content.NLText(name), Position: pos}
		r.Slug = slug
		for _, p := range provinces {
			r.Provinces = append(r.Provinces, &content.Province{Slug: p, Name: p})
		}
		return r
	}
	draftRegion := region("reg-draft", "concept", 5, "Concept", "atlantis")
	draftRegion.Status = content.StatusDraft
	leg := func(order int, region string, from, to *content.Date) *content.Leg {
		return &content.Leg{Order: order, RegionID: region, StartsOn: from, EndsOn: to, Summary: content.NLText("week")}
	}
	ed2023 := &content.Edition{Meta: published("ed-2023"), Year: 2023, Name: content.NLText("Slimme Zorg Estafette 2023"),
		StartsOn: day(2023, 2, 6), EndsOn: day(2023, 3, 3),
		// Out of order on purpose: decoding puts legs in order.
		Legs: []*content.Leg{
			leg(3, "reg-zuid", day(2023, 2, 20), day(2023, 2, 24)),
			leg(1, "reg-noord", day(2023, 2, 6), day(2023, 2, 10)),
			leg(2, "reg-oost", day(2023, 2, 13), day(2023, 2, 17)),
			leg(4, "reg-west", day(2023, 2, 27), day(2023, 3, 3)),
		}}
	ed2023.Slug = "2023"
	ed2024 := &content.Edition{Meta: published("ed-2024"), Year: 2024, Name: content.NLText("Slimme Zorg Estafette 2024"),
		StartsOn: day(2024, 2, 5), EndsOn: day(2024, 3, 1), Legs: []*content.Leg{}}
	ed2024.Slug = "2024"
	ed2025 := &content.Edition{Meta: meta("ed-2025", content.StatusDraft), Year: 2025, Name: content.NLText("Concept 2025"),
		StartsOn: day(2025, 2, 3), EndsOn: day(2025, 2, 28), Legs: []*content.Leg{}}
	ed2025.Slug = "2025"
	theme := func(id, slug, name string) *content.Theme {
		th := &content.Theme{Meta: published(id), Name: content.NLText(name)}
		th.Slug = slug
		return th
	}
	org := func(id, slug, name string, kind content.OrganizationKind) *content.Organization {
		o := &content.Organization{Meta: published(id), Name: name, Kind: &kind}
		o.Slug = slug
		return o
	}
	tour := &content.Initiative{Meta: published("ini-tour"), Name: content.NLText("Tour de BeterDichtbij"),
		OrganizationIDs: []string{"org-vilans"}, EditionIDs: []string{"ed-2023"}, RegionIDs: []string{"reg-noord"}, ThemeIDs: []string{"th-digi"}}
	tour.Slug = "tour-de-beterdichtbij"
	return []content.Record{
		ed2023, ed2024, ed2025,
		region("reg-west", "west", 4, "West", "noord-holland", "zuid-holland", "utrecht"),
		region("reg-noord", "noord", 1, "Noord", "groningen", "friesland", "drenthe"),
		region("reg-zuid", "zuid", 3, "Zuid", "limburg", "noord-brabant", "zeeland"),
		region("reg-oost", "oost", 2, "Oost", "overijssel", "gelderland", "flevoland"),
		draftRegion,
		theme("th-mental", "mentale-gezondheid", "Mentale gezondheid"),
		theme("th-digi", "digitale-zorg", "Digitale zorg"),
		org("org-umcg", "umcg", "UMCG", content.OrgHospital),
		org("org-vilans", "vilans", "Vilans", content.OrgNetwork),
		tour,
	}
}

// opt sets something on an activity.
type opt func(*content.Activity)

func activity(id string, opts ...opt) *content.Activity {
	a := &content.Activity{Meta: published(id), EditionID: "ed-2023", Title: content.NLText("Activiteit " + id),
		OrganizerIDs: []string{}, ThemeIDs: []string{}, Audiences: []content.Audience{}}
	for _, o := range opts {
		o(a)
	}
	return a
}

func title(nl string) opt { return func(a *content.Activity) { a.Title = content.NLText(nl) } }
func titleEN(nl, en string) opt {
	return func(a *content.Activity) { a.Title = content.Text{NL: nl, EN: en} }
}
func summary(nl string) opt { return func(a *content.Activity) { a.Summary = content.NLText(nl) } }
func startsAt(t time.Time) opt {
	return func(a *content.Activity) { a.StartsAt = &t; a.StartsOn = day(t.In(content.Amsterdam).Date()) }
}
func endsAt(t time.Time) opt {
	return func(a *content.Activity) { a.EndsAt = &t; a.EndsOn = day(t.In(content.Amsterdam).Date()) }
}
func onDays(from, to *content.Date) opt {
	return func(a *content.Activity) { a.StartsOn, a.EndsOn = from, to }
}
func edition(id string) opt        { return func(a *content.Activity) { a.EditionID = id } }
func region(id string) opt         { return func(a *content.Activity) { a.RegionID = id } }
func themes(ids ...string) opt     { return func(a *content.Activity) { a.ThemeIDs = ids } }
func organizers(ids ...string) opt { return func(a *content.Activity) { a.OrganizerIDs = ids } }
func initiative(id string) opt     { return func(a *content.Activity) { a.InitiativeID = id } }
func format(f content.Format) opt  { return func(a *content.Activity) { a.Format = &f } }
func mode(m content.Mode) opt      { return func(a *content.Activity) { a.Mode = &m } }
func draft() opt                   { return func(a *content.Activity) { a.Status = content.StatusDraft } }

// save stores records through the catalog.
func save(t *testing.T, cat *content.Catalog, records ...content.Record) {
	t.Helper()
	if err := cat.Save(ctx, records...); err != nil {
		t.Fatalf("save: %v", err)
	}
}

func activities(as []*content.Activity) []content.Record {
	out := make([]content.Record, len(as))
	for i, a := range as {
		out[i] = a
	}
	return out
}

// startOrder sorts activities the way the API lists them by start time:
// by the first moment they may take place, unknown times last, ties by id.
func startOrder(as []*content.Activity) []string { return byStart(as, false) }

// startOrderDesc sorts activities the way the API lists them by start time,
// descending: unknown times first, ties by id descending (the catalog breaks
// ties in the direction of the ordering).
func startOrderDesc(as []*content.Activity) []string { return byStart(as, true) }

func byStart(as []*content.Activity, desc bool) []string {
	as = slices.Clone(as)
	slices.SortFunc(as, func(a, b *content.Activity) int {
		sa, sb := a.Start(), b.Start()
		c := 0
		switch {
		case sa == nil && sb != nil:
			c = 1
		case sa != nil && sb == nil:
			c = -1
		case sa != nil && sb != nil:
			c = sa.Compare(*sb)
		}
		c = cmp.Or(c, cmp.Compare(a.ID, b.ID))
		if desc {
			c = -c
		}
		return c
	})
	return actIDs(as)
}

// titleOrder sorts activities by title without regard to case or accents,
// ties by id.
func titleOrder(as []*content.Activity) []string {
	as = slices.Clone(as)
	slices.SortFunc(as, func(a, b *content.Activity) int {
		return cmp.Or(cmp.Compare(content.SortKeyOf(a.Title.NL), content.SortKeyOf(b.Title.NL)), cmp.Compare(a.ID, b.ID))
	})
	return actIDs(as)
}

func actIDs(as []*content.Activity) []string {
	ids := []string{}
	for _, a := range as {
		ids = append(ids, a.ID)
	}
	return ids
}
