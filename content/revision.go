package content

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// KindRevision is the kind of the revisions: the full record as it was
// after each write.
const KindRevision Kind = "revision"

// ActionPruneRevisions is the audit action of the removal of old
// revisions that the retention (REVISIONS_KEEP) no longer keeps.
const ActionPruneRevisions = "prune-revisions"

// Revision is a record as it was after one write: every write of a content
// record stores one, in the same Apply as the change itself, so that a
// change never exists without its revision and a refused write leaves
// none. Revisions of a record stay until the record is purged (or, with a
// retention, until they are too old and not published).
type Revision struct {
	ID         string    `json:"id"`
	RecordKind Kind      `json:"recordKind"`
	RecordID   string    `json:"recordId"`
	Version    int64     `json:"version"`
	At         time.Time `json:"at"`
	Author     string    `json:"author"`
	Role       Role      `json:"role,omitempty"`
	Action     string    `json:"action"`
	// Published is whether the record was public after the write.
	Published bool `json:"published"`
	// Body is the record's stored JSON after the write.
	Body json.RawMessage `json:"record"`
}

// Record decodes the record as it was.
func (r *Revision) Record() (Record, error) {
	return Decode(Doc{Kind: r.RecordKind, ID: r.RecordID, Body: r.Body})
}

// RevisionID is the document id of the revision of a record at version:
// "<kind>:<record id>:<version zero-padded>", so that ids sort by version.
func RevisionID(kind Kind, id string, version int64) string {
	return string(kind) + ":" + id + ":" + VersionKey(version)
}

// revisionDoc builds the revision of a write: the record's document as it
// will be stored.
func (c *Catalog) revisionDoc(ctx context.Context, action string, doc Doc, after Record) (Doc, error) {
	v := ViewerFrom(ctx)
	m := after.meta()
	r := Revision{
		ID: RevisionID(doc.Kind, m.ID, m.Version), RecordKind: doc.Kind, RecordID: m.ID, Version: m.Version,
		At: m.UpdatedAt, Author: v.Actor, Role: v.Role, Action: action,
		Published: m.Status == StatusPublished && m.DeletedAt == nil, Body: doc.Body,
	}
	if r.Author == "" {
		r.Author = "system"
	}
	return EncodeRevision(r)
}

// EncodeRevision turns a revision into its document.
func EncodeRevision(r Revision) (Doc, error) {
	body, err := json.Marshal(r)
	if err != nil {
		return Doc{}, err
	}
	published := "false"
	if r.Published {
		published = "true"
	}
	return Doc{Kind: KindRevision, ID: r.ID, Body: body, Fields: Fields{
		"recordKind": {string(r.RecordKind)},
		"recordId":   {r.RecordID},
		"version":    {VersionKey(r.Version)},
		"at":         {timeKey(r.At)},
		"action":     {r.Action},
		"published":  {published},
	}}, nil
}

func decodeRevision(d Doc) (*Revision, error) {
	var r Revision
	if err := json.Unmarshal(d.Body, &r); err != nil {
		return nil, fmt.Errorf("decode revision %s: %w", d.ID, err)
	}
	return &r, nil
}

// SetRevisionsKeep sets the retention of revisions: 0 keeps every
// revision; n > 0 keeps the last n of each record and every version that
// was published, and removes the others after each write (with an audit
// entry). Set it before the catalog is used.
func (c *Catalog) SetRevisionsKeep(n int) { c.revisionsKeep = n }

// ListRevisions returns a page of the revisions of the record of kind with
// id, newest first. It needs the editor role. The revisions of a deleted
// record are listed too, until it is purged.
func (c *Catalog) ListRevisions(ctx context.Context, kind Kind, id string, p PageArgs) (*Page[*Revision], error) {
	if err := ViewerFrom(ctx).Require(RoleEditor, "reading the history of content"); err != nil {
		return nil, err
	}
	l := listing{kind: KindRevision, order: "revisions", where: And(Eq("recordKind", string(kind)), Eq("recordId", id)),
		sort: []SortKey{{Field: "version", Desc: true}}}
	docs, cursors, hasNext, hasPrev, err := c.fetch(ctx, l, p)
	if err != nil {
		return nil, err
	}
	items := make([]*Revision, len(docs))
	for i, d := range docs {
		if items[i], err = decodeRevision(d); err != nil {
			return nil, err
		}
	}
	where := l.where
	return &Page[*Revision]{Items: items, Cursors: cursors, HasNextPage: hasNext, HasPreviousPage: hasPrev,
		count: func(ctx context.Context) (int, error) { return c.store.Count(ctx, KindRevision, where) }}, nil
}

