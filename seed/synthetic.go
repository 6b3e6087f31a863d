package seed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"estafette/content"
)

// The marks of synthetic content: every synthetic title starts with one of
// them, and every synthetic id and slug with SyntheticPrefix.
const (
	SyntheticMarkNL = "[Synthetisch]"
	SyntheticMarkEN = "[Synthetic]"
	SyntheticPrefix = "synthetic-"
)

// SyntheticBatch is the number of synthetic activities LoadSynthetic
// handles at a time (at most one Save each), so that memory stays small
// however many are loaded.
const SyntheticBatch = 1000

// syntheticSeed fixes the random streams of the generator.
const syntheticSeed = 0x53_5a_45_20_32_30_32_36 // "SZE 2026"

// Synthetic returns n synthetic activities for scale and load tests, with
// ids and slugs synthetic-000001 onwards. They are marked (Synthetic is true,
// titles start with "[Synthetisch]" and "[Synthetic]") and deterministic:
// the same n gives the same records, and Synthetic(n) is a prefix of
// Synthetic(n+1). They fall in the real editions and regions, but their
// organisers, initiatives and themes are those of SyntheticReferences,
// never real ones; they must be loaded after Content and
// SyntheticReferences.
func Synthetic(n int) []content.Record {
	g := newGenerator()
	out := make([]content.Record, 0, max(n, 0))
	for i := 1; i <= n; i++ {
		out = append(out, g.activity(i))
	}
	return out
}

// LoadSynthetic adds the synthetic organisations, themes and initiatives
// (SyntheticReferences) and the synthetic activities of Synthetic(n) that
// cat does not hold yet, in batches of SyntheticBatch, calling progress, when
// not nil, after every batch with the number done so far. It never
// changes a record that exists (an edited or deleted synthetic activity
// stays as it is), so loading again adds only what is missing. Synthetic
// activities are test data for scale, so they are saved directly (Save),
// without audit entries or change events. Each batch is all or nothing; on
// an error the batches before it stay saved.
func LoadSynthetic(ctx context.Context, cat *content.Catalog, n int, progress func(done, total int)) error {
	if n < 0 {
		return content.Invalidf("n", "the number of synthetic activities cannot be negative (got %d)", n)
	}
	if n > 0 {
		if err := saveMissing(ctx, cat, SyntheticReferences()); err != nil {
			return err
		}
	}
	g := newGenerator()
	batch := make([]content.Record, 0, min(n, SyntheticBatch))
	ids := make([]string, 0, min(n, SyntheticBatch))
	for from := 1; from <= n; from += SyntheticBatch {
		if err := ctx.Err(); err != nil {
			return err
		}
		ids = ids[:0]
		for i := from; i < from+SyntheticBatch && i <= n; i++ {
			ids = append(ids, SyntheticID(i))
		}
		have, err := cat.Store().Get(ctx, content.KindActivity, ids)
		if err != nil {
			return err
		}
		batch = batch[:0]
		for i := from; i < from+len(ids); i++ {
			a := g.activity(i) // always, so that the random streams stay the same
			if _, ok := have[a.ID]; !ok {
				batch = append(batch, a)
			}
		}
		if len(batch) > 0 {
			if err := cat.Save(ctx, batch...); err != nil {
				return fmt.Errorf("save synthetic activities %d-%d: %w", from, from+len(ids)-1, err)
			}
		}
		if progress != nil {
			progress(from+len(ids)-1, n)
		}
	}
	return nil
}

