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
// only where the facts give it; no organisation website is known.
func organizations() []content.Record {
	org := func(id, name string, kind content.OrganizationKind, city *string, desc content.Text, sources ...content.Source) *content.Organization {
		return &content.Organization{Meta: meta(id, sources...), Name: name, Kind: ptr(kind), City: city, Description: desc}
	}
	return []content.Record{
		org(orgVWS, "Ministerie van Volksgezondheid, Welzijn en Sport (VWS)", content.OrgMinistry, nil,
			text("Het ministerie van VWS is de opdrachtgever van de Slimme Zorg Estafette. In 2021 organiseerde het de week van Regio Zuid mee met het Care Innovation Center West-Brabant, en in 2023 verzorgde het de landelijke opening.",
				"The Ministry of Health, Welfare and Sport (VWS) commissions the Slimme Zorg Estafette. In 2021 it co-organised the Region South week with the Care Innovation Center West-Brabant, and in 2023 it gave the national opening."),
			srcCICSpotlights(), srcDenktank2023(), srcICTHealth2024()),
		org(orgZonMw, "ZonMw", content.OrgFunder, nil,
			text("ZonMw organiseerde de Slimme Zorg Estafette van 2024 in opdracht van het ministerie van VWS.",
				"ZonMw organised the 2024 Slimme Zorg Estafette on behalf of the Ministry of Health, Welfare and Sport."),
			srcICTHealth2024()),
		org(orgBeterDichtbij, "BeterDichtbij", content.OrgNetwork, nil,
			text("Tijdens de estafette van 2024 trok een team van BeterDichtbij met Tour de BeterDichtbij langs ziekenhuizen om digitale communicatie in de zorg onder de aandacht te brengen.",
				"During the 2024 relay a BeterDichtbij team toured hospitals with Tour de BeterDichtbij to promote digital communication in care."),
			srcICTHealth2024()),
		org(orgAntonius, "Antonius Sneek", content.OrgHospital, ptr("Sneek"),
			text("Ziekenhuis in Sneek, Friesland. Tour de BeterDichtbij sprak hier in 2024 over digitale communicatie in de zorg.",
				"Hospital in Sneek, Friesland. Tour de BeterDichtbij held a discussion here in 2024 on digital communication in care."),
			srcICTHealth2024()),
		org(orgWilhelmina, "Wilhelmina Ziekenhuis Assen", content.OrgHospital, ptr("Assen"),
			text("Ziekenhuis in Assen, Drenthe. Tour de BeterDichtbij sprak hier in 2024 over digitale communicatie in de zorg.",
				"Hospital in Assen, Drenthe. Tour de BeterDichtbij held a discussion here in 2024 on digital communication in care."),
			srcICTHealth2024()),
		org(orgBravis, "Bravis ziekenhuis", content.OrgHospital, ptr("Roosendaal"),
			text("Ziekenhuis in Roosendaal, Noord-Brabant. Tour de BeterDichtbij sprak hier in 2024 over digitale communicatie in de zorg.",
				"Hospital in Roosendaal, Noord-Brabant. Tour de BeterDichtbij held a discussion here in 2024 on digital communication in care."),
			srcICTHealth2024()),
		org(orgMobilecare, "Mobilecare", content.OrgCompany, nil,
			text("Mobilecare bracht in 2024 samen met studenten Verpleegkunde van mboRijnland de Expobike op de been: een bakfiets vol zorgtechnologie.",
				"In 2024 Mobilecare teamed up with nursing students of mboRijnland on the Expobike, a cargo bike full of care technology."),
			srcICTHealth2024()),
		org(orgMboRijnland, "mboRijnland", content.OrgEducation, nil,
			text("Studenten Verpleegkunde van mboRijnland werkten in 2024 met Mobilecare samen aan de Expobike.",
				"Nursing students of mboRijnland worked with Mobilecare on the Expobike in 2024."),
			srcICTHealth2024()),
		org(orgCIC, "Care Innovation Center West-Brabant", content.OrgNetwork, nil,
			text("Het Care Innovation Center West-Brabant organiseerde in 2021 samen met het ministerie van VWS de week van Regio Zuid van de Slimme Zorg Estafette.",
				"In 2021 the Care Innovation Center West-Brabant co-organised the Region South week of the Slimme Zorg Estafette with the Ministry of Health, Welfare and Sport."),
			srcsZuid2021()...),
		org(orgICTHealth, "ICT&health", content.OrgPublisher, nil,
			text("ICT&health bracht nieuws over de Slimme Zorg Estafette, onder meer over de start ervan in 2021 en een terugblik op de editie van 2024.",
				"ICT&health published news about the Slimme Zorg Estafette, including its start in 2021 and a look back at the 2024 edition."),
			srcICTHealth2021(), srcICTHealth2024()),
		org(orgCZ, "CZ", content.OrgInsurer, nil,
			text("Zorgverzekeraar. CZ sprak tijdens de online opening van de week van Regio Zuid in 2021.",
				"Health insurer. CZ spoke at the online opening of the Region South week in 2021."),
			srcsZuid2021()...),
		org(orgTanteLouise, "tanteLouise", content.OrgCareProvider, nil,
			text("Zorgorganisatie. tanteLouise sprak tijdens de online opening van de week van Regio Zuid in 2021.",
				"Care organisation. tanteLouise spoke at the online opening of the Region South week in 2021."),
			srcsZuid2021()...),
	}
}
