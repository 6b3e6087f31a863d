// Package submit serves the public form to propose an activity, in Dutch
// at /aanmelden and in English at /en/submit, and the organiser's page of
// a proposal at /aanmelden/{token} (the link of the confirmation mail),
// where they confirm or withdraw it. The pages are rendered on the server
// (html/template), carry no script and a strict Content-Security-Policy,
// and post to the same domain functions as GraphQL's proposeActivity,
// confirmProposal and withdrawProposal (package submissions). Following
// the link only shows the page: confirming takes a press of its button,
// so that a mail scanner that opens links confirms nothing.
package submit

import (
	"context"
	"embed"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"strings"

	"estafette/content"
	"estafette/submissions"
	"estafette/web/ratelimit"
)

//go:embed form.html state.html form.css
var files embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"t": func(l content.Locale, nl, en string) string {
		if l == content.EN {
			return en
		}
		return nl
	},
	"format":   func(f content.Format, l content.Locale) string { return content.FormatLabel(f, l) },
	"mode":     func(m content.Mode, l content.Locale) string { return content.ModeLabel(m, l) },
	"audience": func(a content.Audience, l content.Locale) string { return content.AudienceLabel(a, l) },
}).ParseFS(files, "*.html"))

// ContentSecurityPolicy is the policy of every page, up to the sources
// that may frame it: its own stylesheet, no script, forms to this site
// only.
const ContentSecurityPolicy = "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors "

// Handler serves the form and the organiser's pages over s; limiter names
// client addresses (nil: the peer address). parents are the sources that
// may frame the form, as for the embed pages (empty: any page).
func Handler(s *submissions.Submissions, cat *content.Catalog, limiter *ratelimit.Limiter, log *slog.Logger, parents []string) http.Handler {
	h := &handler{s: s, cat: cat, limiter: limiter, log: log, parents: "*"}
	if len(parents) > 0 {
		h.parents = strings.Join(parents, " ")
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /aanmelden", h.form(content.NL))
	mux.HandleFunc("GET /en/submit", h.form(content.EN))
	mux.HandleFunc("POST /aanmelden", h.propose(content.NL))
	mux.HandleFunc("POST /en/submit", h.propose(content.EN))
	mux.HandleFunc("GET /aanmelden/form.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=3600")
		b, _ := files.ReadFile("form.css")
		_, _ = w.Write(b)
	})
	mux.HandleFunc("GET /aanmelden/{token}", h.state)
	mux.HandleFunc("GET /aanmelden/{token}/wijzig", h.editForm)
	mux.HandleFunc("POST /aanmelden/{token}/wijzig", h.edit)
	mux.HandleFunc("POST /aanmelden/{token}/bevestig", h.act(s.Confirm))
	mux.HandleFunc("POST /aanmelden/{token}/intrekken", h.act(s.Withdraw))
	return mux
}

type handler struct {
	s       *submissions.Submissions
	cat     *content.Catalog
	limiter *ratelimit.Limiter
	log     *slog.Logger
	parents string // the CSP's frame-ancestors of the form
}

// week is a region's week of an open edition, a choice of the form.
type week struct {
	Value, Label string
	Provinces    []*content.Province
}

type formPage struct {
	Lang     content.Locale
	Action   string
	Token    string
	Weeks    []week
	Formats  []content.Format
	Modes    []content.Mode
	Values   map[string]string
	Problems map[string]string
	// Themes and Audiences are the choices of the form's two lists of
	// checkboxes; Chosen holds the checked ones ("theme:<id>",
	// "audience:<value>").
	Themes    []*content.Theme
	Audiences []content.Audience
	Chosen    map[string]bool
	Error     string
	Submitted bool
	// Edit is set on the organiser's form to change a proposal (no
	// contact section).
	Edit bool
}

