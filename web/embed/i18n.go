package embed

import (
	"fmt"
	"net/url"
	"time"

	"estafette/content"
)

// ltext is a text as shown on a page: Lang is set ("nl") when the text
// fell back to Dutch on a page in another language, so that the element
// carries lang="nl" and screen readers pronounce it right.
type ltext struct {
	Text string
	Lang string
}

// localizer picks texts in one locale and remembers whether any fell back.
type localizer struct {
	loc      content.Locale
	fellBack bool
}

// text returns t in the page's locale, or in Dutch.
func (lz *localizer) text(t content.Text) ltext {
	if lz.loc != content.NL && !t.Has(lz.loc) && t.NL != "" {
		lz.fellBack = true
		return ltext{Text: t.NL, Lang: string(content.NL)}
	}
	return ltext{Text: t.In(lz.loc)}
}

// labels are the words of the pages around the content, per locale.
var labels = map[content.Locale]map[string]string{
	content.NL: {
		"brand":                "Slimme Zorg Estafette",
		"kind.recaps":          "Terugblik",
		"kind.editions":        "Editie",
		"kind.initiatives":     "Initiatief",
		"published":            "Gepubliceerd op",
		"readingTime":          "Leestijd",
		"minute":               "%d minuut",
		"minutes":              "%d minuten",
		"readMore":             "Lees de hele terugblik",
		"about":                "Over",
		"edition":              "Editie",
		"regions":              "Regio's",
		"initiatives":          "Initiatieven",
		"sources":              "Bronnen",
		"route":                "De route",
		"routeUnknown":         "De route van deze editie is niet bekend.",
		"datesUnknown":         "data onbekend",
		"dateUnknown":          "datum onbekend",
		"week":                 "Week %d",
		"countsHeading":        "Activiteiten per regio",
		"countsCaption":        "Aantal bekende activiteiten per regio",
		"region":               "Regio",
		"activities":           "Activiteiten",
		"noRegion":             "Landelijk of zonder regio",
		"total":                "Totaal",
		"noneKnown":            "geen activiteiten bekend",
		"noInitiatives":        "Er zijn geen initiatieven bekend.",
		"latestRecap":          "Laatste terugblik",
		"noRecap":              "Er is nog geen terugblik.",
		"commissionedBy":       "Opdrachtgever",
		"organizedBy":          "Organisatie",
		"organizers":           "Organisatoren",
		"website":              "Website",
		"editions":             "Edities",
		"organizations":        "Organisaties",
		"themes":               "Thema's",
		"activityCount":        "Bekende activiteiten",
		"noActivities":         "Er zijn geen activiteiten bekend.",
		"moreActivities":       "en nog %d andere activiteiten",
		"mode.onsite":          "op locatie",
		"mode.online":          "online",
		"mode.hybrid":          "hybride",
		"notice":               "",
		"otherLanguage":        "Lees in het Nederlands",
		"openFull":             "Open deze pagina in een nieuw venster",
		"viewEdition":          "Bekijk de editie",
		"viewInitiative":       "Bekijk het initiatief",
		"footer":               "Slimme Zorg Estafette",
		"notFoundTitle":        "Niet gevonden",
		"notFoundHint":         "Controleer het adres van de pagina die u wilt insluiten.",
		"notFoundPath":         "Deze pagina bestaat niet.",
		"notFound.recaps":      "Er is geen terugblik %q.",
		"notFound.editions":    "Er is geen editie %s.",
		"notFound.initiatives": "Er is geen initiatief %q.",
		"badRequestTitle":      "Ongeldig adres",
		"badRequestIntro":      "Het adres van deze pagina klopt niet:",
		"errorTitle":           "Er ging iets mis",
		"errorText":            "Probeer het later opnieuw. Foutcode: %s",
		"newWindow":            "(opent in een nieuw venster)",
	},
	content.EN: {
		"brand":                "Slimme Zorg Estafette",
		"kind.recaps":          "Recap",
		"kind.editions":        "Edition",
		"kind.initiatives":     "Initiative",
		"published":            "Published on",
		"readingTime":          "Reading time",
		"minute":               "%d minute",
		"minutes":              "%d minutes",
		"readMore":             "Read the full recap",
		"about":                "About",
		"edition":              "Edition",
		"regions":              "Regions",
		"initiatives":          "Initiatives",
		"sources":              "Sources",
		"route":                "The route",
		"routeUnknown":         "The route of this edition is not known.",
		"datesUnknown":         "dates unknown",
		"dateUnknown":          "date unknown",
		"week":                 "Week %d",
		"countsHeading":        "Activities per region",
		"countsCaption":        "Number of known activities per region",
		"region":               "Region",
		"activities":           "Activities",
		"noRegion":             "National or without a region",
		"total":                "Total",
		"noneKnown":            "no activities known",
		"noInitiatives":        "No initiatives are known.",
		"latestRecap":          "Latest recap",
		"noRecap":              "There is no recap yet.",
		"commissionedBy":       "Commissioned by",
		"organizedBy":          "Organised by",
		"organizers":           "Organisers",
		"website":              "Website",
		"editions":             "Editions",
		"organizations":        "Organisations",
		"themes":               "Themes",
		"activityCount":        "Known activities",
		"noActivities":         "No activities are known.",
		"moreActivities":       "and %d more activities",
		"mode.onsite":          "on site",
		"mode.online":          "online",
		"mode.hybrid":          "hybrid",
		"notice":               "Not all of this page is available in English: the parts without a translation are shown in Dutch.",
		"otherLanguage":        "Read in English",
		"openFull":             "Open this page in a new window",
		"viewEdition":          "View the edition",
		"viewInitiative":       "View the initiative",
		"footer":               "Slimme Zorg Estafette",
		"notFoundTitle":        "Not found",
		"notFoundHint":         "Check the address of the page you want to embed.",
		"notFoundPath":         "This page does not exist.",
		"notFound.recaps":      "There is no recap %q.",
		"notFound.editions":    "There is no edition %s.",
		"notFound.initiatives": "There is no initiative %q.",
		"badRequestTitle":      "Invalid address",
		"badRequestIntro":      "The address of this page is not right:",
		"errorTitle":           "Something went wrong",
		"errorText":            "Please try again later. Error code: %s",
		"newWindow":            "(opens in a new window)",
	},
}

