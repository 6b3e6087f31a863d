package seed

import "estafette/content"

// WebsiteURL is the address of the event website, where anyone may register
// an activity. It is the only URL the facts give.
const WebsiteURL = "https://slimmezorgestafette.nl/"

// The publishers of the sources.
const (
	publisherICTHealth = "ICT&health"
	publisherCIC       = "Care Innovation Center West-Brabant"
	publisherDenktank  = "Denktank 60+ Noord"
)

// The sources of the facts. The facts name the articles by title and site
// but give no article addresses and no full publication dates, so URL and
// PublishedOn stay null (the 2024 article's month is kept in Published), except for the event website itself. Each function
// returns new values, so that no two records share a pointer.

// srcWebsite is the event website.
func srcWebsite() content.Source {
	return content.Source{Title: "Slimme Zorg Estafette", URL: ptr(WebsiteURL)}
}

// srcICTHealth2021 is the ICT&health news item on the e-healthweek carrying
// on as the Slimme Zorg Estafette (2021).
func srcICTHealth2021() content.Source {
	return content.Source{Title: "e-healthweek gaat verder als Slimme Zorg Estafette", Publisher: ptr(publisherICTHealth)}
}

// srcCICSpotlights is the Care Innovation Center news item on the 2021 week
// of Regio Zuid.
func srcCICSpotlights() content.Source {
	return content.Source{Title: "Ontwikkelingen in de zorg staan een week lang in de spotlights", Publisher: ptr(publisherCIC)}
}

// srcCICBaton is the Care Innovation Center news item on the last baton of
// 2021 passing to Regio Zuid.
func srcCICBaton() content.Source {
	return content.Source{Title: "Laatste stokje Slimme Zorg Estafette doorgegeven aan regio zuid", Publisher: ptr(publisherCIC)}
}

// srcDenktank2023 is the Denktank 60+ Noord news item announcing 2023.
func srcDenktank2023() content.Source {
	return content.Source{Title: "De Slimme Zorg Estafette", Publisher: ptr(publisherDenktank)}
}

// srcICTHealth2024 is the ICT&health news item looking back on 2024,
// published in March 2024 (the day is not known: month precision).
func srcICTHealth2024() content.Source {
	return content.Source{Title: "Innovatiestokje succesvol doorgegeven tijdens SZE 2024", Publisher: ptr(publisherICTHealth),
		Published: ptr(content.MonthOf(2024, 3))}
}

// srcs2021 are the three sources of the 2021 edition.
func srcs2021() []content.Source {
	return []content.Source{srcICTHealth2021(), srcCICSpotlights(), srcCICBaton()}
}

// srcsZuid2021 are the sources of the 2021 week of Regio Zuid.
func srcsZuid2021() []content.Source {
	return []content.Source{srcCICSpotlights(), srcCICBaton()}
}
