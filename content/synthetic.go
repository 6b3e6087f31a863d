package content

import "context"

// syntheticBatch is the number of records RemoveSynthetic removes in one
// Apply.
const syntheticBatch = 500

// RemoveSynthetic removes for good every record marked synthetic (see
// Meta.Synthetic), of every content kind and whatever its status, with
// its revisions and slug aliases, and an audit entry (action purge, actor
// SeedActor) and change events for each. It returns how many it removed.
// Real records are never touched. A batch is all or nothing; on an error
// the batches before it stay removed, and running it again finishes the
// job.
func (c *Catalog) RemoveSynthetic(ctx context.Context) (int, error) {
	ctx = WithViewer(ctx, Viewer{Actor: SeedActor, Role: RoleAdmin, Drafts: true})
	n := 0
	// Activities first, then what they reference.
	kinds := []Kind{KindActivity, KindRecap, KindInitiative, KindEdition, KindRegion, KindOrganization, KindTheme}
	for _, kind := range kinds {
		docs, err := c.store.Find(ctx, Query{Kind: kind, Where: Eq("synthetic", syntheticKey), Sort: []SortKey{{Field: "id"}}})
		if err != nil {
			return n, err
		}
		var writes []Write
		removed := 0
		flush := func() error {
			if len(writes) == 0 {
				return nil
			}
			if err := c.store.Apply(ctx, writes...); err != nil {
				return err
			}
			n += removed
			writes, removed = writes[:0], 0
			return nil
		}
		for _, d := range docs {
			if err := ctx.Err(); err != nil {
				return n, err
			}
			r, err := Decode(d)
			if err != nil {
				return n, err
			}
			m := r.meta()
			if !m.Synthetic {
				continue // the index and the body disagree: leave it alone
			}
			audit, err := c.auditDoc(ctx, ActionPurge, r, nil)
			if err != nil {
				return n, err
			}
			also, err := c.changeDocs(ctx, ActionPurge, r, nil)
			if err != nil {
				return n, err
			}
			history, err := c.historyDeletes(ctx, kind, m.ID)
			if err != nil {
				return n, err
			}
			writes = append(writes, Write{Doc: d, Delete: true, Expect: VersionKey(m.Version), Also: append([]Doc{audit}, also...)})
			writes = append(writes, history...)
			removed++
			if removed >= syntheticBatch {
				if err := flush(); err != nil {
					return n, err
				}
			}
		}
		if err := flush(); err != nil {
			return n, err
		}
	}
	return n, nil
}
