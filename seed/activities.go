package seed

import (
	"time"

	"estafette/content"
)

// activities returns the activities the facts describe. Timing is set only
// as far as it is known: a day (StartsOn), or a day and a start time
// (StartsAt); no end time is known for any of them.
func activities() []content.Record {
	var out []content.Record
	out = append(out, activities2021()...)
	out = append(out, activities2023()...)
	out = append(out, activities2024()...)
	return out
}

// activity returns an activity with the parts every seed activity shares.
func activity(id, editionID, regionID string, title, summary content.Text, sources ...content.Source) *content.Activity {
	return &content.Activity{
		Meta:      meta(id, sources...),
		EditionID: editionID,
		RegionID:  regionID,
		Title:     title,
		Summary:   summary,
	}
}

// activities2021 are the activities of 2021. No source names the
// organisers of the opening of the Zuid week (the sources name those of the
// week, on its leg), nor the date of the national closing meeting.
func activities2021() []content.Record {
	opening := activity("2021-zuid-opening", edition2021, regionZuid,
		text("Opening van de week van Regio Zuid", "Opening of the Region South week"),
		text("Om 10.00 uur ging de week van Regio Zuid online van start, met elf break-outsessies. De aftrap was voor Tamara van Ark, minister voor Medische Zorg en Sport; verder kwamen CZ en tanteLouise aan het woord.",
			"At 10:00 the Region South week started online, with eleven break-out sessions. Tamara van Ark, Minister for Medical Care and Sport, gave the kick-off; CZ and tanteLouise took the floor as well."),
		srcsZuid2021()...)
	opening.StartsOn = day(2021, time.February, 22)
	opening.StartsAt = ptr(time.Date(2021, time.February, 22, 10, 0, 0, 0, content.Amsterdam))
	opening.Format, opening.Mode = ptr(content.FormatOpening), ptr(content.ModeOnline)

	pitch := activity("2021-zuid-pitchevent-vl-nl", edition2021, regionZuid,
		text("Pitchevent VL-NL", "Pitchevent VL-NL"),
		text("Een pitchevent op dinsdagavond, midden in de Zuid-week.",
			"A pitch event on Tuesday evening, in the middle of the South week."),
		srcsZuid2021()...)
	pitch.StartsOn = day(2021, time.February, 23)
	pitch.Format = ptr(content.FormatPitch)

	food := activity("2021-zuid-good-food", edition2021, regionZuid,
		text("GOOD FOOD", "GOOD FOOD"),
		text("Stond op donderdagochtend op het programma van de Zuid-week.",
			"On the programme of the South week on Thursday morning."),
		srcsZuid2021()...)
	food.StartsOn = day(2021, time.February, 25)

	regional := func(regionID, nl, en string) *content.Activity {
		a := activity("2021-"+regionID+"-opening", edition2021, regionID,
			text("Opening van de week van "+nl, "Opening of the "+en+" week"),
			text("Met deze online bijeenkomst voor de regio ging de week van "+nl+" in de estafette van 2021 van start.",
				"With this online meeting for the region, the "+en+" week of the 2021 relay got under way."),
			srcs2021()...)
		a.Format, a.Mode = ptr(content.FormatOpening), ptr(content.ModeOnline)
		return a
	}

	closing := activity("2021-landelijke-slotbijeenkomst", edition2021, "",
		text("Landelijke slotbijeenkomst", "National closing meeting"),
		text("Na de vierde regionale week sloot een landelijke bijeenkomst de estafette van 2021 af; de datum ervan is niet bekend.",
			"After the fourth regional week, a national meeting brought the 2021 relay to a close; its date is not known."),
		srcs2021()...)
	closing.Format = ptr(content.FormatClosing)

	return []content.Record{
		regional(regionOost, "Regio Oost", "Region East"),
		regional(regionWest, "Regio West", "Region West"),
		regional(regionNoord, "Regio Noord", "Region North"),
		opening, pitch, food, closing,
	}
}

