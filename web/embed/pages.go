package embed

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"

	"estafette/content"
	"estafette/internal/markdown"
)

// linkView is a link to another embed page or to another site.
type linkView struct {
	Text    ltext
	URL     string
	Summary ltext
}

// sourceView is a source of the facts on a page.
type sourceView struct {
	Title, URL, Publisher, Date string
}

type recapView struct {
	Title, Summary ltext
	Body           template.HTML
	BodyLang       string
	PublishedISO   string
	Published      string
	ReadingTime    string
	FullURL        string
	Edition        *linkView
	Regions        []ltext
	Initiatives    []linkView
	Sources        []sourceView
}

type legView struct {
	Week       string
	Region     ltext
	Dates      string
	DatesKnown bool
	Summary    ltext
	Organizers []string
}

type countView struct {
	Region ltext
	Count  int
}

type recapLink struct {
	Title        ltext
	URL          string
	Published    string
	PublishedISO string
	Excerpt      ltext
}

type editionView struct {
	Name           ltext
	Dates          string
	DatesKnown     bool
	Summary        ltext
	Legs           []legView
	Counts         []countView
	NoRegion       int
	Total          int
	Initiatives    []linkView
	Latest         *recapLink
	CommissionedBy string
	OrganizedBy    string
	Website        string
	Sources        []sourceView
}

type activityView struct {
	Title     ltext
	When      string
	WhenISO   string
	WhenKnown bool
	Where     string
	Mode      string
	Summary   ltext
}

type initiativeView struct {
	Name, Summary ltext
	Editions      []linkView
	Regions       []ltext
	Organizations []string
	Themes        []ltext
	ActivityCount int
	Activities    []activityView
	More          int
	Website       string
	Sources       []sourceView
}

// maxActivities is how many activities an initiative page lists.
const maxActivities = 50

func ptr[T any](v T) *T { return &v }

// embedPath returns the path of the embed page of kind with the locale and
// theme of p and the default variant.
func embedPath(kind, id string, p params) string {
	p.Variant = defaultVariant[kind]
	return "/embed/" + kind + "/" + id + p.query(kind)
}

func sources(l content.Locale, list []content.Source) []sourceView {
	var out []sourceView
	for _, s := range list {
		v := sourceView{Title: s.Title}
		if s.URL != nil {
			v.URL = *s.URL
		}
		if s.Publisher != nil {
			v.Publisher = *s.Publisher
		}
		// As precisely as the source gives it: "maart 2024" for a month.
		if d := s.PublishedAsKnown(); d != nil {
			v.Date = formatPartial(l, *d)
		}
		out = append(out, v)
	}
	return out
}

// start checks the query and answers 400 when it is wrong.
func (h *Handler) start(w http.ResponseWriter, r *http.Request, kind string) (params, bool) {
	p, probs := readParams(r.URL.Query(), kind)
	if len(probs) > 0 {
		h.badRequest(w, r, kind, probs)
		return p, false
	}
	return p, true
}

func (h *Handler) serveRecap(w http.ResponseWriter, r *http.Request) {
	p, ok := h.start(w, r, kindRecap)
	if !ok {
		return
	}
	ctx := r.Context()
	slug := r.PathValue("slug")
	rc, err := content.BySlug[content.Recap](ctx, h.cat, slug)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	if rc == nil {
		h.notFound(w, r, p, fmt.Sprintf(labels[p.Locale]["notFound.recaps"], slug))
		return
	}
	if rc.Slug != slug { // an earlier slug: the page moved
		movedTo(w, r, "/embed/recaps/"+rc.Slug, r.URL.RawQuery)
		return
	}
	pg, err := h.recapPage(ctx, r, p, rc)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	h.render(w, r, pg)
}

