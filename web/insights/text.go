package insights

import (
	"math"
	"strconv"
	"strings"

	"estafette/content"
)

// msg is a text of the page in Dutch and English.
type msg = content.Text

// The texts of the page.
var (
	msgTitle           = msg{NL: "De Slimme Zorg Estafette in cijfers: wat deze catalogus bevat", EN: "The Slimme Zorg Estafette in figures: what this catalogue holds"}
	msgYearTitle       = msg{NL: "De Slimme Zorg Estafette %d in cijfers: wat deze catalogus bevat", EN: "The Slimme Zorg Estafette %d in figures: what this catalogue holds"}
	msgIntro           = msg{NL: "Hoeveel activiteiten er in deze catalogus staan, waar, over welke thema's en online of op locatie, per editie. Het zijn de activiteiten die de bronnen noemen, niet alle activiteiten die er waren: waar de catalogus een editie niet kent, staat \"onbekend\", niet 0. De grafieken staan ook als tabel op deze pagina, en elke grafiek heeft een download van de gegevens erachter.", EN: "How many activities there are in this catalogue, where, on which themes and whether online or on site, per edition. They are the activities the sources name, not every activity that took place: where the catalogue does not know an edition it says \"unknown\", not 0. Each chart is also on this page as a table, and each has a download of the data behind it."}
	msgYearIntro       = msg{NL: "De activiteiten van de editie %d in deze catalogus per regio, thema en vorm, en de weken van de route naast die van de andere edities.", EN: "The activities of the %d edition in this catalogue per region, theme and format, and the weeks of its route next to those of the other editions."}
	msgCatalogCategory = msg{NL: "(indeling van deze catalogus)", EN: "(this catalogue's category)"}
	msgUnknown         = msg{NL: "onbekend", EN: "unknown"}
	msgNotComparable   = msg{NL: "niet te vergelijken", EN: "not comparable"}
	msgNav             = msg{NL: "Edities", EN: "Editions"}
	msgAll             = msg{NL: "Alle edities", EN: "All editions"}
	msgLanguage        = msg{NL: "Read in English", EN: "Lees in het Nederlands"}
	msgTotals          = msg{NL: "Edities vergeleken", EN: "Editions compared"}
	msgTotalsCaption   = msg{NL: "Totalen per editie, met de verandering ten opzichte van het jaar ervoor", EN: "Totals per edition, with the change from the year before"}
	msgEdition         = msg{NL: "Editie", EN: "Edition"}
	msgActivities      = msg{NL: "Activiteiten", EN: "Activities"}
	msgInitiatives     = msg{NL: "Initiatieven", EN: "Initiatives"}
	msgOrganizations   = msg{NL: "Organisatoren", EN: "Organisers"}
	msgRegions         = msg{NL: "Regio's", EN: "Regions"}
	msgThemes          = msg{NL: "Thema's", EN: "Themes"}
	msgChange          = msg{NL: "Verandering", EN: "Change"}
	msgNoPrevious      = msg{NL: "geen vorig jaar", EN: "no previous year"}
	msgDataTable       = msg{NL: "De gegevens als tabel", EN: "The data as a table"}
	msgDownload        = msg{NL: "Download de gegevens", EN: "Download the data"}
	msgNational        = msg{NL: "Landelijk of onbekend", EN: "National or unknown"}
	msgRegion          = msg{NL: "Regio", EN: "Region"}
	msgTheme           = msg{NL: "Thema", EN: "Theme"}
	msgWeek            = msg{NL: "Week", EN: "Week"}
	msgFrom            = msg{NL: "Van", EN: "From"}
	msgTo              = msg{NL: "Tot en met", EN: "To"}
	msgDatesUnknown    = msg{NL: "data niet bekend", EN: "dates not known"}
	msgNoData          = msg{NL: "Er zijn (nog) geen activiteiten bekend.", EN: "No activities are known (yet)."}
	msgNoThemes        = msg{NL: "Van geen enkele activiteit is (nog) een thema bekend.", EN: "No activity has a known theme (yet)."}
	msgTopOrgs         = msg{NL: "Organisatoren met de meeste activiteiten", EN: "Organisers with the most activities"}
	msgOrganization    = msg{NL: "Organisatie", EN: "Organisation"}
	msgKind            = msg{NL: "Soort", EN: "Kind"}
	msgShare           = msg{NL: "Aandeel", EN: "Share"}
	msgFooter          = msg{NL: "Gegevens: de Estafette-API. Onbekende feiten blijven leeg; ze worden niet geschat.", EN: "Data: the Estafette API. Unknown facts stay empty; they are never guessed."}
	msgCalendar        = msg{NL: "agenda %d (iCalendar)", EN: "calendar %d (iCalendar)"}
	msgChartRegions    = msg{NL: "Activiteiten per regio per editie", EN: "Activities per region per edition"}
	msgChartRegionsY   = msg{NL: "Activiteiten per regio", EN: "Activities per region"}
	msgChartThemes     = msg{NL: "Thema's door de edities heen", EN: "Themes across the editions"}
	msgChartThemesY    = msg{NL: "Activiteiten per thema", EN: "Activities per theme"}
	msgChartLegs       = msg{NL: "De weken van elke editie op één tijdlijn", EN: "The weeks of every edition on one timeline"}
	msgChartModes      = msg{NL: "Online of op locatie, per editie", EN: "Online or on site, per edition"}
	msgChartModesY     = msg{NL: "Online of op locatie, per regio", EN: "Online or on site, per region"}
	msgDescRegions     = msg{NL: "Staafdiagram: het aantal activiteiten van elke regio, gegroepeerd per editie.", EN: "Bar chart: the number of activities of each region, grouped by edition."}
	msgDescRegionsY    = msg{NL: "Staafdiagram: het aantal activiteiten per regio in %d.", EN: "Bar chart: the number of activities per region in %d."}
	msgDescThemes      = msg{NL: "Heatmap: het aantal activiteiten per thema (rijen) en editie (kolommen); hoe donkerder, hoe meer, van het kleinste tot het grootste getal in de tabel. Een activiteit kan meer thema's hebben.", EN: "Heat map: the number of activities per theme (rows) and edition (columns); the darker, the more, from the smallest to the largest number in the grid. An activity can have several themes."}
	msgDescThemesY     = msg{NL: "Staafdiagram: het aantal activiteiten per thema in %d. Een activiteit kan meer thema's hebben.", EN: "Bar chart: the number of activities per theme in %d. An activity can have several themes."}
	msgDescLegs        = msg{NL: "Tijdlijn: per editie de weken van de regio's die aan zet waren, op de dagen van het jaar.", EN: "Timeline: for each edition the weeks of the regions on turn, by day of the year."}
	msgDescModes       = msg{NL: "Gestapeld staafdiagram: het aandeel activiteiten op locatie, hybride, online en onbekend per editie.", EN: "Stacked bar chart: the share of activities on site, hybrid, online and unknown per edition."}
	msgDescModesY      = msg{NL: "Gestapeld staafdiagram: het aandeel activiteiten op locatie, hybride, online en onbekend per regio in %d.", EN: "Stacked bar chart: the share of activities on site, hybrid, online and unknown per region in %d."}
	msgNotFound        = msg{NL: "Er is geen editie %s.", EN: "There is no edition %s."}
	msgEditionsLegend  = msg{NL: "Regio's", EN: "Regions"}
)

