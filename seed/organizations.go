package seed

import "estafette/content"

// The ids (and slugs) of the organisations the facts name.
const (
	orgVWS           = "ministerie-van-vws"
	orgZonMw         = "zonmw"
	orgBeterDichtbij = "beterdichtbij"
	orgAntonius      = "antonius-sneek"
	orgWilhelmina    = "wilhelmina-ziekenhuis-assen"
	orgBravis        = "bravis-ziekenhuis"
	orgMobilecare    = "mobilecare"
	orgMboRijnland   = "mborijnland"
	orgCIC           = "care-innovation-center-west-brabant"
	orgICTHealth     = "icthealth"
	orgCZ            = "cz"
	orgTanteLouise   = "tantelouise"
)

// organizations returns the organisations the facts name. A city is set
// only where the facts give it; no organisation website is known. The kind
// is set only where a source says what the organisation is: no source says
// what kind of organisation ZonMw, BeterDichtbij, Mobilecare or the Care
// Innovation Center West-Brabant is, so their kind is null.
//
// Lists of places and provinces in the texts are written in an order of
// their own (alphabetical, or the reverse of the source), so that no text
// repeats a source's list word for word.
func organizations() []content.Record {
	org := func(id, name string, kind *content.OrganizationKind, city *string, desc content.Text, sources ...content.Source) *content.Organization {
		return &content.Organization{Meta: meta(id, sources...), Name: name, Kind: kind, City: city, Description: desc}
	}
	hospital := func(id, name, city, province string) *content.Organization {
		return org(id, name, ptr(content.OrgHospital), ptr(city),
			text("Ziekenhuis in "+city+" ("+province+"). In 2024 was Tour de BeterDichtbij hier te gast voor een gesprek over digitale communicatie in de zorg.",
				"Hospital in "+city+" ("+province+"). In 2024 it welcomed Tour de BeterDichtbij for a discussion on digital communication in care."),
			srcICTHealth2024())
	}
	return []content.Record{
		org(orgVWS, "Ministerie van Volksgezondheid, Welzijn en Sport (VWS)", ptr(content.OrgMinistry), nil,
			text("Het ministerie geeft de opdracht voor de Slimme Zorg Estafette. In 2021 zette het samen met het Care Innovation Center West-Brabant de week van Regio Zuid op, en volgens de aankondiging van 2023 zou het dat jaar de landelijke opening verzorgen.",
				"The ministry commissions the Slimme Zorg Estafette. In 2021 it set up the Region South week together with the Care Innovation Center West-Brabant, and according to the 2023 announcement it was to host that year's national opening."),
			srcCICSpotlights(), srcDenktank2023(), srcICTHealth2024()),
		org(orgZonMw, "ZonMw", nil, nil,
			text("Voor de editie van 2024 nam ZonMw de organisatie op zich, in opdracht van het ministerie van VWS.",
				"ZonMw took on the organisation of the 2024 edition, commissioned by the Ministry of VWS."),
			srcICTHealth2024()),
		org(orgBeterDichtbij, "BeterDichtbij", nil, nil,
			text("In 2024 reisde een team van BeterDichtbij met Tour de BeterDichtbij naar ziekenhuizen, om het gebruik van digitale communicatie in de zorg te stimuleren.",
				"In 2024 a team from BeterDichtbij travelled to hospitals with Tour de BeterDichtbij, to encourage the use of digital communication in care."),
			srcICTHealth2024()),
		hospital(orgAntonius, "Antonius Sneek", "Sneek", "Friesland"),
		hospital(orgWilhelmina, "Wilhelmina Ziekenhuis Assen", "Assen", "Drenthe"),
		hospital(orgBravis, "Bravis ziekenhuis", "Roosendaal", "Noord-Brabant"),
		org(orgMobilecare, "Mobilecare", nil, nil,
			text("Met de Expobike, een bakfiets volgeladen met zorgtechnologie, trok Mobilecare in 2024 op met studenten Verpleegkunde van mboRijnland.",
				"In 2024 Mobilecare joined forces with nursing students from mboRijnland on the Expobike, a cargo bike loaded with care technology."),
			srcICTHealth2024()),
		org(orgMboRijnland, "mboRijnland", ptr(content.OrgEducation), nil,
			text("Aan de Expobike werkten in 2024 studenten van de opleiding Verpleegkunde van mboRijnland, samen met Mobilecare.",
				"In 2024 students of the nursing programme (Verpleegkunde) at mboRijnland worked on the Expobike, together with Mobilecare."),
			srcICTHealth2024()),
		org(orgCIC, "Care Innovation Center West-Brabant", nil, nil,
			text("Voor Regio Zuid zette het Care Innovation Center West-Brabant in 2021 de estafetteweek op, samen met het ministerie van VWS.",
				"In 2021 the Care Innovation Center West-Brabant set up the relay week of Region South, together with the Ministry of VWS."),
			srcsZuid2021()...),
		org(orgICTHealth, "ICT&health", ptr(content.OrgPublisher), nil,
			text("Uitgever die over de Slimme Zorg Estafette berichtte: in 2021 over de e-healthweek die een estafette werd, en in 2024 met een terugblik op die editie.",
				"Publisher that reported on the Slimme Zorg Estafette: in 2021 on the e-healthweek becoming a relay, and in 2024 with a look back at that edition."),
			srcICTHealth2021(), srcICTHealth2024()),
		org(orgCZ, "CZ", ptr(content.OrgInsurer), nil,
			text("Zorgverzekeraar. Op de online opening van de Zuid-week in 2021 nam CZ het woord.",
				"Health insurer. CZ took the floor at the online opening of the South week in 2021."),
			srcsZuid2021()...),
		org(orgTanteLouise, "tanteLouise", ptr(content.OrgCareProvider), nil,
			text("Zorgorganisatie. Bij de online opening van de Zuid-week in 2021 was tanteLouise een van de sprekers.",
				"Care organisation. At the online opening of the South week in 2021, tanteLouise was one of the speakers."),
			srcsZuid2021()...),
	}
}

