package desk

import (
	"net/http"

	"estafette/content"
	"estafette/submissions"
)

// proposalsView is the moderation queue: the confirmed proposals that
// wait for a decision, with their contacts (editors may see them).
type proposalsView struct {
	Available bool
	Proposals []*submissions.Proposal
	More      bool
}

// proposalsPage lists the proposals waiting for a decision, for editors.
func (d *Desk) proposalsPage(w http.ResponseWriter, r *http.Request) {
	if !canWrite(r) {
		d.fail(w, r, content.Errorf(content.EFORBIDDEN, "%s", langOf(r).T("editorsOnly")))
		return
	}
	pv := proposalsView{Available: d.opts.Proposals != nil}
	if pv.Available {
		ps, more, err := d.opts.Proposals.List(r.Context(), submissions.Filter{State: submissions.StatePending}, 100, "")
		if err != nil {
			d.fail(w, r, err)
			return
		}
		pv.Proposals, pv.More = ps, more
	}
	d.render(w, r, http.StatusOK, "proposals", langOf(r).T("proposals"), pv)
}

// decideProposal approves, rejects or sends back a proposal.
func (d *Desk) decideProposal(w http.ResponseWriter, r *http.Request) {
	if d.opts.Proposals == nil {
		d.notFound(w, r)
		return
	}
	id, reason := r.PathValue("id"), r.PostFormValue("reason")
	var err error
	switch r.PathValue("decision") {
	case "approve":
		_, err = d.opts.Proposals.Approve(r.Context(), id, r.PostFormValue("publish") == "yes", "")
	case "reject":
		_, err = d.opts.Proposals.Reject(r.Context(), id, reason)
	case "changes":
		_, err = d.opts.Proposals.RequestChanges(r.Context(), id, reason)
	default:
		d.notFound(w, r)
		return
	}
	if err != nil {
		d.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/desk/proposals?done=decided", http.StatusSeeOther)
}
