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
		text("De landelijke e-healthweek werd in 2021 de Slimme Zorg Estafette: in februari vier weken lang elke week een andere regio, van Oost tot Zuid.",
			"In 2021 the national e-healthweek turned into the Slimme Zorg Estafette: through February, four weeks with a different region each, from East to South."),
		text(`## Van één week naar vier

Eerder was er één landelijke e-healthweek, voor heel Nederland tegelijk. In 2021 kreeg die een opvolger: de **Slimme Zorg Estafette**, die innovatie in zorg, welzijn en preventie in vier regionale weken belichtte. Was een week voorbij, dan gaf de regio die aan zet was het stokje door aan de volgende.

## De route

- 1 tot en met 5 februari: **Regio Oost** (Flevoland, Gelderland en Overijssel)
- 8 tot en met 12 februari: **Regio West** (Noord-Holland, Utrecht en Zuid-Holland)
- 15 tot en met 19 februari: **Regio Noord** (Drenthe, Friesland en Groningen)
- 22 tot en met 26 februari: **Regio Zuid** (Limburg, Noord-Brabant en Zeeland)

Elke week ging van start met een online bijeenkomst in de regio. Toen de vierde week erop zat, volgde een landelijke slotbijeenkomst.
`,
			`## From one week to four

Before, there was a single national e-healthweek, for the whole of the Netherlands at once. In 2021 it was succeeded by the **Slimme Zorg Estafette** (Smart Care Relay), which put innovation in care, welfare and prevention in the spotlight over four regional weeks. When a week was over, the region whose turn it was handed the baton to the next.

## The route

- 1–5 February: **Region East** (Flevoland, Gelderland and Overijssel)
- 8–12 February: **Region West** (Noord-Holland, Utrecht and Zuid-Holland)
- 15–19 February: **Region North** (Drenthe, Friesland and Groningen)
- 22–26 February: **Region South** (Limburg, Noord-Brabant and Zeeland)

Each week got under way with an online meeting in the region. Once the fourth week was over, a national closing meeting followed.
`),
		srcs2021()...)
	r2021.RegionIDs = []string{regionOost, regionWest, regionNoord, regionZuid}

	zuid := recap("terugblik-2021-regio-zuid", edition2021,
		text("Terugblik: het laatste stokje naar Regio Zuid", "Looking back: the last baton goes to Region South"),
		text("Limburg, Zeeland en Noord-Brabant kregen samen ruim vijftig activiteiten; de week begon met een online opening met elf break-outsessies.",
			"Limburg, Zeeland and Noord-Brabant shared more than fifty activities; the week began with an online opening with eleven break-out sessions."),
		text(`Als laatste regio was **Regio Zuid** aan zet, van 22 tot en met 26 februari 2021. Het Care Innovation Center West-Brabant nam samen met het ministerie van VWS de organisatie van de week voor de regio op zich. Limburg, Zeeland en Noord-Brabant hadden samen ruim vijftig activiteiten op het programma.

## De opening

De week begon op maandag 22 februari om 10.00 uur met een online opening, die elf break-outsessies telde. Tamara van Ark gaf als minister voor Medische Zorg en Sport de aftrap. Verder kwamen zorgverzekeraar CZ en zorgorganisatie tanteLouise aan het woord.

## De week

Dinsdagavond stond het Pitchevent VL-NL op het programma en donderdagochtend GOOD FOOD. Vijf thema's stonden centraal:

- hybride zorg voor arbeidsmigranten
- Samen Leren in de Wijk
- digitaal vaardig zijn
- de gezondheidsapp
- slimme zorg thuis
`,
			`**Region South** was the last region whose turn it was, from 22 to 26 February 2021. The Care Innovation Center West-Brabant took on organising the region's week, together with the Ministry of VWS. Limburg, Zeeland and Noord-Brabant had more than fifty activities on the programme between them.

## The opening

The week began on Monday 22 February at 10:00 with an online opening that had eleven break-out sessions. Tamara van Ark kicked off the week in her role as Minister for Medical Care and Sport. Other speakers came from CZ (a health insurer) and tanteLouise (a care organisation).

## The week

On Tuesday evening the programme featured the Pitchevent VL-NL; GOOD FOOD followed on Thursday morning. Five themes were central:

- hybrid care for labour migrants
- Samen Leren in de Wijk (learning together in the neighbourhood)
- being digitally skilled
- the health app
- smart care at home
`),
		srcsZuid2021()...)
	zuid.RegionIDs = []string{regionZuid}

	r2023 := recap("terugblik-2023", edition2023,
		text("Terugblik: de kennismarathon zoals die gepland was", "Looking back: the knowledge marathon as it was planned"),
		text("Van 6 februari tot 3 maart 2023 zou het stokje volgens de aankondiging in vier weken van Oost naar Zuid gaan.",
			"From 6 February to 3 March 2023, according to the announcement, the baton was to pass from East to South in four weeks."),
		text(`Wat we van de editie van 2023 weten, komt uit de aankondiging vooraf. Het ministerie van VWS gaf de opdracht, en de estafette werd daarin een *kennismarathon* genoemd. Op 6 februari zou het ministerie een landelijke opening houden; daarna zouden de regio's elkaar zo afwisselen:

- 6 tot en met 10 februari: **Regio Oost**
- 13 tot en met 17 februari: **Regio West**
- 20 tot en met 24 februari: **Regio Noord**
- 27 februari tot en met 3 maart: **Regio Zuid**
`,
			`What we know of the 2023 edition comes from the announcement beforehand. The Ministry of VWS commissioned it, and the announcement called the relay a *knowledge marathon* (kennismarathon). The ministry was to hold a national opening on 6 February; after that, the regions were to take turns as follows:

- 6–10 February: **Region East**
- 13–17 February: **Region West**
- 20–24 February: **Region North**
- 27 February – 3 March: **Region South**
`),
		srcDenktank2023())
	r2023.RegionIDs = []string{regionOost, regionWest, regionNoord, regionZuid}

	r2024 := recap("terugblik-2024", edition2024,
		text("Terugblik: het innovatiestokje in 2024", "Looking back: the innovation baton in 2024"),
		text("Met onder meer Tour de BeterDichtbij, de Expobike en een ervaarlab rond eHealth in de GGZ: de estafette die ZonMw in februari 2024 voor VWS organiseerde.",
			"Featuring Tour de BeterDichtbij, the Expobike and an experience lab on eHealth in mental health care, among others: the relay ZonMw organised for VWS in February 2024."),
		text(`In opdracht van het ministerie van VWS lag de organisatie van de estafette in februari 2024 bij ZonMw. Workshops, presentaties en ontmoetingen werden in meer dan één regio gehouden. Vijf van de initiatieven:

- **Tour de BeterDichtbij**: ziekenhuizen kregen bezoek van een team van BeterDichtbij, dat het gebruik van digitale communicatie in de zorg wilde stimuleren. Het team was te gast bij het Bravis ziekenhuis in Roosendaal, het Wilhelmina Ziekenhuis in Assen en Antonius in Sneek, waar in de gesprekken werd benadrukt hoe belangrijk digitaal contact is voor betere zorgprocessen en voor het werkplezier van zorgverleners.
- **Expobike**: deze bakfiets zat vol zorgtechnologie. Mobilecare en studenten Verpleegkunde van mboRijnland gingen er samen mee in gesprek met zorgverleners en cliënten, om zorginnovaties te laten zien en uit te leggen hoe die werken.
- **Datawerkplaats Mentale Gezondheid**: hier ging het om middelen die met data de zorg voor mentale gezondheid beter willen maken.
- **Ervaarlab eHealth in de GGZ begeleiding**: wie langskwam, mocht vernieuwende toepassingen voor de geestelijke gezondheidszorg zelf testen en goed bekijken.
- **Innovatie-Route**: liet onder andere zien hoe zorgtechnologie stap voor stap en volgens plan een plek kan krijgen in een zorgorganisatie.
`,
			`Commissioned by the Ministry of VWS, ZonMw was in charge of organising the relay in February 2024. Workshops, presentations and meetings were held in more than one region. Five of the initiatives:

- **Tour de BeterDichtbij**: hospitals were visited by a team from BeterDichtbij that wanted to encourage the use of digital communication in care. The team was a guest at Bravis ziekenhuis in Roosendaal, Wilhelmina Ziekenhuis in Assen and Antonius in Sneek, where the talks stressed how much digital contact matters for better care processes and for job satisfaction among care staff.
- **Expobike**: this bike was packed with care technology. Working together, Mobilecare and mboRijnland's nursing students used it to talk face to face with care workers and clients, showing care innovations and explaining how they work.
- **Datawerkplaats Mentale Gezondheid**: this was about means that use data to make mental health care better.
- **Ervaarlab eHealth in de GGZ begeleiding**: anyone who dropped by could test innovative applications for mental health care and take a good look at them.
- **Innovatie-Route**: showed, among other things, how care technology can find its place in a care organisation step by step and according to plan.
`),
		srcICTHealth2024())
	r2024.InitiativeIDs = []string{initTour, initExpobike, initDatawerkplaats, initErvaarlab, initInnovatieRoute}
	r2024.RegionIDs = []string{regionNoord, regionZuid}

	return []content.Record{r2021, zuid, r2023, r2024}
}

