package desk

import (
	"net/http"

	"estafette/content"
	"estafette/mail"
)

// mailView is the admin page of the outbox: the mails, newest first, with
// their recipient (the page is for admins only), subject, state and
// attempts. Without a mail server the pending mails wait here.
type mailView struct {
	Available bool
	Sends     bool // a mail server is configured
	State     string
	States    []string
	Rows      []mailRow
	Next      string // cursor of the next page, if any
	Pending   int
}

type mailRow struct {
	ID, To, Subject, State, Created, Next, Sent, LastError string
	Attempts                                               int
}

func (d *Desk) mailPage(w http.ResponseWriter, r *http.Request) {
	if !d.requireAdmin(w, r) {
		return
	}
	mv := mailView{Available: d.opts.Mail != nil, State: r.URL.Query().Get("state"), States: mail.States}
	if mv.Available {
		ctx := r.Context()
		mv.Sends = d.opts.Mail.Sends()
		first := 50
		args := content.PageArgs{First: &first}
		if after := r.URL.Query().Get("after"); after != "" {
			args.After = &after
		}
		p, err := d.opts.Mail.List(ctx, mv.State, args)
		if content.ErrorCode(err) == content.EINVALID {
			d.render(w, r, http.StatusUnprocessableEntity, "error", langOf(r).T("error"),
				errorView{Message: content.ErrorMessage(err), Status: http.StatusUnprocessableEntity})
			return
		}
		if err != nil {
			d.fail(w, r, err)
			return
		}
		const stamp = "2006-01-02 15:04:05"
		for _, m := range p.Items {
			row := mailRow{ID: m.ID, To: m.To, Subject: m.Subject, State: m.State, Attempts: m.Attempts,
				Created: m.CreatedAt.In(content.Amsterdam).Format(stamp), LastError: m.LastError}
			if m.State == mail.StatePending {
				row.Next = m.NextAttemptAt.In(content.Amsterdam).Format(stamp)
			}
			if m.SentAt != nil {
				row.Sent = m.SentAt.In(content.Amsterdam).Format(stamp)
			}
			mv.Rows = append(mv.Rows, row)
		}
		if p.HasNextPage {
			mv.Next = *p.EndCursor()
		}
		if mv.Pending, err = d.opts.Mail.Count(ctx, mail.StatePending); err != nil {
			d.fail(w, r, err)
			return
		}
	}
	d.render(w, r, http.StatusOK, "mail", langOf(r).T("mail"), mv)
}
