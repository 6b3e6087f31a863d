package desk

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"estafette/content"
)

// PageSize is how many rows a desk list shows at once.
const PageSize = 25

// listQuery is what a list is asked for: the API's filters, a sort and a
// cursor.
type listQuery struct {
	Q, Edition, Region, Initiative, Theme, Status, Sort string
	After, Before                                       string
}

func readListQuery(q url.Values) listQuery {
	g := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	return listQuery{Q: g("q"), Edition: g("edition"), Region: g("region"), Initiative: g("initiative"), Theme: g("theme"),
		Status: g("status"), Sort: g("sort"), After: g("after"), Before: g("before")}
}

func (q listQuery) pageArgs() content.PageArgs {
	n := PageSize
	switch {
	case q.Before != "":
		return content.PageArgs{Last: &n, Before: &q.Before}
	case q.After != "":
		return content.PageArgs{First: &n, After: &q.After}
	}
	return content.PageArgs{First: &n}
}

func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (q listQuery) year() (*int, error) {
	if q.Edition == "" {
		return nil, nil
	}
	y, err := strconv.Atoi(q.Edition)
	if err != nil {
		return nil, content.Invalidf("edition", "%q is not a year", q.Edition)
	}
	return &y, nil
}

func (q listQuery) status() (*content.Status, error) {
	switch q.Status {
	case "":
		return nil, nil
	case string(content.StatusDraft), string(content.StatusPublished):
		s := content.Status(q.Status)
		return &s, nil
	}
	return nil, content.Invalidf("status", "%q is not a status", q.Status)
}

// listPage is one page of a list.
type listPage struct {
	Rows       []row
	Total      int
	Next, Prev string // cursors
	Columns    []string
}

// row is one record of a list.
type row struct {
	ID, Title, Status, Updated string
	Published, MissingEN       bool
	Cells                      []string
}

func rowOf(m *content.Meta, title string, missingEN bool, l lang, cells ...string) row {
	return row{ID: m.ID, Title: title, Status: l.T(string(m.Status)), Published: m.IsPublished(),
		Updated: m.UpdatedAt.In(content.Amsterdam).Format("2006-01-02 15:04"), MissingEN: missingEN, Cells: cells}
}

func missing(ts ...content.Text) bool {
	for _, t := range ts {
		if t.NL != "" && t.EN == "" {
			return true
		}
	}
	return false
}

func pageOf[T any](ctx context.Context, p *content.Page[T], rows []row, cols []string) (*listPage, error) {
	total, err := p.TotalCount(ctx)
	if err != nil {
		return nil, err
	}
	lp := &listPage{Rows: rows, Total: total, Columns: cols}
	if p.HasNextPage && p.EndCursor() != nil {
		lp.Next = *p.EndCursor()
	}
	if p.HasPreviousPage && p.StartCursor() != nil {
		lp.Prev = *p.StartCursor()
	}
	return lp, nil
}

func listActivities(ctx context.Context, d *Desk, q listQuery) (*listPage, error) {
	l := langFrom(ctx)
	y, err := q.year()
	if err != nil {
		return nil, err
	}
	st, err := q.status()
	if err != nil {
		return nil, err
	}
	f := content.ActivityFilter{EditionYear: y, RegionSlug: opt(q.Region), InitiativeSlug: opt(q.Initiative), ThemeSlug: opt(q.Theme), Search: opt(q.Q), Status: st}
	o := content.Order[content.ActivityOrderField]{Field: content.ActivityByStart}
	switch q.Sort {
	case "start-desc":
		o.Desc = true
	case "title":
		o.Field = content.ActivityByTitle
	case "title-desc":
		o.Field, o.Desc = content.ActivityByTitle, true
	}
	p, err := d.cat.ListActivities(ctx, f, o, q.pageArgs())
	if err != nil {
		return nil, err
	}
	rd := refsFrom(ctx)
	rows := make([]row, 0, len(p.Items))
	for _, a := range p.Items {
		day := ""
		if a.StartsOn != nil {
			day = a.StartsOn.String()
		}
		if a.StartsAt != nil {
			day += " " + a.StartsAt.In(content.Amsterdam).Format("15:04")
		}
		rows = append(rows, rowOf(&a.Meta, a.Title.NL, missing(a.Title, a.Summary), l, rd.editionYear(a.EditionID), rd.regionName(a.RegionID, l), day))
	}
	return pageOf(ctx, p, rows, []string{l.T("edition"), l.T("region"), l.T("startsOn")})
}

