package seed

import (
	"time"

	"estafette/content"
)

// The ids (and slugs) of the editions: their years.
const (
	edition2021 = "2021"
	edition2022 = "2022"
	edition2023 = "2023"
	edition2024 = "2024"
)

// editions returns the editions 2021–2024. Every edition is commissioned by
// the Ministry of VWS and has the event website; dates and legs are set only
// where the facts give them (2021 and 2023).
func editions() []content.Record {
	return []content.Record{ed2021(), ed2022(), ed2023(), ed2024()}
}

// edition returns an edition of year with the parts every edition shares.
func edition(id string, year int, summary content.Text, sources ...content.Source) *content.Edition {
	name := "Slimme Zorg Estafette " + id
	return &content.Edition{
		Meta:             meta(id, sources...),
		Year:             year,
		Name:             text(name, name),
		CommissionedByID: orgVWS,
		Summary:          summary,
		Website:          ptr(WebsiteURL),
	}
}

// leg returns a leg of the edition editionID running from..to.
func leg(editionID string, order int, regionID string, from, to *content.Date, summary content.Text) *content.Leg {
	return &content.Leg{EditionID: editionID, Order: order, RegionID: regionID, StartsOn: from, EndsOn: to, Summary: summary}
}

func ed2021() *content.Edition {
	e := edition(edition2021, 2021,
		text("In 2021 ging de landelijke e-healthweek verder als de Slimme Zorg Estafette: geen week voor het hele land meer, maar vier regionale weken over innovatie in zorg, welzijn en preventie. Van 1 tot en met 26 februari ging het stokje van Oost via West en Noord naar Zuid. Elke regio opende haar week met een online bijeenkomst, en na de vierde week sloot een landelijke bijeenkomst de estafette af.",
			"In 2021 the national e-healthweek carried on as the Slimme Zorg Estafette (Smart Care Relay): instead of one week for the whole country, four regional weeks about innovation in care, welfare and prevention. From 1 to 26 February the baton passed from East via West and North to South. Each region opened its week with an online meeting, and after the fourth week a national meeting closed the relay."),
		append(srcs2021(), srcWebsite())...)
	e.StartsOn, e.EndsOn = day(2021, time.February, 1), day(2021, time.February, 26)
	opened := func(nl, en string) content.Text {
		return text("De week van "+nl+" begon met een regionale online bijeenkomst.", "The "+en+" week began with an online regional meeting.")
	}
	e.Legs = []*content.Leg{
		leg(e.ID, 1, regionOost, day(2021, time.February, 1), day(2021, time.February, 5), opened("Regio Oost", "Region East")),
		leg(e.ID, 2, regionWest, day(2021, time.February, 8), day(2021, time.February, 12), opened("Regio West", "Region West")),
		leg(e.ID, 3, regionNoord, day(2021, time.February, 15), day(2021, time.February, 19), opened("Regio Noord", "Region North")),
		leg(e.ID, 4, regionZuid, day(2021, time.February, 22), day(2021, time.February, 26),
			text("Als laatste regio kreeg Zuid het stokje, met ruim vijftig activiteiten in Brabant, Zeeland en Limburg. Het Care Innovation Center West-Brabant organiseerde de week voor de regio samen met het ministerie van VWS. Thema's waren slimme zorg thuis, de gezondheidsapp, digitale vaardigheden, Samen Leren in de Wijk en hybride zorg voor arbeidsmigranten.",
				"South received the baton last, with more than fifty activities in Brabant, Zeeland and Limburg. The Care Innovation Center West-Brabant co-organised the week for the region with the Ministry of Health, Welfare and Sport. Its themes were smart care at home, the health app, digital skills, learning together in the neighbourhood (Samen Leren in de Wijk) and hybrid care for labour migrants.")),
	}
	zuid := e.Legs[3]
	zuid.OrganizerIDs = []string{orgCIC, orgVWS}
	zuid.ThemeIDs = themesZuid2021()
	return e
}

func ed2022() *content.Edition {
	return edition(edition2022, 2022,
		text("Ook in 2022 werd de Slimme Zorg Estafette gehouden; de aankondiging van de editie van 2023 noemt haar. Data en programma van deze editie zijn niet bekend.",
			"The Slimme Zorg Estafette also took place in 2022, as the announcement of the 2023 edition mentions. The dates and programme of this edition are not known."),
		srcDenktank2023(), srcWebsite())
}

func ed2023() *content.Edition {
	e := edition(edition2023, 2023,
		text("Van 6 februari tot en met 3 maart 2023 trok de Slimme Zorg Estafette, in opdracht van het ministerie van VWS, als een kennismarathon door het land. Het ministerie opende de editie op 6 februari landelijk; daarna was elke week een andere regio aan zet: Oost, West, Noord en tot slot Zuid.",
			"From 6 February to 3 March 2023 the Slimme Zorg Estafette, commissioned by the Ministry of Health, Welfare and Sport, travelled the country as a knowledge marathon. The ministry opened the edition nationally on 6 February; after that a different region was on turn each week: East, West, North and finally South."),
		srcDenktank2023(), srcWebsite())
	e.StartsOn, e.EndsOn = day(2023, time.February, 6), day(2023, time.March, 3)
	e.Legs = []*content.Leg{
		leg(e.ID, 1, regionOost, day(2023, time.February, 6), day(2023, time.February, 10), content.Text{}),
		leg(e.ID, 2, regionWest, day(2023, time.February, 13), day(2023, time.February, 17), content.Text{}),
		leg(e.ID, 3, regionNoord, day(2023, time.February, 20), day(2023, time.February, 24), content.Text{}),
		leg(e.ID, 4, regionZuid, day(2023, time.February, 27), day(2023, time.March, 3), content.Text{}),
	}
	return e
}

func ed2024() *content.Edition {
	e := edition(edition2024, 2024,
		text("De Slimme Zorg Estafette van februari 2024 werd in opdracht van het ministerie van VWS georganiseerd door ZonMw. In verschillende regio's waren er workshops, presentaties en bijeenkomsten, en initiatieven als Tour de BeterDichtbij, de Expobike, de Datawerkplaats Mentale Gezondheid, het Ervaarlab eHealth in de GGZ begeleiding en de Innovatie-Route.",
			"The February 2024 Slimme Zorg Estafette was organised by ZonMw on behalf of the Ministry of Health, Welfare and Sport. Several regions held workshops, presentations and meetings, alongside initiatives such as Tour de BeterDichtbij, the Expobike, the Datawerkplaats Mentale Gezondheid, the Ervaarlab eHealth in de GGZ begeleiding and the Innovatie-Route."),
		srcICTHealth2024(), srcWebsite())
	e.OrganizedByID = orgZonMw
	return e
}
