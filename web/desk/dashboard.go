package desk

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"estafette/content"
	"estafette/mail"
	"estafette/people"
	"estafette/webhooks"
)

// dashboardView is the first page of the desk.
type dashboardView struct {
	Edition      string
	Now, Next    *legView
	NoRelay      bool
	NextEdition  string
	Drafts       []draftGroup
	Recent       []auditRow
	RecentHidden bool
	Failing      []failingView
	Webhooks     bool
	Mail         *mailCounts // admins, with an outbox
}

// mailCounts is the outbox at a glance.
type mailCounts struct {
	Sends           bool
	Pending, Failed int
}

type legView struct{ Region, From, To string }

type draftGroup struct {
	KindPath, Label string
	Total           int
	Rows            []row
}

type auditRow struct {
	At, Actor, Action, Kind, Slug, Fields, Link string
}

type failingView struct {
	ID, URL       string
	Dead, Pending int
	LastError     string
	DeadLabel     string
	PendingLabel  string
}

func (d *Desk) dashboard(w http.ResponseWriter, r *http.Request) {
	ctx, l := r.Context(), langOf(r)
	dv := dashboardView{}
	if err := d.relay(ctx, l, &dv); err != nil {
		d.fail(w, r, err)
		return
	}
	draft := content.StatusDraft
	n := 5
	first := content.PageArgs{First: &n}
	acts, err := d.cat.ListActivities(ctx, content.ActivityFilter{Status: &draft}, content.Order[content.ActivityOrderField]{Field: content.ActivityByStart}, first)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	g, err := draftsOf(ctx, "activities", l.T("activities"), acts, func(a *content.Activity) row { return rowOf(&a.Meta, a.Title.NL, false, l) })
	if err != nil {
		d.fail(w, r, err)
		return
	}
	dv.Drafts = append(dv.Drafts, g)
	recs, err := d.cat.ListRecaps(ctx, content.RecapFilter{Status: &draft}, first)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	if g, err = draftsOf(ctx, "recaps", l.T("recaps"), recs, func(x *content.Recap) row { return rowOf(&x.Meta, x.Title.NL, false, l) }); err != nil {
		d.fail(w, r, err)
		return
	}
	dv.Drafts = append(dv.Drafts, g)
	inis, err := d.cat.ListInitiatives(ctx, content.InitiativeFilter{Status: &draft}, first)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	if g, err = draftsOf(ctx, "initiatives", l.T("initiatives"), inis, func(x *content.Initiative) row { return rowOf(&x.Meta, x.Name.NL, false, l) }); err != nil {
		d.fail(w, r, err)
		return
	}
	dv.Drafts = append(dv.Drafts, g)

	if isAdmin(r) {
		ten := 10
		p, err := d.cat.ListAudit(ctx, content.AuditFilter{}, content.PageArgs{First: &ten})
		if err != nil {
			d.fail(w, r, err)
			return
		}
		dv.Recent = auditRows(p.Items, l)
		if d.opts.Webhooks != nil {
			dv.Webhooks = true
			if dv.Failing, err = d.failing(ctx, l); err != nil {
				d.fail(w, r, err)
				return
			}
		}
		if d.opts.Mail != nil {
			mc := &mailCounts{Sends: d.opts.Mail.Sends()}
			if mc.Pending, err = d.opts.Mail.Count(ctx, mail.StatePending); err == nil {
				mc.Failed, err = d.opts.Mail.Count(ctx, mail.StateFailed)
			}
			if err != nil {
				d.fail(w, r, err)
				return
			}
			dv.Mail = mc
		}
	} else {
		dv.RecentHidden = true
	}
	d.render(w, r, http.StatusOK, "dashboard", l.T("dashboard"), dv)
}

func draftsOf[T any](ctx context.Context, path, label string, p *content.Page[T], rowOf func(T) row) (draftGroup, error) {
	total, err := p.TotalCount(ctx)
	if err != nil {
		return draftGroup{}, err
	}
	g := draftGroup{KindPath: path, Label: label, Total: total}
	for _, x := range p.Items {
		g.Rows = append(g.Rows, rowOf(x))
	}
	return g, nil
}

