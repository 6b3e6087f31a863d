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
	if err := ViewerFrom(ctx).Require(RoleEditor, "importing content"); err != nil {
		return nil, err
	}
	run := &importRun{c: c, rep: &ImportReport{Problems: []ImportProblem{}}, bySlug: map[Kind]map[string]*importEntry{}}
	if err := run.match(ctx, items); err != nil {
		return nil, err
	}
	if err := run.check(ctx, opts.Progress); err != nil {
		return nil, err
	}
	if len(run.rep.Problems) > 0 {
		return run.rep, nil
	}
	writes, err := run.writes(ctx)
	if err != nil {
		return nil, err
	}
	if opts.DryRun {
		return run.rep, nil
	}
	if err := c.store.Apply(ctx, writes...); err != nil {
		return nil, err
	}
	if err := run.reindex(ctx); err != nil {
		return nil, err
	}
	run.rep.Applied = true
	return run.rep, nil
}

// importEntry is one record of an import: as the file gives it, as the
// store has it (nil for a new one) and as it will be written.
type importEntry struct {
	item    ImportItem
	current Record
	next    Record
}

// importRun is the state of one Import, through its phases: match the
// records of the file against the store, check them (references,
// validation), build the writes, apply them and re-index.
type importRun struct {
	c       *Catalog
	rep     *ImportReport
	entries []*importEntry
	bySlug  map[Kind]map[string]*importEntry // the records of the file by kind and slug
	pending map[Kind]map[string]Record       // the records of the file by kind and id, as validation sees them
	now     time.Time                        // of created and updated records
}

// bad adds a problem to the report.
func (r *importRun) bad(where, field, format string, args ...any) {
	r.rep.Problems = append(r.rep.Problems, ImportProblem{Where: where, Field: field, Message: fmt.Sprintf(format, args...)})
}

// match finds the current state of every record of the file by kind and
// slug and gives each its id: the existing record's or a new one. Empty,
// non-content, slugless, duplicate and deleted records are problems.
func (r *importRun) match(ctx context.Context, items []ImportItem) error {
	r.entries = make([]*importEntry, 0, len(items))
	for _, it := range items {
		if err := r.matchItem(ctx, it); err != nil {
			return err
		}
	}
	return nil
}

// matchItem matches one record of the file (see match).
func (r *importRun) matchItem(ctx context.Context, it ImportItem) error {
	if it.Record == nil {
		r.bad(it.Where, "", "the record is empty")
		return nil
	}
	kind, m := it.Record.RecordKind(), it.Record.meta()
	if !IsContentKind(kind) {
		r.bad(it.Where, "", "%s records cannot be imported", kind)
		return nil
	}
	key := importKey(it.Record)
	if key == "" {
		r.bad(it.Where, "slug", "a slug is required")
		return nil
	}
	if r.bySlug[kind] == nil {
		r.bySlug[kind] = map[string]*importEntry{}
	}
	if prev, dup := r.bySlug[kind][key]; dup {
		r.bad(it.Where, "slug", "the %s %q is also in the file at %s", kind, key, prev.item.Where)
		return nil
	}
	cur, err := r.c.importCurrent(ctx, kind, key)
	if err != nil {
		return err
	}
	if cur != nil && cur.meta().DeletedAt != nil {
		r.bad(it.Where, "slug", "the %s %q was deleted; an admin can restore it before it is imported again", kind, key)
		return nil
	}
	m.ID = NewID()
	if cur != nil {
		m.ID = cur.meta().ID
	}
	e := &importEntry{item: it, current: cur}
	r.bySlug[kind][key] = e
	r.entries = append(r.entries, e)
	return nil
}

// check resolves the references of every record (to other records of the
// file first, then to the store), merges partial records into their
// current state and validates them, reporting progress.
func (r *importRun) check(ctx context.Context, progress func(done, total int)) error {
	r.pending = map[Kind]map[string]Record{}
	for _, e := range r.entries {
		k := e.item.Record.RecordKind()
		if r.pending[k] == nil {
			r.pending[k] = map[string]Record{}
		}
		r.pending[k][e.item.Record.meta().ID] = e.item.Record
	}
	r.now = r.c.now().UTC().Truncate(time.Millisecond)
	for i, e := range r.entries {
		if progress != nil {
			progress(i, len(r.entries))
		}
		if err := r.checkEntry(ctx, e); err != nil {
			return err
		}
	}
	if progress != nil {
		progress(len(r.entries), len(r.entries))
	}
	return nil
}

// checkEntry checks one record (see check) and sets its next state when
// it has no problems. Only failures of the store are errors.
func (r *importRun) checkEntry(ctx context.Context, e *importEntry) error {
	rec := e.item.Record
	// Every problem of the record is reported: those of its references,
	// and then those validation finds in the rest.
	refs, err := resolveImportRefs(rec, r.lookup(ctx))
	if err != nil {
		return err
	}
	reported := map[string]bool{}
	for _, p := range refs {
		r.bad(e.item.Where, p.Field, "%s", p.Message)
		reported[p.Field] = true
		reported[strings.SplitN(p.Field, "[", 2)[0]] = true
	}
	if e.current != nil && e.item.Fields != nil {
		merged, err := mergeFields(e.current, rec, e.item.Fields)
		if err != nil {
			return err
		}
		rec = merged
		r.pending[rec.RecordKind()][rec.meta().ID] = rec
	}
	r.stamp(e, rec)
	normalize(rec)
	if err := r.c.validate(ctx, rec, r.pending); err != nil {
		var ps Problems
		if !errors.As(err, &ps) {
			return err
		}
		for _, p := range ps {
			if !reported[p.Field] { // a reference left out, reported above
				r.bad(e.item.Where, p.Field, "%s", p.Message)
			}
		}
		return nil
	}
	if len(refs) > 0 {
		return nil
	}
	e.next = rec
	return nil
}