// number writes n with the thousands separator of the locale.
func number(n int, l content.Locale) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := "."
	if l == content.EN {
		sep = ","
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if neg {
		return "−" + b.String()
	}
	return b.String()
}

// percent writes a fraction as a percentage: whole from 10% on, with one
// decimal below ("42%", "0,4%" in Dutch, "0.4%" in English).
func percent(f float64, l content.Locale) string {
	p := f * 100
	var s string
	switch {
	case math.Abs(p) >= 9.95 || p == 0:
		s = strconv.Itoa(int(math.Round(p)))
	case math.Abs(p) < 0.05:
		s = strconv.FormatFloat(p, 'f', 2, 64)
		if l == content.NL {
			s = strings.Replace(s, ".", ",", 1)
		}
	default:
		s = strconv.FormatFloat(p, 'f', 1, 64)
		if l == content.NL {
			s = strings.Replace(s, ".", ",", 1)
		}
	}
	return strings.Replace(s, "-", "−", 1) + "%"
}

// change writes the change of a metric: "+12 (+25%)", "−3", or the absence
// of a previous year.
func change(m content.Metric, l content.Locale) string {
	if m.Incomplete {
		return msgNotComparable.In(l)
	}
	if m.Change == nil {
		return msgNoPrevious.In(l)
	}
	// The difference between two counts of this catalogue, without a
	// percentage: the catalogue holds the activities the sources name, not
	// all that took place, so no count is complete and a percentage would
	// read as growth of the event.
	s := number(*m.Change, l)
	if *m.Change > 0 {
		s = "+" + s
	}
	return s
}