// GetRevision returns the revision of the record of kind with id at
// version. It needs the editor role. Returns ENOTFOUND when there is no
// such revision (never written, pruned, or the record was purged).
func (c *Catalog) GetRevision(ctx context.Context, kind Kind, id string, version int64) (*Revision, error) {
	if err := ViewerFrom(ctx).Require(RoleEditor, "reading the history of content"); err != nil {
		return nil, err
	}
	rid := RevisionID(kind, id, version)
	docs, err := c.store.Get(ctx, KindRevision, []string{rid})
	if err != nil {
		return nil, err
	}
	d, ok := docs[rid]
	if !ok {
		return nil, Errorf(ENOTFOUND, "%s %s has no revision %d", kind, id, version)
	}
	return decodeRevision(d)
}

// FieldChange is one field that differs between two revisions: its name
// (a localized text per language, such as title.nl) and its values before
// and after as compact JSON; nil where the field is absent.
type FieldChange struct {
	Field  string  `json:"field"`
	Before *string `json:"before"`
	After  *string `json:"after"`
}

// DiffRevisions compares the revisions from and to of a record, field by
// field, without the bookkeeping fields (version, updatedAt, createdAt,
// seedHash). It needs the editor role.
func (c *Catalog) DiffRevisions(ctx context.Context, kind Kind, id string, from, to int64) ([]FieldChange, error) {
	a, err := c.GetRevision(ctx, kind, id, from)
	if err != nil {
		return nil, err
	}
	b, err := c.GetRevision(ctx, kind, id, to)
	if err != nil {
		return nil, err
	}
	return DiffBodies(a.Body, b.Body)
}

