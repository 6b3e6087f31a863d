package content

import (
	"context"
	"time"
)

// RelayStatus tells who has the baton at a moment of an edition: the leg on
// turn, the one before and the one after. Between two legs (a weekend) the
// baton stays with the region of the last leg that started.
type RelayStatus struct {
	At       time.Time
	Edition  *Edition
	Current  *Leg
	Previous *Leg
	Next     *Leg
}

// Relay returns the relay status at the moment at, or nil when no edition
// with known dates runs on that day.
func (c *Catalog) Relay(ctx context.Context, at time.Time) (*RelayStatus, error) {
	day := DateOf(at.In(Amsterdam)).String()
	e, err := findOne[Edition](ctx, c, And(Lte("startsOn", day), Gte("endsOn", day)))
	if err != nil || e == nil {
		return nil, err
	}
	return RelayOf(e, at), nil
}

// RelayOf computes the relay status of edition e at the moment at.
func RelayOf(e *Edition, at time.Time) *RelayStatus {
	day := DateOf(at.In(Amsterdam))
	s := &RelayStatus{At: at, Edition: e}
	for i, l := range e.Legs {
		if l.StartsOn == nil {
			continue
		}
		if !day.Before(*l.StartsOn) {
			s.Current = l
			s.Previous = nil
			if i > 0 {
				s.Previous = e.Legs[i-1]
			}
			continue
		}
		s.Next = l
		break
	}
	return s
}

// CurrentEdition returns the edition running now or, outside an edition,
// the latest one.
func (c *Catalog) CurrentEdition(ctx context.Context) (*Edition, error) {
	day := DateOf(c.now().In(Amsterdam)).String()
	e, err := findOne[Edition](ctx, c, And(Lte("startsOn", day), Gte("endsOn", day)))
	if err != nil || e != nil {
		return e, err
	}
	docs, err := c.store.Find(ctx, Query{Kind: KindEdition, Where: visible(ctx),
		Sort: []SortKey{{Field: "year", Desc: true}, {Field: "id", Desc: true}}, Limit: 1})
	if err != nil || len(docs) == 0 {
		return nil, err
	}
	return decode[Edition](docs[0])
}
