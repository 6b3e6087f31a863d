package content

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"sync/atomic"
	"time"
)

// The write actions, as the audit log names them.
const (
	ActionCreate    = "create"
	ActionUpdate    = "update"
	ActionDelete    = "delete"
	ActionPublish   = "publish"
	ActionUnpublish = "unpublish"
	ActionRestore   = "restore"
	ActionPurge     = "purge"
	ActionImport    = "import"
)

// RetainDeleted is how long a deleted record can be restored before it is
// purged.
const RetainDeleted = 30 * 24 * time.Hour

// NewID returns a new random record id (80 bits, hex).
func NewID() string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

var idSeq atomic.Uint64

// OrderedID returns a new unique id that sorts after every id this process
// made before it: the time in nanoseconds, a sequence number and a random
// part (so that replicas never collide). Audit entries and change events
// get such ids, so that entries of the same millisecond keep their order.
func OrderedID(t time.Time) string {
	return fmt.Sprintf("%019d-%06d-%s", t.UnixNano(), idSeq.Add(1)%1_000_000, NewID()[:8])
}

// recordOf is the constraint of the write functions: a pointer to a record
// type.
type recordOf[T any] interface {
	*T
	Record
}

// Create validates a new record and stores it as version 1: a draft unless
// its status says published. It needs the editor role. Returns EINVALID
// (with the field) for a bad record, EUNAUTHORIZED/EFORBIDDEN for a caller
// that may not write.
func Create[T any, P recordOf[T]](ctx context.Context, c *Catalog, r P) (P, error) {
	if err := ViewerFrom(ctx).Require(RoleEditor, "creating content"); err != nil {
		return nil, err
	}
	m := r.meta()
	now := c.now().UTC().Truncate(time.Millisecond)
	if m.ID == "" {
		m.ID = NewID()
	}
	if m.Status == "" {
		m.Status = StatusDraft
	}
	m.Version, m.CreatedAt, m.UpdatedAt, m.DeletedAt = 1, now, now, nil
	normalize(r)
	if err := c.Validate(ctx, r); err != nil {
		return nil, err
	}
	return r, c.write(ctx, ActionCreate, nil, r)
}

// Update applies change to the current version of the record with id, if
// that is still version expected, and stores the result as the next
// version. The change may not alter the record's identity, status or
// timestamps. It needs the editor role. Returns ENOTFOUND for a missing or
// deleted record, ECONFLICT when the version moved on, EINVALID for a bad
// result.
func Update[T any, P recordOf[T]](ctx context.Context, c *Catalog, id string, expected int64, change func(P) error) (P, error) {
	if err := ViewerFrom(ctx).Require(RoleEditor, "changing content"); err != nil {
		return nil, err
	}
	cur, err := current[T, P](ctx, c, id, false)
	if err != nil {
		return nil, err
	}
	if err := expectVersion(cur, expected); err != nil {
		return nil, err
	}
	next, err := clone[T, P](cur)
	if err != nil {
		return nil, err
	}
	if err := change(next); err != nil {
		return nil, err
	}
	keep := *cur.meta()
	m := next.meta()
	m.ID, m.Status, m.CreatedAt, m.DeletedAt, m.Schedule = keep.ID, keep.Status, keep.CreatedAt, nil, keep.Schedule
	normalize(next)
	if err := c.Validate(ctx, next); err != nil {
		return nil, err
	}
	return next, c.write(ctx, ActionUpdate, cur, next)
}

// SetStatus publishes or unpublishes the record with id; expected, when not
// nil, must be its current version. Publishing a published record (or
// unpublishing a draft) changes nothing and is not an error.
func SetStatus[T any, P recordOf[T]](ctx context.Context, c *Catalog, id string, expected *int64, status Status) (P, error) {
	action := ActionPublish
	if status == StatusDraft {
		action = ActionUnpublish
	}
	if err := ViewerFrom(ctx).Require(RoleEditor, action+"ing content"); err != nil {
		return nil, err
	}
	cur, err := current[T, P](ctx, c, id, false)
	if err != nil {
		return nil, err
	}
	if expected != nil {
		if err := expectVersion(cur, *expected); err != nil {
			return nil, err
		}
	}
	if cur.meta().Status == status {
		return cur, nil
	}
	next, err := clone[T, P](cur)
	if err != nil {
		return nil, err
	}
	next.meta().Status = status
	if status == StatusPublished {
		// Only valid content goes public; a draft may have been saved
		// before the rules it breaks existed.
		if err := c.Validate(ctx, next); err != nil {
			return nil, err
		}
	}
	return next, c.write(ctx, action, cur, next)
}

