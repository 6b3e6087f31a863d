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
// mention them.
func themes() []content.Record {
	theme := func(id string, name, summary content.Text, sources ...content.Source) *content.Theme {
		return &content.Theme{Meta: meta(id, sources...), Name: name, Summary: summary}
	}
	zuid2021 := text("Een van de vijf thema's van de week van Regio Zuid in de Slimme Zorg Estafette 2021.",
		"One of the five themes of the Region South week of the 2021 Slimme Zorg Estafette.")
	return []content.Record{
		theme(themeSlimmeZorgThuis, text("Slimme zorg thuis", "Smart care at home"), zuid2021, srcsZuid2021()...),
		theme(themeGezondheidsapp, text("De gezondheidsapp", "The health app"), zuid2021, srcsZuid2021()...),
		theme(themeDigitaal, text("Digitale vaardigheden", "Digital skills"),
			text("Digitaal vaardig zijn: een van de vijf thema's van de week van Regio Zuid in de Slimme Zorg Estafette 2021.",
				"Being digitally skilled: one of the five themes of the Region South week of the 2021 Slimme Zorg Estafette."),
			srcsZuid2021()...),
		theme(themeSamenLeren, text("Samen Leren in de Wijk", "Learning together in the neighbourhood"), zuid2021, srcsZuid2021()...),
		theme(themeArbeidsmigranten, text("Hybride zorg voor arbeidsmigranten", "Hybrid care for labour migrants"), zuid2021, srcsZuid2021()...),
		theme(themeDigitaleCommunic, text("Digitale communicatie in de zorg", "Digital communication in care"),
			text("Hoe digitaal contact zorgprocessen en het werkplezier van zorgverleners kan verbeteren; het onderwerp van Tour de BeterDichtbij in 2024.",
				"How digital contact can improve care processes and the job satisfaction of care workers; the subject of Tour de BeterDichtbij in 2024."),
			srcICTHealth2024()),
		theme(themeMentaleGezondheid, text("Mentale gezondheid", "Mental health"),
			text("Onderwerp van de Datawerkplaats Mentale Gezondheid en het Ervaarlab eHealth in de GGZ begeleiding in 2024.",
				"The subject of the Datawerkplaats Mentale Gezondheid and the Ervaarlab eHealth in de GGZ begeleiding in 2024."),
			srcICTHealth2024()),
		theme(themeEHealth, text("eHealth", "eHealth"),
			text("In het Ervaarlab eHealth in de GGZ begeleiding probeerden mensen in 2024 innovatieve eHealth-producten voor ondersteuning bij mentale gezondheid van dichtbij uit.",
				"In 2024 the Ervaarlab eHealth in de GGZ begeleiding let people try innovative eHealth products for mental-health support up close."),
			srcICTHealth2024()),
		theme(themeZorgtechnologie, text("Zorgtechnologie", "Care technology"),
			text("Onderwerp van de Expobike, een bakfiets vol zorgtechnologie, en van de Innovatie-Route in 2024.",
				"The subject of the Expobike, a cargo bike full of care technology, and of the Innovatie-Route in 2024."),
			srcICTHealth2024()),
		theme(themeDatagedreven, text("Datagedreven zorg", "Data-driven care"),
			text("Met data de zorg voor mentale gezondheid verbeteren; het onderwerp van de Datawerkplaats Mentale Gezondheid in 2024.",
				"Using data to improve mental health care; the subject of the Datawerkplaats Mentale Gezondheid in 2024."),
			srcICTHealth2024()),
	}
}
