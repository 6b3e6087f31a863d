package desk

import (
	"context"
	"strconv"

	"estafette/content"
)

// refData holds what the pickers of a form choose from, loaded once per
// request: the editions, regions, initiatives, organisations and themes
// (drafts included, as the domain accepts references to drafts).
type refData struct {
	editions    []*content.Edition
	regions     []*content.Region
	initiatives []*content.Initiative
	orgs        []*content.Organization
	themes      []*content.Theme
}

// maxRefs bounds how many records of one kind a picker lists.
const maxRefs = 2000

func loadRefs(ctx context.Context, c *content.Catalog) (*refData, error) {
	rd := &refData{}
	var err error
	if rd.editions, err = allPages(ctx, func(p content.PageArgs) (*content.Page[*content.Edition], error) {
		return c.ListEditions(ctx, false, p)
	}); err != nil {
		return nil, err
	}
	if rd.regions, err = c.Regions(ctx); err != nil {
		return nil, err
	}
	if rd.initiatives, err = allPages(ctx, func(p content.PageArgs) (*content.Page[*content.Initiative], error) {
		return c.ListInitiatives(ctx, content.InitiativeFilter{}, p)
	}); err != nil {
		return nil, err
	}
	if rd.orgs, err = allPages(ctx, func(p content.PageArgs) (*content.Page[*content.Organization], error) {
		return c.ListOrganizations(ctx, content.OrganizationFilter{}, p)
	}); err != nil {
		return nil, err
	}
	if rd.themes, err = c.Themes(ctx); err != nil {
		return nil, err
	}
	return rd, nil
}

// allPages reads a list page by page, up to maxRefs items.
func allPages[T any](ctx context.Context, page func(content.PageArgs) (*content.Page[T], error)) ([]T, error) {
	var out []T
	n := content.MaxPageSize
	args := content.PageArgs{First: &n}
	for len(out) < maxRefs {
		p, err := page(args)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Items...)
		if !p.HasNextPage || len(p.Items) == 0 {
			break
		}
		args.After = p.EndCursor()
	}
	return out, nil
}

func loc(l lang) content.Locale {
	if l == "en" {
		return content.EN
	}
	return content.NL
}

func draftMark(m *content.Meta, l lang) string {
	if m.Status == content.StatusDraft {
		return " (" + l.T("draft") + ")"
	}
	return ""
}

func editionOptions(rd *refData, l lang) []option {
	out := []option{}
	for _, e := range rd.editions {
		out = append(out, option{e.ID, strconv.Itoa(e.Year) + ": " + e.Name.In(loc(l)) + draftMark(&e.Meta, l)})
	}
	return out
}

func regionOptions(rd *refData, l lang) []option {
	out := []option{}
	for _, r := range rd.regions {
		out = append(out, option{r.ID, r.Name.In(loc(l)) + draftMark(&r.Meta, l)})
	}
	return out
}

func provinceOptions(rd *refData, l lang) []option {
	out := []option{}
	for _, r := range rd.regions {
		for _, p := range r.Provinces {
			out = append(out, option{p.Slug, p.Name + " (" + r.Name.In(loc(l)) + ")"})
		}
	}
	return out
}

func initiativeOptions(rd *refData, l lang) []option {
	out := []option{}
	for _, in := range rd.initiatives {
		out = append(out, option{in.ID, in.Name.In(loc(l)) + draftMark(&in.Meta, l)})
	}
	return out
}

func organizationOptions(rd *refData, l lang) []option {
	out := []option{}
	for _, o := range rd.orgs {
		out = append(out, option{o.ID, o.Name + draftMark(&o.Meta, l)})
	}
	return out
}

func themeOptions(rd *refData, l lang) []option {
	out := []option{}
	for _, t := range rd.themes {
		out = append(out, option{t.ID, t.Name.In(loc(l)) + draftMark(&t.Meta, l)})
	}
	return out
}

func modeOptions(_ *refData, l lang) []option {
	out := []option{}
	for _, m := range content.Modes {
		out = append(out, option{string(m), content.ModeLabel(m, loc(l))})
	}
	return out
}

func formatOptions(_ *refData, l lang) []option {
	out := []option{}
	for _, f := range content.Formats {
		out = append(out, option{string(f), content.FormatLabel(f, loc(l))})
	}
	return out
}

func orgKindOptions(_ *refData, l lang) []option {
	out := []option{}
	for _, k := range content.OrganizationKinds {
		out = append(out, option{string(k), content.OrganizationKindLabel(k, loc(l))})
	}
	return out
}

func audienceOptions(_ *refData, l lang) []option {
	out := []option{}
	for _, a := range content.Audiences {
		out = append(out, option{string(a), content.AudienceLabel(a, loc(l))})
	}
	return out
}

// regionName returns the name of the region with id, or "".
func (rd *refData) regionName(id string, l lang) string {
	for _, r := range rd.regions {
		if r.ID == id {
			return r.Name.In(loc(l))
		}
	}
	return ""
}

func (rd *refData) editionYear(id string) string {
	for _, e := range rd.editions {
		if e.ID == id {
			return strconv.Itoa(e.Year)
		}
	}
	return ""
}
