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
