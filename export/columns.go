package export

import (
	"strconv"
	"time"

	"estafette/content"
)

// column is one field of an exported row: its name (the CSV header and the
// JSON key) and its value. A value is nil (unknown: an empty CSV cell, JSON
// null), a string, an int, a bool, a []string (CSV: joined with "|"), a
// content.Date or a time.Time (see text). Its Parquet type is in
// parquetKinds.
type column[T any] struct {
	name  string
	value func(T) any
}

// Columns returns the column names of an entity's export, in the order of
// the CSV header and of the keys of each JSON object.
func Columns(e Entity) []string {
	var names []string
	switch e {
	case Activities:
		for _, c := range activityColumns {
			names = append(names, c.name)
		}
	case Initiatives:
		for _, c := range initiativeColumns {
			names = append(names, c.name)
		}
	case Organizations:
		for _, c := range organizationColumns {
			names = append(names, c.name)
		}
	}
	return names
}

// activityRow is an activity with the records it refers to, those the
// caller may see.
type activityRow struct {
	a          *content.Activity
	edition    *content.Edition
	region     *content.Region
	province   *content.Province
	initiative *content.Initiative
	organizers []*content.Organization
	themes     []*content.Theme
}

// The columns of the activities export. Changing the order or a name is a
// breaking change for whoever reads the files: add new columns at the end.
var activityColumns = []column[*activityRow]{
	{"id", func(r *activityRow) any { return r.a.ID }},
	{"slug", func(r *activityRow) any { return r.a.Slug }},
	{"edition", func(r *activityRow) any {
		if r.edition == nil {
			return nil
		}
		return r.edition.Year
	}},
	{"region", func(r *activityRow) any {
		if r.region == nil {
			return nil
		}
		return r.region.Slug
	}},
	{"region_name", func(r *activityRow) any {
		if r.region == nil {
			return nil
		}
		return r.region.Name.NL
	}},
	{"initiative", func(r *activityRow) any {
		if r.initiative == nil {
			return nil
		}
		return r.initiative.Slug
	}},
	{"initiative_name", func(r *activityRow) any {
		if r.initiative == nil {
			return nil
		}
		return r.initiative.Name.NL
	}},
	{"title_nl", func(r *activityRow) any { return text(r.a.Title.NL) }},
	{"title_en", func(r *activityRow) any { return text(r.a.Title.EN) }},
	{"summary_nl", func(r *activityRow) any { return text(r.a.Summary.NL) }},
	{"summary_en", func(r *activityRow) any { return text(r.a.Summary.EN) }},
	{"starts_on", func(r *activityRow) any { return date(r.a.StartsOn) }},
	{"ends_on", func(r *activityRow) any { return date(r.a.EndsOn) }},
	{"starts_at", func(r *activityRow) any { return dateTime(r.a.StartsAt) }},
	{"ends_at", func(r *activityRow) any { return dateTime(r.a.EndsAt) }},
	{"format", func(r *activityRow) any {
		if r.a.Format == nil {
			return nil
		}
		return string(*r.a.Format)
	}},
	{"mode", func(r *activityRow) any {
		if r.a.Mode == nil {
			return nil
		}
		return string(*r.a.Mode)
	}},
	{"venue_name", func(r *activityRow) any {
		if r.a.Venue == nil {
			return nil
		}
		return str(r.a.Venue.Name)
	}},
	{"venue_city", func(r *activityRow) any {
		if r.a.Venue == nil {
			return nil
		}
		return str(r.a.Venue.City)
	}},
	{"province", func(r *activityRow) any {
		if r.a.Venue == nil || r.a.Venue.ProvinceSlug == "" {
			return nil
		}
		return r.a.Venue.ProvinceSlug
	}},
	{"province_name", func(r *activityRow) any {
		if r.province == nil {
			return nil
		}
		return r.province.Name
	}},
	{"organizers", func(r *activityRow) any {
		return list(r.organizers, func(o *content.Organization) string { return o.Slug })
	}},
	{"organizer_names", func(r *activityRow) any {
		return list(r.organizers, func(o *content.Organization) string { return o.Name })
	}},
	{"themes", func(r *activityRow) any { return list(r.themes, func(t *content.Theme) string { return t.Slug }) }},
	{"theme_names", func(r *activityRow) any {
		return list(r.themes, func(t *content.Theme) string { return t.Name.NL })
	}},
	{"audiences", func(r *activityRow) any {
		return list(r.a.Audiences, func(a content.Audience) string { return string(a) })
	}},
	{"registration_url", func(r *activityRow) any { return str(r.a.RegistrationURL) }},
	{"interactive", func(r *activityRow) any {
		if r.a.Interactive == nil {
			return nil
		}
		return *r.a.Interactive
	}},
	{"synthetic", func(r *activityRow) any { return r.a.Synthetic }},
	{"status", func(r *activityRow) any { return string(r.a.Status) }},
	{"updated_at", func(r *activityRow) any { return dateTime(&r.a.UpdatedAt) }},
	// The kind of the record, so that a file says what it holds and an
	// import of it needs no --type.
	{"type", func(*activityRow) any { return string(content.KindActivity) }},
}