// weeks returns the weeks of the editions open for proposals now.
func (h *handler) weeks(r *http.Request) ([]week, error) {
	ctx := r.Context()
	docs, err := h.cat.Store().Find(ctx, content.Query{Kind: content.KindEdition, Where: content.Eq("status", string(content.StatusPublished)),
		Sort: []content.SortKey{{Field: "year"}, {Field: "id"}}})
	if err != nil {
		return nil, err
	}
	var out []week
	for _, d := range docs {
		e, err := content.GetOne[content.Edition](ctx, h.cat, d.ID)
		if err != nil {
			return nil, err
		}
		if e == nil || !e.AcceptsProposals(h.s.Now()) {
			continue
		}
		for _, l := range e.Legs {
			reg, err := content.GetOne[content.Region](ctx, h.cat, l.RegionID)
			if err != nil {
				return nil, err
			}
			if reg == nil {
				continue
			}
			label := e.Name.NL + " — " + reg.Name.NL
			if l.StartsOn != nil && l.EndsOn != nil {
				label += " (" + l.StartsOn.String() + " – " + l.EndsOn.String() + ")"
			}
			out = append(out, week{Value: e.ID + "/" + reg.ID, Label: label, Provinces: reg.Provinces})
		}
	}
	return out, nil
}

func (h *handler) render(w http.ResponseWriter, r *http.Request, name string, status int, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// The form may be framed where the embeds may (EMBED_ALLOWED_PARENTS);
	// an organiser's own pages, behind the secret link, never are: a
	// framing page could trick a click on "withdraw".
	parents := h.parents
	if strings.HasPrefix(r.URL.Path, "/aanmelden/") {
		parents = "'none'"
	}
	w.Header().Set("Content-Security-Policy", ContentSecurityPolicy+parents)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	if err := pages.ExecuteTemplate(w, name, data); err != nil && h.log != nil {
		h.log.Warn("cannot render a proposal page", "page", name, "err", err)
	}
}

func (h *handler) page(r *http.Request, lang content.Locale) (*formPage, error) {
	ws, err := h.weeks(r)
	if err != nil {
		return nil, err
	}
	action := "/aanmelden"
	if lang == content.EN {
		action = "/en/submit"
	}
	themes, err := h.cat.Themes(r.Context())
	if err != nil {
		return nil, err
	}
	return &formPage{Lang: lang, Action: action, Token: h.s.FormToken(), Weeks: ws, Formats: content.Formats, Modes: content.Modes,
		Values: map[string]string{}, Problems: map[string]string{}, Themes: themes, Audiences: content.Audiences,
		Chosen: map[string]bool{}}, nil
}

func (h *handler) form(lang content.Locale) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := h.page(r, lang)
		if err != nil {
			h.fail(w, err)
			return
		}
		h.render(w, r, "form.html", http.StatusOK, p)
	}
}

func (h *handler) fail(w http.ResponseWriter, err error) {
	if h.log != nil {
		h.log.Error("proposal page failed", "err", err)
	}
	http.Error(w, "Er ging iets mis; probeer het later opnieuw. / Something went wrong; try again later.", http.StatusInternalServerError)
}

