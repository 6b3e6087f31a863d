package content

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Statistics over activities.
//
// Every count here is computed by the store (Store.Group: SQL GROUP BY,
// MongoDB $group): the process never loads the activities it counts, only
// the buckets and the few records that name them (editions, regions,
// initiatives, themes, organisations). Counts respect visibility: the
// public counts published activities, preview viewers drafts too.

// Dimension is a property activities are grouped by in statistics and
// facets.
type Dimension string

// The dimensions. Theme and organization kind are multi-valued: an activity
// with two themes counts once under each, so the counts of such a dimension
// may add up to more than the number of activities; one without any counts
// under the unknown value.
const (
	DimensionEdition          Dimension = "edition"           // the edition; value: the year ("2023")
	DimensionRegion           Dimension = "region"            // the region of the activity's week; value: slug
	DimensionProvince         Dimension = "province"          // the province of the venue; value: slug
	DimensionInitiative       Dimension = "initiative"        // value: the initiative's slug
	DimensionTheme            Dimension = "theme"             // value: the theme's slug (multi-valued)
	DimensionFormat           Dimension = "format"            // value: the Format ("workshop")
	DimensionMode             Dimension = "mode"              // value: the Mode ("onsite")
	DimensionOrganizationKind Dimension = "organization_kind" // value: an OrganizationKind of an organiser (multi-valued)
	DimensionMonth            Dimension = "month"             // the month of the start in Amsterdam; value: "2023-02"
	DimensionWeekday          Dimension = "weekday"           // the ISO weekday of the start in Amsterdam; value: "1" (Monday) to "7"
)

// Dimensions lists every Dimension.
var Dimensions = []Dimension{DimensionEdition, DimensionRegion, DimensionProvince, DimensionInitiative,
	DimensionTheme, DimensionFormat, DimensionMode, DimensionOrganizationKind, DimensionMonth, DimensionWeekday}

// MaxStatDimensions is the largest number of dimensions one Stats call
// groups by; it bounds the number of buckets.
const MaxStatDimensions = 3

// dimensionField is the activity index field behind a dimension.
var dimensionField = map[Dimension]struct {
	field string
	multi bool
}{
	DimensionEdition:          {"edition", false},
	DimensionRegion:           {"region", false},
	DimensionProvince:         {"province", false},
	DimensionInitiative:       {"initiative", false},
	DimensionTheme:            {"themeKeys", true},
	DimensionFormat:           {"format", false},
	DimensionMode:             {"mode", false},
	DimensionOrganizationKind: {"orgKinds", true},
	DimensionMonth:            {"month", false},
	DimensionWeekday:          {"weekday", false},
}

// StatKey is the value of one dimension in a bucket.
type StatKey struct {
	Dimension Dimension
	// Value identifies the value for machines, in the form a filter takes
	// it: the edition year, the slug of a region, province, initiative or
	// theme, the enum value as stored for format, mode and organisation
	// kind ("onsite"; the GraphQL enum name is its upper-case form),
	// "YYYY-MM" for a month, "1" (Monday) to "7" for a weekday. Nil when the
	// value is not known, or names a record the caller may not see.
	Value *string
	// Label names the value for people, in the locale of the context: the
	// year, the name of the record, the label of the enum, "februari 2023",
	// "maandag"; "Onbekend" or "Unknown" when Value is nil.
	Label string
	// ID is the id of the record the value stands for (edition, region,
	// initiative, theme), so that an API can resolve it; empty otherwise.
	ID string

	rank string // sorts the values of a dimension; unknown last
}

// StatBucket is one group of a statistic: a key per dimension asked, in
// the order asked, and the number of activities.
type StatBucket struct {
	Keys  []StatKey
	Count int
}

// rankUnknown sorts after every other rank.
const rankUnknown = "\xff"

