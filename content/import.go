package content

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ImportItem is one record of an import file as a format reader made it.
// Its reference fields hold slugs instead of ids (editions: the year, such
// as "2023"); Import resolves them against the store and against the other
// records of the same import. Where says where the record stands in the
// file ("line 3", "[2]") for the report.
type ImportItem struct {
	Where  string
	Record Record
	// Fields are the JSON paths of the record ("title.nl", "venue.city")
	// the file gives. An existing record changes in those only, so that an
	// export, which leaves some fields out (sources, legs), can be imported
	// back without losing them. Nil means the record is given whole.
	Fields []string
}

// ImportProblem is one thing wrong with a record of an import.
type ImportProblem struct {
	Where   string `json:"where"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// ImportOptions change how Import runs.
type ImportOptions struct {
	// DryRun checks every record and reports, but writes nothing.
	DryRun bool
	// Progress, when not nil, is called as records are checked.
	Progress func(done, total int)
}

// ImportReport says what an import did, or, when it found problems, every
// problem of every record and that nothing was written.
type ImportReport struct {
	Applied   bool            `json:"applied"`
	Created   int             `json:"created"`
	Updated   int             `json:"updated"`
	Unchanged int             `json:"unchanged"`
	Problems  []ImportProblem `json:"problems"`
}

// Import validates every record first and writes nothing if any is bad;
// otherwise it writes them all at once, each with an audit entry. Records
// are matched by slug (editions by year): a known slug updates the record
// (a record that did not change is left alone), an unknown one creates it,
// so running the same import twice changes nothing the second time. It
// needs the editor role.
func (c *Catalog) Import(ctx context.Context, items []ImportItem, opts ImportOptions) (*ImportReport, error) {
	progress := opts.Progress
	if err := ViewerFrom(ctx).Require(RoleEditor, "importing content"); err != nil {
		return nil, err
	}
	rep := &ImportReport{Problems: []ImportProblem{}}
	bad := func(where, field, format string, args ...any) {
		rep.Problems = append(rep.Problems, ImportProblem{Where: where, Field: field, Message: fmt.Sprintf(format, args...)})
	}

	// The records of the file, by kind and slug, with the current state of
	// those that exist already.
	type entry struct {
		item    ImportItem
		current Record
		next    Record
	}
	entries := make([]*entry, 0, len(items))
	bySlug := map[Kind]map[string]*entry{}
	for _, it := range items {
		if it.Record == nil {
			bad(it.Where, "", "the record is empty")
			continue
		}
		kind, m := it.Record.RecordKind(), it.Record.meta()
		if !IsContentKind(kind) {
			bad(it.Where, "", "%s records cannot be imported", kind)
			continue
		}
		key := importKey(it.Record)
		if key == "" {
			bad(it.Where, "slug", "a slug is required")
			continue
		}
		if bySlug[kind] == nil {
			bySlug[kind] = map[string]*entry{}
		}
		if prev, dup := bySlug[kind][key]; dup {
			bad(it.Where, "slug", "the %s %q is also in the file at %s", kind, key, prev.item.Where)
			continue
		}
		e := &entry{item: it}
		cur, err := c.importCurrent(ctx, kind, key)
		if err != nil {
			return nil, err
		}
		if cur != nil && cur.meta().DeletedAt != nil {
			bad(it.Where, "slug", "the %s %q was deleted; an admin can restore it before it is imported again", kind, key)
			continue
		}
		e.current = cur
		id := NewID()
		if cur != nil {
			id = cur.meta().ID
		}
		m.ID = id
		bySlug[kind][key] = e
		entries = append(entries, e)
	}

	// Resolve references: other records of the file first, then the store.
	pending := map[Kind]map[string]Record{}
	for _, e := range entries {
		k := e.item.Record.RecordKind()
		if pending[k] == nil {
			pending[k] = map[string]Record{}
		}
		pending[k][e.item.Record.meta().ID] = e.item.Record
	}
	lookup := func(kind Kind, key string) (string, error) {
		if e, ok := bySlug[kind][key]; ok {
			return e.item.Record.meta().ID, nil
		}
		field, value := "slug", key
		if kind == KindEdition {
			y, err := strconv.Atoi(key)
			if err != nil {
				return "", nil
			}
			field, value = "year", yearKey(y)
		}
		id, err := c.idBy(ctx, kind, field, value, "", "")
		if ErrorCode(err) == EINVALID {
			return "", nil // not found: resolveImportRefs says so
		}
		return id, err
	}
	now := c.now().UTC().Truncate(time.Millisecond)
	for i, e := range entries {
		if progress != nil {
			progress(i, len(entries))
		}
		r := e.item.Record
		if err := resolveImportRefs(r, lookup); err != nil {
			var ie *Error
			if !errors.As(err, &ie) {
				return nil, err
			}
			bad(e.item.Where, ie.Field, "%s", ie.Message)
			continue
		}
		if e.current != nil && e.item.Fields != nil {
			merged, err := mergeFields(e.current, r, e.item.Fields)
			if err != nil {
				return nil, err
			}
			r = merged
			pending[r.RecordKind()][r.meta().ID] = r
		}
		m := r.meta()
		if m.Status == "" {
			m.Status = StatusDraft
		}
		if e.current != nil {
			cm := e.current.meta()
			m.Version, m.CreatedAt, m.UpdatedAt = cm.Version, cm.CreatedAt, cm.UpdatedAt
		} else {
			m.Version, m.CreatedAt, m.UpdatedAt = 1, now, now
		}
		normalize(r)
		if err := c.validate(ctx, r, pending); err != nil {
			var ps Problems
			if !errors.As(err, &ps) {
				return nil, err
			}
			for _, p := range ps {
				bad(e.item.Where, p.Field, "%s", p.Message)
			}
			continue
		}
		e.next = r
	}
	if progress != nil {
		progress(len(entries), len(entries))
	}
	if len(rep.Problems) > 0 {
		return rep, nil
	}

	var writes []Write
	for _, e := range entries {
		var before Record
		expect := ""
		if e.current != nil {
			same, err := sameContent(e.current, e.next)
			if err != nil {
				return nil, err
			}
			if same {
				rep.Unchanged++
				continue
			}
			before, expect = e.current, VersionKey(e.current.meta().Version)
			m := e.next.meta()
			m.Version, m.UpdatedAt = e.current.meta().Version+1, now
			rep.Updated++
		} else {
			rep.Created++
		}
		encoded, err := c.Encode(ctx, e.next)
		if err != nil {
			return nil, err
		}
		doc := encoded[0]
		audit, err := c.auditDoc(ctx, ActionImport, before, e.next)
		if err != nil {
			return nil, err
		}
		also, err := c.changeDocs(ctx, ActionImport, before, e.next)
		if err != nil {
			return nil, err
		}
		writes = append(writes, Write{Doc: doc, Expect: expect, Also: append([]Doc{audit}, also...)})
	}
	if opts.DryRun {
		return rep, nil
	}
	if err := c.store.Apply(ctx, writes...); err != nil {
		return nil, err
	}
	for _, e := range entries {
		if o, ok := e.next.(*Organization); ok && orgIndexChanged(e.current, o) {
			if _, err := c.ReindexOrganization(ctx, o.ID); err != nil {
				return nil, fmt.Errorf("the import is stored, but activities could not be re-indexed (run estafette reindex): %w", err)
			}
		}
	}
	rep.Applied = true
	return rep, nil
}

// mergeFields returns current with the given fields (JSON paths) taken from
// imported: set where imported has a value, removed where it has none.
func mergeFields(current, imported Record, fields []string) (Record, error) {
	var cur, imp map[string]any
	for _, x := range []struct {
		r   Record
		dst *map[string]any
	}{{current, &cur}, {imported, &imp}} {
		b, err := json.Marshal(x.r)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, x.dst); err != nil {
			return nil, err
		}
	}
	for _, path := range fields {
		keys := strings.Split(path, ".")
		src, dst := imp, cur
		for _, k := range keys[:len(keys)-1] {
			s, _ := src[k].(map[string]any)
			d, ok := dst[k].(map[string]any)
			if !ok {
				d = map[string]any{}
				dst[k] = d
			}
			src, dst = s, d
		}
		last := keys[len(keys)-1]
		if v, ok := src[last]; ok {
			dst[last] = v
		} else {
			delete(dst, last)
		}
		if len(keys) > 1 && len(dst) == 0 {
			delete(cur, keys[0]) // an emptied venue is no venue
		}
	}
	b, err := json.Marshal(cur)
	if err != nil {
		return nil, err
	}
	return Decode(Doc{Kind: current.RecordKind(), ID: current.meta().ID, Body: b})
}

// importKey is what an import matches a record by: its slug, or an
// edition's year.
func importKey(r Record) string {
	if e, ok := r.(*Edition); ok && e.Year != 0 {
		return strconv.Itoa(e.Year)
	}
	return r.meta().Slug
}

// importCurrent returns the stored record of kind with the key, deleted or
// not, or nil.
func (c *Catalog) importCurrent(ctx context.Context, kind Kind, key string) (Record, error) {
	field, value := "slug", key
	if kind == KindEdition {
		y, err := strconv.Atoi(key)
		if err != nil {
			return nil, nil
		}
		field, value = "year", yearKey(y)
	}
	docs, err := c.store.Find(ctx, Query{Kind: kind, Where: Eq(field, value), Sort: []SortKey{{Field: "id"}}, Limit: 1})
	if err != nil || len(docs) == 0 {
		return nil, err
	}
	return Decode(docs[0])
}

// resolveImportRefs replaces the slugs in r's reference fields by ids.
func resolveImportRefs(r Record, lookup func(Kind, string) (string, error)) error {
	one := func(field string, kind Kind, v *string) error {
		if *v == "" {
			return nil
		}
		id, err := lookup(kind, *v)
		if err != nil {
			return err
		}
		if id == "" {
			return Invalidf(field, "there is no %s %q", kind, *v)
		}
		*v = id
		return nil
	}
	many := func(field string, kind Kind, vs []string) error {
		for i := range vs {
			if err := one(fmt.Sprintf("%s[%d]", field, i), kind, &vs[i]); err != nil {
				return err
			}
		}
		return nil
	}
	var errs []error
	switch x := r.(type) {
	case *Activity:
		errs = append(errs, one("edition", KindEdition, &x.EditionID), one("region", KindRegion, &x.RegionID),
			one("initiative", KindInitiative, &x.InitiativeID), many("organizers", KindOrganization, x.OrganizerIDs),
			many("themes", KindTheme, x.ThemeIDs))
		if x.Venue != nil {
			errs = append(errs, one("venue.organization", KindOrganization, &x.Venue.OrganizationID))
		}
	case *Initiative:
		errs = append(errs, many("organizations", KindOrganization, x.OrganizationIDs), many("editions", KindEdition, x.EditionIDs),
			many("regions", KindRegion, x.RegionIDs), many("themes", KindTheme, x.ThemeIDs))
	case *Recap:
		errs = append(errs, one("edition", KindEdition, &x.EditionID), many("initiatives", KindInitiative, x.InitiativeIDs),
			many("regions", KindRegion, x.RegionIDs))
	case *Edition:
		errs = append(errs, one("commissionedBy", KindOrganization, &x.CommissionedByID), one("organizedBy", KindOrganization, &x.OrganizedByID))
		for i, l := range x.Legs {
			f := fmt.Sprintf("legs[%d]", i)
			errs = append(errs, one(f+".region", KindRegion, &l.RegionID), many(f+".organizers", KindOrganization, l.OrganizerIDs),
				many(f+".themes", KindTheme, l.ThemeIDs))
		}
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// sameContent reports whether two versions of a record hold the same
// content, leaving versions and timestamps aside.
func sameContent(a, b Record) (bool, error) {
	ca, err := cloneRecord(a)
	if err != nil {
		return false, err
	}
	cb, err := cloneRecord(b)
	if err != nil {
		return false, err
	}
	for _, m := range []*Meta{ca.meta(), cb.meta()} {
		m.Version, m.CreatedAt, m.UpdatedAt = 0, time.Time{}, time.Time{}
	}
	var ma, mb any
	for _, x := range []struct {
		r   Record
		dst *any
	}{{ca, &ma}, {cb, &mb}} {
		b, err := json.Marshal(x.r)
		if err != nil {
			return false, err
		}
		if err := json.Unmarshal(b, x.dst); err != nil {
			return false, err
		}
	}
	ja, _ := json.Marshal(withoutEmpty(ma))
	jb, _ := json.Marshal(withoutEmpty(mb))
	return bytes.Equal(ja, jb), nil
}

// withoutEmpty drops empty lists, empty objects and nulls, so that "none"
// compares equal however it was written.
func withoutEmpty(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if e = withoutEmpty(e); e != nil {
				out[k] = e
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case []any:
		if len(x) == 0 {
			return nil
		}
		for i, e := range x {
			x[i] = withoutEmpty(e)
		}
	case string:
		if x == "" {
			return nil
		}
	}
	return v
}

func cloneRecord(r Record) (Record, error) {
	d, err := Encode(r)
	if err != nil {
		return nil, err
	}
	return Decode(d)
}