// saveMissing saves those of records (all of one kind or several) that
// cat does not hold yet.
func saveMissing(ctx context.Context, cat *content.Catalog, records []content.Record) error {
	var missing []content.Record
	for _, r := range records {
		m := content.MetaOf(r)
		have, err := cat.Store().Get(ctx, r.RecordKind(), []string{m.ID})
		if err != nil {
			return err
		}
		if _, ok := have[m.ID]; !ok {
			missing = append(missing, r)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if err := cat.Save(ctx, missing...); err != nil {
		return fmt.Errorf("save synthetic organisations, themes and initiatives: %w", err)
	}
	return nil
}

// RemoveSynthetic removes every synthetic record from cat (see
// content.Catalog.RemoveSynthetic: audited, actor "seed") and returns how
// many it removed. Real content is left as it is.
func RemoveSynthetic(ctx context.Context, cat *content.Catalog) (int, error) {
	return cat.RemoveSynthetic(ctx)
}

// SyntheticID returns the id (and slug) of the i-th synthetic activity,
// counting from 1.
func SyntheticID(i int) string { return fmt.Sprintf("%s%06d", SyntheticPrefix, i) }

// generator holds what the synthetic activities are built from: the
// editions and regions of the real content (which only frame them: an
// edition or region never lists its activities) and the synthetic
// organisations, initiatives and themes, and word lists.
type generator struct {
	editions      []*content.Edition
	regions       []*content.Region
	initiatives   []string // the synthetic initiatives, of 2024
	organizations []string
	themes        []string
}

func newGenerator() *generator {
	g := &generator{}
	for _, r := range Content() {
		switch r := r.(type) {
		case *content.Edition:
			g.editions = append(g.editions, r)
		case *content.Region:
			g.regions = append(g.regions, r)
		}
	}
	for _, r := range SyntheticReferences() {
		switch r := r.(type) {
		case *content.Initiative:
			g.initiatives = append(g.initiatives, r.ID)
		case *content.Organization:
			g.organizations = append(g.organizations, r.ID)
		case *content.Theme:
			g.themes = append(g.themes, r.ID)
		}
	}
	return g
}

// The numbers of synthetic organisations, themes and initiatives.
const (
	syntheticOrganizations = 12
	syntheticThemes        = 6
	syntheticInitiatives   = 5
)

// SyntheticReferences returns the synthetic organisations, themes and
// initiatives the synthetic activities reference, so that no synthetic
// activity is ever listed under a real organisation, initiative or theme.
// They are marked like the activities (Synthetic is true, names start
// with the marks, ids and slugs with SyntheticPrefix), and referenced
// records come first.
func SyntheticReferences() []content.Record {
	var out []content.Record
	var orgs, themes []string
	for i := 1; i <= syntheticOrganizations; i++ {
		id := fmt.Sprintf("%sorganisatie-%02d", SyntheticPrefix, i)
		orgs = append(orgs, id)
		// The kinds go round, so that statistics by kind have data.
		kind := content.OrganizationKinds[(i-1)%len(content.OrganizationKinds)]
		out = append(out, &content.Organization{
			Meta: syntheticMeta(id),
			Name: fmt.Sprintf("%s Testorganisatie %d", SyntheticMarkNL, i),
			Kind: &kind,
			Description: text(
				fmt.Sprintf("Verzonnen organisatie %d voor schaal- en belastingtests; zij bestaat niet.", i),
				fmt.Sprintf("Invented organisation %d for scale and load tests; it does not exist.", i)),
		})
	}
	for i := 1; i <= syntheticThemes; i++ {
		id := fmt.Sprintf("%sthema-%02d", SyntheticPrefix, i)
		themes = append(themes, id)
		out = append(out, &content.Theme{
			Meta:            syntheticMeta(id),
			CatalogCategory: true,
			Name:            text(fmt.Sprintf("%s Testthema %d", SyntheticMarkNL, i), fmt.Sprintf("%s Test theme %d", SyntheticMarkEN, i)),
			Summary: text(
				fmt.Sprintf("Verzonnen thema %d voor schaal- en belastingtests.", i),
				fmt.Sprintf("Invented theme %d for scale and load tests.", i)),
		})
	}
	for i := 1; i <= syntheticInitiatives; i++ {
		id := fmt.Sprintf("%sinitiatief-%02d", SyntheticPrefix, i)
		out = append(out, &content.Initiative{
			Meta: syntheticMeta(id),
			Name: text(fmt.Sprintf("%s Testinitiatief %d", SyntheticMarkNL, i), fmt.Sprintf("%s Test initiative %d", SyntheticMarkEN, i)),
			Summary: text(
				fmt.Sprintf("Verzonnen initiatief %d voor schaal- en belastingtests.", i),
				fmt.Sprintf("Invented initiative %d for scale and load tests.", i)),
			OrganizationIDs: []string{orgs[(i-1)%len(orgs)]},
			EditionIDs:      []string{edition2024},
			ThemeIDs:        []string{themes[(i-1)%len(themes)]},
		})
	}
	return out
}

// syntheticMeta is the metadata of a synthetic record whose id and slug
// are id.
func syntheticMeta(id string) content.Meta {
	m := meta(id, syntheticSource())
	m.Synthetic = true
	return m
}

// pair is a phrase in Dutch and English.
type pair struct{ nl, en string }

var (
	synFormats = map[content.Format]pair{
		content.FormatOpening:       {"Opening", "Opening"},
		content.FormatClosing:       {"Afsluiting", "Closing"},
		content.FormatWorkshop:      {"Workshop", "Workshop"},
		content.FormatPresentation:  {"Presentatie", "Presentation"},
		content.FormatMeeting:       {"Bijeenkomst", "Meeting"},
		content.FormatWebinar:       {"Webinar", "Webinar"},
		content.FormatPitch:         {"Pitchsessie", "Pitch session"},
		content.FormatDemonstration: {"Demonstratie", "Demonstration"},
		content.FormatVisit:         {"Werkbezoek", "Site visit"},
		content.FormatExperience:    {"Ervaarsessie", "Hands-on session"},
		content.FormatOther:         {"Activiteit", "Activity"},
	}
	synTopics = []pair{
		{"valpreventie", "fall prevention"},
		{"beeldbellen", "video calling"},
		{"leefstijlcoaching", "lifestyle coaching"},
		{"domotica", "home automation"},
		{"medicatieveiligheid", "medication safety"},
		{"telemonitoring", "remote monitoring"},
		{"zorgrobots", "care robots"},
		{"digitale inclusie", "digital inclusion"},
		{"mantelzorg", "informal care"},
		{"dementiezorg", "dementia care"},
		{"eenzaamheid", "loneliness"},
		{"zorgdata", "care data"},
		{"virtual reality", "virtual reality"},
		{"sensortechnologie", "sensor technology"},
		{"thuismeten", "home measurement"},
		{"cliëntportalen", "client portals"},
		{"spraakherkenning", "speech recognition"},
		{"wijkverpleging", "district nursing"},
	}
	synAngles = []pair{
		{"van idee naar praktijk", "from idea to practice"},
		{"lessen uit de regio", "lessons from the region"},
		{"wat werkt er al", "what already works"},
		{"samen aan de slag", "getting to work together"},
		{"voor zorgverleners en cliënten", "for care workers and clients"},
		{"de eerste stappen", "the first steps"},
		{"opschalen in de wijk", "scaling up in the neighbourhood"},
		{"ervaringen uit het ziekenhuis", "experiences from the hospital"},
	}
	synOpeners = []pair{
		{"Deelnemers verkennen", "Participants explore"},
		{"Zorgprofessionals delen ervaringen met", "Care professionals share experiences with"},
		{"Studenten en docenten onderzoeken", "Students and teachers look into"},
		{"Een open gesprek over", "An open conversation about"},
		{"Praktijkvoorbeelden en demonstraties rond", "Practical examples and demonstrations of"},
	}
)

// syntheticSource is the source of every synthetic activity.
func syntheticSource() content.Source {
	return content.Source{Title: "Synthetische testgegevens (estafette/seed.Synthetic)"}
}

// activity returns the i-th synthetic activity. Each index has its own
// random stream, so any activity can be built without the ones before it.
func (g *generator) activity(i int) *content.Activity {
	rng := rand.New(rand.NewPCG(syntheticSeed, uint64(i)))
	ed := g.editions[rng.IntN(len(g.editions))]

	// The day: inside a leg of the edition when legs with dates are known,
	// and then in that leg's region; else a weekday in February of its year.
	var region *content.Region
	var date content.Date
	if legs := datedLegs(ed); len(legs) > 0 {
		l := legs[rng.IntN(len(legs))]
		region = g.region(l.RegionID)
		date = weekdayIn(rng, *l.StartsOn, *l.EndsOn)
	} else {
		region = g.regions[rng.IntN(len(g.regions))]
		date = weekdayIn(rng, content.D(ed.Year, time.February, 1), content.D(ed.Year, time.February, 28))
	}
	start := time.Date(date.Year, date.Month, date.Day, 9+rng.IntN(6), 15*rng.IntN(4), 0, 0, content.Amsterdam)
	end := start.Add(time.Duration(60+15*rng.IntN(9)) * time.Minute) // 1 to 3 hours
	province := region.Provinces[rng.IntN(len(region.Provinces))]

	format := content.Formats[rng.IntN(len(content.Formats))]
	mode := content.Modes[rng.IntN(len(content.Modes))]
	topic := synTopics[rng.IntN(len(synTopics))]
	angle := synAngles[rng.IntN(len(synAngles))]
	opener := synOpeners[rng.IntN(len(synOpeners))]
	f := synFormats[format]

	id := SyntheticID(i)
	a := &content.Activity{
		Meta:      syntheticMeta(id),
		EditionID: ed.ID,
		RegionID:  region.ID,
		Title: text(
			fmt.Sprintf("%s %s %s: %s", SyntheticMarkNL, f.nl, topic.nl, angle.nl),
			fmt.Sprintf("%s %s on %s: %s", SyntheticMarkEN, f.en, topic.en, angle.en)),
		Summary: text(
			fmt.Sprintf("Synthetische testactiviteit %d. %s %s in %s, %s.", i, opener.nl, topic.nl, province.Name, region.Name.NL),
			fmt.Sprintf("Synthetic test activity %d. %s %s in %s, %s.", i, opener.en, topic.en, province.Name, region.Name.EN)),
		OrganizerIDs: pick(rng, g.organizations, 1+rng.IntN(3)),
		ThemeIDs:     pick(rng, g.themes, 1+rng.IntN(3)),
		Audiences:    pick(rng, content.Audiences, 1+rng.IntN(3)),
		StartsOn:     ptr(content.DateOf(start)),
		EndsOn:       ptr(content.DateOf(end)),
		StartsAt:     &start,
		EndsAt:       &end,
		Format:       &format,
		Mode:         &mode,
		Venue:        &content.Venue{ProvinceSlug: province.Slug},
	}
	if mode != content.ModeOnline {
		a.Venue.Name = ptr(fmt.Sprintf("Synthetische testlocatie %d", 1+rng.IntN(250)))
	}
	// Initiatives run in 2024 only; a third of those activities have none.
	if ed.ID == edition2024 && rng.IntN(3) > 0 {
		a.InitiativeID = g.initiatives[rng.IntN(len(g.initiatives))]
	}
	switch rng.IntN(3) {
	case 0:
		a.Interactive = ptr(true)
	case 1:
		a.Interactive = ptr(false)
	}
	return a
}

func (g *generator) region(id string) *content.Region {
	for _, r := range g.regions {
		if r.ID == id {
			return r
		}
	}
	panic("seed: leg of unknown region " + id) // cannot happen: the tests check every leg's region
}

// datedLegs returns the legs of e whose dates are known.
func datedLegs(e *content.Edition) []*content.Leg {
	var out []*content.Leg
	for _, l := range e.Legs {
		if l.StartsOn != nil && l.EndsOn != nil {
			out = append(out, l)
		}
	}
	return out
}

// weekdayIn returns a random Monday-to-Friday day from..to (inclusive), or
// from when the range holds no weekday.
func weekdayIn(rng *rand.Rand, from, to content.Date) content.Date {
	var days []content.Date
	for t := from.Start(); !to.Before(content.DateOf(t)); t = t.AddDate(0, 0, 1) {
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			days = append(days, content.DateOf(t))
		}
	}
	if len(days) == 0 {
		return from
	}
	return days[rng.IntN(len(days))]
}

// pick returns k distinct elements of list in list order.
func pick[T any](rng *rand.Rand, list []T, k int) []T {
	k = min(k, len(list))
	idx := rng.Perm(len(list))[:k]
	chosen := make([]bool, len(list))
	for _, j := range idx {
		chosen[j] = true
	}
	out := make([]T, 0, k)
	for j, v := range list {
		if chosen[j] {
			out = append(out, v)
		}
	}
	return out
}
