package graph

import (
	"context"

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
		From: f.From, To: f.To, Search: f.Search, Synthetic: f.Synthetic,
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

// activityConnection lists activities and keeps the filter with the page,
// for the connection's facets.
func activityConnection(ctx context.Context, cat *content.Catalog, f content.ActivityFilter, o *model.ActivityOrder, p content.PageArgs) (*model.ActivityConnection, error) {
	page, err := cat.ListActivities(ctx, f, activityOrder(o), p)
	if err != nil {
		return nil, err
	}
	c := model.NewConnection(page)
	c.Filter = &f
	return c, nil
}

// ptrs returns pointers to the elements of xs.
func ptrs[T any](xs []T) []*T {
	out := make([]*T, len(xs))
	for i := range xs {
		out[i] = &xs[i]
	}
	return out
}

// withPreview lets the caller of ctx see drafts when preview is asked for
// (the access check has made sure the caller may).
func withPreview(ctx context.Context, preview *bool) context.Context {
	if preview == nil || !*preview {
		return ctx
	}
	v := content.ViewerFrom(ctx)
	v.Drafts = v.Role.Includes(content.RoleReader)
	return content.WithViewer(ctx, v)
}

// statID returns the global ID of the record a statistic value stands for.
func statID(d content.Dimension, id string) *string {
	kind := map[content.Dimension]content.Kind{
		content.DimensionEdition: content.KindEdition, content.DimensionRegion: content.KindRegion,
		content.DimensionInitiative: content.KindInitiative, content.DimensionTheme: content.KindTheme,
	}[d]
	if kind == "" || id == "" {
		return nil
	}
	gid := content.GlobalID(kind, id)
	return &gid
}

// knownPart returns a part of a PartialDate, or nil when it is not known
// (zero).
func knownPart(v int) *int {
	if v == 0 {
		return nil
	}
	return &v
}