func listRecaps(ctx context.Context, d *Desk, q listQuery) (*listPage, error) {
	l := langFrom(ctx)
	y, err := q.year()
	if err != nil {
		return nil, err
	}
	st, err := q.status()
	if err != nil {
		return nil, err
	}
	p, err := d.cat.ListRecaps(ctx, content.RecapFilter{EditionYear: y, RegionSlug: opt(q.Region), InitiativeSlug: opt(q.Initiative), Search: opt(q.Q), Status: st}, q.pageArgs())
	if err != nil {
		return nil, err
	}
	rd := refsFrom(ctx)
	rows := []row{}
	for _, x := range p.Items {
		pub := ""
		if x.PublishedAt != nil {
			pub = x.PublishedAt.In(content.Amsterdam).Format("2006-01-02")
		}
		rows = append(rows, rowOf(&x.Meta, x.Title.NL, missing(x.Title, x.Summary, x.Body), l, rd.editionYear(x.EditionID), pub))
	}
	return pageOf(ctx, p, rows, []string{l.T("edition"), l.T("publishedAt")})
}

func listInitiatives(ctx context.Context, d *Desk, q listQuery) (*listPage, error) {
	l := langFrom(ctx)
	y, err := q.year()
	if err != nil {
		return nil, err
	}
	st, err := q.status()
	if err != nil {
		return nil, err
	}
	p, err := d.cat.ListInitiatives(ctx, content.InitiativeFilter{EditionYear: y, RegionSlug: opt(q.Region), ThemeSlug: opt(q.Theme), Search: opt(q.Q), Status: st}, q.pageArgs())
	if err != nil {
		return nil, err
	}
	rd := refsFrom(ctx)
	rows := []row{}
	for _, x := range p.Items {
		var years []string
		for _, e := range x.EditionIDs {
			years = append(years, rd.editionYear(e))
		}
		rows = append(rows, rowOf(&x.Meta, x.Name.NL, missing(x.Name, x.Summary), l, strings.Join(years, ", ")))
	}
	return pageOf(ctx, p, rows, []string{l.T("editionsOf")})
}

func listOrganizations(ctx context.Context, d *Desk, q listQuery) (*listPage, error) {
	l := langFrom(ctx)
	st, err := q.status()
	if err != nil {
		return nil, err
	}
	p, err := d.cat.ListOrganizations(ctx, content.OrganizationFilter{Search: opt(q.Q), Status: st}, q.pageArgs())
	if err != nil {
		return nil, err
	}
	rows := []row{}
	for _, x := range p.Items {
		kind := ""
		if x.Kind != nil {
			kind = content.OrganizationKindLabel(*x.Kind, loc(l))
		}
		city := ""
		if x.City != nil {
			city = *x.City
		}
		rows = append(rows, rowOf(&x.Meta, x.Name, missing(x.Description), l, kind, city))
	}
	return pageOf(ctx, p, rows, []string{l.T("kind"), l.T("city")})
}

// inMemory pages a short list (themes, editions) that the domain returns
// whole, filtered by status and search as the API's lists are.
func inMemory(q listQuery, rows []row, texts []string, statuses []content.Status, cols []string) (*listPage, error) {
	st, err := q.status()
	if err != nil {
		return nil, err
	}
	tokens := content.QueryTokens(q.Q)
	var kept []row
	for i, rw := range rows {
		if st != nil && statuses[i] != *st {
			continue
		}
		words := content.Tokens(texts[i])
		if !slices.ContainsFunc(tokens, func(t string) bool {
			return !slices.ContainsFunc(words, func(w string) bool { return strings.HasPrefix(w, t) })
		}) {
			kept = append(kept, rw)
		}
	}
	return &listPage{Rows: kept, Total: len(kept), Columns: cols}, nil
}

