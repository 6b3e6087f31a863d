package graph

import (
	"context"

	"estafette/content"
	"estafette/graph/model"
	"estafette/loaders"
)

// The shared steps of every mutation: parse the global id, translate the
// input, call the domain, prime the loaders with what was written and return
// it as a model.Payload. Errors about the input are reported on
// "input.<field>".

type recordOf[T any] interface {
	*T
	content.Record
}

// idOfKind returns the record id in a global ID, which must name a record
// of kind.
func idOfKind(gid string, kind content.Kind) (string, error) {
	k, id, err := parseGlobalID(gid)
	if err != nil {
		return "", err
	}
	if k != kind {
		return "", content.Invalidf("id", "this ID belongs to a %s, not a %s", content.TypeName(k), content.TypeName(kind))
	}
	return id, nil
}

func kindOf[T any, P recordOf[T]]() content.Kind { return P(new(T)).RecordKind() }

func create[T any, P recordOf[T]](ctx context.Context, cat *content.Catalog, publish *bool, apply func(*refs, P) error, init ...func(P)) (*model.Payload[T], error) {
	rec := P(new(T))
	for _, f := range init {
		f(rec)
	}
	if err := apply(&refs{ctx: ctx, cat: cat}, rec); err != nil {
		return nil, content.WithFieldPrefix(err, "input.")
	}
	if publish != nil && *publish {
		content.MetaOf(rec).Status = content.StatusPublished
	}
	out, err := content.Create(ctx, cat, rec)
	if err != nil {
		return nil, content.WithFieldPrefix(err, "input.")
	}
	return written(ctx, out), nil
}

func update[T any, P recordOf[T]](ctx context.Context, cat *content.Catalog, gid string, expected int, apply func(*refs, P) error) (*model.Payload[T], error) {
	id, err := idOfKind(gid, kindOf[T, P]())
	if err != nil {
		return nil, err
	}
	out, err := content.Update(ctx, cat, id, int64(expected), func(rec P) error {
		return apply(&refs{ctx: ctx, cat: cat}, rec)
	})
	if err != nil {
		return nil, content.WithFieldPrefix(err, "input.")
	}
	return written(ctx, out), nil
}

func setStatus[T any, P recordOf[T]](ctx context.Context, cat *content.Catalog, gid string, expected *int, status content.Status) (*model.Payload[T], error) {
	id, err := idOfKind(gid, kindOf[T, P]())
	if err != nil {
		return nil, err
	}
	out, err := content.SetStatus[T, P](ctx, cat, id, version(expected), status)
	if err != nil {
		return nil, err
	}
	return written(ctx, out), nil
}

func remove[T any, P recordOf[T]](ctx context.Context, cat *content.Catalog, gid string, expected *int) (*model.DeletePayload, error) {
	id, err := idOfKind(gid, kindOf[T, P]())
	if err != nil {
		return nil, err
	}
	out, err := content.Delete[T, P](ctx, cat, id, version(expected))
	if err != nil {
		return nil, err
	}
	m := content.MetaOf(out)
	return &model.DeletePayload{ID: gid, Version: int(m.Version), RestorableUntil: m.DeletedAt.Add(content.RetainDeleted)}, nil
}

func restore[T any, P recordOf[T]](ctx context.Context, cat *content.Catalog, gid string) (*model.Payload[T], error) {
	id, err := idOfKind(gid, kindOf[T, P]())
	if err != nil {
		return nil, err
	}
	out, err := content.Restore[T, P](ctx, cat, id)
	if err != nil {
		return nil, err
	}
	return written(ctx, out), nil
}

func version(v *int) *int64 {
	if v == nil {
		return nil
	}
	x := int64(*v)
	return &x
}

// written primes the loaders with a record just written and returns the
// payload of the write: the record as stored and its version.
func written[T any, P recordOf[T]](ctx context.Context, rec P) *model.Payload[T] {
	loaders.Prime(ctx, rec)
	return &model.Payload[T]{Record: rec, Version: int(content.MetaOf(rec).Version)}
}
