package graph

import (
	"context"
	"strings"
	"time"

	"estafette/content"
	"estafette/events"
	"estafette/graph/model"
)

// changesFor streams the change events of the given kinds to the caller of
// ctx, with the record as the caller may see it now. A caller who may not
// see drafts hears of a change only when the record is public after it, or
// when it stops being public (unpublished, deleted, purged), so that a page
// can drop it.
func changesFor(ctx context.Context, cat *content.Catalog, bus *events.Bus, kinds []string) <-chan *model.ContentChange {
	in, cancel := bus.Subscribe(func(e events.Event) bool {
		if len(kinds) == 0 {
			return true
		}
		for _, k := range kinds {
			if e.Data.RecordType == k {
				return true
			}
		}
		return false
	})
	out := make(chan *model.ContentChange, 16)
	go func() {
		defer close(out)
		defer cancel()
		for {
			select {
			case <-ctx.Done():
				return
			case e := <-in:
				kind, id, err := content.ParseGlobalID(e.Data.RecordID)
				if err != nil {
					continue
				}
				node, err := cat.GetAny(ctx, kind, id)
				if err != nil {
					continue
				}
				public := e.Data.Status == string(content.StatusPublished) || endsPublicness(e.Type)
				if !content.ViewerFrom(ctx).Drafts && !public {
					continue
				}
				ch := &model.ContentChange{ID: e.ID, Type: e.Type, RecordType: e.Data.RecordType, RecordID: e.Data.RecordID,
					Version: int(e.Data.Version), At: e.CreatedAt, SurrogateKeys: e.Data.SurrogateKeys, Node: node}
				if e.Data.Slug != "" {
					slug := e.Data.Slug
					ch.Slug = &slug
				}
				select {
				case out <- ch:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}

func endsPublicness(eventType string) bool {
	for _, s := range []string{".unpublished", ".deleted", ".purged"} {
		if strings.HasSuffix(eventType, s) {
			return true
		}
	}
	return false
}

// relayUpdates streams the relay status: now, and again whenever the leg
// on turn changes, because a day began (checked at every Amsterdam
// midnight) or an edition changed.
func relayUpdates(ctx context.Context, cat *content.Catalog, bus *events.Bus) <-chan *content.RelayStatus {
	in, cancel := bus.Subscribe(func(e events.Event) bool { return e.Data.RecordType == string(content.KindEdition) })
	out := make(chan *content.RelayStatus, 1)
	go func() {
		defer close(out)
		defer cancel()
		last := "unset"
		for {
			s, err := cat.Relay(ctx, cat.Now())
			if err == nil {
				if k := relayKey(s); k != last {
					last = k
					select {
					case out <- s:
					case <-ctx.Done():
						return
					}
				}
			}
			now := cat.Now().In(content.Amsterdam)
			midnight := content.DateOf(now).End()
			timer := time.NewTimer(midnight.Sub(now) + time.Second)
			select {
			case <-ctx.Done():
				timer.Stop()
				return
			case <-in:
			case <-timer.C:
			}
			timer.Stop()
		}
	}()
	return out
}

// relayKey identifies what a relay status says: edition and legs on turn.
func relayKey(s *content.RelayStatus) string {
	if s == nil {
		return ""
	}
	key := s.Edition.ID
	for _, l := range []*content.Leg{s.Previous, s.Current, s.Next} {
		if l == nil {
			key += "|-"
			continue
		}
		key += "|" + l.RegionID + "@" + dateKey(l.StartsOn)
	}
	return key
}

func dateKey(d *content.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}