func listThemes(ctx context.Context, d *Desk, q listQuery) (*listPage, error) {
	l := langFrom(ctx)
	themes, err := d.cat.Themes(ctx)
	if err != nil {
		return nil, err
	}
	var rows []row
	var texts []string
	var sts []content.Status
	for _, x := range themes {
		rows = append(rows, rowOf(&x.Meta, x.Name.NL, missing(x.Name, x.Summary), l))
		texts = append(texts, x.Name.NL+" "+x.Name.EN+" "+x.Summary.NL+" "+x.Summary.EN)
		sts = append(sts, x.Status)
	}
	return inMemory(q, rows, texts, sts, nil)
}

func listEditions(ctx context.Context, d *Desk, q listQuery) (*listPage, error) {
	l := langFrom(ctx)
	rd := refsFrom(ctx)
	var rows []row
	var texts []string
	var sts []content.Status
	for _, x := range rd.editions {
		span := ""
		if x.StartsOn != nil && x.EndsOn != nil {
			span = x.StartsOn.String() + " – " + x.EndsOn.String()
		}
		rows = append(rows, rowOf(&x.Meta, fmt.Sprintf("%d: %s", x.Year, x.Name.NL), missing(x.Name, x.Summary), l, span))
		texts = append(texts, x.Name.NL+" "+x.Name.EN)
		sts = append(sts, x.Status)
	}
	return inMemory(q, rows, texts, sts, []string{l.T("when")})
}

type ctxKey int

const (
	langKey ctxKey = iota
	refsKey
)

func langFrom(ctx context.Context) lang {
	l, _ := ctx.Value(langKey).(lang)
	return l
}

func refsFrom(ctx context.Context) *refData {
	rd, _ := ctx.Value(refsKey).(*refData)
	if rd == nil {
		return &refData{}
	}
	return rd
}

// listView is a list page.
type listView struct {
	KindPath, Heading, NewLabel string
	Query                       listQuery
	Page                        *listPage
	Filters                     map[string]bool
	Editions, Regions, Themes   []option
	Initiatives                 []option
	Count                       string
	NextURL, PrevURL            string
	SortOptions                 []option
}

func (d *Desk) listPage(w http.ResponseWriter, r *http.Request) {
	k := d.kind(w, r)
	if k == nil {
		return
	}
	ctx, l := r.Context(), langOf(r)
	q := readListQuery(r.URL.Query())
	lv, err := d.buildList(ctx, k, l, q)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	d.render(w, r, http.StatusOK, "list", lv.Heading, lv)
}

// buildList reads one page of the list of k.
func (d *Desk) buildList(ctx context.Context, k *kindDesk, l lang, q listQuery) (*listView, error) {
	rd, err := listRefs(ctx, d.cat)
	if err != nil {
		return nil, err
	}
	ctx = context.WithValue(context.WithValue(ctx, langKey, l), refsKey, rd)
	p, err := k.list(ctx, d, q)
	if err != nil {
		return nil, err
	}
	lv := &listView{KindPath: k.Path, Heading: l.T(k.Many), NewLabel: fmt.Sprintf(l.T("newOf"), strings.ToLower(l.T(k.One))),
		Query: q, Page: p, Filters: map[string]bool{}, Count: fmt.Sprintf(l.T("count"), p.Total)}
	for _, f := range k.filters {
		lv.Filters[f] = true
	}
	for _, e := range rd.editions {
		lv.Editions = append(lv.Editions, option{strconv.Itoa(e.Year), strconv.Itoa(e.Year)})
	}
	for _, x := range rd.regions {
		lv.Regions = append(lv.Regions, option{x.Slug, x.Name.In(loc(l))})
	}
	for _, x := range rd.themes {
		lv.Themes = append(lv.Themes, option{x.Slug, x.Name.In(loc(l))})
	}
	for _, x := range rd.initiatives {
		lv.Initiatives = append(lv.Initiatives, option{x.Slug, x.Name.In(loc(l))})
	}
	if lv.Filters["sort"] {
		lv.SortOptions = []option{{"", l.T("sortStart")}, {"start-desc", l.T("sortStartDesc")}, {"title", l.T("sortTitle")}, {"title-desc", l.T("sortTitleDesc")}}
	}
	link := func(after, before string) string {
		v := url.Values{}
		for key, val := range map[string]string{"q": q.Q, "edition": q.Edition, "region": q.Region, "initiative": q.Initiative,
			"theme": q.Theme, "status": q.Status, "sort": q.Sort, "after": after, "before": before} {
			if val != "" {
				v.Set(key, val)
			}
		}
		return "/desk/" + k.Path + "?" + v.Encode()
	}
	if p.Next != "" {
		lv.NextURL = link(p.Next, "")
	}
	if p.Prev != "" {
		lv.PrevURL = link("", p.Prev)
	}
	return lv, nil
}

