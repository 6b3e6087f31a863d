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
// the Ministry of VWS; dates and legs are set only where the facts give them
// (2021 and 2023), and the event website only on 2023, the one edition whose
// source gives it. The 2023 texts come from an announcement made before the
// event, so they say what was planned, not what happened.
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
	}
}

// leg returns a leg of the edition editionID running from..to.
func leg(editionID string, order int, regionID string, from, to *content.Date, summary content.Text) *content.Leg {
	return &content.Leg{EditionID: editionID, Order: order, RegionID: regionID, StartsOn: from, EndsOn: to, Summary: summary}
}

// ed2021 is the 2021 edition. Its route, with the provinces of each week and
// the end on 26 February, is in the ICT&health article; the week of Regio
// Zuid is in the two Care Innovation Center articles.
func ed2021() *content.Edition {
	e := edition(edition2021, 2021,
		text("Vanaf 2021 was er niet langer één landelijke e-healthweek: die kreeg een vervolg als Slimme Zorg Estafette, met vier regionale weken over innovatie in zorg, welzijn en preventie. Tussen 1 en 26 februari werd het stokje doorgegeven, van Oost naar West, daarna naar Noord en ten slotte naar Zuid. Een online bijeenkomst in de regio opende elke week; na de vierde week volgde een landelijke slotbijeenkomst.",
			"From 2021 there was no longer a single national e-healthweek: it was followed up by the Slimme Zorg Estafette (Smart Care Relay), with four regional weeks on innovation in care, welfare and prevention. Between 1 and 26 February the baton was handed on, from East to West, then to North and finally to South. An online meeting in the region opened each week; after the fourth week came a national closing meeting."),
		srcs2021()...)
	e.StartsOn, e.EndsOn = day(2021, time.February, 1), day(2021, time.February, 26)
	opened := func(nl, en string) content.Text {
		return text("Deze week in "+nl+" ging van start met een online bijeenkomst voor de regio.", "This week in "+en+" got under way with an online meeting for the region.")
	}
	e.Legs = []*content.Leg{
		leg(e.ID, 1, regionOost, day(2021, time.February, 1), day(2021, time.February, 5), opened("Regio Oost", "Region East")),
		leg(e.ID, 2, regionWest, day(2021, time.February, 8), day(2021, time.February, 12), opened("Regio West", "Region West")),
		leg(e.ID, 3, regionNoord, day(2021, time.February, 15), day(2021, time.February, 19), opened("Regio Noord", "Region North")),
		leg(e.ID, 4, regionZuid, day(2021, time.February, 22), day(2021, time.February, 26),
			text("Zuid was de laatste regio die het stokje overnam. De week van de regio werd georganiseerd door het Care Innovation Center West-Brabant, samen met het ministerie van VWS. Limburg, Zeeland en Noord-Brabant hadden samen ruim vijftig activiteiten. De vijf thema's van de week liepen van hybride zorg voor arbeidsmigranten en Samen Leren in de Wijk tot digitaal vaardig zijn, de gezondheidsapp en slimme zorg thuis.",
				"South was the last region to receive the baton. The region's week was run by the Care Innovation Center West-Brabant, jointly with the Ministry of VWS. Limburg, Zeeland and Noord-Brabant had more than fifty activities between them. The week's five themes ran from hybrid care for labour migrants and Samen Leren in de Wijk (learning together in the neighbourhood) to being digitally skilled, the health app and smart care at home.")),
	}
	zuid := e.Legs[3]
	zuid.OrganizerIDs = []string{orgCIC, orgVWS}
	zuid.ThemeIDs = themesZuid2021()
	return e
}

// ed2022 is the 2022 edition, known only from the 2023 announcement.
func ed2022() *content.Edition {
	return edition(edition2022, 2022,
		text("Uit de aankondiging van de editie 2023 blijkt dat er ook in 2022 een Slimme Zorg Estafette was. Data en programma van die editie zijn hier niet bekend.",
			"The announcement of the 2023 edition shows that there was a Slimme Zorg Estafette in 2022 as well. The dates and programme of that edition are not known here."),
		srcDenktank2023())
}

// ed2023 is the 2023 edition as its announcement planned it.
func ed2023() *content.Edition {
	e := edition(edition2023, 2023,
		text("Volgens de aankondiging zou de Slimme Zorg Estafette van 2023 lopen van 6 februari tot 3 maart, als kennismarathon in opdracht van het ministerie van VWS. Het ministerie zou op 6 februari een landelijke opening houden, waarna Oost, West, Noord en Zuid elk een week aan de beurt zouden zijn.",
			"According to the announcement, the 2023 Slimme Zorg Estafette was to run from 6 February to 3 March as a knowledge marathon commissioned by the Ministry of VWS. The ministry was to hold a national opening on 6 February, after which it would be the turn of East, West, North and South, one week each."),
		srcDenktank2023())
	e.Website = ptr(WebsiteURL)
	e.StartsOn, e.EndsOn = day(2023, time.February, 6), day(2023, time.March, 3)
	e.Legs = []*content.Leg{
		leg(e.ID, 1, regionOost, day(2023, time.February, 6), day(2023, time.February, 10), content.Text{}),
		leg(e.ID, 2, regionWest, day(2023, time.February, 13), day(2023, time.February, 17), content.Text{}),
		leg(e.ID, 3, regionNoord, day(2023, time.February, 20), day(2023, time.February, 24), content.Text{}),
		leg(e.ID, 4, regionZuid, day(2023, time.February, 27), day(2023, time.March, 3), content.Text{}),
	}
	return e
}

