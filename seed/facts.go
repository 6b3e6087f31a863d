package seed

import "estafette/content"

// A fact is one field value of a seed record together with the sources that
// give it. Every seed record has a list of facts next to it (the
// …Facts maps in this package), and the seed's fact-list test demands that
// every field value a record sets is in its list, and that every source of
// a fact is a source the record cites: a value no source gives cannot be
// seeded by accident.
//
// Field names the field by its Go field names from the record down, with
// the elements of a list of structs counted from 1 ("Legs.4.OrganizerIDs",
// "Provinces.2.Name"); a list of plain values (ids, audiences) has one fact
// per element, all under the list's name. Value is the value as text: a
// string as is, a date as YYYY-MM-DD, a time in RFC 3339, a number or a
// bool in Go syntax; for a name or a title, its Dutch text. A description,
// summary or body is prose in the catalogue's own words: its fact has an
// empty Value and names the sources its statements come from (the wording
// is checked against the sources by the overlap test).
type fact struct {
	Field   string
	Value   string
	Sources []string
}

// facts are the facts of one record.
type facts []fact

// f returns the fact that the sources with the given titles give value for
// field.
func f(field, value string, sources ...string) fact {
	return fact{Field: field, Value: value, Sources: sources}
}

// prose returns the fact that the prose field field states what the sources
// with the given titles give.
func prose(field string, sources ...string) fact {
	return fact{Field: field, Sources: sources}
}

// titles returns the titles of sources.
func titles(sources ...content.Source) []string {
	out := make([]string, len(sources))
	for i, s := range sources {
		out[i] = s.Title
	}
	return out
}

// The titles of the sources, for the fact lists.
var (
	ict21    = srcICTHealth2021().Title
	cicWeek  = srcCICSpotlights().Title
	cicBaton = srcCICBaton().Title
	denk23   = srcDenktank2023().Title
	ict24    = srcICTHealth2024().Title
)

// allFacts returns the facts of every seed record by record kind and id
// ("organization/zonmw"), for tests and reviews.
func allFacts() map[string]facts {
	out := map[string]facts{}
	for _, m := range []map[string]facts{regionFacts(), organizationFacts(), themeFacts(), editionFacts(), initiativeFacts(), activityFacts(), recapFacts()} {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}
