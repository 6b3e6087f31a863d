package graph

import (
	"context"

	"estafette/content"
	"estafette/loaders"
)

// globalID returns the opaque global ID of a record.
func globalID(r content.Record) string {
	return content.GlobalID(r.RecordKind(), content.MetaOf(r).ID)
}

// parseGlobalID splits a global ID into kind and id.
func parseGlobalID(gid string) (content.Kind, string, error) { return content.ParseGlobalID(gid) }

// loadNode loads the record a global ID names; nil when it does not exist.
func loadNode(ctx context.Context, gid string) (content.Record, error) {
	kind, id, err := parseGlobalID(gid)
	if err != nil {
		return nil, err
	}
	// A typed nil must not escape as a non-nil interface.
	wrap := func(r content.Record, ok bool, err error) (content.Record, error) {
		if err != nil || !ok {
			return nil, err
		}
		return r, nil
	}
	switch kind {
	case content.KindEdition:
		v, err := loaders.Edition(ctx, id)
		return wrap(v, v != nil, err)
	case content.KindRegion:
		v, err := loaders.Region(ctx, id)
		return wrap(v, v != nil, err)
	case content.KindInitiative:
		v, err := loaders.Initiative(ctx, id)
		return wrap(v, v != nil, err)
	case content.KindActivity:
		v, err := loaders.Activity(ctx, id)
		return wrap(v, v != nil, err)
	case content.KindOrganization:
		v, err := loaders.Organization(ctx, id)
		return wrap(v, v != nil, err)
	case content.KindTheme:
		v, err := loaders.Theme(ctx, id)
		return wrap(v, v != nil, err)
	case content.KindRecap:
		v, err := loaders.Recap(ctx, id)
		return wrap(v, v != nil, err)
	}
	return nil, nil
}
