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

func activities2021() []content.Record {
	opening := activity("2021-zuid-opening", edition2021, regionZuid,
		text("Opening van de week van Regio Zuid", "Opening of the Region South week"),
		text("Online opening van de week van Regio Zuid, met elf break-outsessies. Minister voor Medische Zorg en Sport Tamara van Ark gaf het startsein; ook CZ en tanteLouise spraken.",
			"Online opening of the Region South week, with eleven break-out sessions. Tamara van Ark, Minister for Medical Care and Sport, gave the starting signal; CZ and tanteLouise also spoke."),
		srcsZuid2021()...)
	opening.OrganizerIDs = []string{orgCIC, orgVWS}
	opening.StartsOn = day(2021, time.February, 22)
	opening.StartsAt = ptr(time.Date(2021, time.February, 22, 10, 0, 0, 0, content.Amsterdam))
	opening.Format, opening.Mode = ptr(content.FormatOpening), ptr(content.ModeOnline)

	pitch := activity("2021-zuid-pitchevent-vl-nl", edition2021, regionZuid,
		text("Pitchevent VL-NL", "Pitchevent VL-NL"),
		text("Pitchevent op de dinsdagavond van de week van Regio Zuid.",
			"Pitch event on the Tuesday evening of the Region South week."),
		srcsZuid2021()...)
	pitch.StartsOn = day(2021, time.February, 23)
	pitch.Format = ptr(content.FormatPitch)

	food := activity("2021-zuid-good-food", edition2021, regionZuid,
		text("GOOD FOOD", "GOOD FOOD"),
		text("Activiteit op de donderdagochtend van de week van Regio Zuid.",
			"Activity on the Thursday morning of the Region South week."),
		srcsZuid2021()...)
	food.StartsOn = day(2021, time.February, 25)

	regional := func(regionID, nl, en string) *content.Activity {
		a := activity("2021-"+regionID+"-opening", edition2021, regionID,
			text("Opening van de week van "+nl, "Opening of the "+en+" week"),
			text("Regionale online bijeenkomst waarmee de week van "+nl+" in de Slimme Zorg Estafette 2021 begon.",
				"Online regional meeting that opened the "+en+" week of the 2021 Slimme Zorg Estafette."),
			srcs2021()...)
		a.Format, a.Mode = ptr(content.FormatOpening), ptr(content.ModeOnline)
		return a
	}

	closing := activity("2021-landelijke-slotbijeenkomst", edition2021, "",
		text("Landelijke slotbijeenkomst", "National closing meeting"),
		text("Landelijke bijeenkomst na de vierde regionale week, waarmee de Slimme Zorg Estafette 2021 werd afgesloten.",
			"National meeting after the fourth regional week that closed the 2021 Slimme Zorg Estafette."),
		srcs2021()...)
	closing.Format = ptr(content.FormatClosing)

	return []content.Record{
		regional(regionOost, "Regio Oost", "Region East"),
		regional(regionWest, "Regio West", "Region West"),
		regional(regionNoord, "Regio Noord", "Region North"),
		opening, pitch, food, closing,
	}
}

func activities2023() []content.Record {
	opening := activity("2023-landelijke-opening", edition2023, "",
		text("Landelijke opening", "National opening"),
		text("Het ministerie van VWS opende de Slimme Zorg Estafette 2023 landelijk, waarna Regio Oost als eerste aan zet was.",
			"The Ministry of Health, Welfare and Sport opened the 2023 Slimme Zorg Estafette nationally, after which Region East was the first on turn."),
		srcDenktank2023())
	opening.OrganizerIDs = []string{orgVWS}
	opening.StartsOn = day(2023, time.February, 6)
	opening.Format = ptr(content.FormatOpening)
	return []content.Record{opening}
}

func activities2024() []content.Record {
	visit := func(orgID, name, city, province, regionID string) *content.Activity {
		a := activity("2024-tour-de-beterdichtbij-"+orgID, edition2024, regionID,
			text("Tour de BeterDichtbij bij "+name, "Tour de BeterDichtbij at "+name),
			text("Het team van BeterDichtbij bezocht "+name+" en ging er in gesprek over hoe digitaal contact zorgprocessen en het werkplezier van zorgverleners kan verbeteren.",
				"The BeterDichtbij team visited "+name+" for a discussion on how digital contact can improve care processes and the job satisfaction of care workers."),
			srcICTHealth2024())
		a.InitiativeID = initTour
		a.OrganizerIDs = []string{orgBeterDichtbij}
		a.Format, a.Mode = ptr(content.FormatVisit), ptr(content.ModeOnsite)
		a.Venue = &content.Venue{Name: ptr(name), City: ptr(city), ProvinceSlug: province, OrganizationID: orgID}
		a.Audiences = []content.Audience{content.AudienceCareProfessionals}
		a.ThemeIDs = []string{themeDigitaleCommunic}
		a.Interactive = ptr(true) // the visits were discussions
		return a
	}

	expobike := activity("2024-expobike", edition2024, "",
		text("Expobike: zorgtechnologie op de bakfiets", "Expobike: care technology by cargo bike"),
		text("Met een bakfiets vol zorgtechnologie lieten Mobilecare en studenten Verpleegkunde van mboRijnland zorginnovaties zien aan zorgmedewerkers en cliënten, en legden ze uit hoe die werken.",
			"With a cargo bike full of care technology, Mobilecare and nursing students of mboRijnland showed care innovations to care workers and clients and explained how they work."),
		srcICTHealth2024())
	expobike.InitiativeID = initExpobike
	expobike.OrganizerIDs = []string{orgMobilecare, orgMboRijnland}
	expobike.Format, expobike.Mode = ptr(content.FormatDemonstration), ptr(content.ModeOnsite)
	expobike.Audiences = []content.Audience{content.AudienceCareProfessionals, content.AudienceClients}
	expobike.ThemeIDs = []string{themeZorgtechnologie}

	ervaarlab := activity("2024-ervaarlab-ehealth-in-de-ggz-begeleiding", edition2024, "",
		text("Ervaarlab eHealth in de GGZ begeleiding", "Ervaarlab eHealth in de GGZ begeleiding"),
		text("In dit ervaarlab probeerden bezoekers innovatieve eHealth-producten voor begeleiding bij mentale gezondheid van dichtbij uit.",
			"In this experience lab visitors tried innovative eHealth products for mental-health support up close."),
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