// stamp gives rec the status (draft when the file gives none), version
// and times of its entry: those of the current record, or version 1
// created now.
func (r *importRun) stamp(e *importEntry, rec Record) {
	m := rec.meta()
	if m.Status == "" {
		m.Status = StatusDraft
	}
	if e.current != nil {
		cm := e.current.meta()
		m.Version, m.CreatedAt, m.UpdatedAt = cm.Version, cm.CreatedAt, cm.UpdatedAt
	} else {
		m.Version, m.CreatedAt, m.UpdatedAt = 1, r.now, r.now
	}
}

// lookup returns the function that resolves a reference by slug (editions
// by year) to an id: a record of the file, else one of the store, else ""
// (resolveImportRefs reports it).
func (r *importRun) lookup(ctx context.Context) func(kind Kind, key string) (string, error) {
	return func(kind Kind, key string) (string, error) {
		if e, ok := r.bySlug[kind][key]; ok {
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
		id, err := r.c.idBy(ctx, kind, field, value, "", "")
		if ErrorCode(err) == EINVALID {
			return "", nil // not found: resolveImportRefs says so
		}
		return id, err
	}
}

// writes returns the guarded writes of the records that are new or
// changed, each with its audit entry and outbox documents, and counts
// them in the report.
func (r *importRun) writes(ctx context.Context) ([]Write, error) {
	var writes []Write
	for _, e := range r.entries {
		w, changed, err := r.write(ctx, e)
		if err != nil {
			return nil, err
		}
		if changed {
			writes = append(writes, w)
		}
	}
	return writes, nil
}

// write returns the write of one record, and false for a record that did
// not change.
func (r *importRun) write(ctx context.Context, e *importEntry) (Write, bool, error) {
	var before Record
	expect := ""
	if e.current != nil {
		same, err := sameContent(e.current, e.next)
		if err != nil || same {
			if same {
				r.rep.Unchanged++
			}
			return Write{}, false, err
		}
		before, expect = e.current, VersionKey(e.current.meta().Version)
		m := e.next.meta()
		m.Version, m.UpdatedAt = e.current.meta().Version+1, r.now
		r.rep.Updated++
	} else {
		r.rep.Created++
	}
	encoded, err := r.c.Encode(ctx, e.next)
	if err != nil {
		return Write{}, false, err
	}
	also, err := r.c.recordDocs(ctx, ActionImport, before, e.next, encoded[0], "")
	if err != nil {
		return Write{}, false, err
	}
	return Write{Doc: encoded[0], Expect: expect, Also: also}, true, nil
}

// reindex re-indexes the activities of the imported organisations whose
// indexed fields changed.
func (r *importRun) reindex(ctx context.Context) error {
	for _, e := range r.entries {
		if o, ok := e.next.(*Organization); ok && orgIndexChanged(e.current, o) {
			if _, err := r.c.ReindexOrganization(ctx, o.ID); err != nil {
				return fmt.Errorf("the import is stored, but activities could not be re-indexed (run estafette reindex): %w", err)
			}
		}
	}
	return nil
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

// resolveImportRefs replaces the slugs in r's reference fields by ids. It
// returns every reference that names no record, as problems (field and
// message), and leaves such a reference out of r (an empty single
// reference, a list without it), so that validation can still check the
// rest of the record. The error is for a store that fails.
func resolveImportRefs(r Record, lookup func(Kind, string) (string, error)) ([]*Error, error) {
	var bad []*Error
	var failed error
	one := func(field string, kind Kind, v *string) bool {
		if *v == "" || failed != nil {
			return true
		}
		id, err := lookup(kind, *v)
		if err != nil {
			failed = err
			return true
		}
		if id == "" {
			bad = append(bad, Invalidf(field, "there is no %s %q", kind, *v))
			*v = ""
			return false
		}
		*v = id
		return true
	}
	many := func(field string, kind Kind, vs *[]string) {
		kept := (*vs)[:0]
		for i, v := range *vs {
			if one(fmt.Sprintf("%s[%d]", field, i), kind, &v) {
				kept = append(kept, v)
			}
		}
		if *vs != nil {
			*vs = kept
		}
	}
	switch x := r.(type) {
	case *Activity:
		one("edition", KindEdition, &x.EditionID)
		one("region", KindRegion, &x.RegionID)
		one("initiative", KindInitiative, &x.InitiativeID)
		many("organizers", KindOrganization, &x.OrganizerIDs)
		many("themes", KindTheme, &x.ThemeIDs)
		if x.Venue != nil {
			one("venue.organization", KindOrganization, &x.Venue.OrganizationID)
		}
	case *Initiative:
		many("organizations", KindOrganization, &x.OrganizationIDs)
		many("editions", KindEdition, &x.EditionIDs)
		many("regions", KindRegion, &x.RegionIDs)
		many("themes", KindTheme, &x.ThemeIDs)
	case *Recap:
		one("edition", KindEdition, &x.EditionID)
		many("initiatives", KindInitiative, &x.InitiativeIDs)
		many("regions", KindRegion, &x.RegionIDs)
	case *Edition:
		one("commissionedBy", KindOrganization, &x.CommissionedByID)
		one("organizedBy", KindOrganization, &x.OrganizedByID)
		for i, l := range x.Legs {
			f := fmt.Sprintf("legs[%d]", i)
			one(f+".region", KindRegion, &l.RegionID)
			many(f+".organizers", KindOrganization, &l.OrganizerIDs)
			many(f+".themes", KindTheme, &l.ThemeIDs)
		}
	}
	return bad, failed
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
