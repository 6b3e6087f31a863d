// Package insights serves a page that shows the editions of the Slimme
// Zorg Estafette in figures: GET /insights (all editions) and
// /insights/{year} (one edition).
//
// The page is rendered on the server with html/template. Its charts
// (activities per region per edition, themes across editions, the legs of
// every edition on one timeline, the share of online and on-site
// activities) are SVG drawn by the server; each has a data table next to it
// and a link to the export or calendar feed with the data behind it. The
// page loads nothing else: no script, no font, no image, no stylesheet
// (its Content-Security-Policy says so). It is in Dutch, or English with
// ?locale=en (else by Accept-Language), and built to be accessible: lang,
// one h1 and ordered headings, landmarks, a skip link, tables with
// captions and headers, SVGs with role="img", <title> and <desc>, and
// contrast of at least 4.5:1 for text.
//
// Every number comes from the statistics of the content package, computed
// in the store; nothing is counted in this package.
package insights

import (
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"estafette/content"
)

//go:embed page.html
var pageHTML string

//go:embed page.css
var pageCSS string

var page = template.Must(template.New("page").Parse(pageHTML))

// csp allows the page its one inline stylesheet (by hash) and nothing
// else.
var csp = func() string {
	sum := sha256.Sum256([]byte(pageCSS))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; " +
		"img-src 'self'; base-uri 'none'; form-action 'none'"
}()