func (h *Handler) recapPage(ctx context.Context, r *http.Request, p params, rc *content.Recap) (*page, error) {
	pg := h.newPage(r, p, kindRecap, "/embed/recaps/"+rc.Slug)
	lz := &localizer{loc: p.Locale}
	lx := &localizer{loc: p.Locale} // texts of the full variant only
	v := &recapView{Title: lz.text(rc.Title), Summary: lz.text(rc.Summary)}
	body := lx.text(rc.Body)
	v.Body = template.HTML(markdown.Render(body.Text, markdown.Options{TopHeading: 2, NewTab: true}))
	v.BodyLang = body.Lang
	if n := markdown.ReadingMinutes(body.Text); n > 0 {
		v.ReadingTime = formatMinutes(p.Locale, n)
	}
	if rc.PublishedAt != nil {
		v.PublishedISO = content.FormatDateTime(*rc.PublishedAt)
		v.Published = formatTime(p.Locale, *rc.PublishedAt, false)
	}
	full := p
	full.Variant = variantFull
	v.FullURL = "/embed/recaps/" + rc.Slug + full.query(kindRecap)

	var edition *content.Edition
	if rc.EditionID != "" {
		e, err := content.GetOne[content.Edition](ctx, h.cat, rc.EditionID)
		if err != nil {
			return nil, err
		}
		if e != nil {
			edition = e
			v.Edition = &linkView{Text: lz.text(e.Name), URL: embedPath(kindEdition, strconv.Itoa(e.Year), p)}
		}
	}
	regions, err := content.Get[content.Region](ctx, h.cat, rc.RegionIDs)
	if err != nil {
		return nil, err
	}
	for _, id := range rc.RegionIDs {
		if rg := regions[id]; rg != nil {
			v.Regions = append(v.Regions, lz.text(rg.Name))
		}
	}
	inis, err := content.Get[content.Initiative](ctx, h.cat, rc.InitiativeIDs)
	if err != nil {
		return nil, err
	}
	for _, id := range rc.InitiativeIDs {
		if in := inis[id]; in != nil {
			v.Initiatives = append(v.Initiatives, linkView{Text: lz.text(in.Name), URL: embedPath(kindInitiative, in.Slug, p)})
		}
	}
	v.Sources = sources(p.Locale, rc.Sources)

	pg.Recap = v
	pg.Title = v.Title.Text
	pg.Description = v.Summary.Text
	if pg.Description == "" {
		pg.Description = markdown.Excerpt(body.Text, markdown.DefaultExcerptLength)
	}
	pg.OG = h.openGraph(pg, "article")
	if rc.PublishedAt != nil {
		pg.OG = append(pg.OG, metaTag{"article:published_time", content.FormatDateTime(*rc.PublishedAt)})
	}
	pg.OG = append(pg.OG, metaTag{"article:modified_time", content.FormatDateTime(rc.UpdatedAt)})
	if lz.fellBack || (p.Variant == variantFull && lx.fellBack) {
		pg.Notice = pg.T["notice"]
	}
	return pg, pg.setJSONLD(recapLD(pg, rc, body, edition, h.baseURL(r)))
}

func (h *Handler) serveEdition(w http.ResponseWriter, r *http.Request) {
	p, ok := h.start(w, r, kindEdition)
	if !ok {
		return
	}
	ctx := r.Context()
	raw := r.PathValue("year")
	year, ok := atoiYear(raw)
	var e *content.Edition
	if ok {
		var err error
		if e, err = h.cat.EditionByYear(ctx, year); err != nil {
			h.fail(w, r, p, err)
			return
		}
	}
	if e == nil {
		h.notFound(w, r, p, fmt.Sprintf(labels[p.Locale]["notFound.editions"], raw))
		return
	}
	pg, err := h.editionPage(ctx, r, p, e)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	h.render(w, r, pg)
}

