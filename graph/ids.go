package graph

import (
	"context"
	"encoding/base64"
	"strings"

	"estafette/content"
	"estafette/loaders"
)

// typeNames maps domain kinds to their GraphQL type names, which global IDs
// carry.
var typeNames = map[content.Kind]string{
	content.KindEdition:      "Edition",
	content.KindRegion:       "Region",
	content.KindInitiative:   "Initiative",
	content.KindActivity:     "Activity",
	content.KindOrganization: "Organization",
	content.KindTheme:        "Theme",
	content.KindRecap:        "Recap",
}

// globalID returns the opaque global ID of a record: base64url of its type
// name and its id.
func globalID(r content.Record) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typeNames[r.RecordKind()] + ":" + content.MetaOf(r).ID))
}

// parseGlobalID splits a global ID into kind and id. An ID this API cannot
// have issued is EINVALID.
func parseGlobalID(gid string) (content.Kind, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(gid)
	if err == nil {
		typ, id, ok := strings.Cut(string(b), ":")
		if ok && id != "" {
			for kind, name := range typeNames {
				if name == typ {
					return kind, id, nil
				}
			}
		}
	}
	return "", "", content.Invalidf("id", "%q is not an ID of this API; use the id field of an object", gid)
}

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