// Delete marks the record with id as deleted: it disappears for every
// reader at once and can be restored by an admin for RetainDeleted.
// expected, when not nil, must be its current version.
func Delete[T any, P recordOf[T]](ctx context.Context, c *Catalog, id string, expected *int64) (P, error) {
	if err := ViewerFrom(ctx).Require(RoleEditor, "deleting content"); err != nil {
		return nil, err
	}
	cur, err := current[T, P](ctx, c, id, false)
	if err != nil {
		return nil, err
	}
	if expected != nil {
		if err := expectVersion(cur, *expected); err != nil {
			return nil, err
		}
	}
	next, err := clone[T, P](cur)
	if err != nil {
		return nil, err
	}
	at := c.now().UTC().Truncate(time.Millisecond)
	next.meta().DeletedAt = &at
	next.meta().Schedule = nil // a deleted record publishes nothing
	return next, c.write(ctx, ActionDelete, cur, next)
}

// Restore brings back a deleted record. It needs the admin role. Returns
// ENOTFOUND when the record is not deleted (or purged already), and
// ECONFLICT when another record took its slug in the meantime.
func Restore[T any, P recordOf[T]](ctx context.Context, c *Catalog, id string) (P, error) {
	if err := ViewerFrom(ctx).Require(RoleAdmin, "restoring deleted content"); err != nil {
		return nil, err
	}
	cur, err := current[T, P](ctx, c, id, true)
	if err != nil {
		return nil, err
	}
	if cur.meta().DeletedAt == nil {
		return nil, Errorf(ENOTFOUND, "%s %s is not deleted", cur.RecordKind(), id)
	}
	next, err := clone[T, P](cur)
	if err != nil {
		return nil, err
	}
	next.meta().DeletedAt = nil
	return next, c.write(ctx, ActionRestore, cur, next)
}