// Stats counts the visible activities that match f, grouped by the
// dimensions in groupBy (at most MaxStatDimensions, each once). Buckets
// come in the natural order of the dimensions (editions by year, regions
// in route order, themes and initiatives by name, formats, modes and kinds
// in the order of their enums, months and weekdays in time order), unknown
// values last; only buckets with activities are returned. Without
// dimensions the result is one bucket with the total. Buckets whose keys
// resolve to the same values are merged, so a record the caller may not see
// adds to the unknown bucket. Returns EINVALID for bad dimensions or
// filters, EINTERNAL when the store fails.
func (c *Catalog) Stats(ctx context.Context, f ActivityFilter, groupBy []Dimension) ([]StatBucket, error) {
	if err := checkDimensions("groupBy", groupBy, MaxStatDimensions); err != nil {
		return nil, err
	}
	where, ok, err := c.activityWhere(ctx, f)
	if err != nil {
		return nil, err
	}
	if !ok {
		if len(groupBy) == 0 {
			return []StatBucket{{Keys: []StatKey{}, Count: 0}}, nil
		}
		return []StatBucket{}, nil
	}
	return c.stats(ctx, where, groupBy)
}

// checkDimensions refuses unknown and repeated dimensions and more than
// limit of them.
func checkDimensions(field string, dims []Dimension, limit int) error {
	if len(dims) > limit {
		return Invalidf(field, "group by at most %d dimensions, not %d", limit, len(dims))
	}
	for i, d := range dims {
		if _, ok := dimensionField[d]; !ok {
			return Invalidf(field, "%q is not a dimension", d)
		}
		if slices.Contains(dims[:i], d) {
			return Invalidf(field, "dimension %s is given twice", strings.ToUpper(string(d)))
		}
	}
	return nil
}

// activityWhere is the condition on the visible activities that match f;
// false means none can.
func (c *Catalog) activityWhere(ctx context.Context, f ActivityFilter) (*Cond, bool, error) {
	l, ok, err := c.activityListing(ctx, f, Order[ActivityOrderField]{})
	if err != nil || !ok {
		return nil, ok, err
	}
	return And(visible(ctx), l.where), true, nil
}

// stats groups the activities matching where by dims and resolves the keys.
func (c *Catalog) stats(ctx context.Context, where *Cond, dims []Dimension) ([]StatBucket, error) {
	fields := make([]string, len(dims))
	multi := make([]bool, len(dims))
	for i, d := range dims {
		fields[i], multi[i] = dimensionField[d].field, dimensionField[d].multi
	}
	raw, err := c.groupCounts(ctx, KindActivity, where, fields, multi)
	if err != nil {
		return nil, err
	}
	keys := make([]map[string]StatKey, len(dims))
	for i, d := range dims {
		var values []string
		for _, b := range raw {
			values = append(values, b.Keys[i])
		}
		if keys[i], err = c.statKeys(ctx, d, values); err != nil {
			return nil, err
		}
	}
	index := map[string]int{}
	out := []StatBucket{}
	for _, b := range raw {
		ks := make([]StatKey, len(dims))
		var id strings.Builder
		for i := range dims {
			ks[i] = keys[i][b.Keys[i]]
			if v := ks[i].Value; v != nil {
				id.WriteString(*v)
			} else {
				id.WriteString(rankUnknown)
			}
			id.WriteByte(0)
		}
		if j, ok := index[id.String()]; ok {
			out[j].Count += b.Count
			continue
		}
		index[id.String()] = len(out)
		out = append(out, StatBucket{Keys: ks, Count: b.Count})
	}
	if len(dims) == 0 && len(out) == 0 {
		out = append(out, StatBucket{Keys: []StatKey{}})
	}
	slices.SortFunc(out, func(a, b StatBucket) int {
		for i := range a.Keys {
			if r := cmp.Compare(a.Keys[i].rank, b.Keys[i].rank); r != 0 {
				return r
			}
		}
		return 0
	})
	return out, nil
}

// groupCounts is Store.Group, with the None value of a multi-valued
// statistics field (themeKeys, orgKinds) counted under "" as a null scalar
// is: one grouping counts every activity, with or without values.
func (c *Catalog) groupCounts(ctx context.Context, kind Kind, where *Cond, fields []string, multi []bool) ([]Bucket, error) {
	buckets, err := c.store.Group(ctx, kind, where, fields)
	if err != nil {
		return nil, err
	}
	out := buckets[:0]
	for _, b := range buckets {
		if b.Count == 0 {
			continue
		}
		for i, m := range multi {
			if m && b.Keys[i] == None {
				b.Keys[i] = ""
			}
		}
		out = append(out, b)
	}
	return out, nil
}

