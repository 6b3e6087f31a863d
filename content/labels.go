package content

import (
	"strconv"
	"time"
)

// Labels for people of the values the API shows as enums, months and
// weekdays, in Dutch and English. Statistics, facets, exports, calendar
// feeds and the insights page use them, so a value is called the same
// everywhere.

var formatLabels = map[Format]Text{
	FormatOpening:       {"Opening", "Opening"},
	FormatClosing:       {"Afsluiting", "Closing"},
	FormatWorkshop:      {"Workshop", "Workshop"},
	FormatPresentation:  {"Presentatie", "Presentation"},
	FormatMeeting:       {"Bijeenkomst", "Meeting"},
	FormatWebinar:       {"Webinar", "Webinar"},
	FormatPitch:         {"Pitch", "Pitch"},
	FormatDemonstration: {"Demonstratie", "Demonstration"},
	FormatVisit:         {"Werkbezoek", "Visit"},
	FormatExperience:    {"Ervaarsessie", "Hands-on experience"},
	FormatOther:         {"Overig", "Other"},
}

var modeLabels = map[Mode]Text{
	ModeOnsite: {"Op locatie", "On site"},
	ModeOnline: {"Online", "Online"},
	ModeHybrid: {"Hybride", "Hybrid"},
}

var audienceLabels = map[Audience]Text{
	AudienceCareProfessionals: {"Zorgprofessionals", "Care professionals"},
	AudienceClients:           {"Cliënten en patiënten", "Clients and patients"},
	AudienceStudents:          {"Studenten", "Students"},
	AudienceManagers:          {"Bestuurders en managers", "Executives and managers"},
	AudiencePolicyMakers:      {"Beleidsmakers", "Policy makers"},
	AudienceResearchers:       {"Onderzoekers", "Researchers"},
	AudienceInnovators:        {"Innovators", "Innovators"},
	AudienceGeneralPublic:     {"Algemeen publiek", "General public"},
}

var organizationKindLabels = map[OrganizationKind]Text{
	OrgMinistry:     {"Ministerie", "Ministry"},
	OrgFunder:       {"Financier", "Funder"},
	OrgHospital:     {"Ziekenhuis", "Hospital"},
	OrgEducation:    {"Onderwijs", "Education"},
	OrgCompany:      {"Bedrijf", "Company"},
	OrgNetwork:      {"Netwerk", "Network"},
	OrgCareProvider: {"Zorgaanbieder", "Care provider"},
	OrgPublisher:    {"Uitgever", "Publisher"},
	OrgInsurer:      {"Zorgverzekeraar", "Health insurer"},
}

var dimensionLabels = map[Dimension]Text{
	DimensionEdition:          {"Editie", "Edition"},
	DimensionRegion:           {"Regio", "Region"},
	DimensionProvince:         {"Provincie", "Province"},
	DimensionInitiative:       {"Initiatief", "Initiative"},
	DimensionTheme:            {"Thema", "Theme"},
	DimensionFormat:           {"Vorm", "Format"},
	DimensionMode:             {"Online of op locatie", "Online or on site"},
	DimensionOrganizationKind: {"Soort organisatie", "Kind of organisation"},
	DimensionMonth:            {"Maand", "Month"},
	DimensionWeekday:          {"Weekdag", "Day of the week"},
}

var monthNames = [...]Text{
	{"januari", "January"}, {"februari", "February"}, {"maart", "March"}, {"april", "April"},
	{"mei", "May"}, {"juni", "June"}, {"juli", "July"}, {"augustus", "August"},
	{"september", "September"}, {"oktober", "October"}, {"november", "November"}, {"december", "December"},
}

var weekdayNames = [...]Text{
	{"maandag", "Monday"}, {"dinsdag", "Tuesday"}, {"woensdag", "Wednesday"}, {"donderdag", "Thursday"},
	{"vrijdag", "Friday"}, {"zaterdag", "Saturday"}, {"zondag", "Sunday"},
}

// unknownLabel names a value that is not known.
var unknownLabel = Text{"Onbekend", "Unknown"}

// FormatLabel names a format for people, in locale l.
func FormatLabel(f Format, l Locale) string { return labelOr(formatLabels, f, string(f), l) }

// ModeLabel names a mode for people, in locale l.
func ModeLabel(m Mode, l Locale) string { return labelOr(modeLabels, m, string(m), l) }

// AudienceLabel names an audience for people, in locale l.
func AudienceLabel(a Audience, l Locale) string { return labelOr(audienceLabels, a, string(a), l) }

// OrganizationKindLabel names a kind of organisation for people, in locale l.
func OrganizationKindLabel(k OrganizationKind, l Locale) string {
	return labelOr(organizationKindLabels, k, string(k), l)
}

// DimensionLabel names a dimension for people, in locale l.
func DimensionLabel(d Dimension, l Locale) string { return labelOr(dimensionLabels, d, string(d), l) }

// UnknownLabel is how a value that is not known is called, in locale l.
func UnknownLabel(l Locale) string { return unknownLabel.In(l) }

// MonthLabel names a month for people ("februari 2023", "February 2023").
func MonthLabel(year int, m time.Month, l Locale) string {
	if m < time.January || m > time.December {
		return strconv.Itoa(year)
	}
	return monthNames[m-1].In(l) + " " + strconv.Itoa(year)
}

// WeekdayLabel names a day of the week for people ("maandag", "Monday").
func WeekdayLabel(d time.Weekday, l Locale) string {
	return weekdayNames[(isoWeekday(d)-1)%7].In(l)
}

func labelOr[K comparable](m map[K]Text, k K, fallback string, l Locale) string {
	if t, ok := m[k]; ok {
		return t.In(l)
	}
	return fallback
}
