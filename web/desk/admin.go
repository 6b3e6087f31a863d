package desk

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"estafette/auth"
	"estafette/content"
	"estafette/webhooks"
)

// requireAdmin answers 403 to whoever is not an admin.
func (d *Desk) requireAdmin(w http.ResponseWriter, r *http.Request) bool {
	if err := content.ViewerFrom(r.Context()).Require(content.RoleAdmin, "this page"); err != nil {
		d.render(w, r, http.StatusForbidden, "error", langOf(r).T("adminOnly"), errorView{Message: langOf(r).T("adminOnly"), Status: http.StatusForbidden})
		return false
	}
	return true
}

// keysView is the API keys page.
type keysView struct {
	Available bool
	Keys      []*auth.Key
	NewKey    string
	NewName   string
	Problem   string
	Roles     []string
}

func (d *Desk) keysPage(w http.ResponseWriter, r *http.Request) {
	if !d.requireAdmin(w, r) {
		return
	}
	d.showKeys(w, r, http.StatusOK, keysView{})
}

func (d *Desk) showKeys(w http.ResponseWriter, r *http.Request, status int, kv keysView) {
	kv.Available = d.opts.Keys != nil
	kv.Roles = []string{string(content.RoleReader), string(content.RoleEditor), string(content.RoleAdmin)}
	if kv.Available {
		keys, err := d.opts.Keys.List(r.Context())
		if err != nil {
			d.fail(w, r, err)
			return
		}
		kv.Keys = keys
	}
	d.render(w, r, status, "keys", langOf(r).T("keys"), kv)
}

func (d *Desk) createKey(w http.ResponseWriter, r *http.Request) {
	if !d.requireAdmin(w, r) {
		return
	}
	if d.opts.Keys == nil {
		d.notFound(w, r)
		return
	}
	secret, key, err := d.opts.Keys.Create(r.Context(), r.PostFormValue("name"), content.Role(r.PostFormValue("role")))
	if content.ErrorCode(err) == content.EINVALID {
		d.showKeys(w, r, http.StatusUnprocessableEntity, keysView{Problem: content.ErrorMessage(err)})
		return
	}
	if err != nil {
		d.fail(w, r, err)
		return
	}
	// Shown once, on this answer only; the page is never cached.
	d.showKeys(w, r, http.StatusCreated, keysView{NewKey: secret, NewName: key.Name})
}