// statKeys resolves the raw index values of a dimension ("" for null) into
// keys with labels in the locale of ctx.
func (c *Catalog) statKeys(ctx context.Context, d Dimension, values []string) (map[string]StatKey, error) {
	loc := LocaleFrom(ctx)
	ks := statKeySet{d: d, out: map[string]StatKey{"": {Dimension: d, Label: UnknownLabel(loc), rank: rankUnknown}}}
	ids := distinctValues(values)
	var err error
	switch d {
	case DimensionEdition, DimensionRegion, DimensionInitiative, DimensionTheme:
		err = c.recordStatKeys(ctx, ks, ids, loc)
	case DimensionProvince:
		err = c.provinceStatKeys(ctx, ks, ids)
	default:
		valueStatKeys(ks, ids, loc)
	}
	if err != nil {
		return nil, err
	}
	// A value naming a record that is missing or invisible is unknown.
	for _, v := range ids {
		if _, ok := ks.out[v]; !ok {
			ks.out[v] = ks.out[""]
		}
	}
	return ks.out, nil
}

// distinctValues returns the non-null values, sorted, each once.
func distinctValues(values []string) []string {
	var ids []string
	for _, v := range values {
		if v != "" {
			ids = append(ids, v)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// statKeySet collects the keys of the values of one dimension, by raw
// index value.
type statKeySet struct {
	d   Dimension
	out map[string]StatKey
}

// known adds the key of a value that resolved.
func (ks statKeySet) known(raw, value, label, id, rank string) {
	ks.out[raw] = StatKey{Dimension: ks.d, Value: &value, Label: label, ID: id, rank: rank}
}

// enum adds the key of a value of an enumeration, ranked by its position
// in it (after every known value when pos < 0).
func (ks statKeySet) enum(raw string, pos int, label string) {
	rank := fmt.Sprintf("%03d", pos)
	if pos < 0 {
		rank = "999" + raw
	}
	ks.known(raw, raw, label, "", rank)
}

// recordStatKeys adds the keys of the visible records that ids name, for
// the dimensions whose values are record ids (edition, region,
// initiative, theme).
func (c *Catalog) recordStatKeys(ctx context.Context, ks statKeySet, ids []string, loc Locale) error {
	var err error
	switch ks.d {
	case DimensionEdition:
		var eds map[string]*Edition
		if eds, err = Get[Edition](ctx, c, ids); err == nil {
			for id, e := range eds {
				y := strconv.Itoa(e.Year)
				ks.known(id, y, y, id, yearKey(e.Year))
			}
		}
	case DimensionRegion:
		var regions map[string]*Region
		if regions, err = Get[Region](ctx, c, ids); err == nil {
			for id, r := range regions {
				ks.known(id, r.Slug, r.Name.In(loc), id, yearKey(r.Position)+r.Slug)
			}
		}
	case DimensionInitiative:
		var inis map[string]*Initiative
		if inis, err = Get[Initiative](ctx, c, ids); err == nil {
			for id, i := range inis {
				name := i.Name.In(loc)
				ks.known(id, i.Slug, name, id, SortKeyOf(name)+"\x00"+i.Slug)
			}
		}
	case DimensionTheme:
		var themes map[string]*Theme
		if themes, err = Get[Theme](ctx, c, ids); err == nil {
			for id, t := range themes {
				name := t.Name.In(loc)
				ks.known(id, t.Slug, name, id, SortKeyOf(name)+"\x00"+t.Slug)
			}
		}
	}
	return err
}

// provinceStatKeys adds the keys of provinces (slugs), labelled and ranked
// by the visible regions that hold them.
func (c *Catalog) provinceStatKeys(ctx context.Context, ks statKeySet, slugs []string) error {
	regions, err := c.Regions(ctx)
	if err != nil {
		return err
	}
	for _, slug := range slugs {
		label, rank := slug, "~"+slug // a province no visible region holds
		for _, r := range regions {
			for j, p := range r.Provinces {
				if p.Slug == slug {
					label, rank = p.Name, yearKey(r.Position)+fmt.Sprintf("%03d", j)
				}
			}
		}
		ks.known(slug, slug, label, "", rank)
	}
	return nil
}

// valueStatKeys adds the keys of the dimensions whose values are their own
// keys: the enumerations (format, mode, organisation kind), months and
// weekdays.
func valueStatKeys(ks statKeySet, values []string, loc Locale) {
	for _, v := range values {
		switch ks.d {
		case DimensionFormat:
			ks.enum(v, slices.Index(Formats, Format(v)), FormatLabel(Format(v), loc))
		case DimensionMode:
			ks.enum(v, slices.Index(Modes, Mode(v)), ModeLabel(Mode(v), loc))
		case DimensionOrganizationKind:
			ks.enum(v, slices.Index(OrganizationKinds, OrganizationKind(v)), OrganizationKindLabel(OrganizationKind(v), loc))
		case DimensionMonth:
			label := v
			if t, err := time.Parse("2006-01", v); err == nil {
				label = MonthLabel(t.Year(), t.Month(), loc)
			}
			ks.known(v, v, label, "", v)
		case DimensionWeekday:
			label := v
			if n, err := strconv.Atoi(v); err == nil && n >= 1 && n <= 7 {
				label = WeekdayLabel(time.Weekday(n%7), loc)
			}
			ks.known(v, v, label, "", v)
		}
	}
}

// OrganizationCount is an organisation with the number of activities it
// organises.
type OrganizationCount struct {
	Organization *Organization
	Count        int
}

// TopOrganizations returns the visible organisations that organise the
// most visible activities matching f, most first (ties by name), at most
// limit (1 to MaxPageSize) of them. Organisations the caller may not see
// are left out. Returns EINVALID for a bad limit or filter, EINTERNAL when
// the store fails.
func (c *Catalog) TopOrganizations(ctx context.Context, f ActivityFilter, limit int) ([]OrganizationCount, error) {
	if limit < 1 || limit > MaxPageSize {
		return nil, Invalidf("limit", "limit must be between 1 and %d; it was %d", MaxPageSize, limit)
	}
	where, ok, err := c.activityWhere(ctx, f)
	if err != nil || !ok {
		return []OrganizationCount{}, err
	}
	buckets, err := c.store.Group(ctx, KindActivity, where, []string{"organizers"})
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(buckets))
	for _, b := range buckets {
		ids = append(ids, b.Keys[0])
	}
	orgs, err := Get[Organization](ctx, c, ids)
	if err != nil {
		return nil, err
	}
	out := []OrganizationCount{}
	for _, b := range buckets {
		if o := orgs[b.Keys[0]]; o != nil && b.Count > 0 {
			out = append(out, OrganizationCount{Organization: o, Count: b.Count})
		}
	}
	slices.SortFunc(out, func(a, b OrganizationCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count),
			cmp.Compare(SortKeyOf(a.Organization.Name), SortKeyOf(b.Organization.Name)),
			cmp.Compare(a.Organization.ID, b.Organization.ID))
	})
	return out[:min(limit, len(out))], nil
}

