package content

import (
	"context"
	"encoding/json"
	"time"
)

// KindAudit is the kind of the audit log's entries.
const KindAudit Kind = "audit"

// IsContentKind reports whether kind holds content records (as opposed to
// the audit log and other records the system keeps for itself).
func IsContentKind(kind Kind) bool {
	switch kind {
	case KindEdition, KindRegion, KindInitiative, KindActivity, KindOrganization, KindTheme, KindRecap:
		return true
	}
	return false
}

// AuditEntry records one write: who did what to which record, when, which
// fields changed and the versions before and after.
type AuditEntry struct {
	ID            string    `json:"id"`
	At            time.Time `json:"at"`
	Actor         string    `json:"actor"`
	Role          Role      `json:"role,omitempty"`
	Action        string    `json:"action"`
	RecordKind    Kind      `json:"recordKind"`
	RecordID      string    `json:"recordId"`
	Slug          string    `json:"slug,omitempty"`
	ChangedFields []string  `json:"changedFields"`
	BeforeVersion *int64    `json:"beforeVersion,omitempty"`
	AfterVersion  *int64    `json:"afterVersion,omitempty"`
	// Note says what the entry alone does not: that a scheduled action
	// published a version written after it was scheduled, which revisions
	// a retention removed, which alias was released.
	Note string `json:"note,omitempty"`
}

// auditDoc builds the audit entry of a write as a document. before is nil
// for a creation, after is nil for a purge.
func (c *Catalog) auditDoc(ctx context.Context, action string, before, after Record, note ...string) (Doc, error) {
	v := ViewerFrom(ctx)
	at := c.now().UTC()
	e := AuditEntry{
		ID:     OrderedID(at),
		At:     at,
		Actor:  v.Actor,
		Role:   v.Role,
		Action: action,
	}
	if len(note) > 0 {
		e.Note = note[0]
	}
	if e.Actor == "" {
		e.Actor = "system"
	}
	subject := after
	if subject == nil {
		subject = before
	}
	m := subject.meta()
	e.RecordKind, e.RecordID, e.Slug = subject.RecordKind(), m.ID, m.Slug
	if before != nil {
		bv := before.meta().Version
		e.BeforeVersion = &bv
	}
	if after != nil {
		av := after.meta().Version
		e.AfterVersion = &av
		e.ChangedFields = changedFields(before, after)
	}
	if e.ChangedFields == nil {
		e.ChangedFields = []string{}
	}
	return EncodeAudit(e)
}

// EncodeAudit turns an audit entry into its document.
func EncodeAudit(e AuditEntry) (Doc, error) {
	body, err := json.Marshal(e)
	if err != nil {
		return Doc{}, err
	}
	return Doc{Kind: KindAudit, ID: e.ID, Body: body, Fields: Fields{
		"at":         {timeKey(e.At)},
		"actor":      {e.Actor},
		"action":     {e.Action},
		"recordKind": {string(e.RecordKind)},
		"recordId":   {e.RecordID},
	}}, nil
}

// AuditFilter narrows the audit log.
type AuditFilter struct {
	Actor      *string
	Action     *string
	RecordKind *Kind
	RecordID   *string
	From, To   *time.Time
}

// ListAudit returns a page of the audit log, newest first. It needs the
// admin role.
func (c *Catalog) ListAudit(ctx context.Context, f AuditFilter, p PageArgs) (*Page[*AuditEntry], error) {
	if err := ViewerFrom(ctx).Require(RoleAdmin, "reading the audit log"); err != nil {
		return nil, err
	}
	var conds []*Cond
	if f.Actor != nil {
		conds = append(conds, Eq("actor", *f.Actor))
	}
	if f.Action != nil {
		conds = append(conds, Eq("action", *f.Action))
	}
	if f.RecordKind != nil {
		conds = append(conds, Eq("recordKind", string(*f.RecordKind)))
	}
	if f.RecordID != nil {
		conds = append(conds, Eq("recordId", *f.RecordID))
	}
	if f.From != nil {
		conds = append(conds, Gte("at", timeKey(*f.From)))
	}
	if f.To != nil {
		conds = append(conds, Lte("at", timeKey(*f.To)))
	}
	l := listing{kind: KindAudit, order: "audit at desc", where: And(conds...), sort: []SortKey{{Field: "at", Desc: true}}}
	docs, cursors, hasNext, hasPrev, err := c.fetch(ctx, l, p)
	if err != nil {
		return nil, err
	}
	items := make([]*AuditEntry, len(docs))
	for i, d := range docs {
		var e AuditEntry
		if err := json.Unmarshal(d.Body, &e); err != nil {
			return nil, err
		}
		items[i] = &e
	}
	where := l.where
	return &Page[*AuditEntry]{Items: items, Cursors: cursors, HasNextPage: hasNext, HasPreviousPage: hasPrev,
		count: func(ctx context.Context) (int, error) { return c.store.Count(ctx, KindAudit, where) }}, nil
}
