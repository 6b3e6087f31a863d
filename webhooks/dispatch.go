package webhooks

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"estafette/content"
)

// Run sends due deliveries until ctx ends, then waits for the attempts in
// flight to end (they end with ctx) before it returns.
//
// Every endpoint has a lane: a goroutine that reads that endpoint's due
// deliveries, oldest first, and sends at most PerEndpoint of them at once,
// each attempt holding one of the replica's Parallel slots for at most
// Timeout. A slow or hanging endpoint therefore holds up its own lane and
// at most PerEndpoint slots; the other endpoints' lanes keep sending.
// Every attempt still claims its delivery with a versioned write first, so
// lanes on several replicas never send the same delivery at once.
func (s *Service) Run(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	t := time.NewTicker(s.opts.Poll)
	defer t.Stop()
	for {
		if err := s.dispatch(ctx, &wg); err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "webhook dispatch failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.wake:
		}
	}
}

// lane is the running sender of one endpoint's deliveries.
type lane struct {
	again bool // deliveries may have come due since the lane last looked
}

// lanePage is how many due deliveries a lane reads at once.
const lanePage = 50

// dispatch makes sure every endpoint's lane runs, and drops the due
// deliveries of endpoints that were removed.
func (s *Service) dispatch(ctx context.Context, wg *sync.WaitGroup) error {
	eps, err := s.active(ctx)
	if err != nil {
		return err
	}
	for _, ep := range eps {
		s.startLane(ctx, wg, ep.ID)
	}
	return s.dropOrphans(ctx, eps)
}

// startLane starts the lane of an endpoint, or, when it runs, tells it to
// look again before it stops.
func (s *Service) startLane(ctx context.Context, wg *sync.WaitGroup, id string) {
	s.lmu.Lock()
	defer s.lmu.Unlock()
	if l := s.lanes[id]; l != nil {
		l.again = true
		return
	}
	l := &lane{}
	s.lanes[id] = l
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.runLane(ctx, id, l)
	}()
}

func (s *Service) runLane(ctx context.Context, id string, l *lane) {
	for {
		err := s.drain(ctx, id)
		if err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "webhook dispatch failed", "endpoint", id, "err", err)
		}
		s.lmu.Lock()
		if l.again && err == nil && ctx.Err() == nil {
			l.again = false
			s.lmu.Unlock()
			continue
		}
		delete(s.lanes, id)
		s.lmu.Unlock()
		return
	}
}

// drain sends the due deliveries of one endpoint, a page at a time, until
// none is due.
func (s *Service) drain(ctx context.Context, id string) error {
	for ctx.Err() == nil {
		ep, err := s.endpoint(ctx, id)
		if err != nil || ep == nil {
			return err // removed: dropOrphans takes its deliveries
		}
		docs, err := s.store.Find(ctx, content.Query{Kind: KindDelivery,
			Where: content.And(content.Eq("endpoint", id), content.Eq("state", StatePending),
				content.Lte("nextKey", content.TimeKey(s.now().UTC()))),
			Sort: []content.SortKey{{Field: "createdKey"}, {Field: "id"}}, Limit: lanePage})
		if err != nil || len(docs) == 0 {
			return err
		}
		mine := make(chan struct{}, s.opts.PerEndpoint)
		var wg sync.WaitGroup
		for _, doc := range docs {
			d, err := decodeDelivery(doc)
			if err != nil {
				wg.Wait()
				return err
			}
			// The lane's own slot first, so that a lane waiting for its
			// endpoint holds none of the shared ones.
			if !acquire(ctx, mine) {
				break
			}
			if !acquire(ctx, s.slots) {
				<-mine
				break
			}
			wg.Add(1)
			go func() {
				defer func() { <-s.slots; <-mine; wg.Done() }()
				s.attempt(ctx, d, ep)
			}()
		}
		wg.Wait()
		if len(docs) < lanePage {
			return nil
		}
	}
	return ctx.Err()
}

func acquire(ctx context.Context, sem chan struct{}) bool {
	select {
	case sem <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

// endpoint returns the active endpoint with the id, or nil.
func (s *Service) endpoint(ctx context.Context, id string) (*Endpoint, error) {
	eps, err := s.active(ctx)
	if err != nil {
		return nil, err
	}
	for _, ep := range eps {
		if ep.ID == id {
			return ep, nil
		}
	}
	return nil, nil
}

// dropOrphans makes dead letters of due deliveries whose endpoint is gone.
// Orphans are rare (an endpoint removed with deliveries pending) and the
// query reads every due delivery, so it runs at most once per
// endpointsTTL, and soon after a Remove on this replica.
func (s *Service) dropOrphans(ctx context.Context, eps []*Endpoint) error {
	s.lmu.Lock()
	now := s.now()
	due := now.Sub(s.sweptAt) >= endpointsTTL
	if due {
		s.sweptAt = now
	}
	s.lmu.Unlock()
	if !due {
		return nil
	}
	ids := make([]string, len(eps))
	for i, ep := range eps {
		ids[i] = ep.ID
	}
	docs, err := s.store.Find(ctx, content.Query{Kind: KindDelivery,
		Where: content.And(content.Eq("state", StatePending), content.Lte("nextKey", content.TimeKey(s.now().UTC())),
			content.Not(content.In("endpoint", ids...))),
		Sort: []content.SortKey{{Field: "nextKey"}, {Field: "id"}}, Limit: 100})
	if err != nil || len(docs) == 0 {
		return err
	}
	// An endpoint added on another replica may be missing from the list
	// this one holds: read it again before calling anything an orphan.
	s.forget()
	eps, err = s.active(ctx)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, ep := range eps {
		known[ep.ID] = true
	}
	for _, doc := range docs {
		d, err := decodeDelivery(doc)
		if err != nil {
			return err
		}
		if !known[d.EndpointID] {
			s.attempt(ctx, d, nil)
		}
	}
	return nil
}