// ed2024 is the 2024 edition, known from the ICT&health look back.
func ed2024() *content.Edition {
	e := edition(edition2024, 2024,
		text("Voor het ministerie van VWS nam ZonMw in 2024 de organisatie van de estafette op zich; die vond plaats in februari. Workshops, presentaties en ontmoetingen werden in meer dan één regio gehouden, naast initiatieven als de Innovatie-Route, het Ervaarlab eHealth in de GGZ begeleiding, de Expobike, de Datawerkplaats Mentale Gezondheid en Tour de BeterDichtbij.",
			"In 2024 ZonMw took on the organisation of the relay for the Ministry of VWS; it was held in February. Workshops, presentations and meetings were held in more than one region, alongside initiatives such as the Innovatie-Route, the Ervaarlab eHealth in de GGZ begeleiding, the Expobike, the Datawerkplaats Mentale Gezondheid and Tour de BeterDichtbij."),
		srcICTHealth2024())
	e.OrganizedByID = orgZonMw
	return e
}

// editionFacts gives, for each of the editions by "edition/id", the source of every
// field value it sets (see fact).
func editionFacts() map[string]facts {
	return map[string]facts{
		"edition/2021": {
			f("Year", "2021", ict21, cicWeek, cicBaton),
			f("Name", "Slimme Zorg Estafette 2021", ict21, cicWeek, cicBaton),
			f("StartsOn", "2021-02-01", ict21),
			f("EndsOn", "2021-02-26", ict21),
			f("CommissionedByID", "ministerie-van-vws", ict21, cicWeek, cicBaton),
			prose("Summary", ict21, cicWeek, cicBaton),
			f("Legs.1.Order", "1", ict21),
			f("Legs.1.RegionID", "oost", ict21),
			f("Legs.1.StartsOn", "2021-02-01", ict21),
			f("Legs.1.EndsOn", "2021-02-05", ict21),
			prose("Legs.1.Summary", ict21),
			f("Legs.2.Order", "2", ict21),
			f("Legs.2.RegionID", "west", ict21),
			f("Legs.2.StartsOn", "2021-02-08", ict21),
			f("Legs.2.EndsOn", "2021-02-12", ict21),
			prose("Legs.2.Summary", ict21),
			f("Legs.3.Order", "3", ict21),
			f("Legs.3.RegionID", "noord", ict21),
			f("Legs.3.StartsOn", "2021-02-15", ict21),
			f("Legs.3.EndsOn", "2021-02-19", ict21),
			prose("Legs.3.Summary", ict21),
			f("Legs.4.Order", "4", ict21),
			f("Legs.4.RegionID", "zuid", ict21),
			f("Legs.4.StartsOn", "2021-02-22", ict21),
			f("Legs.4.EndsOn", "2021-02-26", ict21),
			prose("Legs.4.Summary", cicWeek, cicBaton),
			f("Legs.4.OrganizerIDs", "care-innovation-center-west-brabant", cicWeek, cicBaton),
			f("Legs.4.OrganizerIDs", "ministerie-van-vws", cicWeek, cicBaton),
			f("Legs.4.ThemeIDs", "slimme-zorg-thuis", cicWeek, cicBaton),
			f("Legs.4.ThemeIDs", "gezondheidsapp", cicWeek, cicBaton),
			f("Legs.4.ThemeIDs", "digitale-vaardigheden", cicWeek, cicBaton),
			f("Legs.4.ThemeIDs", "samen-leren-in-de-wijk", cicWeek, cicBaton),
			f("Legs.4.ThemeIDs", "hybride-zorg-arbeidsmigranten", cicWeek, cicBaton),
		},
		"edition/2022": {
			f("Year", "2022", denk23),
			f("Name", "Slimme Zorg Estafette 2022", denk23),
			f("CommissionedByID", "ministerie-van-vws", denk23),
			prose("Summary", denk23),
		},
		"edition/2023": {
			f("Year", "2023", denk23),
			f("Name", "Slimme Zorg Estafette 2023", denk23),
			f("StartsOn", "2023-02-06", denk23),
			f("EndsOn", "2023-03-03", denk23),
			f("CommissionedByID", "ministerie-van-vws", denk23),
			prose("Summary", denk23),
			f("Legs.1.Order", "1", denk23),
			f("Legs.1.RegionID", "oost", denk23),
			f("Legs.1.StartsOn", "2023-02-06", denk23),
			f("Legs.1.EndsOn", "2023-02-10", denk23),
			f("Legs.2.Order", "2", denk23),
			f("Legs.2.RegionID", "west", denk23),
			f("Legs.2.StartsOn", "2023-02-13", denk23),
			f("Legs.2.EndsOn", "2023-02-17", denk23),
			f("Legs.3.Order", "3", denk23),
			f("Legs.3.RegionID", "noord", denk23),
			f("Legs.3.StartsOn", "2023-02-20", denk23),
			f("Legs.3.EndsOn", "2023-02-24", denk23),
			f("Legs.4.Order", "4", denk23),
			f("Legs.4.RegionID", "zuid", denk23),
			f("Legs.4.StartsOn", "2023-02-27", denk23),
			f("Legs.4.EndsOn", "2023-03-03", denk23),
			f("Website", "https://slimmezorgestafette.nl/", denk23),
		},
		"edition/2024": {
			f("Year", "2024", ict24),
			f("Name", "Slimme Zorg Estafette 2024", ict24),
			f("CommissionedByID", "ministerie-van-vws", ict24),
			f("OrganizedByID", "zonmw", ict24),
			prose("Summary", ict24),
		},
	}
}