// Metric is a number of an edition next to the same number of the edition
// of the year before.
type Metric struct {
	Value int
	// Previous is the value of the edition of the year before; nil when
	// there is no such edition (or the caller may not see it) or its value
	// is unknown.
	Previous *int
	// Change is Value - Previous; nil when Previous is.
	Change *int
	// RelativeChange is Change / Previous (0.25 is 25% more); nil when
	// Previous is nil or zero.
	RelativeChange *float64
	// Unknown is true when the catalogue does not know the value: it holds
	// no activities of the edition and nothing else (the route) gives the
	// value. Value is then 0, which means "not known", not "none".
	Unknown bool
	// Incomplete is true when the value or the previous one rests on an
	// edition whose activities the catalogue does not know; Change and
	// RelativeChange are then nil, since a change between a count and a
	// gap says nothing.
	Incomplete bool
}

func metric(value int, prev *int) Metric {
	m := Metric{Value: value, Previous: prev}
	if prev != nil {
		ch := value - *prev
		m.Change = &ch
		if *prev != 0 {
			r := float64(ch) / float64(*prev)
			m.RelativeChange = &r
		}
	}
	return m
}

// EditionTotals are the totals of one edition, each with its change from
// the edition of the year before.
type EditionTotals struct {
	Edition *Edition
	Year    int
	// Activities is the number of visible activities of the edition.
	Activities Metric
	// Initiatives is the number of visible initiatives that run in it.
	Initiatives Metric
	// Organizations is the number of visible organisations that organise
	// at least one of its activities.
	Organizations Metric
	// Regions is the number of visible regions with at least one activity
	// or a leg of the route.
	Regions Metric
	// Themes is the number of visible themes of at least one activity or
	// a leg of the route.
	Themes Metric
	// ActivitiesUnknown is true when the catalogue holds no activities of
	// the edition: they are not known, which is not the same as none.
	ActivitiesUnknown bool
}