// recapFacts gives, for each of the recaps by "recap/id", the source of every
// field value it sets (see fact).
func recapFacts() map[string]facts {
	return map[string]facts{
		"recap/terugblik-2021": {
			f("EditionID", "2021", ict21, cicWeek, cicBaton),
			f("Title", "Terugblik: de e-healthweek wordt een estafette", ict21, cicWeek, cicBaton),
			prose("Summary", ict21, cicWeek, cicBaton),
			prose("Body", ict21, cicWeek, cicBaton),
			f("RegionIDs", "oost", ict21, cicWeek, cicBaton),
			f("RegionIDs", "west", ict21, cicWeek, cicBaton),
			f("RegionIDs", "noord", ict21, cicWeek, cicBaton),
			f("RegionIDs", "zuid", ict21, cicWeek, cicBaton),
		},
		"recap/terugblik-2021-regio-zuid": {
			f("EditionID", "2021", cicWeek, cicBaton),
			f("Title", "Terugblik: het laatste stokje naar Regio Zuid", cicWeek, cicBaton),
			prose("Summary", cicWeek, cicBaton),
			prose("Body", cicWeek, cicBaton),
			f("RegionIDs", "zuid", cicWeek, cicBaton),
		},
		"recap/terugblik-2023": {
			f("EditionID", "2023", denk23),
			f("Title", "Terugblik: de kennismarathon zoals die gepland was", denk23),
			prose("Summary", denk23),
			prose("Body", denk23),
			f("RegionIDs", "oost", denk23),
			f("RegionIDs", "west", denk23),
			f("RegionIDs", "noord", denk23),
			f("RegionIDs", "zuid", denk23),
		},
		"recap/terugblik-2024": {
			f("EditionID", "2024", ict24),
			f("Title", "Terugblik: het innovatiestokje in 2024", ict24),
			prose("Summary", ict24),
			prose("Body", ict24),
			f("InitiativeIDs", "tour-de-beterdichtbij", ict24),
			f("InitiativeIDs", "expobike", ict24),
			f("InitiativeIDs", "datawerkplaats-mentale-gezondheid", ict24),
			f("InitiativeIDs", "ervaarlab-ehealth-in-de-ggz-begeleiding", ict24),
			f("InitiativeIDs", "innovatie-route", ict24),
			f("RegionIDs", "noord", ict24),
			f("RegionIDs", "zuid", ict24),
		},
	}
}