func (h *Handler) editionPage(ctx context.Context, r *http.Request, p params, e *content.Edition) (*page, error) {
	pg := h.newPage(r, p, kindEdition, "/embed/editions/"+strconv.Itoa(e.Year))
	lz := &localizer{loc: p.Locale}
	lx := &localizer{loc: p.Locale} // texts of the full variant only
	v := &editionView{Name: lz.text(e.Name), Summary: lx.text(e.Summary)}
	v.Dates = formatRange(p.Locale, e.StartsOn, e.EndsOn, pg.T["datesUnknown"])
	v.DatesKnown = e.StartsOn != nil

	regions, err := h.cat.Regions(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[string]*content.Region{}
	for _, rg := range regions {
		byID[rg.ID] = rg
	}
	var orgIDs []string
	for _, l := range e.Legs {
		orgIDs = append(orgIDs, l.OrganizerIDs...)
	}
	orgIDs = append(orgIDs, e.CommissionedByID, e.OrganizedByID)
	orgs, err := content.Get[content.Organization](ctx, h.cat, nonEmpty(orgIDs))
	if err != nil {
		return nil, err
	}
	for _, l := range e.Legs {
		lv := legView{Week: fmt.Sprintf(pg.T["week"], l.Order), Summary: lx.text(l.Summary)}
		if rg := byID[l.RegionID]; rg != nil {
			lv.Region = lz.text(rg.Name)
		}
		lv.Dates = formatRange(p.Locale, l.StartsOn, l.EndsOn, pg.T["datesUnknown"])
		lv.DatesKnown = l.StartsOn != nil
		for _, id := range l.OrganizerIDs {
			if o := orgs[id]; o != nil {
				lv.Organizers = append(lv.Organizers, o.Name)
			}
		}
		v.Legs = append(v.Legs, lv)
	}
	if o := orgs[e.CommissionedByID]; o != nil {
		v.CommissionedBy = o.Name
	}
	if o := orgs[e.OrganizedByID]; o != nil {
		v.OrganizedBy = o.Name
	}
	if e.Website != nil {
		v.Website = *e.Website
	}

	// Counts: one counted list per region, and the whole edition.
	count := func(f content.ActivityFilter) (int, error) {
		f.EditionID = e.ID
		pgA, err := h.cat.ListActivities(ctx, f, content.Order[content.ActivityOrderField]{}, content.PageArgs{First: ptr(1)})
		if err != nil {
			return 0, err
		}
		return pgA.TotalCount(ctx)
	}
	sum := 0
	for _, rg := range regions {
		n, err := count(content.ActivityFilter{RegionID: rg.ID})
		if err != nil {
			return nil, err
		}
		v.Counts = append(v.Counts, countView{Region: lz.text(rg.Name), Count: n})
		sum += n
	}
	if v.Total, err = count(content.ActivityFilter{}); err != nil {
		return nil, err
	}
	v.NoRegion = max(v.Total-sum, 0)

	inis, err := h.cat.ListInitiatives(ctx, content.InitiativeFilter{EditionID: e.ID}, content.PageArgs{First: ptr(content.MaxPageSize)})
	if err != nil {
		return nil, err
	}
	for _, in := range inis.Items {
		v.Initiatives = append(v.Initiatives, linkView{Text: lz.text(in.Name), URL: embedPath(kindInitiative, in.Slug, p), Summary: lx.text(in.Summary)})
	}
	recaps, err := h.cat.ListRecaps(ctx, content.RecapFilter{EditionID: e.ID}, content.PageArgs{First: ptr(1)})
	if err != nil {
		return nil, err
	}
	if len(recaps.Items) > 0 {
		rc := recaps.Items[0]
		body := lx.text(rc.Body)
		v.Latest = &recapLink{Title: lz.text(rc.Title), URL: embedPath(kindRecap, rc.Slug, p),
			Excerpt: ltext{Text: markdown.Excerpt(body.Text, markdown.DefaultExcerptLength), Lang: body.Lang}}
		if rc.PublishedAt != nil {
			v.Latest.Published = formatTime(p.Locale, *rc.PublishedAt, false)
			v.Latest.PublishedISO = content.FormatDateTime(*rc.PublishedAt)
		}
	}
	v.Sources = sources(p.Locale, e.Sources)

	pg.Edition = v
	pg.Title = v.Name.Text
	pg.Description = v.Summary.Text
	pg.OG = h.openGraph(pg, "website")
	if lz.fellBack || (p.Variant == variantFull && lx.fellBack) {
		pg.Notice = pg.T["notice"]
	}
	return pg, pg.setJSONLD(editionLD(pg, e, byID, orgs))
}

func nonEmpty(ids []string) []string {
	var out []string
	for _, id := range ids {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func (h *Handler) serveInitiative(w http.ResponseWriter, r *http.Request) {
	p, ok := h.start(w, r, kindInitiative)
	if !ok {
		return
	}
	ctx := r.Context()
	slug := r.PathValue("slug")
	in, err := content.BySlug[content.Initiative](ctx, h.cat, slug)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	if in == nil {
		h.notFound(w, r, p, fmt.Sprintf(labels[p.Locale]["notFound.initiatives"], slug))
		return
	}
	if in.Slug != slug { // an earlier slug: the page moved
		movedTo(w, r, "/embed/initiatives/"+in.Slug, r.URL.RawQuery)
		return
	}
	pg, err := h.initiativePage(ctx, r, p, in)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	h.render(w, r, pg)
}

func (h *Handler) initiativePage(ctx context.Context, r *http.Request, p params, in *content.Initiative) (*page, error) {
	pg := h.newPage(r, p, kindInitiative, "/embed/initiatives/"+in.Slug)
	lz := &localizer{loc: p.Locale}
	v := &initiativeView{Name: lz.text(in.Name), Summary: lz.text(in.Summary)}

	editions, err := content.Get[content.Edition](ctx, h.cat, in.EditionIDs)
	if err != nil {
		return nil, err
	}
	var eds []*content.Edition
	for _, e := range editions {
		eds = append(eds, e)
	}
	slices.SortFunc(eds, func(a, b *content.Edition) int { return a.Year - b.Year })
	for _, e := range eds {
		v.Editions = append(v.Editions, linkView{Text: lz.text(e.Name), URL: embedPath(kindEdition, strconv.Itoa(e.Year), p)})
	}
	regions, err := h.cat.Regions(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[string]*content.Region{}
	provinces := map[string]*content.Province{}
	for _, rg := range regions {
		byID[rg.ID] = rg
		for _, pr := range rg.Provinces {
			provinces[pr.Slug] = pr
		}
	}
	for _, id := range in.RegionIDs {
		if rg := byID[id]; rg != nil {
			v.Regions = append(v.Regions, lz.text(rg.Name))
		}
	}
	themes, err := content.Get[content.Theme](ctx, h.cat, in.ThemeIDs)
	if err != nil {
		return nil, err
	}
	for _, id := range in.ThemeIDs {
		if t := themes[id]; t != nil {
			v.Themes = append(v.Themes, lz.text(t.Name))
		}
	}
	acts, err := h.cat.ListActivities(ctx, content.ActivityFilter{InitiativeID: in.ID, Synthetic: &in.Synthetic}, content.Order[content.ActivityOrderField]{}, content.PageArgs{First: ptr(maxActivities)})
	if err != nil {
		return nil, err
	}
	if v.ActivityCount, err = acts.TotalCount(ctx); err != nil {
		return nil, err
	}
	orgIDs := slices.Clone(in.OrganizationIDs)
	for _, a := range acts.Items {
		orgIDs = append(orgIDs, a.OrganizerIDs...)
	}
	orgs, err := content.Get[content.Organization](ctx, h.cat, nonEmpty(orgIDs))
	if err != nil {
		return nil, err
	}
	for _, id := range in.OrganizationIDs {
		if o := orgs[id]; o != nil {
			v.Organizations = append(v.Organizations, o.Name)
		}
	}
	lx := &localizer{loc: p.Locale} // the activities, listed in the full variant only
	for _, a := range acts.Items {
		av := activityView{Title: lx.text(a.Title), Summary: lx.text(a.Summary)}
		av.When, av.WhenISO, av.WhenKnown = activityWhen(p.Locale, a, pg.T["dateUnknown"])
		av.Where = activityWhere(a, provinces)
		if a.Mode != nil {
			av.Mode = pg.T["mode."+string(*a.Mode)]
		}
		v.Activities = append(v.Activities, av)
	}
	v.More = max(v.ActivityCount-len(v.Activities), 0)
	if in.Website != nil {
		v.Website = *in.Website
	}
	v.Sources = sources(p.Locale, in.Sources)

	pg.Initiative = v
	pg.Title = v.Name.Text
	pg.Description = v.Summary.Text
	pg.OG = h.openGraph(pg, "website")
	if lz.fellBack || (p.Variant == variantFull && lx.fellBack) {
		pg.Notice = pg.T["notice"]
	}
	return pg, pg.setJSONLD(initiativeLD(pg, in, acts.Items, byID, provinces, orgs, eds))
}

// activityWhen writes when an activity takes place, with an ISO form for
// <time>, or the unknown text.
func activityWhen(l content.Locale, a *content.Activity, unknown string) (string, string, bool) {
	switch {
	case a.StartsAt != nil:
		return formatTime(l, *a.StartsAt, true), content.FormatDateTime(*a.StartsAt), true
	case a.StartsOn != nil:
		return formatRange(l, a.StartsOn, a.EndsOn, unknown), a.StartsOn.String(), true
	}
	return unknown, "", false
}

// activityWhere writes the venue: name and city, else the province.
func activityWhere(a *content.Activity, provinces map[string]*content.Province) string {
	if a.Venue == nil {
		return ""
	}
	var parts []string
	if a.Venue.Name != nil {
		parts = append(parts, *a.Venue.Name)
	}
	if a.Venue.City != nil && (a.Venue.Name == nil || *a.Venue.City != *a.Venue.Name) {
		parts = append(parts, *a.Venue.City)
	}
	if len(parts) == 0 {
		if pr := provinces[a.Venue.ProvinceSlug]; pr != nil {
			parts = append(parts, pr.Name)
		}
	}
	s := ""
	for i, p := range parts {
		if i > 0 {
			s += ", "
		}
		s += p
	}
	return s
}

// openGraph returns the Open Graph tags every page has.
func (h *Handler) openGraph(pg *page, typ string) []metaTag {
	tags := []metaTag{
		{"og:type", typ},
		{"og:site_name", pg.T["brand"]},
		{"og:title", pg.Title},
		{"og:url", pg.URL},
		{"og:locale", ogLocale(pg.Lang)},
	}
	if pg.Description != "" {
		tags = append(tags, metaTag{"og:description", pg.Description})
	}
	for _, l := range content.Locales {
		if l != pg.Lang {
			tags = append(tags, metaTag{"og:locale:alternate", ogLocale(l)})
		}
	}
	return tags
}

// cacheMoved is the caching of a redirect from an earlier slug: short,
// since an editor may release the slug for another record.
const cacheMoved = "public, max-age=300"

// movedTo answers 301 with the current address of a page asked for by an
// earlier slug of its record: path with query.
func movedTo(w http.ResponseWriter, r *http.Request, path, query string) {
	if query != "" {
		path += "?" + query
	}
	w.Header().Set("Cache-Control", cacheMoved)
	http.Redirect(w, r, path, http.StatusMovedPermanently)
}
