package content

import "context"

// Deleted returns the deleted records of kind that can still be restored,
// most recently deleted first, at most limit (MaxPageSize when limit is
// out of range). It needs the admin role, as restoring them does.
func (c *Catalog) Deleted(ctx context.Context, kind Kind, limit int) ([]Record, error) {
	if err := ViewerFrom(ctx).Require(RoleAdmin, "listing deleted content"); err != nil {
		return nil, err
	}
	if !IsContentKind(kind) {
		return nil, Invalidf("kind", "%q is not a kind of content", kind)
	}
	if limit < 1 || limit > MaxPageSize {
		limit = MaxPageSize
	}
	docs, err := c.store.Find(ctx, Query{Kind: kind, Where: Eq("status", StatusDeleted), Sort: []SortKey{{Field: "updatedKey", Desc: true}, {Field: "id"}}, Limit: limit})
	if err != nil {
		return nil, err
	}
	out := make([]Record, 0, len(docs))
	for _, d := range docs {
		r, err := Decode(d)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}
