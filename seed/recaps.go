package seed

import "estafette/content"

// recaps returns a look back at each edition the facts describe (2021, with
// a second one on the week of Regio Zuid, 2023 and 2024). The bodies are
// Markdown; they restate the facts in their own words and quote no one.
func recaps() []content.Record {
	recap := func(id, editionID string, title, summary, body content.Text, sources ...content.Source) *content.Recap {
		return &content.Recap{
			Meta:      meta(id, sources...),
			EditionID: editionID,
			Title:     title,
			Summary:   summary,
			Body:      body,
			// No source gives a recap's publication date, and the seed's
			// load time is not one: PublishedAt stays null.
		}
	}

	r2021 := recap("terugblik-2021", edition2021,
		text("Terugblik: de e-healthweek wordt een estafette", "Looking back: the e-healthweek becomes a relay"),
		text("In 2021 werd de landelijke e-healthweek de Slimme Zorg Estafette: vier regionale weken in februari, van Oost naar Zuid.",
			"In 2021 the national e-healthweek became the Slimme Zorg Estafette: four regional weeks in February, from East to South."),
		text(`## Van één week naar vier

Tot 2021 was er de landelijke e-healthweek: één week voor het hele land. In 2021 ging die verder als de **Slimme Zorg Estafette**, over innovatie in zorg, welzijn en preventie. Elke week was een andere regio aan zet, en aan het eind van de week ging het stokje door naar de volgende.

## De route

- **Regio Oost** (Overijssel, Gelderland, Flevoland): 1 tot en met 5 februari
- **Regio West** (Noord-Holland, Zuid-Holland, Utrecht): 8 tot en met 12 februari
- **Regio Noord** (Groningen, Friesland, Drenthe): 15 tot en met 19 februari
- **Regio Zuid** (Zeeland, Noord-Brabant, Limburg): 22 tot en met 26 februari

Iedere regio begon haar week met een online bijeenkomst. Na de vierde week sloot een landelijke bijeenkomst de estafette af.
`,
			`## From one week to four

Until 2021 there was the national e-healthweek: one week for the whole country. In 2021 it carried on as the **Slimme Zorg Estafette** (Smart Care Relay), about innovation in care, welfare and prevention. Each week a different region was on turn, and at the end of the week the baton passed to the next.

## The route

- **Region East** (Overijssel, Gelderland, Flevoland): 1–5 February
- **Region West** (Noord-Holland, Zuid-Holland, Utrecht): 8–12 February
- **Region North** (Groningen, Friesland, Drenthe): 15–19 February
- **Region South** (Zeeland, Noord-Brabant, Limburg): 22–26 February

Each region began its week with an online meeting. After the fourth week a national meeting closed the relay.
`),
		srcs2021()...)
	r2021.RegionIDs = []string{regionOost, regionWest, regionNoord, regionZuid}

	zuid := recap("terugblik-2021-regio-zuid", edition2021,
		text("Terugblik: het laatste stokje naar Regio Zuid", "Looking back: the last baton goes to Region South"),
		text("Ruim vijftig activiteiten in Brabant, Zeeland en Limburg, geopend met een online bijeenkomst met elf break-outsessies.",
			"More than fifty activities in Brabant, Zeeland and Limburg, opened online with eleven break-out sessions."),
		text(`Van 22 tot en met 26 februari 2021 was **Regio Zuid** als laatste aan zet. Het Care Innovation Center West-Brabant organiseerde de week voor de regio samen met het ministerie van VWS, en in Brabant, Zeeland en Limburg stonden ruim vijftig activiteiten op het programma.

## De opening

Op maandag 22 februari om 10.00 uur begon de week met een online opening met elf break-outsessies. Minister voor Medische Zorg en Sport Tamara van Ark gaf het startsein. Ook zorgverzekeraar CZ en zorgorganisatie tanteLouise kwamen aan het woord.

## De week

Op dinsdagavond was er het Pitchevent VL-NL, op donderdagochtend GOOD FOOD. De thema's van de week:

- slimme zorg thuis
- de gezondheidsapp
- digitale vaardigheden
- Samen Leren in de Wijk
- hybride zorg voor arbeidsmigranten
`,
			`From 22 to 26 February 2021 **Region South** was the last region on turn. The Care Innovation Center West-Brabant co-organised the week for the region with the Ministry of Health, Welfare and Sport, and more than fifty activities took place in Brabant, Zeeland and Limburg.

## The opening

On Monday 22 February at 10:00 the week began with an online opening with eleven break-out sessions. Tamara van Ark, Minister for Medical Care and Sport, gave the starting signal. The health insurer CZ and the care organisation tanteLouise also spoke.

## The week

Tuesday evening brought the Pitchevent VL-NL, Thursday morning GOOD FOOD. The themes of the week:

- smart care at home
- the health app
- digital skills
- learning together in the neighbourhood (Samen Leren in de Wijk)
- hybrid care for labour migrants
`),
		srcsZuid2021()...)
	zuid.RegionIDs = []string{regionZuid}

	r2023 := recap("terugblik-2023", edition2023,
		text("Terugblik: een kennismarathon door vier regio's", "Looking back: a knowledge marathon through four regions"),
		text("Van 6 februari tot en met 3 maart 2023 ging het stokje in vier weken van Oost naar Zuid.",
			"From 6 February to 3 March 2023 the baton passed from East to South in four weeks."),
		text(`De Slimme Zorg Estafette van 2023, in opdracht van het ministerie van VWS, werd aangekondigd als een *kennismarathon*. Het ministerie opende de editie op 6 februari landelijk. Daarna volgden de regio's elkaar op:

- **Regio Oost**: 6 tot en met 10 februari
- **Regio West**: 13 tot en met 17 februari
- **Regio Noord**: 20 tot en met 24 februari
- **Regio Zuid**: 27 februari tot en met 3 maart
`,
			`The 2023 Slimme Zorg Estafette, commissioned by the Ministry of Health, Welfare and Sport, was announced as a *knowledge marathon* (kennismarathon). The ministry opened the edition nationally on 6 February. The regions then followed one another:

- **Region East**: 6–10 February
- **Region West**: 13–17 February
- **Region North**: 20–24 February
- **Region South**: 27 February – 3 March
`),
		srcDenktank2023())
	r2023.RegionIDs = []string{regionOost, regionWest, regionNoord, regionZuid}

	r2024 := recap("terugblik-2024", edition2024,
		text("Terugblik: het innovatiestokje in 2024", "Looking back: the innovation baton in 2024"),
		text("ZonMw organiseerde de estafette van februari 2024 voor VWS, met onder meer Tour de BeterDichtbij, de Expobike en een ervaarlab voor eHealth in de GGZ.",
			"ZonMw organised the February 2024 relay for VWS, featuring Tour de BeterDichtbij, the Expobike and an experience lab for eHealth in mental health care."),
		text(`In februari 2024 organiseerde ZonMw de Slimme Zorg Estafette in opdracht van het ministerie van VWS. In verschillende regio's waren er workshops, presentaties en bijeenkomsten. Een greep uit de initiatieven:

- **Tour de BeterDichtbij**: een team van BeterDichtbij ging langs ziekenhuizen om digitale communicatie in de zorg te bevorderen. Bij Antonius in Sneek, het Wilhelmina Ziekenhuis Assen en het Bravis ziekenhuis in Roosendaal ging het over hoe digitaal contact zorgprocessen en het werkplezier van zorgverleners verbetert.
- **Expobike**: een bakfiets vol zorgtechnologie waarmee Mobilecare en studenten Verpleegkunde van mboRijnland zorginnovaties lieten zien en uitlegden aan zorgmedewerkers en cliënten.
- **Datawerkplaats Mentale Gezondheid**: over datagedreven middelen voor betere zorg voor mentale gezondheid.
- **Ervaarlab eHealth in de GGZ begeleiding**: hier probeerden mensen innovatieve eHealth-producten voor begeleiding bij mentale gezondheid van dichtbij uit.
- **Innovatie-Route**: over het planmatig invoeren van zorgtechnologie in een zorgorganisatie.
`,
			`In February 2024 ZonMw organised the Slimme Zorg Estafette on behalf of the Ministry of Health, Welfare and Sport. Several regions held workshops, presentations and meetings. A selection of the initiatives:

- **Tour de BeterDichtbij**: a BeterDichtbij team visited hospitals to promote digital communication in care. At Antonius in Sneek, Wilhelmina Ziekenhuis Assen and Bravis ziekenhuis in Roosendaal the talks were about how digital contact improves care processes and the job satisfaction of care workers.
- **Expobike**: a cargo bike full of care technology with which Mobilecare and nursing students of mboRijnland showed and explained care innovations to care workers and clients.
- **Datawerkplaats Mentale Gezondheid**: about data-driven means to improve mental health care.
- **Ervaarlab eHealth in de GGZ begeleiding**: here people tried innovative eHealth products for mental-health support up close.
- **Innovatie-Route**: about introducing care technology into a care organisation in a planned way.
`),
		srcICTHealth2024())
	r2024.InitiativeIDs = []string{initTour, initExpobike, initDatawerkplaats, initErvaarlab, initInnovatieRoute}
	r2024.RegionIDs = []string{regionNoord, regionZuid}

	return []content.Record{r2021, zuid, r2023, r2024}
}
