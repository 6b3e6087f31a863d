package content

import (
	"encoding/base64"
	"strings"
)

// typeNames are the public names of the kinds, which global IDs carry.
var typeNames = map[Kind]string{
	KindEdition:      "Edition",
	KindRegion:       "Region",
	KindInitiative:   "Initiative",
	KindActivity:     "Activity",
	KindOrganization: "Organization",
	KindTheme:        "Theme",
	KindRecap:        "Recap",
}

// TypeName returns the public (GraphQL) name of a content kind, or "".
func TypeName(kind Kind) string { return typeNames[kind] }

// GlobalID returns the opaque global ID of a record of kind with id: the
// base64url of its type name and its id. IDs in the API, in change events
// and in webhooks are all of this form.
func GlobalID(kind Kind, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typeNames[kind] + ":" + id))
}

// ParseGlobalID splits a global ID into kind and id. An ID this API cannot
// have issued is EINVALID.
func ParseGlobalID(gid string) (Kind, string, error) {
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
	return "", "", Invalidf("id", "%q is not an ID of this API; use the id field of an object", gid)
}

// SurrogateKeys returns the cache keys a change of r touches: the record
// itself and the records whose pages show it (its edition, region,
// initiatives, …), as "<kind>:<id>". A CDN that tags responses with them
// purges exactly what a change makes stale.
func SurrogateKeys(r Record) []string {
	if r == nil {
		return nil
	}
	var keys []string
	add := func(kind Kind, ids ...string) {
		for _, id := range ids {
			if id != "" {
				keys = appendUnique(keys, string(kind)+":"+id)
			}
		}
	}
	add(r.RecordKind(), r.meta().ID)
	switch x := r.(type) {
	case *Activity:
		add(KindEdition, x.EditionID)
		add(KindRegion, x.RegionID)
		add(KindInitiative, x.InitiativeID)
		add(KindOrganization, x.OrganizerIDs...)
		add(KindTheme, x.ThemeIDs...)
	case *Initiative:
		add(KindEdition, x.EditionIDs...)
		add(KindRegion, x.RegionIDs...)
		add(KindTheme, x.ThemeIDs...)
		add(KindOrganization, x.OrganizationIDs...)
	case *Recap:
		add(KindEdition, x.EditionID)
		add(KindRegion, x.RegionIDs...)
		add(KindInitiative, x.InitiativeIDs...)
	case *Edition:
		for _, l := range x.Legs {
			add(KindRegion, l.RegionID)
		}
	}
	return keys
}