func (h *handler) client(r *http.Request) string {
	if h.limiter != nil {
		return "ip:" + h.limiter.ClientIP(r)
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "ip:" + host
}

// fieldNames are the form's names of the input's fields.
var fields = []string{"week", "titleNl", "titleEn", "summaryNl", "summaryEn", "date", "startTime", "endTime", "mode",
	"venueName", "city", "province", "format", "coOrganisers", "registrationUrl", "organisation", "contactName",
	"contactEmail", "contactPhone", "interactive", "consent"}

// problemFields maps the domain's fields to the form's.
var problemFields = map[string]string{"edition": "week", "region": "week", "title.nl": "titleNl", "title.en": "titleEn",
	"summary.nl": "summaryNl", "summary.en": "summaryEn", "venue": "city", "venue.province": "province", "venue.name": "venueName",
	"venue.city": "city", "contact.name": "contactName", "contact.email": "contactEmail", "contact.phone": "contactPhone",
	"startsOn": "date", "endsOn": "date"}

func (h *handler) propose(lang content.Locale) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			http.Error(w, "the form is too large", http.StatusRequestEntityTooLarge)
			return
		}
		p, err := h.page(r, lang)
		if err != nil {
			h.fail(w, err)
			return
		}
		for _, f := range fields {
			p.Values[f] = r.PostForm.Get(f)
		}
		in := inputFrom(r)
		p.choose(in)
		_, err = h.s.Propose(r.Context(), in, submissions.Guard{Client: h.client(r), Honeypot: r.PostForm.Get("website"), FormToken: r.PostForm.Get("formToken")})
		switch content.ErrorCode(err) {
		case "":
			p.Submitted = true
			h.render(w, r, "form.html", http.StatusOK, p)
		case content.EINVALID:
			h.problems(p, err)
			h.render(w, r, "form.html", http.StatusUnprocessableEntity, p)
		case content.ELIMITED:
			p.Error = content.ErrorMessage(err)
			h.render(w, r, "form.html", http.StatusTooManyRequests, p)
		default:
			h.fail(w, err)
		}
	}
}

type statePage struct {
	Lang     content.Locale
	Token    string
	Proposal *submissions.Proposal
	Error    string
}

func (h *handler) state(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	p, err := h.s.ByToken(r.Context(), token)
	page := &statePage{Lang: content.NL, Token: token, Proposal: p}
	switch content.ErrorCode(err) {
	case "":
		h.render(w, r, "state.html", http.StatusOK, page)
	case content.ENOTFOUND:
		page.Error = content.ErrorMessage(err)
		h.render(w, r, "state.html", http.StatusNotFound, page)
	default:
		h.fail(w, err)
	}
}

func (h *handler) act(do func(ctx context.Context, token string) (*submissions.Proposal, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := r.PathValue("token")
		p, err := do(r.Context(), token)
		page := &statePage{Lang: content.NL, Token: token, Proposal: p}
		switch content.ErrorCode(err) {
		case "":
			h.render(w, r, "state.html", http.StatusOK, page)
		case content.ENOTFOUND, content.ECONFLICT:
			page.Error = content.ErrorMessage(err)
			if page.Proposal == nil {
				page.Proposal, _ = h.s.ByToken(r.Context(), token)
			}
			h.render(w, r, "state.html", http.StatusConflict, page)
		default:
			h.fail(w, err)
		}
	}
}

// inputFrom reads a proposal from a posted form.
func inputFrom(r *http.Request) submissions.Input {
	v := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	ptr := func(k string) *string {
		if s := v(k); s != "" {
			return &s
		}
		return nil
	}
	edition, region, _ := strings.Cut(v("week"), "/")
	in := submissions.Input{EditionID: edition, RegionID: region,
		Title: content.Text{NL: v("titleNl"), EN: v("titleEn")}, Summary: content.Text{NL: v("summaryNl"), EN: v("summaryEn")},
		StartTime: v("startTime"), EndTime: v("endTime"), Mode: content.Mode(v("mode")),
		VenueName: ptr("venueName"), City: ptr("city"), ProvinceSlug: v("province"), RegistrationURL: ptr("registrationUrl"),
		Organisation: v("organisation"), Consent: v("consent") == "yes",
		Contact: submissions.Contact{Name: v("contactName"), Email: v("contactEmail"), Phone: ptr("contactPhone")}}
	if d, err := content.ParseDate(v("date")); err == nil {
		in.Date = d
	}
	if f := v("format"); f != "" {
		fm := content.Format(f)
		in.Format = &fm
	}
	if v("interactive") == "yes" {
		yes := true
		in.Interactive = &yes
	}
	in.ThemeIDs = append([]string{}, r.PostForm["theme"]...)
	for _, a := range r.PostForm["audience"] {
		in.Audiences = append(in.Audiences, content.Audience(a))
	}
	for _, c := range strings.Split(v("coOrganisers"), "\n") {
		if c = strings.TrimSpace(c); c != "" {
			in.CoOrganisers = append(in.CoOrganisers, c)
		}
	}
	return in
}