// DiffBodies compares two record bodies field by field (see
// DiffRevisions).
func DiffBodies(before, after json.RawMessage) ([]FieldChange, error) {
	fa, err := flatten(before)
	if err != nil {
		return nil, err
	}
	fb, err := flatten(after)
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for k := range fa {
		names[k] = true
	}
	for k := range fb {
		names[k] = true
	}
	var out []FieldChange
	for k := range names {
		va, oka := fa[k]
		vb, okb := fb[k]
		if oka && okb && va == vb {
			continue
		}
		ch := FieldChange{Field: k}
		if oka {
			ch.Before = &va
		}
		if okb {
			ch.After = &vb
		}
		out = append(out, ch)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	if out == nil {
		out = []FieldChange{}
	}
	return out, nil
}

// flatten maps the top-level fields of a record body to compact JSON; a
// localized text (an object of languages) becomes one field per language.
func flatten(body json.RawMessage) (map[string]string, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for k, v := range top {
		switch k {
		case "version", "updatedAt", "createdAt", "seedHash":
			continue
		}
		if texts, ok := localized(v); ok {
			for lang, t := range texts {
				out[k+"."+lang] = t
			}
			continue
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, v); err != nil {
			return nil, err
		}
		out[k] = buf.String()
	}
	return out, nil
}

// localized reports whether v is a localized text (an object whose keys
// are all languages) and returns its texts as JSON strings.
func localized(v json.RawMessage) (map[string]string, bool) {
	if !bytes.HasPrefix(bytes.TrimSpace(v), []byte("{")) {
		return nil, false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(v, &m) != nil || len(m) == 0 {
		return nil, false
	}
	out := map[string]string{}
	for k, x := range m {
		if !slices.Contains(Locales, Locale(k)) {
			return nil, false
		}
		var buf bytes.Buffer
		if json.Compact(&buf, x) != nil {
			return nil, false
		}
		out[k] = buf.String()
	}
	return out, true
}

// RestoreRevision writes a new version of the record of kind with id
// whose content equals its revision at version, if the record is still at
// version expected. It is a new write (audited as restore, with its
// events): history is never rewritten. The record keeps its current
// status, schedule and creation time; the slug of the old version comes
// back (the current one becomes an alias). It needs the editor role.
// Returns ENOTFOUND for a missing or deleted record or revision,
// ECONFLICT for a stale expected version, EINVALID when the old version
// is no longer valid (a reference that is gone, a slug taken since).
func (c *Catalog) RestoreRevision(ctx context.Context, kind Kind, id string, version, expected int64) (Record, error) {
	if err := ViewerFrom(ctx).Require(RoleEditor, "restoring an earlier version"); err != nil {
		return nil, err
	}
	cur, err := c.currentAny(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	if err := expectVersion(cur, expected); err != nil {
		return nil, err
	}
	rev, err := c.GetRevision(ctx, kind, id, version)
	if err != nil {
		return nil, err
	}
	next, err := rev.Record()
	if err != nil {
		return nil, err
	}
	keep := *cur.meta()
	m := next.meta()
	m.ID, m.Status, m.CreatedAt, m.DeletedAt, m.Schedule, m.SeedHash = keep.ID, keep.Status, keep.CreatedAt, nil, keep.Schedule, keep.SeedHash
	normalize(next)
	if err := c.Validate(ctx, next); err != nil {
		return nil, err
	}
	return next, c.write(ctx, ActionRestore, cur, next)
}

// currentAny loads a record of any content kind for a write; deleted
// records are ENOTFOUND.
func (c *Catalog) currentAny(ctx context.Context, kind Kind, id string) (Record, error) {
	if !IsContentKind(kind) {
		return nil, Errorf(ENOTFOUND, "there is no content of type %s", kind)
	}
	docs, err := c.store.Get(ctx, kind, []string{id})
	if err != nil {
		return nil, err
	}
	d, ok := docs[id]
	if !ok {
		return nil, Errorf(ENOTFOUND, "there is no %s with id %s", kind, id)
	}
	r, err := Decode(d)
	if err != nil {
		return nil, err
	}
	if r.meta().DeletedAt != nil {
		return nil, Errorf(ENOTFOUND, "%s %s was deleted; an admin can restore it", kind, id)
	}
	return r, nil
}

// cloneAny returns a deep copy of r.
func cloneAny(r Record) (Record, error) {
	d, err := Encode(r)
	if err != nil {
		return nil, err
	}
	return Decode(d)
}

// pruneRevisions removes the revisions of the record that the retention
// no longer keeps: older than the last revisionsKeep and not published.
// The removal is one Apply with an audit entry. A failure is not the
// write's: the next write of the record tries again.
func (c *Catalog) pruneRevisions(ctx context.Context, kind Kind, id string, latest int64) error {
	keep := int64(c.revisionsKeep)
	if keep <= 0 || latest <= keep {
		return nil
	}
	docs, err := c.store.Find(ctx, Query{Kind: KindRevision, Where: And(Eq("recordKind", string(kind)), Eq("recordId", id),
		Lte("version", VersionKey(latest-keep)), Eq("published", "false")), Sort: []SortKey{{Field: "version"}}})
	if err != nil || len(docs) == 0 {
		return err
	}
	var versions []string
	writes := make([]Write, len(docs))
	for i, d := range docs {
		writes[i] = Write{Doc: d, Delete: true, Expect: first(d.Fields["version"])}
		versions = append(versions, trimVersion(first(d.Fields["version"])))
	}
	v := ViewerFrom(ctx)
	at := c.now().UTC()
	e := AuditEntry{ID: OrderedID(at), At: at, Actor: v.Actor, Role: v.Role, Action: ActionPruneRevisions, RecordKind: kind,
		RecordID: id, ChangedFields: []string{}, Note: fmt.Sprintf("removed revisions %s (REVISIONS_KEEP=%d keeps the last %d and every published version)",
			strings.Join(versions, ", "), keep, keep)}
	if e.Actor == "" {
		e.Actor = "system"
	}
	if m := c.lastSlug(ctx, kind, id); m != "" {
		e.Slug = m
	}
	audit, err := EncodeAudit(e)
	if err != nil {
		return err
	}
	writes[0].Also = []Doc{audit}
	return c.store.Apply(ctx, writes...)
}

// lastSlug returns the current slug of a record, or "".
func (c *Catalog) lastSlug(ctx context.Context, kind Kind, id string) string {
	docs, err := c.store.Get(ctx, kind, []string{id})
	if err != nil {
		return ""
	}
	return first(docs[id].Fields["slug"])
}

// historyDeletes returns the writes that remove the revisions and slug
// aliases of a record, for its purge.
func (c *Catalog) historyDeletes(ctx context.Context, kind Kind, id string) ([]Write, error) {
	var writes []Write
	revs, err := c.store.Find(ctx, Query{Kind: KindRevision, Where: And(Eq("recordKind", string(kind)), Eq("recordId", id)), Sort: []SortKey{{Field: "version"}}})
	if err != nil {
		return nil, err
	}
	for _, d := range revs {
		writes = append(writes, Write{Doc: d, Delete: true, Expect: first(d.Fields["version"])})
	}
	aliases, err := c.store.Find(ctx, Query{Kind: KindAlias, Where: And(Eq("recordKind", string(kind)), Eq("recordId", id)), Sort: []SortKey{{Field: "id"}}})
	if err != nil {
		return nil, err
	}
	for _, d := range aliases {
		writes = append(writes, Write{Doc: d, Delete: true, Expect: first(d.Fields["version"])})
	}
	return writes, nil
}
