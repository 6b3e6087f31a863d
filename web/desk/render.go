package desk

import (
	"bytes"
	"html/template"
	"net/http"
	"strings"
	"time"

	"estafette/content"
)

// view is what every page template gets: the page's own data in Data and
// what the layout needs around it.
type view struct {
	L       lang
	Title   string
	Person  string
	Role    string
	CSRF    string
	Here    string // the request's path and query, to come back to
	Section string // the menu item of the page
	Nav     []navItem
	Admin   bool
	Write   bool
	People  bool
	Mail    bool // the outbox page exists
	Notice  string
	Data    any
}

type navItem struct {
	Path, Label string
	Current     bool
}

var funcs = template.FuncMap{
	"join": strings.Join,
	"when": func(t time.Time) string { return t.In(content.Amsterdam).Format("2006-01-02 15:04") },
	"whenp": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(content.Amsterdam).Format("2006-01-02 15:04")
	},
	"has": func(list []string, s string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	},
}

var layout = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html"))

// pages are the page templates, each with the layout.
var pages = func() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, name := range []string{"dashboard", "list", "form", "conflict", "preview", "keys", "webhooks", "webhook", "audit", "trash", "bulk", "error", "people", "mail", "proposals"} {
		out[name] = template.Must(template.Must(layout.Clone()).ParseFS(templateFiles, "templates/"+name+".html"))
	}
	return out
}()

// notices are the messages a redirect after a write shows, by ?done=.
var notices = map[string]string{
	"saved": "saved", "created": "created", "published": "didPublish", "unpublished": "didUnpublish",
	"deleted": "didDelete", "restored": "didRestore", "decided": "decidedNotice",
}

// render writes a page with the layout.
func (d *Desk) render(w http.ResponseWriter, r *http.Request, status int, page, title string, data any) {
	l := langOf(r)
	s := session(r)
	v := view{L: l, Title: title, Person: s.Person.Name, Role: l.T(string(s.Person.Role)), CSRF: s.CSRF,
		Here: r.URL.RequestURI(), Admin: isAdmin(r), Write: canWrite(r), People: d.opts.People != nil, Mail: d.opts.Mail != nil, Data: data}
	if v.Role == "" || v.Role == string(s.Person.Role) {
		v.Role = string(content.ViewerFrom(r.Context()).Role)
	}
	if k, ok := notices[r.URL.Query().Get("done")]; ok {
		v.Notice = l.T(k)
	}
	section := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/desk/"), "/", 2)[0]
	if strings.HasPrefix(r.URL.Path, "/desk/admin/") {
		section = strings.SplitN(strings.TrimPrefix(r.URL.Path, "/desk/admin/"), "/", 2)[0]
	}
	v.Section = section
	v.Nav = append(v.Nav, navItem{"/desk", l.T("dashboard"), r.URL.Path == "/desk" || r.URL.Path == "/desk/"})
	for _, k := range kinds {
		v.Nav = append(v.Nav, navItem{"/desk/" + k.Path, l.T(k.Many), section == k.Path})
	}
	var buf bytes.Buffer
	if err := pages[page].ExecuteTemplate(&buf, "layout.html", v); err != nil {
		d.log.ErrorContext(r.Context(), "desk template failed", "page", page, "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