// relay fills in whose turn it is now and next: the region of the leg
// running today and of the one after it, or the next edition.
func (d *Desk) relay(ctx context.Context, l lang, dv *dashboardView) error {
	now := d.opts.Now()
	st, err := d.cat.Relay(ctx, now)
	if err != nil {
		return err
	}
	leg := func(lg *content.Leg) (*legView, error) {
		if lg == nil {
			return nil, nil
		}
		rg, err := content.GetOne[content.Region](ctx, d.cat, lg.RegionID)
		if err != nil {
			return nil, err
		}
		v := &legView{}
		if rg != nil {
			v.Region = rg.Name.In(loc(l))
		}
		if lg.StartsOn != nil {
			v.From = lg.StartsOn.String()
		}
		if lg.EndsOn != nil {
			v.To = lg.EndsOn.String()
		}
		return v, nil
	}
	if st != nil && st.Edition != nil {
		dv.Edition = st.Edition.Name.In(loc(l))
		if dv.Now, err = leg(st.Current); err != nil {
			return err
		}
		if dv.Next, err = leg(st.Next); err != nil {
			return err
		}
		return nil
	}
	dv.NoRelay = true
	eds, err := allPages(ctx, func(p content.PageArgs) (*content.Page[*content.Edition], error) {
		return d.cat.ListEditions(ctx, true, p)
	})
	if err != nil {
		return err
	}
	today := content.DateOf(now.In(content.Amsterdam))
	for _, e := range eds {
		if e.StartsOn != nil && today.Before(*e.StartsOn) {
			dv.NextEdition = fmt.Sprintf(l.T("relayNextEdition"), e.Name.In(loc(l)), e.StartsOn.String())
			if len(e.Legs) > 0 {
				if dv.Next, err = leg(e.Legs[0]); err != nil {
					return err
				}
			}
			break
		}
	}
	return nil
}

func auditRows(entries []*content.AuditEntry, l lang) []auditRow {
	out := make([]auditRow, 0, len(entries))
	for _, e := range entries {
		a := auditRow{At: e.At.In(content.Amsterdam).Format("2006-01-02 15:04"), Actor: e.Actor, Action: e.Action,
			Kind: string(e.RecordKind), Slug: e.Slug}
		if len(e.ChangedFields) > 0 {
			fields := slices.Clone(e.ChangedFields)
			if len(fields) > 6 {
				fields = append(fields[:6], "…")
			}
			a.Fields = joinComma(fields)
		}
		if k := kindOf(e.RecordKind); k != nil && e.Action != content.ActionDelete && e.Action != content.ActionPurge {
			a.Link = "/desk/" + k.Path + "/" + e.RecordID
			a.Kind = l.T(k.One)
		}
		if e.RecordKind == people.KindPerson {
			a.Kind = l.T("personKind")
		}
		out = append(out, a)
	}
	return out
}

func joinComma(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}

// failing lists the webhook endpoints with deliveries that failed: given
// up (dead) or waiting for a retry after a failed attempt.
func (d *Desk) failing(ctx context.Context, l lang) ([]failingView, error) {
	eps, err := d.opts.Webhooks.List(ctx)
	if err != nil {
		return nil, err
	}
	var out []failingView
	for _, ep := range eps {
		pending, dead, err := d.opts.Webhooks.Counts(ctx, ep.ID)
		if err != nil {
			return nil, err
		}
		retrying := 0
		last := ""
		if pending > 0 || dead > 0 {
			ds, err := d.opts.Webhooks.Deliveries(ctx, webhooks.DeliveryFilter{EndpointID: ep.ID}, 20)
			if err != nil {
				return nil, err
			}
			for _, x := range ds {
				if x.State == webhooks.StatePending && x.Attempts > 0 {
					retrying++
				}
				if last == "" && x.State != webhooks.StateDelivered && len(x.Log) > 0 {
					at := x.Log[len(x.Log)-1]
					last = at.Error
					if last == "" && at.Status != 0 {
						last = fmt.Sprintf("HTTP %d", at.Status)
					}
				}
			}
		}
		if dead == 0 && retrying == 0 {
			continue
		}
		out = append(out, failingView{ID: ep.ID, URL: ep.URL, Dead: dead, Pending: pending, LastError: last,
			DeadLabel: fmt.Sprintf(l.T("dead"), dead), PendingLabel: fmt.Sprintf(l.T("pending"), pending)})
	}
	return out, nil
}
