package content

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// ScheduleAction is what a schedule does when it is due.
type ScheduleAction string

// The scheduled actions.
const (
	SchedulePublish   ScheduleAction = "publish"
	ScheduleUnpublish ScheduleAction = "unpublish"
)

// The audit actions of scheduling.
const (
	ActionSchedule   = "schedule"
	ActionUnschedule = "unschedule"
)

// Schedule is a publication or unpublication planned for a record. It is
// stored with the record (Meta.Schedule, indexed as scheduleKey) and
// performed by the first replica whose scheduler finds it due, as the
// person who planned it.
type Schedule struct {
	Action ScheduleAction `json:"action"`
	At     time.Time      `json:"at"`
	// By and Role are the actor and role of the editor who planned it;
	// the action is performed, and audited, as them.
	By   string `json:"by"`
	Role Role   `json:"role,omitempty"`
	// Version is the version of the record the schedule was set in: when
	// the record is at a later version when the action is due, the audit
	// entry says that the latest version was published.
	Version int64 `json:"version"`
}

// SetSchedule plans action for the record of kind with id at the time at
// (which must not be in the past), replacing any schedule it had. It is a
// write: a new version, audited as schedule, without change events (the
// content does not change). It needs the editor role.
func (c *Catalog) SetSchedule(ctx context.Context, kind Kind, id string, action ScheduleAction, at time.Time) (Record, error) {
	v := ViewerFrom(ctx)
	if err := v.Require(RoleEditor, "scheduling content"); err != nil {
		return nil, err
	}
	if action != SchedulePublish && action != ScheduleUnpublish {
		return nil, Invalidf("action", "%q is not a scheduled action (publish or unpublish)", action)
	}
	if at.Before(c.now().Add(-time.Second)) {
		return nil, Invalidf("at", "%s is in the past", FormatDateTime(at))
	}
	cur, err := c.currentAny(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	next, err := cloneAny(cur)
	if err != nil {
		return nil, err
	}
	actor := v.Actor
	if actor == "" {
		actor = "system"
	}
	next.meta().Schedule = &Schedule{Action: action, At: at.UTC().Truncate(time.Millisecond), By: actor, Role: v.Role, Version: cur.meta().Version + 1}
	return next, c.write(ctx, ActionSchedule, cur, next)
}

// CancelSchedule removes the schedule of the record of kind with id. A
// record without one is returned as it is. It needs the editor role.
func (c *Catalog) CancelSchedule(ctx context.Context, kind Kind, id string) (Record, error) {
	if err := ViewerFrom(ctx).Require(RoleEditor, "scheduling content"); err != nil {
		return nil, err
	}
	cur, err := c.currentAny(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	if cur.meta().Schedule == nil {
		return cur, nil
	}
	next, err := cloneAny(cur)
	if err != nil {
		return nil, err
	}
	next.meta().Schedule = nil
	return next, c.write(ctx, ActionUnschedule, cur, next)
}

// RunDue performs the scheduled actions that are due, each with one write
// guarded by the version the scheduler read: of several schedulers (one
// per replica) racing for the same action, exactly one write succeeds and
// the others get ECONFLICT and skip it, so every action happens once. The
// action is performed as the editor who scheduled it, with the events and
// webhooks of a manual publish; the schedule is cleared in the same
// write. A record changed after it was scheduled publishes its latest
// version, and the audit entry says so. A record that cannot be published
// (no longer valid) loses its schedule, audited as unschedule with the
// reason. It returns the number of actions performed.
func (c *Catalog) RunDue(ctx context.Context) (int, error) {
	now := c.now()
	n := 0
	for _, coll := range Collections {
		if !IsContentKind(coll.Kind) {
			continue
		}
		docs, err := c.store.Find(ctx, Query{Kind: coll.Kind,
			Where: And(In("status", string(StatusPublished), string(StatusDraft)), Lte("scheduleKey", timeKey(now))),
			Sort:  []SortKey{{Field: "scheduleKey"}, {Field: "id"}}, Limit: 100})
		if err != nil {
			return n, err
		}
		for _, d := range docs {
			done, err := c.runOne(ctx, d, now)
			if ErrorCode(err) == ECONFLICT {
				continue // another replica did it, or the record changed: the next round reads it again
			}
			if err != nil {
				return n, err
			}
			if done {
				n++
			}
		}
	}
	return n, nil
}

// runOne performs the due schedule of the record of d.
func (c *Catalog) runOne(ctx context.Context, d Doc, now time.Time) (bool, error) {
	cur, err := Decode(d)
	if err != nil {
		return false, err
	}
	m := cur.meta()
	s := m.Schedule
	if s == nil || s.At.After(now) || m.DeletedAt != nil {
		return false, nil
	}
	ctx = WithViewer(ctx, Viewer{Actor: s.By, Role: s.Role, Drafts: true})
	next, err := cloneAny(cur)
	if err != nil {
		return false, err
	}
	next.meta().Schedule = nil
	status, action := StatusPublished, ActionPublish
	if s.Action == ScheduleUnpublish {
		status, action = StatusDraft, ActionUnpublish
	}
	note := fmt.Sprintf("scheduled by %s for %s", s.By, FormatDateTime(s.At))
	if m.Version != s.Version {
		note += fmt.Sprintf("; the record changed after it was scheduled (version %d then, %d now): the latest version was %sed", s.Version, m.Version, s.Action)
	}
	if m.Status == status {
		return false, c.writeNote(ctx, ActionUnschedule, cur, next, note+fmt.Sprintf("; nothing to do: it was %sed already", s.Action))
	}
	next.meta().Status = status
	if status == StatusPublished {
		if err := c.Validate(ctx, next); err != nil {
			if ErrorCode(err) != EINVALID {
				return false, err
			}
			next.meta().Status = m.Status
			return false, c.writeNote(ctx, ActionUnschedule, cur, next, note+"; not published, it is not valid: "+ErrorMessage(err))
		}
	}
	return true, c.writeNote(ctx, action, cur, next, note)
}

// RunScheduler calls RunDue every interval until ctx ends. Every replica
// runs one; see RunDue for why an action still happens once.
func (c *Catalog) RunScheduler(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		n, err := c.RunDue(ctx)
		if err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "cannot perform the scheduled publications", "err", err)
		} else if n > 0 {
			slog.InfoContext(ctx, "performed scheduled publications", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
