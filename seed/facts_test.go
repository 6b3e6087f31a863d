package seed

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"estafette/content"
)

// isProse reports whether the field at path may have a prose fact (no value): texts in
// the catalogue's own words. Every other field, names and titles included,
// must have its exact value in the fact list.
func isProse(path string) bool {
	last := path[strings.LastIndex(path, ".")+1:]
	return last == "Summary" || last == "Description" || last == "Body"
}

// factProblems checks records against their fact lists: every set field
// value must be a fact of the record, every fact must name sources the
// record cites and match a value the record sets, and every source the
// record cites must give at least one of its facts.
func factProblems(records []content.Record, all map[string]facts) []string {
	var out []string
	seen := map[string]bool{}
	known := []string{ict21, cicWeek, cicBaton, denk23, ict24}
	for _, r := range records {
		m := content.MetaOf(r)
		key := fmt.Sprintf("%s/%s", r.RecordKind(), m.ID)
		seen[key] = true
		bad := func(format string, args ...any) { out = append(out, key+": "+fmt.Sprintf(format, args...)) }
		fs, ok := all[key]
		if !ok {
			bad("no fact list")
			continue
		}
		cited := map[string]bool{}
		for _, s := range m.Sources {
			cited[s.Title] = true
			if !slices.Contains(known, s.Title) {
				bad("cites %q, which is not one of the seed's sources", s.Title)
			}
		}
		used := map[string]bool{}
		matched := make([]bool, len(fs))
		for _, l := range leaves(r) {
			found := false
			for i, f := range fs {
				if f.Field != l.path {
					continue
				}
				if f.Value == l.value || (f.Value == "" && l.text != nil && isProse(l.path)) {
					found, matched[i] = true, true
				}
			}
			if !found {
				bad("%s = %q is not in the record's fact list: no source gives it", l.path, l.value)
			}
		}
		for i, f := range fs {
			if !matched[i] {
				bad("fact %s = %q matches no value the record sets", f.Field, f.Value)
			}
			if f.Value == "" && !isProse(f.Field) {
				bad("fact %s has no value, but only a summary, description or body may be prose", f.Field)
			}
			if len(f.Sources) == 0 {
				bad("fact %s = %q names no source", f.Field, f.Value)
			}
			for _, s := range f.Sources {
				if !cited[s] {
					bad("fact %s = %q comes from %q, which the record does not cite", f.Field, f.Value, s)
				}
				used[s] = true
			}
		}
		for _, s := range m.Sources {
			if !used[s.Title] {
				bad("cites %q, but none of its facts comes from it", s.Title)
			}
		}
	}
	for key := range all {
		if !seen[key] {
			out = append(out, key+": a fact list for a record the seed does not have")
		}
	}
	slices.Sort(out)
	return out
}

// TestEveryValueIsASourcedFact checks that each field value of every seed
// record is in the record's list of sourced facts (issue 14, point 2).
func TestEveryValueIsASourcedFact(t *testing.T) {
	reportProblems(t, factProblems(Content(), allFacts()))
}

// TestUnsourcedValuesFail proves that the fact-list check fails: each case
// sets, in a fresh copy of the content, a value no source gives.
func TestUnsourcedValuesFail(t *testing.T) {
	find := func(records []content.Record, kind content.Kind, id string) content.Record {
		for _, r := range records {
			if r.RecordKind() == kind && content.MetaOf(r).ID == id {
				return r
			}
		}
		t.Fatalf("no %s %s", kind, id)
		return nil
	}
	cases := map[string]func([]content.Record){
		"ZonMw as funder": func(rs []content.Record) {
			find(rs, content.KindOrganization, orgZonMw).(*content.Organization).Kind = ptr(content.OrgFunder)
		},
		"website on 2024": func(rs []content.Record) {
			find(rs, content.KindEdition, edition2024).(*content.Edition).Website = ptr(WebsiteURL)
		},
		"audience of a Tour visit": func(rs []content.Record) {
			a := find(rs, content.KindActivity, "2024-tour-de-beterdichtbij-bravis-ziekenhuis").(*content.Activity)
			a.Audiences = []content.Audience{content.AudienceCareProfessionals}
		},
		"organisers of the 2021 Zuid opening": func(rs []content.Record) {
			find(rs, content.KindActivity, "2021-zuid-opening").(*content.Activity).OrganizerIDs = []string{orgCIC, orgVWS}
		},
		"date of the 2021 closing meeting": func(rs []content.Record) {
			find(rs, content.KindActivity, "2021-landelijke-slotbijeenkomst").(*content.Activity).StartsOn = day(2021, time.February, 26)
		},
		"a changed city": func(rs []content.Record) {
			find(rs, content.KindOrganization, orgAntonius).(*content.Organization).City = ptr("Leeuwarden")
		},
		"a renamed theme": func(rs []content.Record) {
			find(rs, content.KindTheme, themeSamenLeren).(*content.Theme).Name.NL = "Samen leren"
		},
		"an extra leg theme": func(rs []content.Record) {
			e := find(rs, content.KindEdition, edition2021).(*content.Edition)
			e.Legs[0].ThemeIDs = []string{themeEHealth}
		},
		"the website cited as a source": func(rs []content.Record) {
			m := content.MetaOf(find(rs, content.KindEdition, edition2022))
			m.Sources = append(m.Sources, content.Source{Title: "Slimme Zorg Estafette", URL: ptr(WebsiteURL)})
		},
		"an organisation website": func(rs []content.Record) {
			o := find(rs, content.KindOrganization, orgCZ).(*content.Organization)
			o.Website = ptr("https://www.cz.nl/")
		},
	}
	for name, breakIt := range cases {
		t.Run(name, func(t *testing.T) {
			rs := Content()
			breakIt(rs)
			if ps := factProblems(rs, allFacts()); len(ps) == 0 {
				t.Error("the unsourced value passes the check")
			} else {
				t.Log(ps[0])
			}
		})
	}
	t.Run("a fact from a source the record does not cite", func(t *testing.T) {
		all := allFacts()
		all["organization/"+orgCZ] = append(all["organization/"+orgCZ], f("Kind", "insurer", ict24))
		if ps := factProblems(Content(), all); len(ps) == 0 {
			t.Error("a fact from an uncited source passes the check")
		}
	})
}
