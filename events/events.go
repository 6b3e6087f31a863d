// Package events is the outbox of Estafette: every write stores a change
// event in the same store, in the same Apply as the change itself (see
// content.Outbox), and this package reads the events back for whoever
// listens: GraphQL subscriptions on every replica (through Bus, which polls
// the store with a cursor, so a write on one replica reaches subscribers
// on all of them) and webhook deliveries (package webhooks).
package events

import (
	"context"
	"encoding/json"
	"log/slog"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"estafette/content"
)

// Event is a change as listeners receive it.
type Event struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	CreatedAt time.Time `json:"createdAt"`
	Data      Data      `json:"data"`
}

// Data tells what changed.
type Data struct {
	RecordType string `json:"recordType"`
	// RecordID is the global ID of the record, as in the GraphQL API.
	RecordID string `json:"recordId"`
	Slug     string `json:"slug,omitempty"`
	Version  int64  `json:"version"`
	// Status is the record's status after the change: published, draft or
	// deleted (also for a purge).
	Status string `json:"status"`
	Actor  string `json:"actor"`
	// SurrogateKeys are the CDN cache keys the change makes stale.
	SurrogateKeys []string `json:"surrogateKeys"`
}

// FromChange makes the event of a change.
func FromChange(ch content.Change) Event {
	keys := content.SurrogateKeys(ch.Before)
	for _, k := range content.SurrogateKeys(ch.After) {
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	if keys == nil {
		keys = []string{}
	}
	status := content.StatusDeleted
	if ch.After != nil {
		if m := content.MetaOf(ch.After); m.DeletedAt == nil {
			status = string(m.Status)
		}
	}
	return Event{ID: ch.ID, Type: ch.Type, CreatedAt: ch.At, Data: Data{
		RecordType: string(ch.Kind), RecordID: content.GlobalID(ch.Kind, ch.RecordID), Slug: ch.Slug,
		Version: ch.Version, Status: status, Actor: ch.Actor, SurrogateKeys: keys,
	}}
}

// Doc returns the stored form of an event.
func (e Event) Doc() (content.Doc, error) {
	body, err := json.Marshal(e)
	if err != nil {
		return content.Doc{}, err
	}
	return content.Doc{Kind: Kind, ID: e.ID, Body: body, Fields: content.Fields{
		"at": {content.TimeKey(e.CreatedAt)}, "type": {e.Type}, "recordKind": {e.Data.RecordType},
	}}, nil
}

// Matches reports whether the event's type fits one of the patterns: an
// exact type (activity.published), a kind (activity.*), an action
// (*.published) or everything (*).
func (e Event) Matches(patterns []string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, e.Type); ok || p == "*" {
			return true
		}
	}
	return false
}

// ValidPattern reports whether p is a pattern Matches understands and that
// can match an event type.
func ValidPattern(p string) bool {
	if p == "*" {
		return true
	}
	kind, action, ok := strings.Cut(p, ".")
	if !ok || kind == "" || action == "" {
		return false
	}
	for _, t := range content.ChangeTypes() {
		if m, err := path.Match(p, t); err == nil && m {
			return true
		}
	}
	return false
}

// Outbox is the content.Outbox of the API: the event of a change, plus
// whatever more documents Fanout makes of it (webhook deliveries).
type Outbox struct {
	Fanout func(ctx context.Context, e Event) ([]content.Doc, error)
}

// Record implements content.Outbox.
func (o Outbox) Record(ctx context.Context, ch content.Change) ([]content.Doc, error) {
	e := FromChange(ch)
	d, err := e.Doc()
	if err != nil {
		return nil, err
	}
	docs := []content.Doc{d}
	if o.Fanout != nil {
		more, err := o.Fanout(ctx, e)
		if err != nil {
			return nil, err
		}
		docs = append(docs, more...)
	}
	return docs, nil
}

// Bus delivers the events of the store to subscribers in this process. It
// polls the store every Interval for events after its cursor; because
// writers on other replicas may commit an event with a slightly older time
// after the cursor passed it, every poll looks back Lookback and skips the
// events it already delivered.
type Bus struct {
	store    content.Store
	interval time.Duration
	lookback time.Duration

	mu     sync.Mutex
	subs   map[*sub]bool
	seen   map[string]time.Time // delivered event ids within the look-back window
	cursor time.Time
	wake   chan struct{}
}

