package seed

import "estafette/content"

// The ids (and slugs) of the initiatives of 2024.
const (
	initTour           = "tour-de-beterdichtbij"
	initExpobike       = "expobike"
	initDatawerkplaats = "datawerkplaats-mentale-gezondheid"
	initErvaarlab      = "ervaarlab-ehealth-in-de-ggz-begeleiding"
	initInnovatieRoute = "innovatie-route"
)

// initiatives returns the initiatives reported for 2024. Organisations and
// regions are set only where the facts name them; names are proper names and
// stay Dutch in English.
func initiatives() []content.Record {
	ini := func(id, name string, summary content.Text, orgs, regions, themes []string) *content.Initiative {
		return &content.Initiative{
			Meta:            meta(id, srcICTHealth2024()),
			Name:            text(name, name),
			Summary:         summary,
			OrganizationIDs: orgs,
			EditionIDs:      []string{edition2024},
			RegionIDs:       regions,
			ThemeIDs:        themes,
		}
	}
	return []content.Record{
		ini(initTour, "Tour de BeterDichtbij",
			text("Een team van BeterDichtbij ging langs ziekenhuizen om digitale communicatie in de zorg te bevorderen. Bij Antonius in Sneek, het Wilhelmina Ziekenhuis Assen en het Bravis ziekenhuis in Roosendaal ging het gesprek over hoe digitaal contact zorgprocessen en het werkplezier van zorgverleners kan verbeteren.",
				"A BeterDichtbij team visited hospitals to promote digital communication in care. At Antonius in Sneek, Wilhelmina Ziekenhuis Assen and Bravis ziekenhuis in Roosendaal the talks were about how digital contact can improve care processes and the job satisfaction of care workers."),
			[]string{orgBeterDichtbij}, []string{regionNoord, regionZuid}, []string{themeDigitaleCommunic}),
		ini(initExpobike, "Expobike",
			text("Een bakfiets vol zorgtechnologie, waarmee zorginnovaties direct aan zorgmedewerkers en cliënten worden getoond en uitgelegd. Een samenwerking van Mobilecare en studenten Verpleegkunde van mboRijnland.",
				"A cargo bike full of care technology, used to show and explain care innovations directly to care workers and clients. A collaboration of Mobilecare and nursing students of mboRijnland."),
			[]string{orgMobilecare, orgMboRijnland}, nil, []string{themeZorgtechnologie}),
		ini(initDatawerkplaats, "Datawerkplaats Mentale Gezondheid",
			text("Over datagedreven middelen om de zorg voor mentale gezondheid te verbeteren.",
				"About data-driven means to improve mental health care."),
			nil, nil, []string{themeDatagedreven, themeMentaleGezondheid}),
		ini(initErvaarlab, "Ervaarlab eHealth in de GGZ begeleiding",
			text("Een ervaarlab waar mensen innovatieve eHealth-producten voor begeleiding bij mentale gezondheid van dichtbij uitproberen.",
				"An experience lab where people try innovative eHealth products for mental-health support up close."),
			nil, nil, []string{themeEHealth, themeMentaleGezondheid}),
		ini(initInnovatieRoute, "Innovatie-Route",
			text("Over hoe een zorgorganisatie zorgtechnologie planmatig kan invoeren.",
				"About how a care organisation can introduce care technology in a planned way."),
			nil, nil, []string{themeZorgtechnologie}),
	}
}