func (d *Desk) revokeKey(w http.ResponseWriter, r *http.Request) {
	if !d.requireAdmin(w, r) {
		return
	}
	if d.opts.Keys == nil {
		d.notFound(w, r)
		return
	}
	if _, err := d.opts.Keys.Revoke(r.Context(), r.PathValue("id")); err != nil {
		d.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/desk/admin/keys?done=saved", http.StatusSeeOther)
}

// webhooksView is the page of webhook endpoints.
type webhooksView struct {
	Available bool
	Endpoints []endpointRow
	Secret    string
	Problem   string
	Form      url.Values
}

type endpointRow struct {
	*webhooks.Endpoint
	Events        string
	Pending, Dead int
}

func (d *Desk) webhooksPage(w http.ResponseWriter, r *http.Request) {
	if !d.requireAdmin(w, r) {
		return
	}
	d.showWebhooks(w, r, http.StatusOK, webhooksView{})
}

func (d *Desk) showWebhooks(w http.ResponseWriter, r *http.Request, status int, wv webhooksView) {
	wv.Available = d.opts.Webhooks != nil
	if wv.Form == nil {
		wv.Form = url.Values{}
	}
	if wv.Available {
		eps, err := d.opts.Webhooks.List(r.Context())
		if err != nil {
			d.fail(w, r, err)
			return
		}
		for _, ep := range eps {
			p, dead, err := d.opts.Webhooks.Counts(r.Context(), ep.ID)
			if err != nil {
				d.fail(w, r, err)
				return
			}
			wv.Endpoints = append(wv.Endpoints, endpointRow{ep, strings.Join(ep.Events, ", "), p, dead})
		}
	}
	d.render(w, r, status, "webhooks", langOf(r).T("webhooks"), wv)
}

func (d *Desk) addWebhook(w http.ResponseWriter, r *http.Request) {
	if !d.requireAdmin(w, r) {
		return
	}
	if d.opts.Webhooks == nil {
		d.notFound(w, r)
		return
	}
	var events []string
	for _, e := range strings.Split(r.PostFormValue("events"), ",") {
		if e = strings.TrimSpace(e); e != "" {
			events = append(events, e)
		}
	}
	ep, err := d.opts.Webhooks.Add(r.Context(), strings.TrimSpace(r.PostFormValue("url")), events, r.PostFormValue("secret"), strings.TrimSpace(r.PostFormValue("description")))
	if content.ErrorCode(err) == content.EINVALID {
		d.showWebhooks(w, r, http.StatusUnprocessableEntity, webhooksView{Problem: content.ErrorMessage(err), Form: r.PostForm})
		return
	}
	if err != nil {
		d.fail(w, r, err)
		return
	}
	d.showWebhooks(w, r, http.StatusCreated, webhooksView{Secret: ep.Secret})
}

func (d *Desk) removeWebhook(w http.ResponseWriter, r *http.Request) {
	if !d.requireAdmin(w, r) {
		return
	}
	if d.opts.Webhooks == nil {
		d.notFound(w, r)
		return
	}
	if err := d.opts.Webhooks.Remove(r.Context(), r.PathValue("id")); err != nil {
		d.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/desk/admin/webhooks?done=deleted", http.StatusSeeOther)
}

// webhookView is one endpoint with its deliveries.
type webhookView struct {
	Endpoint   *webhooks.Endpoint
	Events     string
	State      string
	States     []string
	Deliveries []deliveryRow
	Replayed   string
}

type deliveryRow struct {
	ID, Event, State, Created, Last string
	Attempts                        int
	Replayable                      bool
}

func (d *Desk) webhookPage(w http.ResponseWriter, r *http.Request) {
	if !d.requireAdmin(w, r) {
		return
	}
	if d.opts.Webhooks == nil {
		d.notFound(w, r)
		return
	}
	ctx, l := r.Context(), langOf(r)
	eps, err := d.opts.Webhooks.List(ctx)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	wv := webhookView{State: r.URL.Query().Get("state"), States: webhooks.States}
	for _, ep := range eps {
		if ep.ID == r.PathValue("id") {
			wv.Endpoint = ep
		}
	}
	if wv.Endpoint == nil {
		d.notFound(w, r)
		return
	}
	wv.Events = strings.Join(wv.Endpoint.Events, ", ")
	if n := r.URL.Query().Get("replayed"); n != "" {
		wv.Replayed = fmt.Sprintf(l.T("replayed"), atoi(n))
	}
	ds, err := d.opts.Webhooks.Deliveries(ctx, webhooks.DeliveryFilter{EndpointID: wv.Endpoint.ID, State: wv.State}, 100)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	for _, x := range ds {
		row := deliveryRow{ID: x.ID, Event: x.Event.Type, State: x.State, Attempts: x.Attempts,
			Created: x.CreatedAt.In(content.Amsterdam).Format("2006-01-02 15:04:05"), Replayable: x.State != webhooks.StatePending}
		if len(x.Log) > 0 {
			a := x.Log[len(x.Log)-1]
			row.Last = a.At.In(content.Amsterdam).Format("15:04:05")
			if a.Status != 0 {
				row.Last += fmt.Sprintf(" HTTP %d", a.Status)
			}
			if a.Error != "" {
				row.Last += " " + a.Error
			}
		}
		wv.Deliveries = append(wv.Deliveries, row)
	}
	d.render(w, r, http.StatusOK, "webhook", l.T("deliveries"), wv)
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

func (d *Desk) replay(w http.ResponseWriter, r *http.Request) {
	if !d.requireAdmin(w, r) {
		return
	}
	if d.opts.Webhooks == nil {
		d.notFound(w, r)
		return
	}
	id := r.PathValue("id")
	delivery := r.PostFormValue("delivery")
	endpoint := ""
	if delivery == "" {
		endpoint = id
	}
	n, err := d.opts.Webhooks.Replay(r.Context(), delivery, endpoint)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/desk/admin/webhooks/%s?replayed=%d", url.PathEscape(id), n), http.StatusSeeOther)
}

// auditView is the audit log with its filters.
type auditView struct {
	Actor, Action, Kind, RecordID, From, To string
	Rows                                    []auditRow
	NextURL, PrevURL                        string
	Kinds                                   []option
	Actions                                 []string
}

func (d *Desk) auditPage(w http.ResponseWriter, r *http.Request) {
	if !d.requireAdmin(w, r) {
		return
	}
	ctx, l := r.Context(), langOf(r)
	q := r.URL.Query()
	g := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	av := auditView{Actor: g("actor"), Action: g("action"), Kind: g("kind"), RecordID: g("record"), From: g("from"), To: g("to")}
	f := content.AuditFilter{Actor: opt(av.Actor), Action: opt(av.Action), RecordID: opt(av.RecordID)}
	if av.Kind != "" {
		k := content.Kind(av.Kind)
		f.RecordKind = &k
	}
	for _, x := range []struct {
		s    string
		to   bool
		dest **time.Time
	}{{av.From, false, &f.From}, {av.To, true, &f.To}} {
		if x.s == "" {
			continue
		}
		day, err := content.ParseDate(x.s)
		if err != nil {
			d.fail(w, r, content.Invalidf("from", l.T("notADate"), x.s))
			return
		}
		t := day.Start()
		if x.to {
			t = day.End().Add(-time.Millisecond)
		}
		*x.dest = &t
	}
	lq := listQuery{After: g("after"), Before: g("before")}
	p, err := d.cat.ListAudit(ctx, f, lq.pageArgs())
	if err != nil {
		d.fail(w, r, err)
		return
	}
	av.Rows = auditRows(p.Items, l)
	link := func(key, cursor string) string {
		v := url.Values{}
		for k, val := range map[string]string{"actor": av.Actor, "action": av.Action, "kind": av.Kind, "record": av.RecordID, "from": av.From, "to": av.To, key: cursor} {
			if val != "" {
				v.Set(k, val)
			}
		}
		return "/desk/admin/audit?" + v.Encode()
	}
	if p.HasNextPage && p.EndCursor() != nil {
		av.NextURL = link("after", *p.EndCursor())
	}
	if p.HasPreviousPage && p.StartCursor() != nil {
		av.PrevURL = link("before", *p.StartCursor())
	}
	for _, k := range kinds {
		av.Kinds = append(av.Kinds, option{string(k.Kind), l.T(k.One)})
	}
	av.Kinds = append(av.Kinds, option{string(auth.KindAPIKey), l.T("keys")}, option{string(webhooks.KindWebhook), l.T("webhooks")})
	av.Actions = []string{content.ActionCreate, content.ActionUpdate, content.ActionPublish, content.ActionUnpublish,
		content.ActionDelete, content.ActionRestore, content.ActionPurge, content.ActionImport, "revoke"}
	d.render(w, r, http.StatusOK, "audit", l.T("audit"), av)
}

// trashView lists deleted records an admin can restore.
type trashView struct {
	Groups []trashGroup
}

type trashGroup struct {
	KindPath, Label string
	Rows            []row
}

func (d *Desk) trashPage(w http.ResponseWriter, r *http.Request) {
	if !d.requireAdmin(w, r) {
		return
	}
	ctx, l := r.Context(), langOf(r)
	var tv trashView
	for _, k := range kinds {
		recs, err := d.cat.Deleted(ctx, k.Kind, content.MaxPageSize)
		if err != nil {
			d.fail(w, r, err)
			return
		}
		g := trashGroup{KindPath: k.Path, Label: l.T(k.Many)}
		for _, rec := range recs {
			m := content.MetaOf(rec)
			rw := rowOf(m, k.title(rec), false, l)
			if m.DeletedAt != nil {
				rw.Updated = m.DeletedAt.In(content.Amsterdam).Format("2006-01-02 15:04")
			}
			g.Rows = append(g.Rows, rw)
		}
		if len(g.Rows) > 0 {
			tv.Groups = append(tv.Groups, g)
		}
	}
	d.render(w, r, http.StatusOK, "trash", l.T("trash"), tv)
}