// initiativeRow is an initiative with the records it refers to.
type initiativeRow struct {
	i             *content.Initiative
	editions      []*content.Edition
	regions       []*content.Region
	themes        []*content.Theme
	organizations []*content.Organization
}

// The columns of the initiatives export.
var initiativeColumns = []column[*initiativeRow]{
	{"id", func(r *initiativeRow) any { return r.i.ID }},
	{"slug", func(r *initiativeRow) any { return r.i.Slug }},
	{"name_nl", func(r *initiativeRow) any { return text(r.i.Name.NL) }},
	{"name_en", func(r *initiativeRow) any { return text(r.i.Name.EN) }},
	{"summary_nl", func(r *initiativeRow) any { return text(r.i.Summary.NL) }},
	{"summary_en", func(r *initiativeRow) any { return text(r.i.Summary.EN) }},
	{"editions", func(r *initiativeRow) any {
		return list(r.editions, func(e *content.Edition) string { return strconv.Itoa(e.Year) })
	}},
	{"regions", func(r *initiativeRow) any { return list(r.regions, func(g *content.Region) string { return g.Slug }) }},
	{"themes", func(r *initiativeRow) any { return list(r.themes, func(t *content.Theme) string { return t.Slug }) }},
	{"organizations", func(r *initiativeRow) any {
		return list(r.organizations, func(o *content.Organization) string { return o.Slug })
	}},
	{"organization_names", func(r *initiativeRow) any {
		return list(r.organizations, func(o *content.Organization) string { return o.Name })
	}},
	{"website", func(r *initiativeRow) any { return str(r.i.Website) }},
	{"status", func(r *initiativeRow) any { return string(r.i.Status) }},
	{"updated_at", func(r *initiativeRow) any { return dateTime(&r.i.UpdatedAt) }},
	{"type", func(*initiativeRow) any { return string(content.KindInitiative) }},
}

// The columns of the organisations export.
var organizationColumns = []column[*content.Organization]{
	{"id", func(o *content.Organization) any { return o.ID }},
	{"slug", func(o *content.Organization) any { return o.Slug }},
	{"name", func(o *content.Organization) any { return o.Name }},
	{"kind", func(o *content.Organization) any {
		if o.Kind == nil {
			return nil
		}
		return string(*o.Kind)
	}},
	{"city", func(o *content.Organization) any { return str(o.City) }},
	{"website", func(o *content.Organization) any { return str(o.Website) }},
	{"description_nl", func(o *content.Organization) any { return text(o.Description.NL) }},
	{"description_en", func(o *content.Organization) any { return text(o.Description.EN) }},
	{"status", func(o *content.Organization) any { return string(o.Status) }},
	{"updated_at", func(o *content.Organization) any { return dateTime(&o.UpdatedAt) }},
	{"type", func(*content.Organization) any { return string(content.KindOrganization) }},
}

// text is s, or nil when it is empty (an absent translation).
func text(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func str(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// date is a day (a content.Date), or nil when unknown; the text formats
// write it as ISO 8601 (2023-02-06), Parquet as a DATE.
func date(d *content.Date) any {
	if d == nil || d.IsZero() {
		return nil
	}
	return *d
}

// dateTime is an instant (a time.Time), or nil when unknown; the text
// formats write it as RFC 3339 with the Amsterdam offset, Parquet as a
// TIMESTAMP in UTC.
func dateTime(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return *t
}

func list[T any](xs []T, f func(T) string) []string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}
