package content

import "context"

// InitiativeFilter narrows a list of initiatives.
type InitiativeFilter struct {
	EditionYear      *int
	RegionSlug       *string
	ThemeSlug        *string
	OrganizationSlug *string
	Search           *string
	Status           *Status // see ActivityFilter.Status

	EditionID      string
	RegionID       string
	ThemeID        string
	OrganizationID string
}

// ListInitiatives returns a page of the initiatives that match f, by name;
// with a search, name matches come first. Synthetic initiatives are left
// out (see Meta.Synthetic).
func (c *Catalog) ListInitiatives(ctx context.Context, f InitiativeFilter, p PageArgs) (*Page[*Initiative], error) {
	l := listing{kind: KindInitiative, order: "initiatives name asc", sort: []SortKey{{Field: "nameKey"}}}
	search, segments := searchConds(nil, f.Search)
	l.segments = segments
	conds, ok, err := c.refConds(ctx, []refFilter{
		{"editions", KindEdition, f.EditionID, "year", yearLookup(f.EditionYear)},
		{"regions", KindRegion, f.RegionID, "slug", f.RegionSlug},
		{"themes", KindTheme, f.ThemeID, "slug", f.ThemeSlug},
		{"organizations", KindOrganization, f.OrganizationID, "slug", f.OrganizationSlug},
	})
	if err != nil || !ok {
		return orEmpty[*Initiative](l, p, err)
	}
	l.where = And(append(conds, search, statusCond(f.Status), syntheticCond(nil))...)
	return list[Initiative](ctx, c, l, p)
}

// OrganizationFilter narrows a list of organisations.
type OrganizationFilter struct {
	Kind   *OrganizationKind
	Search *string
	Status *Status // see ActivityFilter.Status
}

// ListOrganizations returns a page of the organisations that match f, by
// name; with a search, name matches come first. Synthetic organisations
// are left out (see Meta.Synthetic).
func (c *Catalog) ListOrganizations(ctx context.Context, f OrganizationFilter, p PageArgs) (*Page[*Organization], error) {
	var where *Cond
	sort := []SortKey{{Field: "nameKey"}}
	if f.Kind != nil {
		where = Eq("orgKind", string(*f.Kind))
	}
	l := listing{kind: KindOrganization, order: "organizations name asc", sort: sort}
	l.where, l.segments = searchConds(And(where, statusCond(f.Status), syntheticCond(nil)), f.Search)
	return list[Organization](ctx, c, l, p)
}

// RecapFilter narrows a list of recaps.
type RecapFilter struct {
	EditionYear    *int
	RegionSlug     *string
	InitiativeSlug *string
	Search         *string
	Status         *Status // see ActivityFilter.Status

	EditionID    string
	RegionID     string
	InitiativeID string
}

// ListRecaps returns a page of the recaps that match f, newest first; with a
// search, title matches come first.
func (c *Catalog) ListRecaps(ctx context.Context, f RecapFilter, p PageArgs) (*Page[*Recap], error) {
	l := listing{kind: KindRecap, order: "recaps published desc", sort: []SortKey{{Field: "publishedKey", Desc: true}}}
	search, segments := searchConds(nil, f.Search)
	l.segments = segments
	conds, ok, err := c.refConds(ctx, []refFilter{
		{"edition", KindEdition, f.EditionID, "year", yearLookup(f.EditionYear)},
		{"regions", KindRegion, f.RegionID, "slug", f.RegionSlug},
		{"initiatives", KindInitiative, f.InitiativeID, "slug", f.InitiativeSlug},
	})
	if err != nil || !ok {
		return orEmpty[*Recap](l, p, err)
	}
	l.where = And(append(conds, search, statusCond(f.Status))...)
	return list[Recap](ctx, c, l, p)
}

// ListEditions returns a page of the editions, newest first unless
// ascending is true.
func (c *Catalog) ListEditions(ctx context.Context, ascending bool, p PageArgs) (*Page[*Edition], error) {
	o := Order[string]{Field: "year", Desc: !ascending}
	l := listing{kind: KindEdition, order: "editions " + o.name(), sort: []SortKey{{Field: "year", Desc: !ascending}}}
	return list[Edition](ctx, c, l, p)
}

// EditionByYear returns the visible edition of year y, or nil.
func (c *Catalog) EditionByYear(ctx context.Context, y int) (*Edition, error) {
	return findOne[Edition](ctx, c, Eq("year", yearKey(y)))
}

// Regions returns the four regions in the order of the route.
func (c *Catalog) Regions(ctx context.Context) ([]*Region, error) {
	return all[Region](ctx, c, nil, SortKey{Field: "position"})
}

// RegionsByProvince returns the regions holding the provinces with the
// given slugs, keyed by province slug.
func (c *Catalog) RegionsByProvince(ctx context.Context, provinces []string) (map[string]*Region, error) {
	regions, err := all[Region](ctx, c, In("provinces", provinces...))
	if err != nil {
		return nil, err
	}
	out := map[string]*Region{}
	for _, r := range regions {
		for _, p := range r.Provinces {
			out[p.Slug] = r
		}
	}
	return out, nil
}

// Themes returns every real theme by name (synthetic ones are left out,
// as from the lists of initiatives and organisations).
func (c *Catalog) Themes(ctx context.Context) ([]*Theme, error) {
	return all[Theme](ctx, c, syntheticCond(nil), SortKey{Field: "nameKey"})
}

// refFilter is a filter on a reference: the field holding the referenced id,
// the referenced kind, an id given by a parent record, and a lookup (by slug
// or year) given by the caller.
type refFilter struct {
	field       string
	kind        Kind
	id          string
	lookupField string
	lookup      *string
}

// refConds turns reference filters into conditions; false means no record
// can match.
func (c *Catalog) refConds(ctx context.Context, refs []refFilter) ([]*Cond, bool, error) {
	var conds []*Cond
	for _, r := range refs {
		id, ok, err := c.ref(ctx, r.kind, r.id, r.lookupField, r.lookup)
		if err != nil || !ok {
			return nil, false, err
		}
		if id != "" {
			conds = append(conds, Eq(r.field, id))
		}
	}
	return conds, true, nil
}

func yearLookup(y *int) *string {
	if y == nil {
		return nil
	}
	k := yearKey(*y)
	return &k
}

func orEmpty[P any](l listing, p PageArgs, err error) (*Page[P], error) {
	if err != nil {
		return nil, err
	}
	return emptyPage[P](l, p)
}

// LegsOfRegions returns, for each region id, the legs of that region across
// the visible editions, oldest edition first.
func (c *Catalog) LegsOfRegions(ctx context.Context, regionIDs []string) (map[string][]*Leg, error) {
	editions, err := all[Edition](ctx, c, In("regions", regionIDs...), SortKey{Field: "year"})
	if err != nil {
		return nil, err
	}
	out := make(map[string][]*Leg, len(regionIDs))
	for _, id := range regionIDs {
		out[id] = []*Leg{}
	}
	for _, e := range editions {
		for _, l := range e.Legs {
			if _, ok := out[l.RegionID]; ok {
				out[l.RegionID] = append(out[l.RegionID], l)
			}
		}
	}
	return out, nil
}