// editForm shows the organiser's proposal in the form, to change it.
func (h *handler) editForm(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	pr, err := h.s.ByToken(r.Context(), token)
	if err != nil {
		h.state(w, r)
		return
	}
	p, err := h.page(r, content.NL)
	if err != nil {
		h.fail(w, err)
		return
	}
	p.Edit, p.Action = true, "/aanmelden/"+token+"/wijzig"
	deref := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	p.Values = map[string]string{"week": pr.EditionID + "/" + pr.RegionID, "titleNl": pr.Title.NL, "titleEn": pr.Title.EN,
		"summaryNl": pr.Summary.NL, "summaryEn": pr.Summary.EN, "date": pr.Date.String(), "startTime": pr.StartTime,
		"endTime": pr.EndTime, "mode": string(pr.Mode), "venueName": deref(pr.VenueName), "city": deref(pr.City),
		"province": pr.ProvinceSlug, "registrationUrl": deref(pr.RegistrationURL), "organisation": pr.Organisation,
		"coOrganisers": strings.Join(pr.CoOrganisers, "\n")}
	if pr.Format != nil {
		p.Values["format"] = string(*pr.Format)
	}
	if pr.Interactive != nil && *pr.Interactive {
		p.Values["interactive"] = "yes"
	}
	p.choose(submissions.Input{ThemeIDs: pr.ThemeIDs, Audiences: pr.Audiences})
	h.render(w, r, "form.html", http.StatusOK, p)
}

// edit changes the organiser's proposal with the posted form.
func (h *handler) edit(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "the form is too large", http.StatusRequestEntityTooLarge)
		return
	}
	pr, err := h.s.Update(r.Context(), token, inputFrom(r))
	switch content.ErrorCode(err) {
	case "":
		h.render(w, r, "state.html", http.StatusOK, &statePage{Lang: content.NL, Token: token, Proposal: pr})
	case content.EINVALID:
		p, perr := h.page(r, content.NL)
		if perr != nil {
			h.fail(w, perr)
			return
		}
		p.Edit, p.Action = true, "/aanmelden/"+token+"/wijzig"
		for _, f := range fields {
			p.Values[f] = r.PostForm.Get(f)
		}
		h.problems(p, err)
		h.render(w, r, "form.html", http.StatusUnprocessableEntity, p)
	case content.ENOTFOUND, content.ECONFLICT:
		cur, _ := h.s.ByToken(r.Context(), token)
		h.render(w, r, "state.html", http.StatusConflict, &statePage{Lang: content.NL, Token: token, Proposal: cur, Error: content.ErrorMessage(err)})
	default:
		h.fail(w, err)
	}
}

// problems puts the problems of err next to the form's fields.
func (h *handler) problems(p *formPage, err error) {
	var ps content.Problems
	if x, ok := err.(content.Problems); ok {
		ps = x
	} else if x, ok := err.(*content.Error); ok {
		ps = content.Problems{x}
	}
	for _, q := range ps {
		f := q.Field
		if m, ok := problemFields[f]; ok {
			f = m
		}
		if _, seen := p.Problems[f]; !seen {
			p.Problems[f] = q.Message
		}
	}
	p.Error = content.ErrorMessage(err)
}

// choose checks the themes and audiences of in on the form.
func (p *formPage) choose(in submissions.Input) {
	for _, id := range in.ThemeIDs {
		p.Chosen["theme:"+id] = true
	}
	for _, a := range in.Audiences {
		p.Chosen["audience:"+string(a)] = true
	}
}