// EditionComparison returns the totals of the visible editions of the
// given years, oldest first, each compared with the edition of the year
// before (whether or not that year was asked for). Years without a visible
// edition are left out; no years means every visible edition. It costs six
// grouped counts in the store, however many editions and activities there
// are. Returns EINTERNAL when the store fails.
func (c *Catalog) EditionComparison(ctx context.Context, years []int) ([]EditionTotals, error) {
	editions, err := all[Edition](ctx, c, nil, SortKey{Field: "year"})
	if err != nil {
		return nil, err
	}
	byYear := map[int]*Edition{}
	for _, e := range editions {
		byYear[e.Year] = e
	}
	chosen := chooseEditions(editions, byYear, years)
	if len(chosen) == 0 {
		return []EditionTotals{}, nil
	}
	counts, err := c.editionCounts(ctx, comparedIDs(chosen, byYear))
	if err != nil {
		return nil, err
	}
	return counts.totals(chosen, byYear), nil
}

// chooseEditions returns the editions of the given years, oldest first
// (every edition for no years).
func chooseEditions(editions []*Edition, byYear map[int]*Edition, years []int) []*Edition {
	if len(years) == 0 {
		return editions
	}
	var chosen []*Edition
	ys := slices.Clone(years)
	slices.Sort(ys)
	for _, y := range slices.Compact(ys) {
		if e := byYear[y]; e != nil {
			chosen = append(chosen, e)
		}
	}
	return chosen
}