// Purge removes for good every record of every kind deleted before cutoff,
// with an audit entry each. It returns how many it removed.
func (c *Catalog) Purge(ctx context.Context, cutoff time.Time) (int, error) {
	n := 0
	for _, coll := range Collections {
		if !IsContentKind(coll.Kind) {
			continue
		}
		docs, err := c.store.Find(ctx, Query{Kind: coll.Kind, Where: Eq("status", StatusDeleted), Sort: []SortKey{{Field: "id"}}})
		if err != nil {
			return n, err
		}
		for _, d := range docs {
			r, err := Decode(d)
			if err != nil {
				return n, err
			}
			m := r.meta()
			if m.DeletedAt == nil || !m.DeletedAt.Before(cutoff) {
				continue
			}
			audit, err := c.auditDoc(ctx, ActionPurge, r, nil)
			if err != nil {
				return n, err
			}
			also, err := c.changeDocs(ctx, ActionPurge, r, nil)
			if err != nil {
				return n, err
			}
			// Its revisions and slug aliases go with it.
			history, err := c.historyDeletes(ctx, coll.Kind, m.ID)
			if err != nil {
				return n, err
			}
			writes := append([]Write{{Doc: d, Delete: true, Expect: VersionKey(m.Version), Also: append([]Doc{audit}, also...)}}, history...)
			err = c.store.Apply(ctx, writes...)
			if ErrorCode(err) == ECONFLICT {
				continue // restored or changed meanwhile
			}
			if err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// write stores next (guarded by the version of before, or as new) with its
// audit entry, its revision, its change events and, when the slug
// changes, the old slug as an alias: all or nothing. It bumps the version
// and the update time.
func (c *Catalog) write(ctx context.Context, action string, before, next Record) error {
	return c.writeNote(ctx, action, before, next, "")
}

// writeNote is write with a note for the audit entry.
func (c *Catalog) writeNote(ctx context.Context, action string, before, next Record, note string) error {
	m := next.meta()
	expect := ""
	if before != nil {
		bm := before.meta()
		expect = VersionKey(bm.Version)
		m.Version = bm.Version + 1
		m.UpdatedAt = c.now().UTC().Truncate(time.Millisecond)
	}
	docs, err := c.Encode(ctx, next) // fills in what activities index of their organisers
	if err != nil {
		return err
	}
	doc := docs[0]
	also, err := c.recordDocs(ctx, action, before, next, doc, note)
	if err != nil {
		return err
	}
	aliases, extra, err := c.aliasWrites(ctx, before, next)
	if err != nil {
		return err
	}
	writes := append([]Write{{Doc: doc, Expect: expect, Also: append(also, aliases...)}}, extra...)
	if err := c.store.Apply(ctx, writes...); err != nil {
		return err
	}
	// Activities index the kinds of their (published) organisers: when an
	// organisation's kind or visibility changes, its activities follow.
	if o, ok := next.(*Organization); ok && orgIndexChanged(before, o) {
		if _, err := c.ReindexOrganization(ctx, o.ID); err != nil {
			return fmt.Errorf("%s %s is stored, but its activities could not be re-indexed (run estafette reindex): %w", o.RecordKind(), o.ID, err)
		}
	}
	if err := c.pruneRevisions(ctx, next.RecordKind(), m.ID, m.Version); err != nil && ctx.Err() == nil {
		slog.WarnContext(ctx, "cannot remove old revisions; the next write of the record tries again", "kind", next.RecordKind(), "id", m.ID, "err", err)
	}
	return nil
}

// recordDocs returns the documents that record a write, to be written in
// the same Apply: its audit entry, its revision (the record as doc stores
// it) and its change events. Scheduling changes no content anyone outside
// sees, so it has no change events.
func (c *Catalog) recordDocs(ctx context.Context, action string, before, next Record, doc Doc, note string) ([]Doc, error) {
	audit, err := c.auditDoc(ctx, action, before, next, note)
	if err != nil {
		return nil, err
	}
	out := []Doc{audit}
	if !c.noRevisions {
		rev, err := c.revisionDoc(ctx, action, doc, next)
		if err != nil {
			return nil, err
		}
		out = append(out, rev)
	}
	if action == ActionSchedule || action == ActionUnschedule {
		return out, nil
	}
	changes, err := c.changeDocs(ctx, action, before, next)
	if err != nil {
		return nil, err
	}
	return append(out, changes...), nil
}

// orgIndexChanged reports whether a write of an organisation changes what
// its activities index: its kind, its status or whether it is deleted.
func orgIndexChanged(before Record, after *Organization) bool {
	b, ok := before.(*Organization)
	if !ok {
		return false // a new organisation has no activities yet
	}
	kind := func(o *Organization) string {
		if o.Kind == nil {
			return ""
		}
		return string(*o.Kind)
	}
	return kind(b) != kind(after) || b.Status != after.Status || (b.DeletedAt == nil) != (after.DeletedAt == nil)
}

// current loads a record for a write, drafts included; deleted records
// only when deleted is true.
func current[T any, P recordOf[T]](ctx context.Context, c *Catalog, id string, deleted bool) (P, error) {
	kind := P(new(T)).RecordKind()
	docs, err := c.store.Get(ctx, kind, []string{id})
	if err != nil {
		return nil, err
	}
	d, ok := docs[id]
	if !ok {
		return nil, Errorf(ENOTFOUND, "there is no %s with id %s", kind, id)
	}
	r, err := decode[T, P](d)
	if err != nil {
		return nil, err
	}
	if r.meta().DeletedAt != nil && !deleted {
		return nil, Errorf(ENOTFOUND, "%s %s was deleted; an admin can restore it", kind, id)
	}
	return r, nil
}

func expectVersion(r Record, expected int64) error {
	m := r.meta()
	if m.Version != expected {
		return &Error{Code: ECONFLICT, Field: "expectedVersion", Message: "this " + string(r.RecordKind()) +
			" is at version " + itoa(m.Version) + ", not " + itoa(expected) + ": someone changed it in the meantime; reload it and apply your change again"}
	}
	return nil
}

func itoa(v int64) string { return trimVersion(VersionKey(v)) }

// clone returns a deep copy of r.
func clone[T any, P recordOf[T]](r P) (P, error) {
	d, err := Encode(r)
	if err != nil {
		return nil, err
	}
	return decode[T, P](d)
}

// changedFields lists the top-level fields of the record's JSON whose value
// differs between before and after, without the bookkeeping fields.
func changedFields(before, after Record) []string {
	var b, a map[string]json.RawMessage
	if before != nil {
		raw, _ := json.Marshal(before)
		_ = json.Unmarshal(raw, &b)
	}
	raw, _ := json.Marshal(after)
	_ = json.Unmarshal(raw, &a)
	var out []string
	for k, v := range a {
		if !bytes.Equal(b[k], v) {
			out = append(out, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	out = slices.DeleteFunc(out, func(k string) bool {
		return k == "version" || k == "updatedAt" || k == "createdAt" || k == "seedHash"
	})
	slices.Sort(out)
	return out
}
