package content

import (
	"context"
	"time"
)

// ActivityFilter narrows a list of activities. The fields ending in ID are
// set by the API when a list hangs below a record (a region's activities);
// the others come from the caller. All given conditions must hold.
type ActivityFilter struct {
	EditionYear      *int
	RegionSlug       *string
	InitiativeSlug   *string
	OrganizationSlug *string
	ThemeSlug        *string
	Format           *Format
	Mode             *Mode
	From             *time.Time
	To               *time.Time
	Search           *string
	// Synthetic chooses between real and synthetic activities (see
	// Meta.Synthetic): true keeps only the synthetic ones; nil and false
	// keep only the real ones, so that invented test data never shows in
	// a public list, count or statistic unless asked for.
	Synthetic *bool
	// Status, when set, keeps the records of that status (for callers
	// who see drafts: the desk's lists).
	Status *Status

	EditionID      string
	RegionID       string
	InitiativeID   string
	OrganizationID string
	ThemeID        string
}

// ActivityOrderField is what a list of activities is ordered by.
type ActivityOrderField string

// The orderings of activities.
const (
	ActivityByStart ActivityOrderField = "start" // start time; unknown times last
	ActivityByTitle ActivityOrderField = "title" // title, without regard to case or accents
)

// Order is an ordering of a list: a field and a direction.
type Order[F ~string] struct {
	Field F
	Desc  bool
}

func (o Order[F]) name() string {
	if o.Desc {
		return string(o.Field) + " desc"
	}
	return string(o.Field) + " asc"
}

// ListActivities returns a page of the activities that match f in order o.
// With a search, activities whose title matches come first. Returns
// EINVALID for bad page arguments, cursors or filters.
func (c *Catalog) ListActivities(ctx context.Context, f ActivityFilter, o Order[ActivityOrderField], p PageArgs) (*Page[*Activity], error) {
	l, ok, err := c.activityListing(ctx, f, o)
	if err != nil {
		return nil, err
	}
	if !ok {
		return emptyPage[*Activity](l, p)
	}
	return list[Activity](ctx, c, l, p)
}

func (c *Catalog) activityListing(ctx context.Context, f ActivityFilter, o Order[ActivityOrderField]) (listing, bool, error) {
	if f.From != nil && f.To != nil && f.From.After(*f.To) {
		return listing{}, false, Invalidf("filter.from", "from (%s) is after to (%s)", FormatDateTime(*f.From), FormatDateTime(*f.To))
	}
	if o.Field == "" {
		o.Field = ActivityByStart
	}
	sortField := map[ActivityOrderField]string{ActivityByStart: "startKey", ActivityByTitle: "titleKey"}[o.Field]
	if sortField == "" {
		return listing{}, false, Invalidf("orderBy.field", "activities cannot be ordered by %q", o.Field)
	}
	l := listing{kind: KindActivity, order: "activities " + o.name(), sort: []SortKey{{Field: sortField, Desc: o.Desc}}}
	search, segments := searchConds(nil, f.Search)
	l.segments = segments
	conds, ok, err := c.refConds(ctx, []refFilter{
		{"edition", KindEdition, f.EditionID, "year", yearLookup(f.EditionYear)},
		{"region", KindRegion, f.RegionID, "slug", f.RegionSlug},
		{"initiative", KindInitiative, f.InitiativeID, "slug", f.InitiativeSlug},
		{"organizers", KindOrganization, f.OrganizationID, "slug", f.OrganizationSlug},
		{"themes", KindTheme, f.ThemeID, "slug", f.ThemeSlug},
	})
	if err != nil || !ok {
		return l, false, err
	}
	if f.Format != nil {
		conds = append(conds, Eq("format", string(*f.Format)))
	}
	if f.Mode != nil {
		conds = append(conds, Eq("mode", string(*f.Mode)))
	}
	conds = append(conds, statusCond(f.Status), syntheticCond(f.Synthetic))
	// An activity is in the window when it takes place (partly) between
	// from and to; activities whose timing is unknown are left out.
	if f.From != nil {
		conds = append(conds, Gte("endKey", timeKey(*f.From)), Lt("startKey", nullLast))
	}
	if f.To != nil {
		conds = append(conds, Lte("startKey", timeKey(*f.To)))
	}
	l.where = And(append(conds, search)...)
	return l, true, nil
}

// searchConds adds a search to where. Every word of the search must match
// the start of a word of the record; records whose title matches every word
// form the first segment of the list, the others the second.
func searchConds(where *Cond, search *string) (*Cond, []*Cond) {
	if search == nil {
		return where, nil
	}
	tokens := QueryTokens(*search)
	if len(tokens) == 0 {
		return where, nil
	}
	var inTitle, inAny []*Cond
	for _, t := range tokens {
		inTitle = append(inTitle, Prefix("titleTokens", t))
		inAny = append(inAny, Prefix("tokens", t))
	}
	title := And(inTitle...)
	return And(where, And(inAny...)), []*Cond{title, Not(title)}
}

// RecapActivities returns a page of the activities a recap is about: those
// of its edition in one of its initiatives or regions, or all activities of
// its edition when it names neither; by start.
func (c *Catalog) RecapActivities(ctx context.Context, r *Recap, p PageArgs) (*Page[*Activity], error) {
	var about []*Cond
	if len(r.InitiativeIDs) > 0 {
		about = append(about, In("initiative", r.InitiativeIDs...))
	}
	if len(r.RegionIDs) > 0 {
		about = append(about, In("region", r.RegionIDs...))
	}
	o := Order[ActivityOrderField]{Field: ActivityByStart}
	l := listing{kind: KindActivity, order: "activities " + o.name(), sort: []SortKey{{Field: "startKey"}},
		where: And(Eq("edition", r.EditionID), Or(about...), syntheticCond(nil))}
	return list[Activity](ctx, c, l, p)
}

// statusCond keeps the records of status s; nil keeps every visible one.
func statusCond(s *Status) *Cond {
	if s == nil {
		return nil
	}
	return Eq("status", string(*s))
}

// syntheticKey is the index value of the synthetic mark.
const syntheticKey = "1"

// syntheticCond keeps the synthetic records when only is true, and the
// real ones otherwise (see ActivityFilter.Synthetic).
func syntheticCond(only *bool) *Cond {
	if only != nil && *only {
		return Eq("synthetic", syntheticKey)
	}
	return Not(Eq("synthetic", syntheticKey))
}