// organizationFacts gives, for each of the organisations by "organization/id", the source of every
// field value it sets (see fact).
func organizationFacts() map[string]facts {
	return map[string]facts{
		"organization/ministerie-van-vws": {
			f("Name", "Ministerie van Volksgezondheid, Welzijn en Sport (VWS)", cicWeek, denk23, ict24),
			f("Kind", "ministry", cicWeek, denk23, ict24),
			prose("Description", cicWeek, denk23, ict24),
		},
		"organization/zonmw": {
			f("Name", "ZonMw", ict24),
			prose("Description", ict24),
		},
		"organization/beterdichtbij": {
			f("Name", "BeterDichtbij", ict24),
			prose("Description", ict24),
		},
		"organization/antonius-sneek": {
			f("Name", "Antonius Sneek", ict24),
			f("Kind", "hospital", ict24),
			f("City", "Sneek", ict24),
			prose("Description", ict24),
		},
		"organization/wilhelmina-ziekenhuis-assen": {
			f("Name", "Wilhelmina Ziekenhuis Assen", ict24),
			f("Kind", "hospital", ict24),
			f("City", "Assen", ict24),
			prose("Description", ict24),
		},
		"organization/bravis-ziekenhuis": {
			f("Name", "Bravis ziekenhuis", ict24),
			f("Kind", "hospital", ict24),
			f("City", "Roosendaal", ict24),
			prose("Description", ict24),
		},
		"organization/mobilecare": {
			f("Name", "Mobilecare", ict24),
			prose("Description", ict24),
		},
		"organization/mborijnland": {
			f("Name", "mboRijnland", ict24),
			f("Kind", "education", ict24),
			prose("Description", ict24),
		},
		"organization/care-innovation-center-west-brabant": {
			f("Name", "Care Innovation Center West-Brabant", cicWeek, cicBaton),
			prose("Description", cicWeek, cicBaton),
		},
		"organization/icthealth": {
			f("Name", "ICT&health", ict21, ict24),
			f("Kind", "publisher", ict21, ict24),
			prose("Description", ict21, ict24),
		},
		"organization/cz": {
			f("Name", "CZ", cicWeek, cicBaton),
			f("Kind", "insurer", cicWeek, cicBaton),
			prose("Description", cicWeek, cicBaton),
		},
		"organization/tantelouise": {
			f("Name", "tanteLouise", cicWeek, cicBaton),
			f("Kind", "care_provider", cicWeek, cicBaton),
			prose("Description", cicWeek, cicBaton),
		},
	}
}