// listRefs loads what the filters and the columns of a list name: the
// editions, regions, themes and initiatives.
func listRefs(ctx context.Context, c *content.Catalog) (*refData, error) {
	rd := &refData{}
	var err error
	if rd.editions, err = allPages(ctx, func(p content.PageArgs) (*content.Page[*content.Edition], error) {
		return c.ListEditions(ctx, false, p)
	}); err != nil {
		return nil, err
	}
	if rd.regions, err = c.Regions(ctx); err != nil {
		return nil, err
	}
	if rd.themes, err = c.Themes(ctx); err != nil {
		return nil, err
	}
	if rd.initiatives, err = allPages(ctx, func(p content.PageArgs) (*content.Page[*content.Initiative], error) {
		return c.ListInitiatives(ctx, content.InitiativeFilter{}, p)
	}); err != nil {
		return nil, err
	}
	return rd, nil
}

// bulkView reports a bulk publish or unpublish.
type bulkView struct {
	KindPath, Back string
	Done           int
	Failed         []problemView
}

func (d *Desk) bulk(w http.ResponseWriter, r *http.Request) {
	k := d.kind(w, r)
	if k == nil {
		return
	}
	ctx, l := r.Context(), langOf(r)
	status := content.StatusPublished
	switch r.PostFormValue("op") {
	case "publish":
	case "unpublish":
		status = content.StatusDraft
	default:
		d.fail(w, r, content.Invalidf("op", "unknown action %q", r.PostFormValue("op")))
		return
	}
	bv := bulkView{KindPath: k.Path, Back: localPath(r.PostFormValue("back"))}
	selected := ids(r.PostForm, "id")
	if len(selected) == 0 {
		bv.Failed = append(bv.Failed, problemView{Message: l.T("bulkNone")})
	}
	for _, id := range selected {
		out, err := k.ops.setStatus(ctx, d.cat, id, status)
		if err != nil {
			title := id
			if rec, _ := k.ops.get(ctx, d.cat, id); rec != nil {
				title = k.title(rec)
			}
			bv.Failed = append(bv.Failed, problemView{Target: id, Label: title, Message: content.ErrorMessage(err)})
			continue
		}
		_ = out
		bv.Done++
	}
	if len(bv.Failed) == 0 {
		done := "published"
		if status == content.StatusDraft {
			done = "unpublished"
		}
		http.Redirect(w, r, withDone(bv.Back, done), http.StatusSeeOther)
		return
	}
	code := http.StatusOK
	if len(bv.Failed) > 0 {
		code = http.StatusUnprocessableEntity
	}
	d.render(w, r, code, "bulk", l.T("bulk"), bv)
}

// withDone adds ?done= to a desk path.
func withDone(path, done string) string {
	u, err := url.Parse(path)
	if err != nil {
		return "/desk"
	}
	q := u.Query()
	q.Set("done", done)
	u.RawQuery = q.Encode()
	return u.RequestURI()
}
