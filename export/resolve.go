package export

import (
	"context"

	"estafette/content"
)

// maxCached is the number of records of one kind a resolver keeps; past it
// the cache starts over, so an export's memory stays bounded however many
// organisations there are.
const maxCached = 2000

// cache remembers the visible records of one kind by id; a nil entry is a
// record that is missing or invisible.
type cache[T any, P interface {
	*T
	content.Record
}] struct {
	m map[string]P
}

// load fetches the ids not cached yet in one call.
func (c *cache[T, P]) load(ctx context.Context, cat *content.Catalog, ids []string) error {
	if c.m == nil || len(c.m) > maxCached {
		c.m = map[string]P{}
	}
	var need []string
	for _, id := range ids {
		if _, ok := c.m[id]; !ok && id != "" {
			need = append(need, id)
		}
	}
	if len(need) == 0 {
		return nil
	}
	got, err := content.Get[T, P](ctx, cat, need)
	if err != nil {
		return err
	}
	for _, id := range need {
		c.m[id] = got[id]
	}
	return nil
}

func (c *cache[T, P]) all(ids []string) []P {
	out := []P{}
	for _, id := range ids {
		if r := c.m[id]; r != nil {
			out = append(out, r)
		}
	}
	return out
}

// resolver looks up the records a page of an export refers to, a few store
// calls per page.
type resolver struct {
	cat         *content.Catalog
	editions    cache[content.Edition, *content.Edition]
	regions     cache[content.Region, *content.Region]
	themes      cache[content.Theme, *content.Theme]
	initiatives cache[content.Initiative, *content.Initiative]
	orgs        cache[content.Organization, *content.Organization]
	provinces   map[string]*content.Province
}

func newResolver(cat *content.Catalog) *resolver { return &resolver{cat: cat} }

// province returns the province with slug from the visible regions.
func (r *resolver) province(ctx context.Context, slug string) (*content.Province, error) {
	if r.provinces == nil {
		regions, err := r.cat.Regions(ctx)
		if err != nil {
			return nil, err
		}
		r.provinces = map[string]*content.Province{}
		for _, g := range regions {
			for _, p := range g.Provinces {
				r.provinces[p.Slug] = p
			}
		}
	}
	return r.provinces[slug], nil
}

func (r *resolver) activityRows(ctx context.Context, as []*content.Activity) ([]*activityRow, error) {
	var eds, regs, inis, orgs, themes []string
	for _, a := range as {
		eds = append(eds, a.EditionID)
		regs = append(regs, a.RegionID)
		inis = append(inis, a.InitiativeID)
		orgs = append(orgs, a.OrganizerIDs...)
		themes = append(themes, a.ThemeIDs...)
	}
	if err := r.load(ctx, eds, regs, themes, inis, orgs); err != nil {
		return nil, err
	}
	out := make([]*activityRow, len(as))
	for i, a := range as {
		row := &activityRow{a: a, edition: r.editions.m[a.EditionID], region: r.regions.m[a.RegionID],
			initiative: r.initiatives.m[a.InitiativeID], organizers: r.orgs.all(a.OrganizerIDs), themes: r.themes.all(a.ThemeIDs)}
		if a.Venue != nil && a.Venue.ProvinceSlug != "" {
			p, err := r.province(ctx, a.Venue.ProvinceSlug)
			if err != nil {
				return nil, err
			}
			row.province = p
		}
		out[i] = row
	}
	return out, nil
}

func (r *resolver) initiativeRows(ctx context.Context, is []*content.Initiative) ([]*initiativeRow, error) {
	var eds, regs, orgs, themes []string
	for _, i := range is {
		eds = append(eds, i.EditionIDs...)
		regs = append(regs, i.RegionIDs...)
		orgs = append(orgs, i.OrganizationIDs...)
		themes = append(themes, i.ThemeIDs...)
	}
	if err := r.load(ctx, eds, regs, themes, nil, orgs); err != nil {
		return nil, err
	}
	out := make([]*initiativeRow, len(is))
	for k, i := range is {
		out[k] = &initiativeRow{i: i, editions: r.editions.all(i.EditionIDs), regions: r.regions.all(i.RegionIDs),
			themes: r.themes.all(i.ThemeIDs), organizations: r.orgs.all(i.OrganizationIDs)}
	}
	return out, nil
}

func (r *resolver) load(ctx context.Context, eds, regs, themes, inis, orgs []string) error {
	if err := r.editions.load(ctx, r.cat, eds); err != nil {
		return err
	}
	if err := r.regions.load(ctx, r.cat, regs); err != nil {
		return err
	}
	if err := r.themes.load(ctx, r.cat, themes); err != nil {
		return err
	}
	if err := r.initiatives.load(ctx, r.cat, inis); err != nil {
		return err
	}
	return r.orgs.load(ctx, r.cat, orgs)
}