type sub struct {
	ch     chan Event
	filter func(Event) bool
}

// NewBus returns a bus over store; Run starts it.
func NewBus(store content.Store, interval time.Duration) *Bus {
	return &Bus{store: store, interval: interval, lookback: 5 * time.Second,
		subs: map[*sub]bool{}, seen: map[string]time.Time{}, wake: make(chan struct{}, 1)}
}

// Subscribe returns a channel of the events filter accepts, from now on,
// and a function that ends the subscription. A subscriber that does not
// keep up loses events rather than slowing the others (its buffer holds
// 256); subscriptions are for live pages, webhooks for reliable delivery.
func (b *Bus) Subscribe(filter func(Event) bool) (<-chan Event, func()) {
	s := &sub{ch: make(chan Event, 256), filter: filter}
	b.mu.Lock()
	b.subs[s] = true
	b.mu.Unlock()
	var once sync.Once
	return s.ch, func() {
		once.Do(func() {
			b.mu.Lock()
			delete(b.subs, s)
			b.mu.Unlock()
		})
	}
}

// Poke makes the bus poll now (after a local write) instead of waiting.
func (b *Bus) Poke() {
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// Run polls until ctx ends. Events already in the store when it starts
// are not delivered: subscribers hear of changes from now on.
func (b *Bus) Run(ctx context.Context) {
	b.cursor = time.Now().Add(-b.lookback)
	first := true
	t := time.NewTicker(b.interval)
	defer t.Stop()
	for {
		if err := b.poll(ctx, first); err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "cannot poll change events", "err", err)
		}
		first = false
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-b.wake:
		}
	}
}

func (b *Bus) poll(ctx context.Context, silent bool) error {
	const page = 500
	since := content.Gte("at", content.TimeKey(b.cursor.Add(-b.lookback)))
	where := since
	for {
		docs, err := b.store.Find(ctx, content.Query{Kind: Kind, Where: where,
			Sort: []content.SortKey{{Field: "at"}, {Field: "id"}}, Limit: page})
		if err != nil {
			return err
		}
		for _, d := range docs {
			if _, dup := b.seen[d.ID]; dup {
				continue
			}
			var e Event
			if err := json.Unmarshal(d.Body, &e); err != nil {
				return err
			}
			b.seen[d.ID] = e.CreatedAt
			if e.CreatedAt.After(b.cursor) {
				b.cursor = e.CreatedAt
			}
			if !silent {
				b.publish(e)
			}
		}
		if len(docs) < page {
			break
		}
		last := docs[len(docs)-1]
		at := last.Fields["at"][0]
		where = content.And(since, content.Or(content.Gt("at", at), content.And(content.Eq("at", at), content.Gt("id", last.ID))))
	}
	for id, at := range b.seen {
		if at.Before(b.cursor.Add(-2 * b.lookback)) {
			delete(b.seen, id)
		}
	}
	return nil
}

func (b *Bus) publish(e Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		if s.filter != nil && !s.filter(e) {
			continue
		}
		select {
		case s.ch <- e:
		default: // a subscriber that does not keep up loses the event
		}
	}
}

// Purge removes the change events older than cutoff and returns how many.
func Purge(ctx context.Context, store content.Store, cutoff time.Time) (int, error) {
	return purgeWhere(ctx, store, Kind, content.Lt("at", content.TimeKey(cutoff)))
}

// purgeWhere deletes the documents of kind that match where, in pages.
func purgeWhere(ctx context.Context, store content.Store, kind content.Kind, where *content.Cond) (int, error) {
	n := 0
	for {
		docs, err := store.Find(ctx, content.Query{Kind: kind, Where: where, Sort: []content.SortKey{{Field: "id"}}, Limit: 500})
		if err != nil || len(docs) == 0 {
			return n, err
		}
		ids := make([]string, len(docs))
		for i, d := range docs {
			ids[i] = d.ID
		}
		if err := store.Delete(ctx, kind, ids...); err != nil {
			return n, err
		}
		n += len(ids)
	}
}
