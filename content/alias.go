package content

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// KindAlias is the kind of the slug aliases: the earlier slugs of records,
// which keep leading to them.
const KindAlias Kind = "alias"

// ActionReleaseAlias is the audit action of the release of a slug alias.
const ActionReleaseAlias = "release-alias"

// Alias is an earlier slug of a record. When a write changes a record's
// slug, the old slug becomes an alias (in the same Apply): lookups by the
// old slug find the record, and no other record of the kind may take it
// until an editor releases it. Its document id is "<kind>:<slug>", so an
// alias is unique per kind by construction; it is also kept unique
// against the live slugs of the kind (see Validate).
type Alias struct {
	RecordKind Kind      `json:"recordKind"`
	Slug       string    `json:"slug"`
	RecordID   string    `json:"recordId"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
}

// AliasID is the document id of the alias slug of kind.
func AliasID(kind Kind, slug string) string { return string(kind) + ":" + slug }

// aliasVersion is the version every alias document has: aliases are
// created and deleted, never changed.
var aliasVersion = VersionKey(1)

// EncodeAlias turns an alias into its document.
func EncodeAlias(a Alias) (Doc, error) {
	body, err := json.Marshal(a)
	if err != nil {
		return Doc{}, err
	}
	return Doc{Kind: KindAlias, ID: AliasID(a.RecordKind, a.Slug), Body: body, Fields: Fields{
		"recordKind": {string(a.RecordKind)},
		"recordId":   {a.RecordID},
		"slug":       {a.Slug},
		"version":    {aliasVersion},
	}}, nil
}

// alias returns the alias slug of kind, or nil.
func (c *Catalog) alias(ctx context.Context, kind Kind, slug string) (*Alias, Doc, error) {
	id := AliasID(kind, slug)
	docs, err := c.store.Get(ctx, KindAlias, []string{id})
	if err != nil {
		return nil, Doc{}, err
	}
	d, ok := docs[id]
	if !ok {
		return nil, Doc{}, nil
	}
	var a Alias
	if err := json.Unmarshal(d.Body, &a); err != nil {
		return nil, Doc{}, fmt.Errorf("decode alias %s: %w", id, err)
	}
	return &a, d, nil
}

// aliasWrites returns what a write that changes a record's slug adds: the
// old slug as a new alias (unless it is one already) as an Also document,
// and the removal of the alias that the new slug was, if it was one of
// this record's. A new slug that is another record's alias is ECONFLICT
// (Validate refuses it first, with the field).
func (c *Catalog) aliasWrites(ctx context.Context, before, after Record) (also []Doc, writes []Write, err error) {
	if before == nil || after == nil {
		return nil, nil, nil
	}
	bm, am := before.meta(), after.meta()
	if bm.Slug == am.Slug || bm.Slug == "" {
		return nil, nil, nil
	}
	kind := after.RecordKind()
	old, _, err := c.alias(ctx, kind, bm.Slug)
	if err != nil {
		return nil, nil, err
	}
	if old == nil {
		v := ViewerFrom(ctx)
		actor := v.Actor
		if actor == "" {
			actor = "system"
		}
		d, err := EncodeAlias(Alias{RecordKind: kind, Slug: bm.Slug, RecordID: am.ID, At: c.now().UTC(), Actor: actor})
		if err != nil {
			return nil, nil, err
		}
		also = append(also, d)
	}
	cur, doc, err := c.alias(ctx, kind, am.Slug)
	if err != nil {
		return nil, nil, err
	}
	if cur != nil {
		if cur.RecordID != am.ID {
			return nil, nil, &Error{Code: ECONFLICT, Field: "slug", Message: fmt.Sprintf("the slug %q still leads to another %s; an editor can release it", am.Slug, kind)}
		}
		writes = append(writes, Write{Doc: doc, Delete: true, Expect: aliasVersion})
	}
	return also, writes, nil
}

// aliased returns the record of kind K that slug is an alias of, if it is
// visible to the caller; nil otherwise.
func aliased[T any, P interface {
	*T
	Record
}](ctx context.Context, c *Catalog, slug string) (P, error) {
	kind := P(new(T)).RecordKind()
	a, _, err := c.alias(ctx, kind, slug)
	if err != nil || a == nil {
		return nil, err
	}
	return GetOne[T, P](ctx, c, a.RecordID)
}

// Aliases returns the earlier slugs of the record of kind with id that
// still lead to it, sorted. It needs the editor role.
func (c *Catalog) Aliases(ctx context.Context, kind Kind, id string) ([]string, error) {
	if err := ViewerFrom(ctx).Require(RoleEditor, "reading slug aliases"); err != nil {
		return nil, err
	}
	docs, err := c.store.Find(ctx, Query{Kind: KindAlias, Where: And(Eq("recordKind", string(kind)), Eq("recordId", id)), Sort: []SortKey{{Field: "slug"}}})
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, d := range docs {
		out = append(out, first(d.Fields["slug"]))
	}
	return out, nil
}

// ReleaseAlias removes the alias slug of the record of kind with id, so
// that another record may take the slug; lookups by it find nothing from
// then on. It needs the editor role and is audited (release-alias).
// Returns ENOTFOUND when slug is not an alias of that record.
func (c *Catalog) ReleaseAlias(ctx context.Context, kind Kind, id, slug string) error {
	v := ViewerFrom(ctx)
	if err := v.Require(RoleEditor, "releasing a slug alias"); err != nil {
		return err
	}
	a, doc, err := c.alias(ctx, kind, slug)
	if err != nil {
		return err
	}
	if a == nil || a.RecordID != id {
		return &Error{Code: ENOTFOUND, Field: "slug", Message: fmt.Sprintf("%q is not an earlier slug of this %s", slug, kind)}
	}
	at := c.now().UTC()
	e := AuditEntry{ID: OrderedID(at), At: at, Actor: v.Actor, Role: v.Role, Action: ActionReleaseAlias, RecordKind: kind,
		RecordID: id, Slug: slug, ChangedFields: []string{"aliases"}, Note: fmt.Sprintf("the slug %q no longer leads to this %s", slug, kind)}
	audit, err := EncodeAudit(e)
	if err != nil {
		return err
	}
	return c.store.Apply(ctx, Write{Doc: doc, Delete: true, Expect: aliasVersion, Also: []Doc{audit}})
}
