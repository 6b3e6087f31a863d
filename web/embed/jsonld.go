package embed

import (
	"strconv"

	"estafette/content"
	"estafette/internal/markdown"
)

// obj is a JSON-LD object. Only known facts go in: an unknown value is
// left out, never guessed.
type obj map[string]any

// set puts v at k unless it is empty.
func (o obj) set(k string, v any) obj {
	switch v := v.(type) {
	case string:
		if v == "" {
			return o
		}
	case []obj:
		if len(v) == 0 {
			return o
		}
	case obj:
		if len(v) == 0 {
			return o
		}
	case nil:
		return o
	}
	o[k] = v
	return o
}

const schemaOrg = "https://schema.org"

// orgLD is a schema.org Organization.
func orgLD(o *content.Organization) obj {
	if o == nil {
		return nil
	}
	v := obj{"@type": "Organization", "name": o.Name}
	if o.Website != nil {
		v["url"] = *o.Website
	}
	return v
}

func orgsLD(ids []string, orgs map[string]*content.Organization) []obj {
	var out []obj
	for _, id := range ids {
		if o := orgs[id]; o != nil {
			out = append(out, orgLD(o))
		}
	}
	return out
}

// one returns the single element of a list as itself, else the list.
func one(list []obj) any {
	switch len(list) {
	case 0:
		return nil
	case 1:
		return list[0]
	}
	return list
}

