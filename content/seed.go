package content

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// SeedActor is who the audit log and the change events name for the writes
// of Catalog.Seed.
const SeedActor = "seed"

// SeedOptions change what Catalog.Seed does.
type SeedOptions struct {
	// ResetEdited puts records that someone else changed since the seed
	// wrote them back to the seed's content too, as a new version (for
	// demos). Deleted records stay deleted even so.
	ResetEdited bool
}

// SeedReport says what Catalog.Seed did. Edited and Deleted name the
// records it left alone, as "kind/id".
type SeedReport struct {
	Created   int // records that did not exist
	Updated   int // records the seed owned whose seed content changed
	Unchanged int // records that hold the seed content already
	// Edited are records someone else wrote since the seed did: kept.
	Edited []string
	// Deleted are records someone deleted (or purged): not brought back.
	Deleted []string
}

// Seed writes records that a seed owns (fixed ids, such as the real
// content of package seed) without ever undoing someone else's work:
//
//   - a record that does not exist is created, with the version and times
//     it carries (unless the audit log says it was purged: a record
//     someone deleted is not brought back);
//   - a record that was deleted (and can still be restored) is left alone;
//   - a record that holds the seed's content already is left alone;
//   - a record whose seed content changed is updated, as the next version,
//     only while the seed owns it: the latest audit entry of the record is
//     the seed's (SeedActor) and its content is still what the seed wrote
//     (Meta.SeedHash). A record stored before the seed wrote through the
//     catalog (version 1, no audit entry, no hash) counts as the seed's.
//     Any other record was edited, and is kept as it is (ResetEdited puts
//     it back anyway).
//
// Versions never go down. Every write has its audit entry (actor
// SeedActor) and the outbox documents of any write, and all of them are
// applied in one Apply (all or nothing where the store has transactions);
// a record changed by someone else in the meantime makes it fail with
// ECONFLICT, and running Seed again then leaves that record alone. The
// records are not validated: the seed's own tests check them. Records are
// changed (SeedHash set); pass records that are not used elsewhere.
func (c *Catalog) Seed(ctx context.Context, records []Record, opts SeedOptions) (*SeedReport, error) {
	ctx = WithViewer(ctx, Viewer{Actor: SeedActor, Role: RoleAdmin, Drafts: true})
	rep := &SeedReport{Edited: []string{}, Deleted: []string{}}
	stored, err := c.storedByID(ctx, records)
	if err != nil {
		return nil, err
	}
	purged, err := c.purged(ctx)
	if err != nil {
		return nil, err
	}
	now := c.now().UTC().Truncate(time.Millisecond)
	var befores, nexts []Record
	for _, r := range records {
		m := r.meta()
		m.SeedHash = ""
		hash, err := ContentHash(r)
		if err != nil {
			return nil, err
		}
		m.SeedHash = hash
		name := string(r.RecordKind()) + "/" + m.ID
		cur := stored[name]
		switch {
		case cur == nil && purged[name]:
			rep.Deleted = append(rep.Deleted, name)
			continue
		case cur == nil:
			rep.Created++
			befores, nexts = append(befores, nil), append(nexts, r)
			continue
		case cur.meta().DeletedAt != nil:
			rep.Deleted = append(rep.Deleted, name)
			continue
		}
		curHash, err := ContentHash(cur)
		if err != nil {
			return nil, err
		}
		if curHash == hash {
			rep.Unchanged++
			continue
		}
		owned, err := c.seedOwns(ctx, cur, curHash)
		if err != nil {
			return nil, err
		}
		if !owned && !opts.ResetEdited {
			rep.Edited = append(rep.Edited, name)
			continue
		}
		cm := cur.meta()
		m.CreatedAt, m.Version, m.UpdatedAt = cm.CreatedAt, cm.Version+1, now
		rep.Updated++
		befores, nexts = append(befores, cur), append(nexts, r)
	}
	if len(nexts) == 0 {
		return rep, nil
	}
	docs, err := c.Encode(ctx, nexts...) // organisations of the batch lend their kinds
	if err != nil {
		return nil, err
	}
	writes := make([]Write, len(nexts))
	for i, next := range nexts {
		action, expect := ActionCreate, ""
		if befores[i] != nil {
			action, expect = ActionUpdate, VersionKey(befores[i].meta().Version)
		}
		also, err := c.recordDocs(ctx, action, befores[i], next, docs[i], "")
		if err != nil {
			return nil, err
		}
		writes[i] = Write{Doc: docs[i], Expect: expect, Also: also}
	}
	if err := c.store.Apply(ctx, writes...); err != nil {
		return nil, err
	}
	for i, next := range nexts {
		if o, ok := next.(*Organization); ok && orgIndexChanged(befores[i], o) {
			if _, err := c.ReindexOrganization(ctx, o.ID); err != nil {
				return rep, fmt.Errorf("the seed is stored, but activities could not be re-indexed (run estafette reindex): %w", err)
			}
		}
	}
	return rep, nil
}

