package content

import (
	"context"
	"time"
)

// Change is one write as the world outside the API learns of it: change
// events, webhooks and subscriptions are made from it.
type Change struct {
	ID       string    // unique, time-ordered
	Type     string    // "<kind>.<what happened>", such as activity.published
	Action   string    // the audit action: create, update, publish, …
	Kind     Kind      // of the record
	RecordID string    // of the record
	Slug     string    // of the record, after the change (before it, for a purge)
	Version  int64     // after the change; for a purge, the last version
	At       time.Time // when it happened
	Actor    string    // who did it
	Before   Record    // the record before (nil for a creation)
	After    Record    // the record after (nil for a purge)
}

// The event names of the actions.
var changeNames = map[string]string{
	ActionCreate: "created", ActionUpdate: "updated", ActionDelete: "deleted", ActionPublish: "published",
	ActionUnpublish: "unpublished", ActionRestore: "restored", ActionPurge: "purged",
}

// ChangeTypes lists every change event type.
func ChangeTypes() []string {
	var out []string
	for _, c := range Collections {
		if !IsContentKind(c.Kind) {
			continue
		}
		for _, a := range []string{ActionCreate, ActionUpdate, ActionDelete, ActionPublish, ActionUnpublish, ActionRestore, ActionPurge} {
			out = append(out, string(c.Kind)+"."+changeNames[a])
		}
	}
	return append(out, ProposalChangeTypes...)
}

// ProposalChangeTypes are the change events of the proposals of the public
// (package submissions, which writes them): a proposal confirmed by its
// contact (received), changed by its organiser, approved, rejected, sent
// back for changes, withdrawn, and its contact data erased.
var ProposalChangeTypes = []string{
	"proposal.received", "proposal.updated", "proposal.approved", "proposal.rejected",
	"proposal.changes_requested", "proposal.withdrawn", "proposal.erased",
}

// Outbox turns a change into the documents that tell others about it (the
// change event, and a delivery for every webhook that wants it). The
// Catalog writes them together with the change, in one Apply: a change is
// never committed without them, and they never exist for a change that
// was refused (see Write for backends without transactions).
type Outbox interface {
	Record(ctx context.Context, ch Change) ([]Doc, error)
}

// SetOutbox makes every write of the catalog go with the documents of o.
// Set it before the catalog is used.
func (c *Catalog) SetOutbox(o Outbox) { c.outbox = o }

// changeDocs returns the outbox documents of a write.
func (c *Catalog) changeDocs(ctx context.Context, action string, before, after Record) ([]Doc, error) {
	if c.outbox == nil {
		return nil, nil
	}
	subject := after
	if subject == nil {
		subject = before
	}
	m := subject.meta()
	ch := Change{ID: OrderedID(c.now()), Action: action, Kind: subject.RecordKind(), RecordID: m.ID,
		Slug: m.Slug, Version: m.Version, At: c.now().UTC(), Actor: ViewerFrom(ctx).Actor, Before: before, After: after}
	name := changeNames[action]
	if action == ActionImport {
		name = changeNames[ActionUpdate]
		if before == nil {
			name = changeNames[ActionCreate]
		}
	}
	ch.Type = string(ch.Kind) + "." + name
	if ch.Actor == "" {
		ch.Actor = "system"
	}
	return c.outbox.Record(ctx, ch)
}
