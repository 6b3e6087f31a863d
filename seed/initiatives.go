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
			text("Ziekenhuizen kregen bezoek van een team van BeterDichtbij, dat het gebruik van digitale communicatie in de zorg wilde stimuleren. Het team was te gast in Roosendaal, Assen en Sneek; daar werd in de gesprekken benadrukt hoe belangrijk digitaal contact is voor betere zorgprocessen en voor het werkplezier van zorgverleners.",
				"Hospitals were visited by a team from BeterDichtbij that wanted to encourage the use of digital communication in care. The team was a guest in Roosendaal, Assen and Sneek, where the talks stressed how much digital contact matters for better care processes and for job satisfaction among care staff."),
			[]string{orgBeterDichtbij}, []string{regionNoord, regionZuid}, []string{themeDigitaleCommunic}),
		ini(initExpobike, "Expobike",
			text("De Expobike is een bakfiets, volgeladen met zorgtechnologie. Mobilecare en studenten Verpleegkunde van mboRijnland gingen ermee rechtstreeks in gesprek met zorgverleners en cliënten, om zorginnovaties te tonen en toe te lichten.",
				"The Expobike is a cargo bike loaded with care technology. Mobilecare and nursing students from mboRijnland used it to talk directly with care workers and clients, showing care innovations and explaining them."),
			[]string{orgMobilecare, orgMboRijnland}, nil, []string{themeZorgtechnologie}),
		ini(initDatawerkplaats, "Datawerkplaats Mentale Gezondheid",
			text("Liet zien met welke datagedreven middelen de zorg voor mentale gezondheid beter kan worden.",
				"Showed which data-driven means can make mental health care better."),
			nil, nil, []string{themeDatagedreven, themeMentaleGezondheid}),
		ini(initErvaarlab, "Ervaarlab eHealth in de GGZ begeleiding",
			text("Wie dit lab bezocht, kon nieuwe eHealth-producten voor begeleiding in de ggz van dichtbij bekijken en zelf proberen.",
				"Visitors to this lab could see new eHealth products for guidance in mental health care at close range and try them out for themselves."),
			nil, nil, []string{themeEHealth, themeMentaleGezondheid}),
		ini(initInnovatieRoute, "Innovatie-Route",
			text("Toonde onder andere hoe een zorgorganisatie zorgtechnologie stap voor stap en volgens plan in haar werk kan opnemen.",
				"Showed, among other things, how a care organisation can build care technology into its work step by step and according to plan."),
			nil, nil, []string{themeZorgtechnologie}),
	}
}

// initiativeFacts gives, for each of the initiatives by "initiative/id", the source of every
// field value it sets (see fact).
func initiativeFacts() map[string]facts {
	return map[string]facts{
		"initiative/tour-de-beterdichtbij": {
			f("Name", "Tour de BeterDichtbij", ict24),
			prose("Summary", ict24),
			f("OrganizationIDs", "beterdichtbij", ict24),
			f("EditionIDs", "2024", ict24),
			f("RegionIDs", "noord", ict24),
			f("RegionIDs", "zuid", ict24),
			f("ThemeIDs", "digitale-communicatie", ict24),
		},
		"initiative/expobike": {
			f("Name", "Expobike", ict24),
			prose("Summary", ict24),
			f("OrganizationIDs", "mobilecare", ict24),
			f("OrganizationIDs", "mborijnland", ict24),
			f("EditionIDs", "2024", ict24),
			f("ThemeIDs", "zorgtechnologie", ict24),
		},
		"initiative/datawerkplaats-mentale-gezondheid": {
			f("Name", "Datawerkplaats Mentale Gezondheid", ict24),
			prose("Summary", ict24),
			f("EditionIDs", "2024", ict24),
			f("ThemeIDs", "datagedreven-zorg", ict24),
			f("ThemeIDs", "mentale-gezondheid", ict24),
		},
		"initiative/ervaarlab-ehealth-in-de-ggz-begeleiding": {
			f("Name", "Ervaarlab eHealth in de GGZ begeleiding", ict24),
			prose("Summary", ict24),
			f("EditionIDs", "2024", ict24),
			f("ThemeIDs", "ehealth", ict24),
			f("ThemeIDs", "mentale-gezondheid", ict24),
		},
		"initiative/innovatie-route": {
			f("Name", "Innovatie-Route", ict24),
			prose("Summary", ict24),
			f("EditionIDs", "2024", ict24),
			f("ThemeIDs", "zorgtechnologie", ict24),
		},
	}
}