// storedByID returns the stored state of records (deleted ones included),
// by "kind/id".
func (c *Catalog) storedByID(ctx context.Context, records []Record) (map[string]Record, error) {
	ids := map[Kind][]string{}
	var kinds []Kind
	for _, r := range records {
		k := r.RecordKind()
		if ids[k] == nil {
			kinds = append(kinds, k)
		}
		ids[k] = append(ids[k], r.meta().ID)
	}
	out := map[string]Record{}
	for _, k := range kinds {
		docs, err := c.store.Get(ctx, k, ids[k])
		if err != nil {
			return nil, err
		}
		for id, d := range docs {
			r, err := Decode(d)
			if err != nil {
				return nil, err
			}
			out[string(k)+"/"+id] = r
		}
	}
	return out, nil
}

// purged returns the records the audit log says were purged, by "kind/id".
func (c *Catalog) purged(ctx context.Context) (map[string]bool, error) {
	docs, err := c.store.Find(ctx, Query{Kind: KindAudit, Where: Eq("action", ActionPurge), Sort: []SortKey{{Field: "at"}, {Field: "id"}}})
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, d := range docs {
		var e AuditEntry
		if err := json.Unmarshal(d.Body, &e); err != nil {
			return nil, err
		}
		out[string(e.RecordKind)+"/"+e.RecordID] = true
	}
	return out, nil
}

// seedOwns reports whether the seed is the last writer of cur, whose
// content hash is hash (see Seed).
func (c *Catalog) seedOwns(ctx context.Context, cur Record, hash string) (bool, error) {
	m := cur.meta()
	docs, err := c.store.Find(ctx, Query{Kind: KindAudit,
		Where: And(Eq("recordKind", string(cur.RecordKind())), Eq("recordId", m.ID)),
		Sort:  []SortKey{{Field: "at", Desc: true}, {Field: "id", Desc: true}}, Limit: 1})
	if err != nil {
		return false, err
	}
	if len(docs) == 0 {
		// Stored without the catalog's write path, as the seed did before
		// it wrote through it; nobody wrote it since.
		return m.Version == 1 && m.SeedHash == "", nil
	}
	var last AuditEntry
	if err := json.Unmarshal(docs[0].Body, &last); err != nil {
		return false, err
	}
	return last.Actor == SeedActor && m.SeedHash == hash, nil
}

// ContentHash returns a hash of the content of a record: everything but
// its version, its times and its SeedHash, with "none" written any way
// (null, empty list, empty text) counting the same. Two versions of a
// record with the same content have the same hash.
func ContentHash(r Record) (string, error) {
	cp, err := cloneRecord(r)
	if err != nil {
		return "", err
	}
	m := cp.meta()
	m.Version, m.CreatedAt, m.UpdatedAt, m.SeedHash = 0, time.Time{}, time.Time{}, ""
	b, err := json.Marshal(cp)
	if err != nil {
		return "", err
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return "", err
	}
	b, err = json.Marshal(withoutEmpty(v))
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16]), nil
}