// Handler serves /insights and /insights/{year}; mount it on "GET
// /insights" and "GET /insights/". An unknown year is 404.
func Handler(cat *content.Catalog, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	h := &handler{cat: cat, log: log, cache: map[string]cachedPage{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /insights", h.serve)
	mux.HandleFunc("GET /insights/{$}", h.serve)
	mux.HandleFunc("GET /insights/{year}", h.serve)
	return mux
}

type handler struct {
	cat *content.Catalog
	log *slog.Logger

	mu    sync.Mutex
	cache map[string]cachedPage // by locale and year; pages of published content only
	// flight makes concurrent requests for a page that is not cached share
	// one build, and refreshes a page past cacheFor once, in the
	// background, while the old one is still served.
	flight singleflight.Group
}

// cacheFor is how long a rendered page of published content is reused.
// Over 100,000 activities a page costs seconds of grouping in the store;
// figures a minute old are fine for a page that says "in figures".
const cacheFor = time.Minute

type cachedPage struct {
	body []byte
	at   time.Time
}

func (h *handler) serve(w http.ResponseWriter, r *http.Request) {
	// The language is in the link (?locale=en), not negotiated, so that a
	// shared link shows what its sender saw and caches need no Vary.
	loc := content.NL
	if l, ok := content.ParseLocale(r.URL.Query().Get("locale")); ok {
		loc = l
	}
	ctx := content.WithLocale(r.Context(), loc)
	year := 0
	if ys := r.PathValue("year"); ys != "" {
		y, err := strconv.Atoi(ys)
		if err == nil {
			ed, err2 := h.cat.EditionByYear(ctx, y)
			if err2 != nil {
				h.fail(w, r, err2)
				return
			}
			if ed == nil {
				err = fmt.Errorf("no edition")
			}
		}
		if err != nil {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprintf(w, msgNotFound.In(loc)+"\n", ys)
			return
		}
		year = y
	}
	drafts := content.ViewerFrom(ctx).Drafts
	key := string(loc) + "/" + strconv.Itoa(year)
	h.mu.Lock()
	c, ok := h.cache[key]
	h.mu.Unlock()
	body := c.body
	switch {
	case drafts:
		var err error
		if body, err = h.render(ctx, year, r.URL.Path); err != nil {
			h.fail(w, r, err)
			return
		}
	case !ok:
		// Not cancelled with this request: others may wait for the build.
		bg := context.WithoutCancel(ctx)
		v, err, _ := h.flight.Do(key, func() (any, error) { return h.refresh(bg, key, year, r.URL.Path) })
		if err != nil {
			h.fail(w, r, err)
			return
		}
		body = v.([]byte)
	case time.Since(c.at) > cacheFor:
		// Serve the page we have; one request rebuilds it meanwhile.
		bg := context.WithoutCancel(ctx)
		go h.flight.Do(key, func() (any, error) {
			b, err := h.refresh(bg, key, year, r.URL.Path)
			if err != nil {
				h.log.WarnContext(bg, "insights page not refreshed", "path", r.URL.Path, "err", err)
			}
			return b, err
		})
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Content-Security-Policy", csp)
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	hdr.Set("Content-Language", string(loc))
	if drafts {
		hdr.Set("Cache-Control", "private, no-store")
	} else {
		hdr.Set("Cache-Control", "public, max-age=300")
	}
	_, _ = w.Write(body)
}

// render builds and renders a page.
func (h *handler) render(ctx context.Context, year int, path string) ([]byte, error) {
	data, err := build(ctx, h.cat, year, path)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// refresh renders a page of published content and caches it under key.
func (h *handler) refresh(ctx context.Context, key string, year int, path string) ([]byte, error) {
	body, err := h.render(ctx, year, path)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	h.cache[key] = cachedPage{body: body, at: time.Now()}
	h.mu.Unlock()
	return body, nil
}

func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	h.log.ErrorContext(r.Context(), "insights page failed", "path", r.URL.Path, "err", err)
	http.Error(w, "The page could not be made; try again later.", http.StatusInternalServerError)
}

// pageData is what the template renders.
type pageData struct {
	Lang       string
	Title      string
	Intro      string
	Note       string
	CSS        template.CSS
	Nav        []link
	NavLabel   string
	Switch     link
	Totals     *totalsTable
	Charts     []chart
	Top        *tableData
	TopTitle   string
	TopLinks   []link
	Footer     string
	DataLabel  string
	DownLabel  string
	Generated  string
	YearOrZero int
}

type link struct {
	Label   string
	Href    string
	Current bool
}

// chart is one chart with its data table and downloads.
type chart struct {
	ID        string
	Title     string
	SVG       template.HTML
	Table     tableData
	Downloads []link
	Empty     string
}

// tableData is a table: a caption, column headers and rows; the first
// cell of a row is its header, numbers are right-aligned.
type tableData struct {
	Caption string
	Head    []string
	Rows    [][]string
}

type totalsTable struct {
	Caption string
	Head    []string
	Rows    []totalsRow
}

type totalsRow struct {
	Edition link
	Cells   []totalsCell
}

type totalsCell struct {
	Value  string
	Change string
}

// build gathers the page for year (0: every edition).
func build(ctx context.Context, cat *content.Catalog, year int, path string) (*pageData, error) {
	loc := content.LocaleFrom(ctx)
	d := &pageData{
		Lang: string(loc), CSS: template.CSS(pageCSS), //nolint:gosec // our own stylesheet
		NavLabel: msgNav.In(loc), Footer: msgFooter.In(loc),
		DataLabel: msgDataTable.In(loc), DownLabel: msgDownload.In(loc), YearOrZero: year,
	}
	other := content.EN
	if loc == content.EN {
		other = content.NL
	}
	d.Switch = link{Label: msgLanguage.In(loc), Href: path + "?locale=" + string(other)}
	q := func(p string) string {
		if loc == content.EN {
			return p + "?locale=en"
		}
		return p
	}

	comparison, err := cat.EditionComparison(ctx, nil)
	if err != nil {
		return nil, err
	}
	d.Nav = append(d.Nav, link{Label: msgAll.In(loc), Href: q("/insights"), Current: year == 0})
	for _, e := range comparison {
		d.Nav = append(d.Nav, link{Label: strconv.Itoa(e.Year), Href: q("/insights/" + strconv.Itoa(e.Year)), Current: e.Year == year})
	}

	filter := content.ActivityFilter{}
	exportQuery := ""
	if year != 0 {
		filter.EditionYear = &year
		exportQuery = "?edition=" + strconv.Itoa(year)
		d.Title = fmt.Sprintf(msgYearTitle.In(loc), year)
		d.Intro = fmt.Sprintf(msgYearIntro.In(loc), year)
	} else {
		d.Title = msgTitle.In(loc)
		d.Intro = msgIntro.In(loc)
	}
	exports := func() []link {
		return []link{
			{Label: "CSV", Href: "/export/activities.csv" + exportQuery},
			{Label: "CSV (Excel)", Href: "/export/activities.csv" + withParam(exportQuery, "excel=1")},
			{Label: "JSON", Href: "/export/activities.json" + exportQuery},
		}
	}

	// Synthetic test activities are left out of every figure (the filter
	// asks for real activities only), so the page reads the same with or
	// without them.

	// The totals of the editions.
	tt := &totalsTable{Caption: msgTotalsCaption.In(loc), Head: []string{msgEdition.In(loc), msgActivities.In(loc),
		msgInitiatives.In(loc), msgOrganizations.In(loc), msgRegions.In(loc), msgThemes.In(loc)}}
	for _, e := range comparison {
		if year != 0 && e.Year != year {
			continue
		}
		row := totalsRow{Edition: link{Label: strconv.Itoa(e.Year), Href: q("/insights/" + strconv.Itoa(e.Year))}}
		for _, m := range []content.Metric{e.Activities, e.Initiatives, e.Organizations, e.Regions, e.Themes} {
			v := number(m.Value, loc)
			if m.Unknown {
				v = msgUnknown.In(loc)
			}
			row.Cells = append(row.Cells, totalsCell{Value: v, Change: change(m, loc)})
		}
		tt.Rows = append(tt.Rows, row)
	}
	d.Totals = tt

	regions, err := cat.Regions(ctx)
	if err != nil {
		return nil, err
	}
	regionColor := map[string]string{}
	for i, g := range regions {
		regionColor[g.Slug] = seriesColors[i%len(seriesColors)]
	}

	// 1. Activities per region (per edition).
	if year == 0 {
		c, err := regionsPerEdition(ctx, cat, comparison, regions, regionColor)
		if err != nil {
			return nil, err
		}
		c.Downloads = exports()
		d.Charts = append(d.Charts, c)
	} else {
		c, err := regionsOfYear(ctx, cat, filter, year, regionColor)
		if err != nil {
			return nil, err
		}
		c.Downloads = exports()
		d.Charts = append(d.Charts, c)
	}
	// 2. Themes.
	c, err := themesChart(ctx, cat, filter, year, comparison)
	if err != nil {
		return nil, err
	}
	c.Downloads = exports()
	d.Charts = append(d.Charts, c)
	// 3. The legs of every edition on one timeline.
	c, err = legsChart(ctx, cat, year, regions, regionColor)
	if err != nil {
		return nil, err
	}
	for _, e := range comparison {
		if year == 0 || e.Year == year {
			if hasDatedLegs(e.Edition) {
				c.Downloads = append(c.Downloads, link{Label: fmt.Sprintf(msgCalendar.In(loc), e.Year), Href: q("/calendar/" + strconv.Itoa(e.Year) + ".ics")})
			}
		}
	}
	d.Charts = append(d.Charts, c)
	// 4. Online or on site.
	c, err = modesChart(ctx, cat, filter, year, comparison)
	if err != nil {
		return nil, err
	}
	c.Downloads = exports()
	d.Charts = append(d.Charts, c)

	// The organisers with the most activities.
	top, err := cat.TopOrganizations(ctx, filter, 10)
	if err != nil {
		return nil, err
	}
	if len(top) > 0 {
		d.TopTitle = msgTopOrgs.In(loc)
		d.Top = &tableData{Caption: msgTopOrgs.In(loc), Head: []string{msgOrganization.In(loc), msgKind.In(loc), msgActivities.In(loc)}}
		for _, oc := range top {
			kind := ""
			if oc.Organization.Kind != nil {
				kind = content.OrganizationKindLabel(*oc.Organization.Kind, loc)
			}
			d.Top.Rows = append(d.Top.Rows, []string{oc.Organization.Name, kind, number(oc.Count, loc)})
		}
		d.TopLinks = []link{{Label: "CSV", Href: "/export/organizations.csv"}, {Label: "JSON", Href: "/export/organizations.json"}}
	}
	d.Generated = time.Now().In(content.Amsterdam).Format(time.DateOnly)
	return d, nil
}

func ptr[T any](v T) *T { return &v }

func withParam(query, p string) string {
	if query == "" {
		return "?" + p
	}
	return query + "&" + p
}

func hasDatedLegs(e *content.Edition) bool {
	for _, l := range e.Legs {
		if l.StartsOn != nil {
			return true
		}
	}
	return false
}

// regionsPerEdition: grouped bars, one group per edition, one bar per
// region plus national or unknown.
func regionsPerEdition(ctx context.Context, cat *content.Catalog, comparison []content.EditionTotals, regions []*content.Region, color map[string]string) (chart, error) {
	loc := content.LocaleFrom(ctx)
	buckets, err := cat.Stats(ctx, content.ActivityFilter{}, []content.Dimension{content.DimensionEdition, content.DimensionRegion})
	if err != nil {
		return chart{}, err
	}
	var groups []string
	gi := map[string]int{}
	for i, e := range comparison {
		groups = append(groups, editionLabel(e, loc))
		gi[strconv.Itoa(e.Year)] = i
	}
	var ss []series
	si := map[string]int{}
	for _, g := range regions {
		si[g.Slug] = len(ss)
		ss = append(ss, series{name: g.Name.In(loc), color: color[g.Slug], values: make([]int, len(groups))})
	}
	si[""] = len(ss)
	ss = append(ss, series{name: msgNational.In(loc), color: colorGrey, values: make([]int, len(groups))})
	total := 0
	for _, b := range buckets {
		if b.Keys[0].Value == nil {
			continue
		}
		g, ok := gi[*b.Keys[0].Value]
		if !ok {
			continue
		}
		s := si[""]
		if v := b.Keys[1].Value; v != nil {
			if j, ok := si[*v]; ok {
				s = j
			}
		}
		ss[s].values[g] += b.Count
		total += b.Count
	}
	c := chart{ID: "regions", Title: msgChartRegions.In(loc)}
	c.SVG = groupedBars(c.ID, c.Title, msgDescRegions.In(loc), groups, ss, loc)
	c.Table = tableData{Caption: c.Title, Head: append([]string{msgRegion.In(loc)}, groups...)}
	for _, s := range ss {
		row := []string{s.name}
		for i, v := range s.values {
			// An edition whose activities the catalogue does not know
			// reads "onbekend", not 0.
			if comparison[i].ActivitiesUnknown {
				row = append(row, msgUnknown.In(loc))
				continue
			}
			row = append(row, number(v, loc))
		}
		c.Table.Rows = append(c.Table.Rows, row)
	}
	if total == 0 {
		c.Empty = msgNoData.In(loc)
	}
	return c, nil
}

// editionLabel names an edition in a chart by its year, with "onbekend"
// when the catalogue does not know its activities: its bars are empty
// because nothing is known, not because nothing happened.
func editionLabel(e content.EditionTotals, loc content.Locale) string {
	if e.ActivitiesUnknown {
		return fmt.Sprintf("%d (%s)", e.Year, msgUnknown.In(loc))
	}
	return strconv.Itoa(e.Year)
}

// regionsOfYear: one bar per region in one edition.
func regionsOfYear(ctx context.Context, cat *content.Catalog, f content.ActivityFilter, year int, color map[string]string) (chart, error) {
	loc := content.LocaleFrom(ctx)
	buckets, err := cat.Stats(ctx, f, []content.Dimension{content.DimensionRegion})
	if err != nil {
		return chart{}, err
	}
	var items []item
	for _, b := range buckets {
		it := item{label: b.Keys[0].Label, value: b.Count, color: colorGrey}
		if v := b.Keys[0].Value; v != nil {
			it.color = color[*v]
		} else {
			it.label = msgNational.In(loc)
		}
		items = append(items, it)
	}
	c := chart{ID: "regions", Title: msgChartRegionsY.In(loc)}
	c.SVG = hbars(c.ID, c.Title, fmt.Sprintf(msgDescRegionsY.In(loc), year), items, loc)
	c.Table = itemsTable(c.Title, msgRegion.In(loc), items, loc)
	if len(items) == 0 {
		c.Empty = msgNoData.In(loc)
	}
	return c, nil
}

func itemsTable(caption, head string, items []item, loc content.Locale) tableData {
	t := tableData{Caption: caption, Head: []string{head, msgActivities.In(loc)}}
	for _, it := range items {
		t.Rows = append(t.Rows, []string{it.label, number(it.value, loc)})
	}
	return t
}

// themesChart: a heat map of themes by edition, or bars for one edition.
func themesChart(ctx context.Context, cat *content.Catalog, f content.ActivityFilter, year int, comparison []content.EditionTotals) (chart, error) {
	loc := content.LocaleFrom(ctx)
	// A theme that is the catalogue's own category (not named by a source
	// as a theme of the event) says so in its label.
	themes, err := cat.Themes(ctx)
	if err != nil {
		return chart{}, err
	}
	category := map[string]bool{}
	for _, th := range themes {
		category[th.Slug] = th.CatalogCategory
	}
	label := func(k content.StatKey) string {
		if k.Value != nil && category[*k.Value] {
			return k.Label + " " + msgCatalogCategory.In(loc)
		}
		return k.Label
	}
	if year != 0 {
		buckets, err := cat.Stats(ctx, f, []content.Dimension{content.DimensionTheme})
		if err != nil {
			return chart{}, err
		}
		var items []item
		for _, b := range buckets {
			if b.Keys[0].Value == nil {
				continue // activities without a theme
			}
			items = append(items, item{label: label(b.Keys[0]), value: b.Count, color: seriesColors[0]})
		}
		c := chart{ID: "themes", Title: msgChartThemesY.In(loc)}
		c.SVG = hbars(c.ID, c.Title, fmt.Sprintf(msgDescThemesY.In(loc), year), items, loc)
		c.Table = itemsTable(c.Title, msgTheme.In(loc), items, loc)
		if len(items) == 0 {
			c.Empty = msgNoThemes.In(loc)
		}
		return c, nil
	}
	buckets, err := cat.Stats(ctx, f, []content.Dimension{content.DimensionTheme, content.DimensionEdition})
	if err != nil {
		return chart{}, err
	}
	var cols []string
	ci := map[string]int{}
	for i, e := range comparison {
		cols = append(cols, editionLabel(e, loc))
		ci[strconv.Itoa(e.Year)] = i
	}
	var rows []string
	ri := map[string]int{}
	var values [][]int
	for _, b := range buckets {
		th, ed := b.Keys[0], b.Keys[1]
		if th.Value == nil || ed.Value == nil {
			continue
		}
		r, ok := ri[*th.Value]
		if !ok {
			r = len(rows)
			ri[*th.Value] = r
			rows = append(rows, label(th))
			values = append(values, make([]int, len(cols)))
		}
		if c, ok := ci[*ed.Value]; ok {
			values[r][c] += b.Count
		}
	}
	c := chart{ID: "themes", Title: msgChartThemes.In(loc)}
	c.SVG = heatmap(c.ID, c.Title, msgDescThemes.In(loc), rows, cols, values, loc)
	c.Table = tableData{Caption: c.Title, Head: append([]string{msgTheme.In(loc)}, cols...)}
	for i, r := range rows {
		row := []string{r}
		for _, v := range values[i] {
			row = append(row, number(v, loc))
		}
		c.Table.Rows = append(c.Table.Rows, row)
	}
	if len(rows) == 0 {
		c.Empty = msgNoThemes.In(loc)
	}
	return c, nil
}

// legsChart: the legs of every edition on one timeline, aligned by day of
// the year; the edition of the page stands out.
func legsChart(ctx context.Context, cat *content.Catalog, year int, regions []*content.Region, color map[string]string) (chart, error) {
	loc := content.LocaleFrom(ctx)
	n := content.MaxPageSize
	page, err := cat.ListEditions(ctx, true, content.PageArgs{First: &n})
	if err != nil {
		return chart{}, err
	}
	byID := map[string]*content.Region{}
	for _, g := range regions {
		byID[g.ID] = g
	}
	from, to := 366, 0
	var rows []timelineRow
	c := chart{ID: "legs", Title: msgChartLegs.In(loc)}
	c.Table = tableData{Caption: c.Title, Head: []string{msgEdition.In(loc), msgWeek.In(loc), msgRegion.In(loc), msgFrom.In(loc), msgTo.In(loc)}}
	for _, e := range page.Items {
		row := timelineRow{label: strconv.Itoa(e.Year), note: msgDatesUnknown.In(loc), highlight: e.Year == year}
		for _, l := range e.Legs {
			name, col := l.RegionID, colorGrey
			if g := byID[l.RegionID]; g != nil {
				name, col = g.Name.In(loc), color[g.Slug]
			}
			if year != 0 && e.Year != year {
				col = colorFaded
			}
			if l.StartsOn == nil {
				c.Table.Rows = append(c.Table.Rows, []string{strconv.Itoa(e.Year), strconv.Itoa(l.Order), name, msgDatesUnknown.In(loc), ""})
				continue
			}
			end := *l.StartsOn
			if l.EndsOn != nil {
				end = *l.EndsOn
			}
			s := span{label: shortRegion(name), color: col, from: l.StartsOn.Start().YearDay(), to: end.Start().YearDay(),
				first: dayLabel(*l.StartsOn, loc), end: dayLabel(end, loc)}
			from, to = min(from, s.from), max(to, s.to)
			row.spans = append(row.spans, s)
			c.Table.Rows = append(c.Table.Rows, []string{strconv.Itoa(e.Year), strconv.Itoa(l.Order), name, l.StartsOn.String(), end.String()})
		}
		if len(e.Legs) == 0 {
			c.Table.Rows = append(c.Table.Rows, []string{strconv.Itoa(e.Year), "", "", msgDatesUnknown.In(loc), ""})
		}
		rows = append(rows, row)
	}
	if to == 0 { // no dates at all: show February
		from, to = 32, 59
	}
	from, to = from-3, to+3
	// A tick on every Monday of a leap-free year would drift; tick the
	// 1st and 15th of each month instead, which fall on the same day of
	// the year (give or take the leap day) in every edition.
	var ticks []tick
	for m := time.January; m <= time.December; m++ {
		for _, d := range []int{1, 15} {
			t := time.Date(2023, m, d, 0, 0, 0, 0, time.UTC)
			if yd := t.YearDay(); yd >= from && yd <= to {
				ticks = append(ticks, tick{day: yd, label: dayLabel(content.DateOf(t), loc)})
			}
		}
	}
	desc := msgDescLegs.In(loc)
	c.SVG = timeline(c.ID, c.Title, desc, rows, from, to, ticks)
	return c, nil
}

// shortRegion drops "Regio " and "Region " from a region's name for a bar.
func shortRegion(name string) string {
	for _, p := range []string{"Regio ", "Region "} {
		if len(name) > len(p) && name[:len(p)] == p {
			return name[len(p):]
		}
	}
	return name
}

// dayLabel writes a day as "6 feb" or "6 Feb".
func dayLabel(d content.Date, loc content.Locale) string {
	return strconv.Itoa(d.Day) + " " + shortMonths[d.Month-1].In(loc)
}

var shortMonths = [12]msg{
	{NL: "jan", EN: "Jan"}, {NL: "feb", EN: "Feb"}, {NL: "mrt", EN: "Mar"}, {NL: "apr", EN: "Apr"},
	{NL: "mei", EN: "May"}, {NL: "jun", EN: "Jun"}, {NL: "jul", EN: "Jul"}, {NL: "aug", EN: "Aug"},
	{NL: "sep", EN: "Sep"}, {NL: "okt", EN: "Oct"}, {NL: "nov", EN: "Nov"}, {NL: "dec", EN: "Dec"},
}

// modesChart: the share of each mode per edition, or per region of one
// edition.
func modesChart(ctx context.Context, cat *content.Catalog, f content.ActivityFilter, year int, comparison []content.EditionTotals) (chart, error) {
	loc := content.LocaleFrom(ctx)
	dim := content.DimensionEdition
	title, desc := msgChartModes.In(loc), msgDescModes.In(loc)
	head := msgEdition.In(loc)
	if year != 0 {
		dim = content.DimensionRegion
		title, desc = msgChartModesY.In(loc), fmt.Sprintf(msgDescModesY.In(loc), year)
		head = msgRegion.In(loc)
	}
	buckets, err := cat.Stats(ctx, f, []content.Dimension{dim, content.DimensionMode})
	if err != nil {
		return chart{}, err
	}
	var rows []string
	ri := map[string]int{}
	if year == 0 {
		for _, e := range comparison {
			ri[strconv.Itoa(e.Year)] = len(rows)
			rows = append(rows, editionLabel(e, loc))
		}
	}
	modes := []content.Mode{content.ModeOnsite, content.ModeHybrid, content.ModeOnline}
	colors := []string{seriesColors[0], seriesColors[3], seriesColors[2]}
	var ss []series
	for i, m := range modes {
		ss = append(ss, series{name: content.ModeLabel(m, loc), color: colors[i]})
	}
	ss = append(ss, series{name: content.UnknownLabel(loc), color: colorGrey})
	values := map[int][]int{}
	for _, b := range buckets {
		key := "\x00"
		label := msgNational.In(loc)
		if v := b.Keys[0].Value; v != nil {
			key, label = *v, b.Keys[0].Label
		}
		r, ok := ri[key]
		if !ok {
			if year == 0 {
				continue
			}
			r = len(rows)
			ri[key] = r
			rows = append(rows, label)
		}
		if values[r] == nil {
			values[r] = make([]int, len(ss))
		}
		s := len(ss) - 1
		if v := b.Keys[1].Value; v != nil {
			for i, m := range modes {
				if string(m) == *v {
					s = i
				}
			}
		}
		values[r][s] += b.Count
	}
	for i := range ss {
		ss[i].values = make([]int, len(rows))
		for r := range rows {
			if values[r] != nil {
				ss[i].values[r] = values[r][i]
			}
		}
	}
	c := chart{ID: "modes", Title: title}
	c.SVG = stacked100(c.ID, title, desc, rows, ss, loc)
	c.Table = tableData{Caption: title, Head: []string{head}}
	for _, s := range ss {
		c.Table.Head = append(c.Table.Head, s.name)
	}
	c.Table.Head = append(c.Table.Head, msgShare.In(loc)+": "+ss[2].name)
	total := 0
	for r, name := range rows {
		row := []string{name}
		sum := 0
		for _, s := range ss {
			row = append(row, number(s.values[r], loc))
			sum += s.values[r]
		}
		total += sum
		share := "—"
		if sum > 0 {
			share = percent(float64(ss[2].values[r])/float64(sum), loc)
		}
		c.Table.Rows = append(c.Table.Rows, append(row, share))
	}
	if total == 0 {
		c.Empty = msgNoData.In(loc)
	}
	return c, nil
}
