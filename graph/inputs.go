package graph

import (
	"context"
	"strconv"

	"github.com/99designs/gqlgen/graphql"

	"estafette/content"
	"estafette/graph/model"
)

// The translations of mutation inputs into domain records. Inputs name
// references by slug (and editions by year); the domain keeps ids. A create
// input is applied as an update in which every field is given, so each type
// has one apply function. Errors name record fields ("region",
// "legs[1].region"); the resolvers prefix them with "input.".

func toText(t *model.TextInput) content.Text {
	if t == nil {
		return content.Text{}
	}
	out := content.Text{NL: t.Nl}
	if t.En != nil {
		out.EN = *t.En
	}
	return out
}

func toSources(in []*model.SourceInput) []content.Source {
	out := make([]content.Source, 0, len(in))
	for _, s := range in {
		if s == nil {
			continue
		}
		out = append(out, content.Source{Title: s.Title, URL: s.URL, Publisher: s.Publisher, PublishedOn: s.PublishedOn})
	}
	return out
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// given returns an Omittable that is set to v.
func given[T any](v T) graphql.Omittable[T] { return graphql.OmittableOf(v) }

// refs resolves the references of one input.
type refs struct {
	ctx context.Context
	cat *content.Catalog
	err error
}

func (r *refs) one(kind content.Kind, slug *string, field string) string {
	if r.err != nil || slug == nil || *slug == "" {
		return ""
	}
	id, err := r.cat.IDOf(r.ctx, kind, *slug, field)
	r.err = err
	return id
}

func (r *refs) many(kind content.Kind, slugs []string, field string) []string {
	if r.err != nil {
		return nil
	}
	ids, err := r.cat.IDsOf(r.ctx, kind, slugs, field)
	r.err = err
	return ids
}

func (r *refs) edition(year *int, field string) string {
	if r.err != nil || year == nil {
		return ""
	}
	id, err := r.cat.EditionIDOf(r.ctx, *year, field)
	r.err = err
	return id
}

func (r *refs) editions(years []int, field string) []string {
	ids := make([]string, 0, len(years))
	for i, y := range years {
		ids = append(ids, r.edition(&y, field+"["+strconv.Itoa(i)+"]"))
	}
	return ids
}

func applyActivity(rf *refs, a *content.Activity, in model.UpdateActivityInput) error {
	if v, ok := in.Slug.ValueOK(); ok {
		a.Slug = str(v)
	}
	if v, ok := in.Edition.ValueOK(); ok {
		a.EditionID = rf.edition(v, "edition")
	}
	if v, ok := in.Title.ValueOK(); ok {
		a.Title = toText(v)
	}
	if v, ok := in.Summary.ValueOK(); ok {
		a.Summary = toText(v)
	}
	if v, ok := in.Region.ValueOK(); ok {
		a.RegionID = rf.one(content.KindRegion, v, "region")
	}
	if v, ok := in.Initiative.ValueOK(); ok {
		a.InitiativeID = rf.one(content.KindInitiative, v, "initiative")
	}
	if v, ok := in.Organizers.ValueOK(); ok {
		a.OrganizerIDs = rf.many(content.KindOrganization, v, "organizers")
	}
	if v, ok := in.StartsOn.ValueOK(); ok {
		a.StartsOn = v
	}
	if v, ok := in.EndsOn.ValueOK(); ok {
		a.EndsOn = v
	}
	if v, ok := in.StartsAt.ValueOK(); ok {
		a.StartsAt = v
	}
	if v, ok := in.EndsAt.ValueOK(); ok {
		a.EndsAt = v
	}
	if v, ok := in.Format.ValueOK(); ok {
		a.Format = v
	}
	if v, ok := in.Mode.ValueOK(); ok {
		a.Mode = v
	}
	if v, ok := in.Venue.ValueOK(); ok {
		a.Venue = nil
		if v != nil {
			a.Venue = &content.Venue{Name: v.Name, City: v.City, ProvinceSlug: str(v.Province),
				OrganizationID: rf.one(content.KindOrganization, v.Organization, "venue.organization")}
		}
	}
	if v, ok := in.Audiences.ValueOK(); ok {
		a.Audiences = v
	}
	if v, ok := in.Themes.ValueOK(); ok {
		a.ThemeIDs = rf.many(content.KindTheme, v, "themes")
	}
	if v, ok := in.RegistrationURL.ValueOK(); ok {
		a.RegistrationURL = v
	}
	if v, ok := in.Interactive.ValueOK(); ok {
		a.Interactive = v
	}
	if v, ok := in.Sources.ValueOK(); ok {
		a.Sources = toSources(v)
	}
	return rf.err
}

func createActivityInput(in model.CreateActivityInput) model.UpdateActivityInput {
	return model.UpdateActivityInput{
		Slug: given(&in.Slug), Edition: given(&in.Edition), Title: given(in.Title), Summary: given(in.Summary),
		Region: given(in.Region), Initiative: given(in.Initiative), Organizers: given(in.Organizers),
		StartsOn: given(in.StartsOn), EndsOn: given(in.EndsOn), StartsAt: given(in.StartsAt), EndsAt: given(in.EndsAt),
		Format: given(in.Format), Mode: given(in.Mode), Venue: given(in.Venue), Audiences: given(in.Audiences),
		Themes: given(in.Themes), RegistrationURL: given(in.RegistrationURL), Interactive: given(in.Interactive),
		Sources: given(in.Sources),
	}
}

func applyEdition(rf *refs, e *content.Edition, in model.UpdateEditionInput) error {
	if v, ok := in.Name.ValueOK(); ok {
		e.Name = toText(v)
	}
	if v, ok := in.StartsOn.ValueOK(); ok {
		e.StartsOn = v
	}
	if v, ok := in.EndsOn.ValueOK(); ok {
		e.EndsOn = v
	}
	if v, ok := in.CommissionedBy.ValueOK(); ok {
		e.CommissionedByID = rf.one(content.KindOrganization, v, "commissionedBy")
	}
	if v, ok := in.OrganizedBy.ValueOK(); ok {
		e.OrganizedByID = rf.one(content.KindOrganization, v, "organizedBy")
	}
	if v, ok := in.Summary.ValueOK(); ok {
		e.Summary = toText(v)
	}
	if v, ok := in.Legs.ValueOK(); ok {
		e.Legs = make([]*content.Leg, 0, len(v))
		for i, l := range v {
			f := "legs[" + strconv.Itoa(i) + "]"
			e.Legs = append(e.Legs, &content.Leg{
				EditionID: e.ID, Order: l.Order, RegionID: rf.one(content.KindRegion, &l.Region, f+".region"),
				StartsOn: l.StartsOn, EndsOn: l.EndsOn, Summary: toText(l.Summary),
				OrganizerIDs: rf.many(content.KindOrganization, l.Organizers, f+".organizers"),
				ThemeIDs:     rf.many(content.KindTheme, l.Themes, f+".themes"),
			})
		}
	}
	if v, ok := in.Website.ValueOK(); ok {
		e.Website = v
	}
	if v, ok := in.SubmissionsOpenFrom.ValueOK(); ok {
		e.SubmissionsOpenFrom = v
	}
	if v, ok := in.SubmissionsOpenUntil.ValueOK(); ok {
		e.SubmissionsOpenUntil = v
	}
	if v, ok := in.Sources.ValueOK(); ok {
		e.Sources = toSources(v)
	}
	return rf.err
}

func createEditionInput(in model.CreateEditionInput) model.UpdateEditionInput {
	return model.UpdateEditionInput{
		Name: given(in.Name), StartsOn: given(in.StartsOn), EndsOn: given(in.EndsOn),
		CommissionedBy: given(in.CommissionedBy), OrganizedBy: given(in.OrganizedBy), Summary: given(in.Summary),
		Legs: given(in.Legs), Website: given(in.Website), Sources: given(in.Sources),
		SubmissionsOpenFrom: given(in.SubmissionsOpenFrom), SubmissionsOpenUntil: given(in.SubmissionsOpenUntil),
	}
}

func applyRegion(_ *refs, r *content.Region, in model.UpdateRegionInput) error {
	if v, ok := in.Slug.ValueOK(); ok {
		r.Slug = str(v)
	}
	if v, ok := in.Name.ValueOK(); ok {
		r.Name = toText(v)
	}
	if v, ok := in.Position.ValueOK(); ok && v != nil {
		r.Position = *v
	}
	if v, ok := in.Provinces.ValueOK(); ok {
		r.Provinces = make([]*content.Province, 0, len(v))
		for _, p := range v {
			r.Provinces = append(r.Provinces, &content.Province{RegionID: r.ID, Slug: p.Slug, Name: p.Name, AltNames: p.AltNames})
		}
	}
	if v, ok := in.Sources.ValueOK(); ok {
		r.Sources = toSources(v)
	}
	return nil
}

func createRegionInput(in model.CreateRegionInput) model.UpdateRegionInput {
	return model.UpdateRegionInput{Slug: given(&in.Slug), Name: given(in.Name), Position: given(&in.Position),
		Provinces: given(in.Provinces), Sources: given(in.Sources)}
}

func applyInitiative(rf *refs, i *content.Initiative, in model.UpdateInitiativeInput) error {
	if v, ok := in.Slug.ValueOK(); ok {
		i.Slug = str(v)
	}
	if v, ok := in.Name.ValueOK(); ok {
		i.Name = toText(v)
	}
	if v, ok := in.Summary.ValueOK(); ok {
		i.Summary = toText(v)
	}
	if v, ok := in.Organizations.ValueOK(); ok {
		i.OrganizationIDs = rf.many(content.KindOrganization, v, "organizations")
	}
	if v, ok := in.Editions.ValueOK(); ok {
		i.EditionIDs = rf.editions(v, "editions")
	}
	if v, ok := in.Regions.ValueOK(); ok {
		i.RegionIDs = rf.many(content.KindRegion, v, "regions")
	}
	if v, ok := in.Themes.ValueOK(); ok {
		i.ThemeIDs = rf.many(content.KindTheme, v, "themes")
	}
	if v, ok := in.Website.ValueOK(); ok {
		i.Website = v
	}
	if v, ok := in.Sources.ValueOK(); ok {
		i.Sources = toSources(v)
	}
	return rf.err
}

func createInitiativeInput(in model.CreateInitiativeInput) model.UpdateInitiativeInput {
	return model.UpdateInitiativeInput{Slug: given(&in.Slug), Name: given(in.Name), Summary: given(in.Summary),
		Organizations: given(in.Organizations), Editions: given(in.Editions), Regions: given(in.Regions),
		Themes: given(in.Themes), Website: given(in.Website), Sources: given(in.Sources)}
}

func applyOrganization(_ *refs, o *content.Organization, in model.UpdateOrganizationInput) error {
	if v, ok := in.Slug.ValueOK(); ok {
		o.Slug = str(v)
	}
	if v, ok := in.Name.ValueOK(); ok {
		o.Name = str(v)
	}
	if v, ok := in.Kind.ValueOK(); ok {
		o.Kind = v
	}
	if v, ok := in.City.ValueOK(); ok {
		o.City = v
	}
	if v, ok := in.Website.ValueOK(); ok {
		o.Website = v
	}
	if v, ok := in.Description.ValueOK(); ok {
		o.Description = toText(v)
	}
	if v, ok := in.Sources.ValueOK(); ok {
		o.Sources = toSources(v)
	}
	return nil
}

func createOrganizationInput(in model.CreateOrganizationInput) model.UpdateOrganizationInput {
	return model.UpdateOrganizationInput{Slug: given(&in.Slug), Name: given(&in.Name), Kind: given(in.Kind),
		City: given(in.City), Website: given(in.Website), Description: given(in.Description), Sources: given(in.Sources)}
}

func applyTheme(_ *refs, t *content.Theme, in model.UpdateThemeInput) error {
	if v, ok := in.Slug.ValueOK(); ok {
		t.Slug = str(v)
	}
	if v, ok := in.Name.ValueOK(); ok {
		t.Name = toText(v)
	}
	if v, ok := in.Summary.ValueOK(); ok {
		t.Summary = toText(v)
	}
	if v, ok := in.Sources.ValueOK(); ok {
		t.Sources = toSources(v)
	}
	return nil
}

func createThemeInput(in model.CreateThemeInput) model.UpdateThemeInput {
	return model.UpdateThemeInput{Slug: given(&in.Slug), Name: given(in.Name), Summary: given(in.Summary), Sources: given(in.Sources)}
}

func applyRecap(rf *refs, r *content.Recap, in model.UpdateRecapInput) error {
	if v, ok := in.Slug.ValueOK(); ok {
		r.Slug = str(v)
	}
	if v, ok := in.Edition.ValueOK(); ok {
		r.EditionID = rf.edition(v, "edition")
	}
	if v, ok := in.Title.ValueOK(); ok {
		r.Title = toText(v)
	}
	if v, ok := in.Summary.ValueOK(); ok {
		r.Summary = toText(v)
	}
	if v, ok := in.Body.ValueOK(); ok {
		r.Body = toText(v)
	}
	if v, ok := in.PublishedAt.ValueOK(); ok {
		r.PublishedAt = v
	}
	if v, ok := in.Initiatives.ValueOK(); ok {
		r.InitiativeIDs = rf.many(content.KindInitiative, v, "initiatives")
	}
	if v, ok := in.Regions.ValueOK(); ok {
		r.RegionIDs = rf.many(content.KindRegion, v, "regions")
	}
	if v, ok := in.Sources.ValueOK(); ok {
		r.Sources = toSources(v)
	}
	return rf.err
}

func createRecapInput(in model.CreateRecapInput) model.UpdateRecapInput {
	return model.UpdateRecapInput{Slug: given(&in.Slug), Edition: given(&in.Edition), Title: given(in.Title),
		Summary: given(in.Summary), Body: given(in.Body), PublishedAt: given(in.PublishedAt),
		Initiatives: given(in.Initiatives), Regions: given(in.Regions), Sources: given(in.Sources)}
}