// comparedIDs returns the ids of the chosen editions and of the editions
// of the years before them, sorted, each once.
func comparedIDs(chosen []*Edition, byYear map[int]*Edition) []string {
	var ids []string
	for _, e := range chosen {
		ids = append(ids, e.ID)
		if p := byYear[e.Year-1]; p != nil {
			ids = append(ids, p.ID)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// editionCounts are the totals of EditionComparison per edition id.
type editionCounts struct {
	activities, initiatives, organizations map[string]int
	// The distinct regions and themes of the activities per edition id;
	// the legs' are added by totals.
	regions, themes map[string]map[string]bool
	// The visible regions and themes.
	visibleRegions, visibleThemes map[string]bool
}

// editionCounts counts, per edition of ids, the visible activities and
// initiatives, and the visible organisations, regions and themes of its
// activities.
func (c *Catalog) editionCounts(ctx context.Context, ids []string) (editionCounts, error) {
	var n editionCounts
	where := And(visible(ctx), In("edition", ids...), syntheticCond(nil))
	var err error
	if n.activities, err = c.countPer(ctx, KindActivity, where, "edition", "", nil); err != nil {
		return n, err
	}
	if n.initiatives, err = c.countPer(ctx, KindInitiative, And(visible(ctx), In("editions", ids...), syntheticCond(nil)), "editions", "", nil); err != nil {
		return n, err
	}
	// The referenced records the caller may see; only they are counted.
	regions, err := c.Regions(ctx)
	if err != nil {
		return n, err
	}
	themes, err := c.Themes(ctx)
	if err != nil {
		return n, err
	}
	orgs, err := c.visibleOrganizers(ctx, where)
	if err != nil {
		return n, err
	}
	if n.organizations, err = c.countPer(ctx, KindActivity, where, "edition", "organizers", orgs); err != nil {
		return n, err
	}
	n.visibleRegions, n.visibleThemes = idSet(regions), idSet(themes)
	if n.regions, err = c.distinctPer(ctx, KindActivity, where, "edition", "region", n.visibleRegions); err != nil {
		return n, err
	}
	n.themes, err = c.distinctPer(ctx, KindActivity, where, "edition", "themes", n.visibleThemes)
	return n, err
}

// distinctPer returns, per value of field, the distinct values of distinct
// among the documents matching where, only those in keep.
func (c *Catalog) distinctPer(ctx context.Context, kind Kind, where *Cond, field, distinct string, keep map[string]bool) (map[string]map[string]bool, error) {
	buckets, err := c.store.Group(ctx, kind, where, []string{field, distinct})
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]bool{}
	for _, b := range buckets {
		if b.Count > 0 && keep[b.Keys[1]] {
			if out[b.Keys[0]] == nil {
				out[b.Keys[0]] = map[string]bool{}
			}
			out[b.Keys[0]][b.Keys[1]] = true
		}
	}
	return out, nil
}

// withRoute returns the number of regions and of themes of edition e: those
// of its activities and those of the legs of its route.
func (n editionCounts) withRoute(e *Edition) (regions, themes int) {
	r, t := map[string]bool{}, map[string]bool{}
	for id := range n.regions[e.ID] {
		r[id] = true
	}
	for id := range n.themes[e.ID] {
		t[id] = true
	}
	for _, l := range e.Legs {
		if n.visibleRegions[l.RegionID] {
			r[l.RegionID] = true
		}
		for _, id := range l.ThemeIDs {
			if n.visibleThemes[id] {
				t[id] = true
			}
		}
	}
	return len(r), len(t)
}

// visibleOrganizers returns the ids of the organisers of the activities
// matching where that the caller may see.
func (c *Catalog) visibleOrganizers(ctx context.Context, where *Cond) (map[string]bool, error) {
	buckets, err := c.store.Group(ctx, KindActivity, where, []string{"organizers"})
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, b := range buckets {
		ids = append(ids, b.Keys[0])
	}
	orgs, err := Get[Organization](ctx, c, ids)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for id := range orgs {
		out[id] = true
	}
	return out, nil
}

// totals returns the totals of the chosen editions, each compared with
// the edition of the year before.
func (n editionCounts) totals(chosen []*Edition, byYear map[int]*Edition) []EditionTotals {
	out := make([]EditionTotals, 0, len(chosen))
	// The values of an edition: counted, or unknown when the catalogue holds
	// none of its activities and nothing else gives the value (a zero of
	// such an edition is a gap, not a count).
	type values struct {
		unknownActs bool
		v           [5]int
	}
	of := func(e *Edition) values {
		regions, themes := n.withRoute(e)
		return values{unknownActs: n.activities[e.ID] == 0,
			v: [5]int{n.activities[e.ID], n.initiatives[e.ID], n.organizations[e.ID], regions, themes}}
	}
	for _, e := range chosen {
		cur := of(e)
		var prev *values
		if p := byYear[e.Year-1]; p != nil {
			pv := of(p)
			prev = &pv
		}
		var ms [5]Metric
		for i := range ms {
			var p *int
			if prev != nil && !(prev.unknownActs && prev.v[i] == 0) {
				p = &prev.v[i]
			}
			ms[i] = metric(cur.v[i], p)
			ms[i].Unknown = cur.unknownActs && cur.v[i] == 0
			if cur.unknownActs || prev != nil && prev.unknownActs {
				ms[i].Incomplete = true
				ms[i].Change, ms[i].RelativeChange = nil, nil
			}
		}
		out = append(out, EditionTotals{
			Edition: e, Year: e.Year,
			Activities: ms[0], Initiatives: ms[1], Organizations: ms[2], Regions: ms[3], Themes: ms[4],
			ActivitiesUnknown: cur.unknownActs,
		})
	}
	return out
}

// countPer counts, per value of field, the documents matching where; with
// a distinct field, it counts the distinct values of that field among them
// instead, only those in keep.
func (c *Catalog) countPer(ctx context.Context, kind Kind, where *Cond, field, distinct string, keep map[string]bool) (map[string]int, error) {
	by := []string{field}
	if distinct != "" {
		by = append(by, distinct)
	}
	buckets, err := c.store.Group(ctx, kind, where, by)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, b := range buckets {
		if distinct == "" {
			out[b.Keys[0]] += b.Count
		} else if b.Count > 0 && keep[b.Keys[1]] {
			out[b.Keys[0]]++
		}
	}
	return out, nil
}

func idSet[P Record](records []P) map[string]bool {
	out := make(map[string]bool, len(records))
	for _, r := range records {
		out[r.meta().ID] = true
	}
	return out
}