// activities2023 are the activities of 2023, as the announcement planned
// them.
func activities2023() []content.Record {
	opening := activity("2023-landelijke-opening", edition2023, "",
		text("Landelijke opening", "National opening"),
		text("Volgens de aankondiging zou het ministerie van VWS de estafette van 2023 op 6 februari landelijk openen, waarna Regio Oost als eerste aan de beurt was.",
			"According to the announcement, the Ministry of VWS was to open the 2023 relay nationally on 6 February, with Region East as the first region whose turn it was."),
		srcDenktank2023())
	opening.OrganizerIDs = []string{orgVWS}
	opening.StartsOn = day(2023, time.February, 6)
	opening.Format = ptr(content.FormatOpening)
	return []content.Record{opening}
}

// activities2024 are the activities of 2024. The source names no audience
// of the Tour visits.
func activities2024() []content.Record {
	visit := func(orgID, name, city, province, regionID string) *content.Activity {
		a := activity("2024-tour-de-beterdichtbij-"+orgID, edition2024, regionID,
			text("Tour de BeterDichtbij bij "+name, "Tour de BeterDichtbij at "+name),
			text("Bij "+name+" voerde het team van BeterDichtbij een gesprek over digitale communicatie; daarin werd benadrukt hoe belangrijk digitaal contact is voor betere zorgprocessen en voor het werkplezier van zorgverleners.",
				"At "+name+" the BeterDichtbij team held a discussion on digital communication, which stressed how much digital contact matters for better care processes and for job satisfaction among care staff."),
			srcICTHealth2024())
		a.InitiativeID = initTour
		a.OrganizerIDs = []string{orgBeterDichtbij}
		a.Format, a.Mode = ptr(content.FormatVisit), ptr(content.ModeOnsite)
		a.Venue = &content.Venue{Name: ptr(name), City: ptr(city), ProvinceSlug: province, OrganizationID: orgID}
		a.ThemeIDs = []string{themeDigitaleCommunic}
		a.Interactive = ptr(true) // the visits were discussions
		return a
	}

	expobike := activity("2024-expobike", edition2024, "",
		text("Expobike: zorgtechnologie op de bakfiets", "Expobike: care technology by cargo bike"),
		text("Deze bakfiets zat vol zorgtechnologie. Mobilecare en studenten Verpleegkunde van mboRijnland gingen er samen mee in gesprek met zorgverleners en cliënten, om zorginnovaties te laten zien en uit te leggen hoe die werken.",
			"This cargo bike was packed with care technology. Working together, Mobilecare and mboRijnland's nursing students used it to talk face to face with care workers and clients, showing care innovations and explaining how they work."),
		srcICTHealth2024())
	expobike.InitiativeID = initExpobike
	expobike.OrganizerIDs = []string{orgMobilecare, orgMboRijnland}
	expobike.Format, expobike.Mode = ptr(content.FormatDemonstration), ptr(content.ModeOnsite)
	expobike.Audiences = []content.Audience{content.AudienceCareProfessionals, content.AudienceClients}
	expobike.ThemeIDs = []string{themeZorgtechnologie}

	ervaarlab := activity("2024-ervaarlab-ehealth-in-de-ggz-begeleiding", edition2024, "",
		text("Ervaarlab eHealth in de GGZ begeleiding", "Ervaarlab eHealth in de GGZ begeleiding"),
		text("Bezoekers konden hier zelf aan de slag met vernieuwende eHealth-producten voor begeleiding in de ggz, en ze van dichtbij bekijken.",
			"Here visitors could get hands-on with new eHealth products for mental-health support and look at them closely."),
		srcICTHealth2024())
	ervaarlab.InitiativeID = initErvaarlab
	ervaarlab.Format, ervaarlab.Mode = ptr(content.FormatExperience), ptr(content.ModeOnsite)
	ervaarlab.ThemeIDs = []string{themeEHealth, themeMentaleGezondheid}
	ervaarlab.Interactive = ptr(true) // visitors tried the products themselves

	return []content.Record{
		visit(orgAntonius, "Antonius Sneek", "Sneek", "friesland", regionNoord),
		visit(orgWilhelmina, "Wilhelmina Ziekenhuis Assen", "Assen", "drenthe", regionNoord),
		visit(orgBravis, "Bravis ziekenhuis", "Roosendaal", "noord-brabant", regionZuid),
		expobike, ervaarlab,
	}
}

