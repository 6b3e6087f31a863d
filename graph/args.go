package graph

import (
	"estafette/content"
	"estafette/graph/model"
)

// The translations of GraphQL arguments into domain arguments.

func pageArgs(first *int, after *string, last *int, before *string) content.PageArgs {
	return content.PageArgs{First: first, After: after, Last: last, Before: before}
}

func activityFilter(f *model.ActivityFilter) content.ActivityFilter {
	if f == nil {
		return content.ActivityFilter{}
	}
	return content.ActivityFilter{
		EditionYear: f.Edition, RegionSlug: f.Region, InitiativeSlug: f.Initiative,
		OrganizationSlug: f.Organization, ThemeSlug: f.Theme, Format: f.Format, Mode: f.Mode,
		From: f.From, To: f.To, Search: f.Search,
	}
}

func activityOrder(o *model.ActivityOrder) content.Order[content.ActivityOrderField] {
	if o == nil {
		return content.Order[content.ActivityOrderField]{Field: content.ActivityByStart}
	}
	field := content.ActivityByStart
	if o.Field == model.ActivityOrderFieldTitle {
		field = content.ActivityByTitle
	}
	return content.Order[content.ActivityOrderField]{Field: field, Desc: o.Direction == model.OrderDirectionDesc}
}

func initiativeFilter(f *model.InitiativeFilter) content.InitiativeFilter {
	if f == nil {
		return content.InitiativeFilter{}
	}
	return content.InitiativeFilter{EditionYear: f.Edition, RegionSlug: f.Region, ThemeSlug: f.Theme,
		OrganizationSlug: f.Organization, Search: f.Search}
}

func recapFilter(f *model.RecapFilter) content.RecapFilter {
	if f == nil {
		return content.RecapFilter{}
	}
	return content.RecapFilter{EditionYear: f.Edition, RegionSlug: f.Region, InitiativeSlug: f.Initiative, Search: f.Search}
}

func organizationFilter(f *model.OrganizationFilter) content.OrganizationFilter {
	if f == nil {
		return content.OrganizationFilter{}
	}
	return content.OrganizationFilter{Kind: f.Kind, Search: f.Search}
}

// connection wraps a domain page, passing errors through.
func connection[T any](p *content.Page[T], err error) (*model.Connection[T], error) {
	if err != nil {
		return nil, err
	}
	return model.NewConnection(p), nil
}
