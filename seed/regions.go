package seed

import "estafette/content"

// The ids (and slugs) of the four regions, in the order of Position.
const (
	regionOost  = "oost"
	regionWest  = "west"
	regionNoord = "noord"
	regionZuid  = "zuid"
)

// regions returns the four regions with their provinces. The regions are
// stable across editions; the sources are the ICT&health article on the
// regional weeks of 2021, which gives each week with its provinces, and the
// announcement of the 2023 route.
func regions() []content.Record {
	region := func(id string, pos int, nl, en string, provinces ...*content.Province) *content.Region {
		for _, p := range provinces {
			p.RegionID = id
		}
		return &content.Region{
			Meta:      meta(id, srcICTHealth2021(), srcDenktank2023()),
			Name:      text(nl, en),
			Position:  pos,
			Provinces: provinces,
		}
	}
	prov := func(slug, name string, alt ...string) *content.Province {
		return &content.Province{Slug: slug, Name: name, AltNames: alt}
	}
	return []content.Record{
		region(regionOost, 1, "Regio Oost", "Region East",
			prov("overijssel", "Overijssel"), prov("gelderland", "Gelderland"), prov("flevoland", "Flevoland")),
		region(regionWest, 2, "Regio West", "Region West",
			prov("noord-holland", "Noord-Holland"), prov("zuid-holland", "Zuid-Holland"), prov("utrecht", "Utrecht")),
		region(regionNoord, 3, "Regio Noord", "Region North",
			prov("groningen", "Groningen"), prov("friesland", "Friesland", "Fryslân"), prov("drenthe", "Drenthe")),
		region(regionZuid, 4, "Regio Zuid", "Region South",
			prov("zeeland", "Zeeland"), prov("noord-brabant", "Noord-Brabant"), prov("limburg", "Limburg")),
	}
}

// regionFacts gives, for each of the regions by "region/id", the source of every
// field value it sets (see fact).
func regionFacts() map[string]facts {
	return map[string]facts{
		"region/oost": {
			f("Name", "Regio Oost", ict21, denk23),
			f("Position", "1", ict21, denk23),
			f("Provinces.1.Slug", "overijssel", ict21, denk23),
			f("Provinces.1.Name", "Overijssel", ict21, denk23),
			f("Provinces.2.Slug", "gelderland", ict21, denk23),
			f("Provinces.2.Name", "Gelderland", ict21, denk23),
			f("Provinces.3.Slug", "flevoland", ict21, denk23),
			f("Provinces.3.Name", "Flevoland", ict21, denk23),
		},
		"region/west": {
			f("Name", "Regio West", ict21, denk23),
			f("Position", "2", ict21, denk23),
			f("Provinces.1.Slug", "noord-holland", ict21, denk23),
			f("Provinces.1.Name", "Noord-Holland", ict21, denk23),
			f("Provinces.2.Slug", "zuid-holland", ict21, denk23),
			f("Provinces.2.Name", "Zuid-Holland", ict21, denk23),
			f("Provinces.3.Slug", "utrecht", ict21, denk23),
			f("Provinces.3.Name", "Utrecht", ict21, denk23),
		},
		"region/noord": {
			f("Name", "Regio Noord", ict21, denk23),
			f("Position", "3", ict21, denk23),
			f("Provinces.1.Slug", "groningen", ict21, denk23),
			f("Provinces.1.Name", "Groningen", ict21, denk23),
			f("Provinces.2.Slug", "friesland", ict21, denk23),
			f("Provinces.2.Name", "Friesland", ict21, denk23),
			// The Frisian name of the province, which the fact sheet's table
			// of regions gives next to Friesland.
			f("Provinces.2.AltNames", "Fryslân", ict21, denk23),
			f("Provinces.3.Slug", "drenthe", ict21, denk23),
			f("Provinces.3.Name", "Drenthe", ict21, denk23),
		},
		"region/zuid": {
			f("Name", "Regio Zuid", ict21, denk23),
			f("Position", "4", ict21, denk23),
			f("Provinces.1.Slug", "zeeland", ict21, denk23),
			f("Provinces.1.Name", "Zeeland", ict21, denk23),
			f("Provinces.2.Slug", "noord-brabant", ict21, denk23),
			f("Provinces.2.Name", "Noord-Brabant", ict21, denk23),
			f("Provinces.3.Slug", "limburg", ict21, denk23),
			f("Provinces.3.Name", "Limburg", ict21, denk23),
		},
	}
}
