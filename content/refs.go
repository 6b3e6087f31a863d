package content

import (
	"context"
	"fmt"
)

// IDOf returns the id of the record of kind with the slug, for a reference
// an editor wrote: drafts count, deleted records do not. An unknown slug is
// EINVALID about field.
func (c *Catalog) IDOf(ctx context.Context, kind Kind, slug, field string) (string, error) {
	return c.idBy(ctx, kind, "slug", slug, field, fmt.Sprintf("there is no %s with the slug %q", kind, slug))
}

// EditionIDOf returns the id of the edition of year, for a reference an
// editor wrote; an unknown year is EINVALID about field.
func (c *Catalog) EditionIDOf(ctx context.Context, year int, field string) (string, error) {
	return c.idBy(ctx, KindEdition, "year", yearKey(year), field, fmt.Sprintf("there is no edition of %d", year))
}

// IDsOf resolves several slugs; the error names the position of the first
// unknown one (field[i]).
func (c *Catalog) IDsOf(ctx context.Context, kind Kind, slugs []string, field string) ([]string, error) {
	ids := make([]string, len(slugs))
	for i, s := range slugs {
		id, err := c.IDOf(ctx, kind, s, fmt.Sprintf("%s[%d]", field, i))
		if err != nil {
			return nil, err
		}
		ids[i] = id
	}
	return ids, nil
}

func (c *Catalog) idBy(ctx context.Context, kind Kind, key, value, field, missing string) (string, error) {
	docs, err := c.store.Find(ctx, Query{Kind: kind, Where: And(In("status", string(StatusPublished), string(StatusDraft)), Eq(key, value)),
		Sort: []SortKey{{Field: "id"}}, Limit: 1})
	if err != nil {
		return "", err
	}
	if len(docs) == 0 {
		return "", Invalidf(field, "%s", missing)
	}
	return docs[0].ID, nil
}

// SlugOf returns the slug of the record of kind with id (drafts and deleted
// records included), or "" when there is none; for showing references.
func (c *Catalog) SlugOf(ctx context.Context, kind Kind, id string) (string, error) {
	docs, err := c.store.Get(ctx, kind, []string{id})
	if err != nil {
		return "", err
	}
	if d, ok := docs[id]; ok && len(d.Fields["slug"]) > 0 {
		return d.Fields["slug"][0], nil
	}
	return "", nil
}

// WithFieldPrefix returns err with prefix added to the input path of every
// EINVALID problem in it, such as "input." for a GraphQL argument. Other
// errors are returned as they are.
func WithFieldPrefix(err error, prefix string) error {
	switch e := err.(type) {
	case Problems:
		out := make(Problems, len(e))
		for i, p := range e {
			cp := *p
			cp.Field = prefix + cp.Field
			out[i] = &cp
		}
		return out
	case *Error:
		if e.Code == EINVALID && e.Field != "" {
			cp := *e
			cp.Field = prefix + cp.Field
			return &cp
		}
	}
	return err
}