// activityFacts gives, for each of the activities by "activity/id", the source of every
// field value it sets (see fact).
func activityFacts() map[string]facts {
	return map[string]facts{
		"activity/2021-oost-opening": {
			f("EditionID", "2021", ict21, cicWeek, cicBaton),
			f("RegionID", "oost", ict21, cicWeek, cicBaton),
			f("Title", "Opening van de week van Regio Oost", ict21, cicWeek, cicBaton),
			prose("Summary", ict21, cicWeek, cicBaton),
			f("Format", "opening", ict21, cicWeek, cicBaton),
			f("Mode", "online", ict21, cicWeek, cicBaton),
		},
		"activity/2021-west-opening": {
			f("EditionID", "2021", ict21, cicWeek, cicBaton),
			f("RegionID", "west", ict21, cicWeek, cicBaton),
			f("Title", "Opening van de week van Regio West", ict21, cicWeek, cicBaton),
			prose("Summary", ict21, cicWeek, cicBaton),
			f("Format", "opening", ict21, cicWeek, cicBaton),
			f("Mode", "online", ict21, cicWeek, cicBaton),
		},
		"activity/2021-noord-opening": {
			f("EditionID", "2021", ict21, cicWeek, cicBaton),
			f("RegionID", "noord", ict21, cicWeek, cicBaton),
			f("Title", "Opening van de week van Regio Noord", ict21, cicWeek, cicBaton),
			prose("Summary", ict21, cicWeek, cicBaton),
			f("Format", "opening", ict21, cicWeek, cicBaton),
			f("Mode", "online", ict21, cicWeek, cicBaton),
		},
		"activity/2021-zuid-opening": {
			f("EditionID", "2021", cicWeek, cicBaton),
			f("RegionID", "zuid", cicWeek, cicBaton),
			f("Title", "Opening van de week van Regio Zuid", cicWeek, cicBaton),
			prose("Summary", cicWeek, cicBaton),
			f("StartsOn", "2021-02-22", cicWeek, cicBaton),
			f("StartsAt", "2021-02-22T10:00:00+01:00", cicWeek, cicBaton),
			f("Format", "opening", cicWeek, cicBaton),
			f("Mode", "online", cicWeek, cicBaton),
		},
		"activity/2021-zuid-pitchevent-vl-nl": {
			f("EditionID", "2021", cicWeek, cicBaton),
			f("RegionID", "zuid", cicWeek, cicBaton),
			f("Title", "Pitchevent VL-NL", cicWeek, cicBaton),
			prose("Summary", cicWeek, cicBaton),
			f("StartsOn", "2021-02-23", cicWeek, cicBaton),
			f("Format", "pitch", cicWeek, cicBaton),
		},
		"activity/2021-zuid-good-food": {
			f("EditionID", "2021", cicWeek, cicBaton),
			f("RegionID", "zuid", cicWeek, cicBaton),
			f("Title", "GOOD FOOD", cicWeek, cicBaton),
			prose("Summary", cicWeek, cicBaton),
			f("StartsOn", "2021-02-25", cicWeek, cicBaton),
		},
		"activity/2021-landelijke-slotbijeenkomst": {
			f("EditionID", "2021", ict21, cicWeek, cicBaton),
			f("Title", "Landelijke slotbijeenkomst", ict21, cicWeek, cicBaton),
			prose("Summary", ict21, cicWeek, cicBaton),
			f("Format", "closing", ict21, cicWeek, cicBaton),
		},
		"activity/2023-landelijke-opening": {
			f("EditionID", "2023", denk23),
			f("Title", "Landelijke opening", denk23),
			prose("Summary", denk23),
			f("OrganizerIDs", "ministerie-van-vws", denk23),
			f("StartsOn", "2023-02-06", denk23),
			f("Format", "opening", denk23),
		},
		"activity/2024-tour-de-beterdichtbij-antonius-sneek": {
			f("EditionID", "2024", ict24),
			f("RegionID", "noord", ict24),
			f("InitiativeID", "tour-de-beterdichtbij", ict24),
			f("Title", "Tour de BeterDichtbij bij Antonius Sneek", ict24),
			prose("Summary", ict24),
			f("OrganizerIDs", "beterdichtbij", ict24),
			f("Format", "visit", ict24),
			f("Mode", "onsite", ict24),
			f("Venue.Name", "Antonius Sneek", ict24),
			f("Venue.City", "Sneek", ict24),
			f("Venue.ProvinceSlug", "friesland", ict24),
			f("Venue.OrganizationID", "antonius-sneek", ict24),
			f("ThemeIDs", "digitale-communicatie", ict24),
			f("Interactive", "true", ict24),
		},
		"activity/2024-tour-de-beterdichtbij-wilhelmina-ziekenhuis-assen": {
			f("EditionID", "2024", ict24),
			f("RegionID", "noord", ict24),
			f("InitiativeID", "tour-de-beterdichtbij", ict24),
			f("Title", "Tour de BeterDichtbij bij Wilhelmina Ziekenhuis Assen", ict24),
			prose("Summary", ict24),
			f("OrganizerIDs", "beterdichtbij", ict24),
			f("Format", "visit", ict24),
			f("Mode", "onsite", ict24),
			f("Venue.Name", "Wilhelmina Ziekenhuis Assen", ict24),
			f("Venue.City", "Assen", ict24),
			f("Venue.ProvinceSlug", "drenthe", ict24),
			f("Venue.OrganizationID", "wilhelmina-ziekenhuis-assen", ict24),
			f("ThemeIDs", "digitale-communicatie", ict24),
			f("Interactive", "true", ict24),
		},
		"activity/2024-tour-de-beterdichtbij-bravis-ziekenhuis": {
			f("EditionID", "2024", ict24),
			f("RegionID", "zuid", ict24),
			f("InitiativeID", "tour-de-beterdichtbij", ict24),
			f("Title", "Tour de BeterDichtbij bij Bravis ziekenhuis", ict24),
			prose("Summary", ict24),
			f("OrganizerIDs", "beterdichtbij", ict24),
			f("Format", "visit", ict24),
			f("Mode", "onsite", ict24),
			f("Venue.Name", "Bravis ziekenhuis", ict24),
			f("Venue.City", "Roosendaal", ict24),
			f("Venue.ProvinceSlug", "noord-brabant", ict24),
			f("Venue.OrganizationID", "bravis-ziekenhuis", ict24),
			f("ThemeIDs", "digitale-communicatie", ict24),
			f("Interactive", "true", ict24),
		},
		"activity/2024-expobike": {
			f("EditionID", "2024", ict24),
			f("InitiativeID", "expobike", ict24),
			f("Title", "Expobike: zorgtechnologie op de bakfiets", ict24),
			prose("Summary", ict24),
			f("OrganizerIDs", "mobilecare", ict24),
			f("OrganizerIDs", "mborijnland", ict24),
			f("Format", "demonstration", ict24),
			f("Mode", "onsite", ict24),
			f("Audiences", "care_professionals", ict24),
			f("Audiences", "clients", ict24),
			f("ThemeIDs", "zorgtechnologie", ict24),
		},
		"activity/2024-ervaarlab-ehealth-in-de-ggz-begeleiding": {
			f("EditionID", "2024", ict24),
			f("InitiativeID", "ervaarlab-ehealth-in-de-ggz-begeleiding", ict24),
			f("Title", "Ervaarlab eHealth in de GGZ begeleiding", ict24),
			prose("Summary", ict24),
			f("Format", "experience", ict24),
			f("Mode", "onsite", ict24),
			f("ThemeIDs", "ehealth", ict24),
			f("ThemeIDs", "mentale-gezondheid", ict24),
			f("Interactive", "true", ict24),
		},
	}
}