var months = map[content.Locale][]string{
	content.NL: {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
	content.EN: {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

// formatDate writes a day as "1 februari 2021" or "1 February 2021".
func formatDate(l content.Locale, d content.Date) string {
	return fmt.Sprintf("%d %s %d", d.Day, months[l][d.Month-1], d.Year)
}

// formatPartial writes a date at its precision: "12 maart 2024", "maart
// 2024" or "2024".
func formatPartial(l content.Locale, d content.PartialDate) string {
	switch d.Precision() {
	case content.PrecisionYear:
		return fmt.Sprint(d.Year)
	case content.PrecisionMonth:
		return fmt.Sprintf("%s %d", months[l][d.Month-1], d.Year)
	}
	return fmt.Sprintf("%d %s %d", d.Day, months[l][d.Month-1], d.Year)
}

// formatRange writes a span of days as briefly as it reads well:
// "1–5 februari 2021", "27 februari – 3 maart 2023". Unknown days give the
// unknown text; a span with only a start gives that day.
func formatRange(l content.Locale, from, to *content.Date, unknown string) string {
	switch {
	case from == nil && to == nil:
		return unknown
	case from == nil:
		return formatDate(l, *to)
	case to == nil || *to == *from:
		return formatDate(l, *from)
	case from.Year == to.Year && from.Month == to.Month:
		return fmt.Sprintf("%d–%s", from.Day, formatDate(l, *to))
	case from.Year == to.Year:
		return fmt.Sprintf("%d %s – %s", from.Day, months[l][from.Month-1], formatDate(l, *to))
	}
	return formatDate(l, *from) + " – " + formatDate(l, *to)
}

// formatMinutes writes a reading time.
func formatMinutes(l content.Locale, n int) string {
	if n == 1 {
		return fmt.Sprintf(labels[l]["minute"], n)
	}
	return fmt.Sprintf(labels[l]["minutes"], n)
}

// formatTime writes an instant's Amsterdam day, and the time of day when
// withTime is set: "22 februari 2021, 10.00 uur", "22 February 2021, 10:00".
func formatTime(l content.Locale, t time.Time, withTime bool) string {
	t = content.InAmsterdam(t)
	s := formatDate(l, content.DateOf(t))
	if !withTime {
		return s
	}
	if l == content.EN {
		return s + ", " + t.Format("15:04")
	}
	return s + ", " + t.Format("15.04") + " uur"
}

func queryEscape(s string) string { return url.QueryEscape(s) }
