package submissions

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"estafette/content"
	"estafette/mail"
)

// errUnchanged tells change that there is nothing to write.
var errUnchanged = &content.Error{Code: "unchanged"}

// byToken reads the proposal of a token; ENOTFOUND for an unknown token
// and for an unconfirmed proposal past ConfirmWithin.
func (s *Submissions) byToken(ctx context.Context, token string) (*stored, error) {
	notFound := content.Errorf(content.ENOTFOUND, "this link is not (or no longer) valid; an unconfirmed proposal expires after 48 hours")
	if len(token) != 43 {
		return nil, notFound
	}
	docs, err := s.store.Find(ctx, content.Query{Kind: KindProposal, Where: content.Eq("tokenHash", tokenHash(token)),
		Sort: []content.SortKey{{Field: "id"}}, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, notFound
	}
	p, err := decode(docs[0])
	if err != nil {
		return nil, err
	}
	if p.State == StateUnconfirmed && s.now().Sub(p.CreatedAt) >= ConfirmWithin {
		return nil, notFound
	}
	return p, nil
}

// get reads a proposal by id; ENOTFOUND when there is none.
func (s *Submissions) get(ctx context.Context, id string) (*stored, error) {
	docs, err := s.store.Get(ctx, KindProposal, []string{id})
	if err != nil {
		return nil, err
	}
	d, ok := docs[id]
	if !ok {
		return nil, content.Errorf(content.ENOTFOUND, "there is no proposal %q", id)
	}
	return decode(d)
}

// change applies fn to the current version of the proposal load reads and
// writes the result with its audit entry, change event (typ, "" for none)
// and mail (what fn returns, nil for none), all in one Apply; a proposal
// changed meanwhile is read and changed again (a few times).
func (s *Submissions) change(ctx context.Context, load func() (*stored, error), action, typ string, fn func(p *stored, now time.Time) (*mail.Message, error)) (*Proposal, error) {
	for attempt := 0; ; attempt++ {
		p, err := load()
		if err != nil {
			return nil, err
		}
		now := s.now().UTC().Truncate(time.Millisecond)
		m, err := fn(p, now)
		if err == errUnchanged {
			out := p.Proposal
			return &out, nil
		}
		if err != nil {
			return nil, err
		}
		expect := content.VersionKey(p.Version)
		p.Version++
		p.UpdatedAt = now
		writes, err := s.writes(ctx, p, expect, action, typ, now, m)
		if err != nil {
			return nil, err
		}
		err = s.store.Apply(ctx, writes...)
		if content.ErrorCode(err) == content.ECONFLICT && attempt < 5 {
			continue
		}
		if err != nil {
			return nil, err
		}
		s.kick()
		out := p.Proposal
		return &out, nil
	}
}

// Confirm confirms the proposal of a token: it moves to the moderation
// queue (proposal.received). Confirming again changes nothing.
func (s *Submissions) Confirm(ctx context.Context, token string) (*Proposal, error) {
	return s.change(ctx, func() (*stored, error) { return s.byToken(ctx, token) }, "confirm", "proposal.received",
		func(p *stored, now time.Time) (*mail.Message, error) {
			if p.State != StateUnconfirmed {
				return nil, errUnchanged
			}
			p.State, p.ConfirmedAt = StatePending, &now
			return nil, nil
		})
}

// ByToken returns the proposal of a token, with its contact, for its
// organiser.
func (s *Submissions) ByToken(ctx context.Context, token string) (*Proposal, error) {
	p, err := s.byToken(ctx, token)
	if err != nil {
		return nil, err
	}
	out := p.Proposal
	return &out, nil
}

// Update replaces the proposal of a token with in, until it is decided;
// the contact (and consent) stay as confirmed. A proposal sent back for
// changes returns to the moderation queue.
func (s *Submissions) Update(ctx context.Context, token string, in Input) (*Proposal, error) {
	return s.change(ctx, func() (*stored, error) { return s.byToken(ctx, token) }, "update", "proposal.updated",
		func(p *stored, now time.Time) (*mail.Message, error) {
			if !p.State.open() {
				return nil, content.Errorf(content.ECONFLICT, "the proposal is %s and can no longer be changed", p.State)
			}
			in.Contact, in.Consent = p.Contact, p.Consent
			if err := s.check(ctx, &in, false); err != nil {
				return nil, err
			}
			p.Input = in
			if p.State == StateChangesRequested {
				p.State = StatePending
			}
			return nil, nil
		})
}

// Withdraw withdraws the proposal of a token, until it is decided, and
// erases its contact's data and the mails to them.
func (s *Submissions) Withdraw(ctx context.Context, token string) (*Proposal, error) {
	var address string
	p, err := s.change(ctx, func() (*stored, error) { return s.byToken(ctx, token) }, "withdraw", "proposal.withdrawn",
		func(p *stored, now time.Time) (*mail.Message, error) {
			if p.State == StateWithdrawn {
				return nil, errUnchanged
			}
			if !p.State.open() {
				return nil, content.Errorf(content.ECONFLICT, "the proposal is %s and can no longer be withdrawn", p.State)
			}
			address = p.Contact.Email
			p.State, p.DecidedAt = StateWithdrawn, &now
			erase(p)
			return nil, nil
		})
	if err != nil {
		return nil, err
	}
	return p, s.eraseMail(ctx, address)
}

func (s *Submissions) eraseMail(ctx context.Context, address string) error {
	if address == "" || s.opts.Mail == nil {
		return nil
	}
	_, err := s.opts.Mail.EraseTo(ctx, address)
	return err
}

// erase removes the contact's data from p.
func erase(p *stored) {
	p.Contact, p.ContactErased = Contact{}, true
}

// Filter selects proposals for List; empty fields select all.
type Filter struct {
	State     State
	EditionID string
	RegionID  string
}

// List returns up to first proposals (by when they were made, the oldest
// first; unconfirmed ones only when f.State asks for them) after the cursor (a proposal's id; "" for the start), and
// whether there are more. It needs the editor role.
func (s *Submissions) List(ctx context.Context, f Filter, first int, after string) ([]*Proposal, bool, error) {
	if err := content.ViewerFrom(ctx).Require(content.RoleEditor, "reading proposals"); err != nil {
		return nil, false, err
	}
	if first <= 0 || first > 100 {
		return nil, false, content.Invalidf("first", "first must be 1 to 100")
	}
	var conds []*content.Cond
	if f.State != "" {
		conds = append(conds, content.Eq("state", string(f.State)))
	} else {
		// Unconfirmed proposals are no editor's work: only asked for.
		conds = append(conds, content.Not(content.Eq("state", string(StateUnconfirmed))))
	}
	if f.EditionID != "" {
		conds = append(conds, content.Eq("edition", f.EditionID))
	}
	if f.RegionID != "" {
		conds = append(conds, content.Eq("region", f.RegionID))
	}
	if after != "" {
		a, err := s.get(ctx, after)
		if err != nil {
			return nil, false, content.Invalidf("after", "the cursor is not a proposal")
		}
		k := content.TimeKey(a.CreatedAt)
		conds = append(conds, content.Or(content.Gt("createdAt", k), content.And(content.Eq("createdAt", k), content.Gt("id", a.ID))))
	}
	var where *content.Cond
	if len(conds) > 0 {
		where = content.And(conds...)
	}
	docs, err := s.store.Find(ctx, content.Query{Kind: KindProposal, Where: where,
		Sort: []content.SortKey{{Field: "createdAt"}, {Field: "id"}}, Limit: first + 1})
	if err != nil {
		return nil, false, err
	}
	more := len(docs) > first
	if more {
		docs = docs[:first]
	}
	out := make([]*Proposal, 0, len(docs))
	for _, d := range docs {
		p, err := decode(d)
		if err != nil {
			return nil, false, err
		}
		out = append(out, &p.Proposal)
	}
	return out, more, nil
}

// Get returns a proposal by id, for editors.
func (s *Submissions) Get(ctx context.Context, id string) (*Proposal, error) {
	if err := content.ViewerFrom(ctx).Require(content.RoleEditor, "reading proposals"); err != nil {
		return nil, err
	}
	p, err := s.get(ctx, id)
	if err != nil {
		return nil, err
	}
	return &p.Proposal, nil
}

// decide checks that the caller may moderate and that the proposal waits
// for a decision.
func decidable(ctx context.Context, p *stored) error {
	if p.State != StatePending {
		return content.Errorf(content.ECONFLICT, "the proposal is %s, not waiting for a decision", p.State)
	}
	return nil
}

func reason(r string) (string, error) {
	r = strings.TrimSpace(r)
	if r == "" || utf8.RuneCountInString(r) > MaxReason {
		return "", content.Invalidf("reason", "give the organiser a reason of 1 to %d characters", MaxReason)
	}
	for _, c := range r {
		if c < 0x20 && c != '\n' && c != '\t' && c != '\r' {
			return "", content.Invalidf("reason", "the reason has a control character")
		}
	}
	return r, nil
}

// Approve makes a waiting proposal an activity, published or as a draft,
// organised by the organisation with organizationID or, when that is
// empty, by a new organisation (a draft) with the proposal's name for it.
// The activity and organisation get the proposal's id, so that an
// approval repeated after a failure makes no second one. It needs the
// editor role.
func (s *Submissions) Approve(ctx context.Context, id string, publish bool, organizationID string) (*Proposal, error) {
	if err := content.ViewerFrom(ctx).Require(content.RoleEditor, "approving proposals"); err != nil {
		return nil, err
	}
	p, err := s.get(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := decidable(ctx, p); err != nil {
		return nil, err
	}
	dctx := content.WithViewer(ctx, content.Viewer{Actor: content.ViewerFrom(ctx).Actor, Role: content.ViewerFrom(ctx).Role, Drafts: true})
	if organizationID == "" {
		organizationID = p.ID
		if o, err := content.GetOne[content.Organization](dctx, s.catalog, organizationID); err != nil {
			return nil, err
		} else if o == nil {
			o := &content.Organization{Name: p.Organisation, Description: content.Text{}}
			o.ID, o.Slug = organizationID, Slug(p.Organisation, p.ID)
			if _, err := content.Create(dctx, s.catalog, o); err != nil && content.ErrorCode(err) != content.ECONFLICT {
				return nil, err
			}
		}
	} else if o, err := content.GetOne[content.Organization](dctx, s.catalog, organizationID); err != nil {
		return nil, err
	} else if o == nil {
		return nil, content.Invalidf("organizationId", "there is no organisation %q", organizationID)
	}
	if a, err := content.GetOne[content.Activity](dctx, s.catalog, p.ID); err != nil {
		return nil, err
	} else if a == nil {
		start, end, err := s.times(&p.Input)
		if err != nil {
			return nil, err
		}
		a := s.activity(&p.Input, start, end)
		a.ID, a.Slug = p.ID, Slug(p.Title.NL, p.ID)
		a.OrganizerIDs = []string{organizationID}
		a.Sources = []content.Source{{Title: "Aanmelding via het aanmeldformulier (" + GlobalID(p.ID) + ")"}}
		if publish {
			a.Status = content.StatusPublished
		}
		if _, err := content.Create(dctx, s.catalog, a); err != nil && content.ErrorCode(err) != content.ECONFLICT {
			return nil, err
		}
	}
	return s.decide(ctx, id, "approve", "proposal.approved", func(p *stored, now time.Time) (*mail.Message, error) {
		p.State, p.ActivityID, p.Reason = StateApproved, p.ID, ""
		return &mail.Message{To: p.Contact.Email, Key: "proposal/" + p.ID + "/approved",
			Subject: "Je aanmelding is goedgekeurd: " + p.Title.NL,
			Text: fmt.Sprintf("Goed nieuws: je aanmelding %q is goedgekeurd en wordt een activiteit van de Slimme Zorg Estafette.\n\n"+
				"Your proposal was approved.\n", p.Title.NL)}, nil
	})
}

// Reject refuses a waiting proposal with a reason for its organiser. It
// needs the editor role.
func (s *Submissions) Reject(ctx context.Context, id, why string) (*Proposal, error) {
	if err := content.ViewerFrom(ctx).Require(content.RoleEditor, "rejecting proposals"); err != nil {
		return nil, err
	}
	r, err := reason(why)
	if err != nil {
		return nil, err
	}
	return s.decide(ctx, id, "reject", "proposal.rejected", func(p *stored, now time.Time) (*mail.Message, error) {
		p.State, p.Reason = StateRejected, r
		return &mail.Message{To: p.Contact.Email, Key: "proposal/" + p.ID + "/rejected",
			Subject: "Je aanmelding is niet goedgekeurd: " + p.Title.NL,
			Text:    fmt.Sprintf("Je aanmelding %q is niet goedgekeurd. De redactie schrijft:\n\n%s\n\nYour proposal was not approved; the reason is above.\n", p.Title.NL, r)}, nil
	})
}

// RequestChanges sends a waiting proposal back to its organiser with a
// reason; they change it through their link. It needs the editor role.
func (s *Submissions) RequestChanges(ctx context.Context, id, why string) (*Proposal, error) {
	if err := content.ViewerFrom(ctx).Require(content.RoleEditor, "moderating proposals"); err != nil {
		return nil, err
	}
	r, err := reason(why)
	if err != nil {
		return nil, err
	}
	return s.decide(ctx, id, "request-changes", "proposal.changes_requested", func(p *stored, now time.Time) (*mail.Message, error) {
		p.State, p.Reason = StateChangesRequested, r
		return &mail.Message{To: p.Contact.Email, Key: fmt.Sprintf("proposal/%s/changes/%d", p.ID, p.Version),
			Subject: "Wil je je aanmelding aanpassen? " + p.Title.NL,
			Text: fmt.Sprintf("De redactie vraagt je je aanmelding %q aan te passen:\n\n%s\n\nPas haar aan via de link uit je bevestigingsmail.\n\n"+
				"The editors ask you to change your proposal; use the link of your confirmation mail.\n", p.Title.NL, r)}, nil
	})
}

func (s *Submissions) decide(ctx context.Context, id, action, typ string, fn func(p *stored, now time.Time) (*mail.Message, error)) (*Proposal, error) {
	return s.change(ctx, func() (*stored, error) { return s.get(ctx, id) }, action, typ, func(p *stored, now time.Time) (*mail.Message, error) {
		if err := decidable(ctx, p); err != nil {
			return nil, err
		}
		p.DecidedAt, p.DecidedBy = &now, content.ViewerFrom(ctx).Actor
		return fn(p, now)
	})
}

// Expire deletes the unconfirmed proposals made more than ConfirmWithin
// ago, with an audit entry each, and returns how many it deleted.
func (s *Submissions) Expire(ctx context.Context) (int, error) {
	cutoff := content.TimeKey(s.now().Add(-ConfirmWithin))
	n := 0
	for {
		docs, err := s.store.Find(ctx, content.Query{Kind: KindProposal, Where: content.And(content.Eq("state", string(StateUnconfirmed)),
			content.Lt("createdAt", cutoff)), Sort: []content.SortKey{{Field: "createdAt"}, {Field: "id"}}, Limit: 100})
		if err != nil || len(docs) == 0 {
			return n, err
		}
		for _, d := range docs {
			p, err := decode(d)
			if err != nil {
				return n, err
			}
			now := s.now().UTC()
			audit, err := content.AuditDoc(ctx, now, "expire", KindProposal, p.ID, p.Title.NL)
			if err != nil {
				return n, err
			}
			err = s.store.Apply(ctx, content.Write{Doc: d, Delete: true,
				Expect: content.VersionKey(p.Version), Also: []content.Doc{audit}})
			if content.ErrorCode(err) == content.ECONFLICT {
				continue // confirmed meanwhile
			}
			if err != nil {
				return n, err
			}
			// The mails to the address stay: they may belong to other
			// proposals of it, and the confirmation mail was sent.
			n++
		}
	}
}

// EraseContacts erases the contacts of the proposals of every edition that
// ended more than RetainContact ago, with an audit entry and a
// proposal.erased event each, and returns how many it erased.
func (s *Submissions) EraseContacts(ctx context.Context) (int, error) {
	ctx = content.WithViewer(ctx, content.Viewer{Actor: "system", Drafts: true})
	docs, err := s.store.Find(ctx, content.Query{Kind: content.KindEdition, Sort: []content.SortKey{{Field: "id"}}})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, d := range docs {
		var e content.Edition
		if err := json.Unmarshal(d.Body, &e); err != nil {
			return n, err
		}
		if e.EndsOn == nil || s.now().Before(e.EndsOn.End().Add(s.opts.RetainContact)) {
			continue
		}
		for {
			ps, err := s.store.Find(ctx, content.Query{Kind: KindProposal, Where: content.And(content.Eq("edition", d.ID),
				content.Eq("contact", "kept")), Sort: []content.SortKey{{Field: "id"}}, Limit: 100})
			if err != nil {
				return n, err
			}
			if len(ps) == 0 {
				break
			}
			for _, pd := range ps {
				var address string
				_, err := s.change(ctx, func() (*stored, error) { return s.get(ctx, pd.ID) }, "erase-contact", "proposal.erased",
					func(p *stored, now time.Time) (*mail.Message, error) {
						if p.ContactErased {
							return nil, errUnchanged
						}
						address = p.Contact.Email
						erase(p)
						return nil, nil
					})
				if err != nil {
					return n, err
				}
				if err := s.eraseMail(ctx, address); err != nil {
					return n, err
				}
				n++
			}
		}
	}
	return n, nil
}
