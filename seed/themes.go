package seed

import "estafette/content"

// The ids (and slugs) of the themes: the five themes of the 2021 week of
// Regio Zuid and the themes the 2024 initiatives are about.
const (
	themeSlimmeZorgThuis   = "slimme-zorg-thuis"
	themeGezondheidsapp    = "gezondheidsapp"
	themeDigitaal          = "digitale-vaardigheden"
	themeSamenLeren        = "samen-leren-in-de-wijk"
	themeArbeidsmigranten  = "hybride-zorg-arbeidsmigranten"
	themeDigitaleCommunic  = "digitale-communicatie"
	themeMentaleGezondheid = "mentale-gezondheid"
	themeEHealth           = "ehealth"
	themeZorgtechnologie   = "zorgtechnologie"
	themeDatagedreven      = "datagedreven-zorg"
)

// themesZuid2021 are the themes named for the 2021 week of Regio Zuid.
func themesZuid2021() []string {
	return []string{themeSlimmeZorgThuis, themeGezondheidsapp, themeDigitaal, themeSamenLeren, themeArbeidsmigranten}
}

// themes returns the themes. Their summaries say only where the facts
// mention them. The English name of Samen Leren in de Wijk keeps the Dutch
// name, which is the theme's own name, and adds a translation.
func themes() []content.Record {
	theme := func(id string, name, summary content.Text, sources ...content.Source) *content.Theme {
		return &content.Theme{Meta: meta(id, sources...), Name: name, Summary: summary}
	}
	zuid2021 := text("Thema van de week van Regio Zuid in 2021, een van de vijf die toen centraal stonden.",
		"Theme of the Region South week in 2021, one of the five it centred on.")
	return []content.Record{
		theme(themeSlimmeZorgThuis, text("Slimme zorg thuis", "Smart care at home"), zuid2021, srcsZuid2021()...),
		theme(themeGezondheidsapp, text("De gezondheidsapp", "The health app"), zuid2021, srcsZuid2021()...),
		theme(themeDigitaal, text("Digitale vaardigheden", "Digital skills"),
			text("Digitaal vaardig worden en zijn; in 2021 een van de vijf thema's van de Zuid-week.",
				"Becoming and being digitally skilled; in 2021 one of the five themes of the South week."),
			srcsZuid2021()...),
		theme(themeSamenLeren, text("Samen Leren in de Wijk", "Samen Leren in de Wijk (learning together in the neighbourhood)"), zuid2021, srcsZuid2021()...),
		theme(themeArbeidsmigranten, text("Hybride zorg voor arbeidsmigranten", "Hybrid care for labour migrants"), zuid2021, srcsZuid2021()...),
		theme(themeDigitaleCommunic, text("Digitale communicatie in de zorg", "Digital communication in care"),
			text("Het onderwerp van Tour de BeterDichtbij in 2024: in de gesprekken werd benadrukt hoe belangrijk digitaal contact is voor betere zorgprocessen en voor het werkplezier van zorgverleners.",
				"The subject of Tour de BeterDichtbij in 2024: the talks stressed how much digital contact matters for better care processes and for job satisfaction among care staff."),
			srcICTHealth2024()),
		theme(themeMentaleGezondheid, text("Mentale gezondheid", "Mental health"),
			text("In 2024 het thema van twee initiatieven: de Datawerkplaats Mentale Gezondheid en het Ervaarlab eHealth in de GGZ begeleiding.",
				"In 2024 the theme of two initiatives: the Datawerkplaats Mentale Gezondheid and the Ervaarlab eHealth in de GGZ begeleiding."),
			srcICTHealth2024()),
		theme(themeEHealth, text("eHealth", "eHealth"),
			text("Bij het Ervaarlab eHealth in de GGZ begeleiding konden bezoekers in 2024 nieuwe eHealth-toepassingen voor de geestelijke gezondheidszorg zelf bekijken en testen.",
				"At the Ervaarlab eHealth in de GGZ begeleiding, visitors in 2024 could look at new eHealth applications for mental health care and test them themselves."),
			srcICTHealth2024()),
		theme(themeZorgtechnologie, text("Zorgtechnologie", "Care technology"),
			text("In 2024 draaiden twee initiatieven om zorgtechnologie: de Innovatie-Route en de Expobike, een bakfiets die er vol mee zat.",
				"In 2024 two initiatives centred on care technology: the Innovatie-Route and the Expobike, a cargo bike packed with it."),
			srcICTHealth2024()),
		theme(themeDatagedreven, text("Datagedreven zorg", "Data-driven care"),
			text("Het onderwerp van de Datawerkplaats Mentale Gezondheid in 2024: met data werken aan betere zorg voor de mentale gezondheid.",
				"The subject of the Datawerkplaats Mentale Gezondheid in 2024: working with data towards better mental health care."),
			srcICTHealth2024()),
	}
}

// themeFacts gives, for each of the themes by "theme/id", the source of every
// field value it sets (see fact).
func themeFacts() map[string]facts {
	return map[string]facts{
		"theme/slimme-zorg-thuis": {
			f("Name", "Slimme zorg thuis", cicWeek, cicBaton),
			prose("Summary", cicWeek, cicBaton),
		},
		"theme/gezondheidsapp": {
			f("Name", "De gezondheidsapp", cicWeek, cicBaton),
			prose("Summary", cicWeek, cicBaton),
		},
		"theme/digitale-vaardigheden": {
			f("Name", "Digitale vaardigheden", cicWeek, cicBaton),
			prose("Summary", cicWeek, cicBaton),
		},
		"theme/samen-leren-in-de-wijk": {
			f("Name", "Samen Leren in de Wijk", cicWeek, cicBaton),
			prose("Summary", cicWeek, cicBaton),
		},
		"theme/hybride-zorg-arbeidsmigranten": {
			f("Name", "Hybride zorg voor arbeidsmigranten", cicWeek, cicBaton),
			prose("Summary", cicWeek, cicBaton),
		},
		"theme/digitale-communicatie": {
			f("Name", "Digitale communicatie in de zorg", ict24),
			prose("Summary", ict24),
		},
		"theme/mentale-gezondheid": {
			f("Name", "Mentale gezondheid", ict24),
			prose("Summary", ict24),
		},
		"theme/ehealth": {
			f("Name", "eHealth", ict24),
			prose("Summary", ict24),
		},
		"theme/zorgtechnologie": {
			f("Name", "Zorgtechnologie", ict24),
			prose("Summary", ict24),
		},
		"theme/datagedreven-zorg": {
			f("Name", "Datagedreven zorg", ict24),
			prose("Summary", ict24),
		},
	}
}