func dateLD(d *content.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// citations lists the sources of a record as CreativeWorks.
func citations(list []content.Source) []obj {
	var out []obj
	for _, s := range list {
		c := obj{"@type": "CreativeWork", "name": s.Title}
		if s.URL != nil {
			c["url"] = *s.URL
		}
		if s.Publisher != nil {
			c["publisher"] = obj{"@type": "Organization", "name": *s.Publisher}
		}
		// schema.org dates take ISO 8601 at any precision ("2024-03").
		if d := s.PublishedAsKnown(); d != nil {
			c["datePublished"] = d.Value()
		}
		out = append(out, c)
	}
	return out
}

// recapLD describes a recap as a NewsArticle about its edition.
func recapLD(pg *page, rc *content.Recap, body ltext, e *content.Edition, base string) obj {
	lang := string(pg.Lang)
	if pg.Recap.Title.Lang != "" {
		lang = pg.Recap.Title.Lang
	}
	v := obj{
		"@context":         schemaOrg,
		"@type":            "NewsArticle",
		"headline":         pg.Recap.Title.Text,
		"url":              pg.URL,
		"mainEntityOfPage": pg.URL,
		"inLanguage":       lang,
		"dateModified":     content.FormatDateTime(rc.UpdatedAt),
	}
	v.set("description", pg.Recap.Summary.Text)
	if rc.PublishedAt != nil {
		v["datePublished"] = content.FormatDateTime(*rc.PublishedAt)
	}
	if n := markdown.Words(markdown.PlainText(body.Text)); n > 0 {
		v["wordCount"] = n
		v["timeRequired"] = "PT" + strconv.Itoa(markdown.ReadingMinutes(body.Text)) + "M"
	}
	if e != nil {
		v["about"] = obj{"@type": "Event", "name": e.Name.In(pg.Lang), "url": base + "/embed/editions/" + strconv.Itoa(e.Year)}
	}
	v.set("citation", citations(rc.Sources))
	return v
}

// netherlands is where every edition takes place: it is a national relay.
var netherlands = obj{"@type": "Country", "name": "Nederland", "identifier": "NL"}

// regionPlace describes a region as an area holding its provinces.
func regionPlace(rg *content.Region, l content.Locale) obj {
	v := obj{"@type": "AdministrativeArea", "name": rg.Name.In(l)}
	var provs []obj
	for _, p := range rg.Provinces {
		provs = append(provs, obj{"@type": "AdministrativeArea", "name": p.Name})
	}
	v.set("containsPlace", provs)
	v["containedInPlace"] = netherlands
	return v
}

// editionLD describes an edition as an Event with a sub-event per leg.
func editionLD(pg *page, e *content.Edition, regions map[string]*content.Region, orgs map[string]*content.Organization) obj {
	v := obj{
		"@context": schemaOrg,
		"@type":    "Event",
		"name":     e.Name.In(pg.Lang),
		"url":      pg.URL,
		"location": netherlands,
	}
	v.set("description", e.Summary.In(pg.Lang))
	v.set("startDate", dateLD(e.StartsOn))
	v.set("endDate", dateLD(e.EndsOn))
	if e.OrganizedByID != "" {
		v.set("organizer", orgLD(orgs[e.OrganizedByID]))
	}
	if e.CommissionedByID != "" {
		v.set("funder", orgLD(orgs[e.CommissionedByID]))
	}
	if e.Website != nil {
		v["sameAs"] = *e.Website
	}
	var legs []obj
	for _, l := range e.Legs {
		rg := regions[l.RegionID]
		if rg == nil {
			continue
		}
		leg := obj{"@type": "Event", "name": e.Name.In(pg.Lang) + ": " + rg.Name.In(pg.Lang), "location": regionPlace(rg, pg.Lang)}
		leg.set("startDate", dateLD(l.StartsOn))
		leg.set("endDate", dateLD(l.EndsOn))
		leg.set("description", l.Summary.In(pg.Lang))
		leg.set("organizer", one(orgsLD(l.OrganizerIDs, orgs)))
		legs = append(legs, leg)
	}
	v.set("subEvent", legs)
	v.set("citation", citations(e.Sources))
	return v
}

// activityLD describes an activity as an Event.
func activityLD(a *content.Activity, l content.Locale, e *content.Edition, regions map[string]*content.Region, provinces map[string]*content.Province, orgs map[string]*content.Organization) obj {
	v := obj{"@type": "Event", "name": a.Title.In(l)}
	v.set("description", a.Summary.In(l))
	switch {
	case a.StartsAt != nil:
		v["startDate"] = content.FormatDateTime(*a.StartsAt)
	case a.StartsOn != nil:
		v["startDate"] = a.StartsOn.String()
	}
	switch {
	case a.EndsAt != nil:
		v["endDate"] = content.FormatDateTime(*a.EndsAt)
	case a.EndsOn != nil:
		v["endDate"] = a.EndsOn.String()
	}
	if a.Mode != nil {
		v["eventAttendanceMode"] = map[content.Mode]string{
			content.ModeOnsite: "https://schema.org/OfflineEventAttendanceMode",
			content.ModeOnline: "https://schema.org/OnlineEventAttendanceMode",
			content.ModeHybrid: "https://schema.org/MixedEventAttendanceMode",
		}[*a.Mode]
	}
	var locs []obj
	if a.Venue != nil {
		place := obj{"@type": "Place"}
		if a.Venue.Name != nil {
			place["name"] = *a.Venue.Name
		}
		addr := obj{"@type": "PostalAddress"}
		if a.Venue.City != nil {
			addr["addressLocality"] = *a.Venue.City
		}
		if pr := provinces[a.Venue.ProvinceSlug]; pr != nil {
			addr["addressRegion"] = pr.Name
			addr["addressCountry"] = "NL"
		}
		if len(addr) > 1 {
			place["address"] = addr
		}
		if len(place) > 1 {
			locs = append(locs, place)
		}
	}
	if a.Mode != nil && (*a.Mode == content.ModeOnline || *a.Mode == content.ModeHybrid) {
		locs = append(locs, obj{"@type": "VirtualLocation"})
	}
	if len(locs) == 0 {
		if rg := regions[a.RegionID]; rg != nil {
			locs = append(locs, regionPlace(rg, l))
		}
	}
	v.set("location", one(locs))
	v.set("organizer", one(orgsLD(a.OrganizerIDs, orgs)))
	if e != nil {
		v["superEvent"] = obj{"@type": "Event", "name": e.Name.In(l)}
	}
	return v
}

// initiativeLD describes the initiative's activities as Events; schema.org
// has no type that fits an initiative better than a plain Thing.
func initiativeLD(pg *page, in *content.Initiative, acts []*content.Activity, regions map[string]*content.Region, provinces map[string]*content.Province, orgs map[string]*content.Organization, eds []*content.Edition) obj {
	byID := map[string]*content.Edition{}
	for _, e := range eds {
		byID[e.ID] = e
	}
	thing := obj{"@type": "Thing", "name": in.Name.In(pg.Lang), "url": pg.URL}
	thing.set("description", in.Summary.In(pg.Lang))
	if in.Website != nil {
		thing["sameAs"] = *in.Website
	}
	graph := []obj{thing}
	for _, a := range acts {
		ev := activityLD(a, pg.Lang, byID[a.EditionID], regions, provinces, orgs)
		ev["about"] = obj{"@type": "Thing", "name": in.Name.In(pg.Lang), "url": pg.URL}
		graph = append(graph, ev)
	}
	return obj{"@context": schemaOrg, "@graph": graph}
}
