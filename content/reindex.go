package content

import (
	"context"
	"fmt"
	"slices"
)

// Denormalised index values.
//
// Some index values of a record come from other records. Today there is
// one: the "orgKinds" of an activity, the kinds of its organisers (or None
// when no organiser lends one), so that statistics can count activities per
// kind of organisation in the store (one GROUP BY or $group, no join). Only published organisations that are
// not deleted lend their kind: counts never reveal a draft.
//
// Every writer must therefore encode records with Catalog.Encode (Save
// does), not with the package function Encode, which knows no other
// record. When an organisation's kind, status or deletion changes, the
// activities it organises must be re-encoded: call ReindexOrganization
// after the organisation is stored. Until that has run (or when it fails
// half-way) those activities are counted under the organisation's old kind;
// the listings, filters and the organisation itself are already right, and
// running it again, or Reindex, repairs the counts.

// Encode turns records into the documents a backend stores, like the
// package function Encode, and adds the denormalised index values: the
// organiser kinds of each activity. Organisations among records take
// precedence over the stored ones, so an organisation and its activities
// can be saved in one call. Returns EINTERNAL when the store fails.
func (c *Catalog) Encode(ctx context.Context, records ...Record) ([]Doc, error) {
	batch := map[string]*Organization{}
	for _, r := range records {
		if o, ok := r.(*Organization); ok {
			batch[o.ID] = o
		}
	}
	var need []string
	for _, r := range records {
		if a, ok := r.(*Activity); ok {
			for _, id := range a.OrganizerIDs {
				if _, ok := batch[id]; !ok {
					need = append(need, id)
				}
			}
		}
	}
	kinds := map[string]string{}
	if len(need) > 0 {
		slices.Sort(need)
		docs, err := c.store.Get(ctx, KindOrganization, slices.Compact(need))
		if err != nil {
			return nil, err
		}
		for id, d := range docs {
			o, err := decode[Organization](d)
			if err != nil {
				return nil, err
			}
			if k := lentKind(o); k != "" {
				kinds[id] = k
			}
		}
	}
	for id, o := range batch {
		kinds[id] = lentKind(o)
	}
	out := make([]Doc, len(records))
	for i, r := range records {
		d, err := Encode(r)
		if err != nil {
			return nil, err
		}
		if a, ok := r.(*Activity); ok {
			var ks []string
			for _, id := range a.OrganizerIDs {
				if k := kinds[id]; k != "" {
					ks = append(ks, k)
				}
			}
			slices.Sort(ks)
			d.Fields["orgKinds"] = orNone(slices.Compact(ks))
		}
		out[i] = d
	}
	return out, nil
}

// lentKind is the kind an organisation lends to the activities it
// organises: its kind when it is published and not deleted, else "".
func lentKind(o *Organization) string {
	if o == nil || o.Kind == nil || o.Status != StatusPublished || o.DeletedAt != nil {
		return ""
	}
	return string(*o.Kind)
}

// recordKinds are the kinds Reindex can re-encode.
var recordKinds = []Kind{KindEdition, KindRegion, KindInitiative, KindActivity, KindOrganization, KindTheme, KindRecap}

// reindexBatch is the number of documents Reindex reads and writes at a time.
const reindexBatch = 500

// ReindexOrganization re-encodes the activities organised by the
// organisation with id (drafts and deleted ones included), so that their
// organiser kinds follow the organisation's current kind, status and
// deletion. Call it after storing a change of any of those. It returns the
// number of activities rewritten. Each activity is written only if it was
// not changed in the meantime; one that was is skipped, since its writer
// encoded it with the current kinds. Returns EINTERNAL when the store fails.
func (c *Catalog) ReindexOrganization(ctx context.Context, id string) (int, error) {
	return c.reindex(ctx, KindActivity, Eq("organizers", id), nil)
}

// Reindex re-encodes every document of kind (drafts and deleted ones
// included), so that index values added or changed since the documents were
// written are filled in: after an upgrade that adds an index field, run
// "estafette reindex". It reads and writes reindexBatch documents at a
// time, in id order, so memory stays small; progress, when not nil, is
// called after each batch with the number done. Documents changed in the
// meantime are skipped, as in ReindexOrganization. It returns the number
// of documents rewritten.
func (c *Catalog) Reindex(ctx context.Context, kind Kind, progress func(done int)) (int, error) {
	if !slices.Contains(recordKinds, kind) {
		return 0, Invalidf("kind", "%q is not a kind of content record", kind)
	}
	return c.reindex(ctx, kind, nil, progress)
}

func (c *Catalog) reindex(ctx context.Context, kind Kind, where *Cond, progress func(int)) (int, error) {
	done, last := 0, ""
	for {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		w := where
		if last != "" {
			w = And(w, Gt("id", last))
		}
		docs, err := c.store.Find(ctx, Query{Kind: kind, Where: w, Sort: []SortKey{{Field: "id"}}, Limit: reindexBatch})
		if err != nil {
			return done, err
		}
		if len(docs) == 0 {
			return done, nil
		}
		last = docs[len(docs)-1].ID
		records := make([]Record, len(docs))
		for i, d := range docs {
			r, err := Decode(d)
			if err != nil {
				return done, err
			}
			records[i] = r
		}
		fresh, err := c.Encode(ctx, records...)
		if err != nil {
			return done, err
		}
		writes := make([]Write, len(fresh))
		for i, d := range fresh {
			writes[i] = Write{Doc: d, Expect: first(docs[i].Fields["version"])}
		}
		n, err := c.applyEach(ctx, writes)
		done += n
		if err != nil {
			return done, err
		}
		if progress != nil {
			progress(done)
		}
	}
}

// applyEach applies writes in one call and, when that conflicts because a
// document changed in the meantime, one by one, skipping the conflicts. It
// returns the number of documents written.
func (c *Catalog) applyEach(ctx context.Context, writes []Write) (int, error) {
	err := c.store.Apply(ctx, writes...)
	if err == nil {
		return len(writes), nil
	}
	if ErrorCode(err) != ECONFLICT {
		return 0, err
	}
	n := 0
	for _, w := range writes {
		switch err := c.store.Apply(ctx, w); {
		case err == nil:
			n++
		case ErrorCode(err) == ECONFLICT:
		default:
			return n, fmt.Errorf("reindex %s %s: %w", w.Doc.Kind, w.Doc.ID, err)
		}
	}
	return n, nil
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}
