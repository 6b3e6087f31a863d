package mail

import (
	"context"
	"encoding/base64"
	"errors"
	"log/slog"
	"math"
	mrand "math/rand/v2"
	"strings"
	"time"

	"estafette/content"
)

// Sender hands one mail to a mail server. messageID (without angle
// brackets) is the same for every attempt of a mail. An error wrapped by
// Permanent means the mail will never be accepted (an unknown mailbox):
// it is not retried.
type Sender interface {
	Send(ctx context.Context, messageID string, m Message) error
}

// permanent marks an error that retrying cannot cure.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent wraps err to say that the mail must not be tried again.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanent{err}
}

// IsPermanent reports whether err was wrapped by Permanent.
func IsPermanent(err error) bool {
	var p permanent
	return errors.As(err, &p)
}

// Options tune an Outbox; zero values take the defaults.
type Options struct {
	MaxAttempts int           // attempts before a mail is failed (12)
	BaseBackoff time.Duration // the first retry waits about this long (1 min)
	MaxBackoff  time.Duration // no wait is longer (2 h)
	Lease       time.Duration // how long a claim holds (2 min); longer than Timeout
	Timeout     time.Duration // bounds one attempt (1 min)
	Poll        time.Duration // how often due mails are looked for without a Kick (5 s)
	Now         func() time.Time
}

func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 12
	}
	def(&o.BaseBackoff, time.Minute)
	def(&o.MaxBackoff, 2*time.Hour)
	def(&o.Timeout, time.Minute)
	def(&o.Lease, 2*o.Timeout)
	def(&o.Poll, 5*time.Second)
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Outbox keeps the mails in a store and, with a Sender, delivers them.
// Several Outboxes (replicas) may share one store.
type Outbox struct {
	store  content.Store
	sender Sender
	opts   Options
	wake   chan struct{}
}

// New returns the outbox over s, sending through sender; with a nil
// sender mails stay pending in the outbox (see the package comment).
func New(s content.Store, sender Sender, opts Options) *Outbox {
	return &Outbox{store: s, sender: sender, opts: opts.withDefaults(), wake: make(chan struct{}, 1)}
}

// Sends reports whether the outbox has a Sender.
func (o *Outbox) Sends() bool { return o.sender != nil }

// Kick tells the loop of this replica to look for due mails now. Call it
// after applying a write of Enqueue.
func (o *Outbox) Kick() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// Send puts m into the outbox on its own and kicks the loop. A message
// whose Key is already in the outbox changes nothing and is not an error.
func (o *Outbox) Send(ctx context.Context, m Message) error {
	w, err := Enqueue(m, o.opts.Now())
	if err != nil {
		return err
	}
	if err := o.store.Apply(ctx, w); err != nil {
		if content.ErrorCode(err) != content.ECONFLICT {
			return err
		}
		if ok, qerr := o.Queued(ctx, m.Key); qerr != nil || !ok {
			return err
		}
	}
	o.Kick()
	return nil
}

// Queued reports whether a mail with key is in the outbox (in any state).
func (o *Outbox) Queued(ctx context.Context, key string) (bool, error) {
	got, err := o.store.Get(ctx, Kind, []string{ID(key)})
	if err != nil {
		return false, err
	}
	_, ok := got[ID(key)]
	return ok, nil
}

// Get returns the mail with id, or nil.
func (o *Outbox) Get(ctx context.Context, id string) (*Mail, error) {
	got, err := o.store.Get(ctx, Kind, []string{id})
	if err != nil {
		return nil, err
	}
	doc, ok := got[id]
	if !ok {
		return nil, nil
	}
	return decode(doc)
}

// List returns the mails in state (every state when empty), newest first,
// a page at a time (First and After; paging backwards is not offered).
func (o *Outbox) List(ctx context.Context, state string, p content.PageArgs) (*content.Page[*Mail], error) {
	if p.Last != nil || p.Before != nil {
		return nil, content.Invalidf("last", "the outbox pages forwards only (first, after)")
	}
	if state != "" && !validState(state) {
		return nil, content.Invalidf("state", "unknown state %q; one of %s", state, strings.Join(States, ", "))
	}
	n := content.DefaultPageSize
	if p.First != nil {
		if *p.First < 0 || *p.First > content.MaxPageSize {
			return nil, content.Invalidf("first", "first is between 0 and %d", content.MaxPageSize)
		}
		n = *p.First
	}
	var where *content.Cond
	if state != "" {
		where = content.Eq("state", state)
	}
	if p.After != nil {
		key, id, ok := decodeCursor(*p.After)
		if !ok {
			return nil, content.Invalidf("after", "this cursor does not belong to the outbox")
		}
		where = content.And(where, content.Or(content.Lt("createdKey", key),
			content.And(content.Eq("createdKey", key), content.Lt("id", id))))
	}
	page := &content.Page[*Mail]{HasPreviousPage: p.After != nil}
	if n == 0 {
		return page, nil
	}
	docs, err := o.store.Find(ctx, content.Query{Kind: Kind, Where: where,
		Sort: []content.SortKey{{Field: "createdKey", Desc: true}, {Field: "id", Desc: true}}, Limit: n + 1})
	if err != nil {
		return nil, err
	}
	if len(docs) > n {
		docs, page.HasNextPage = docs[:n], true
	}
	for _, d := range docs {
		m, err := decode(d)
		if err != nil {
			return nil, err
		}
		page.Items = append(page.Items, m)
		page.Cursors = append(page.Cursors, encodeCursor(content.TimeKey(m.CreatedAt), m.ID))
	}
	return page, nil
}

// Count returns how many mails are in state.
func (o *Outbox) Count(ctx context.Context, state string) (int, error) {
	return o.store.Count(ctx, Kind, content.Eq("state", state))
}

func validState(s string) bool {
	for _, v := range States {
		if v == s {
			return true
		}
	}
	return false
}

func encodeCursor(key, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("mail|" + key + "|" + id))
}

func decodeCursor(c string) (key, id string, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", "", false
	}
	parts := strings.Split(string(b), "|")
	if len(parts) != 3 || parts[0] != "mail" {
		return "", "", false
	}
	return parts[1], parts[2], true
}

// EraseTo deletes every mail to address, whatever its state, and returns
// how many there were. Addresses compare without regard to case.
func (o *Outbox) EraseTo(ctx context.Context, address string) (int, error) {
	n := 0
	for {
		docs, err := o.store.Find(ctx, content.Query{Kind: Kind, Where: content.Eq("rcpt", rcptHash(address)),
			Sort: []content.SortKey{{Field: "id"}}, Limit: 100})
		if err != nil {
			return n, err
		}
		if len(docs) == 0 {
			return n, nil
		}
		ids := make([]string, len(docs))
		for i, d := range docs {
			ids[i] = d.ID
		}
		if err := o.store.Delete(ctx, Kind, ids...); err != nil {
			return n, err
		}
		n += len(ids)
	}
}

// Purge deletes the sent and failed mails created before cutoff (they
// hold addresses and texts that are of no use once the mail is settled)
// and returns how many it deleted. Pending mails are never purged.
func (o *Outbox) Purge(ctx context.Context, cutoff time.Time) (int, error) {
	n := 0
	for _, st := range []string{StateSent, StateFailed} {
		for {
			docs, err := o.store.Find(ctx, content.Query{Kind: Kind,
				Where: content.And(content.Eq("state", st), content.Lt("createdKey", content.TimeKey(cutoff))),
				Sort:  []content.SortKey{{Field: "createdKey"}, {Field: "id"}}, Limit: 100})
			if err != nil {
				return n, err
			}
			if len(docs) == 0 {
				break
			}
			ids := make([]string, len(docs))
			for i, d := range docs {
				ids[i] = d.ID
			}
			if err := o.store.Delete(ctx, Kind, ids...); err != nil {
				return n, err
			}
			n += len(ids)
		}
	}
	return n, nil
}

// duePage is how many due mails the loop reads at once.
const duePage = 20

// Run delivers due mails until ctx ends, one at a time, oldest due
// first; it looks for them every Options.Poll and at once after Kick.
// Without a Sender it only waits for ctx: mails stay in the outbox.
func (o *Outbox) Run(ctx context.Context) {
	if o.sender == nil {
		<-ctx.Done()
		return
	}
	t := time.NewTicker(o.opts.Poll)
	defer t.Stop()
	for {
		if err := o.drain(ctx); err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "mail outbox: cannot read due mails", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-o.wake:
		}
	}
}

// drain sends due mails until none is due.
func (o *Outbox) drain(ctx context.Context) error {
	for ctx.Err() == nil {
		docs, err := o.store.Find(ctx, content.Query{Kind: Kind,
			Where: content.And(content.Eq("state", StatePending), content.Lte("nextKey", content.TimeKey(o.opts.Now().UTC()))),
			Sort:  []content.SortKey{{Field: "nextKey"}, {Field: "id"}}, Limit: duePage})
		if err != nil || len(docs) == 0 {
			return err
		}
		for _, d := range docs {
			m, err := decode(d)
			if err != nil {
				return err
			}
			o.attempt(ctx, m)
		}
		if len(docs) < duePage {
			return nil
		}
	}
	return ctx.Err()
}

// save writes m as its next version, if nobody else wrote it meanwhile.
func (o *Outbox) save(ctx context.Context, m *Mail) error {
	expect := content.VersionKey(m.Version)
	m.Version++
	doc, err := m.doc()
	if err != nil {
		return err
	}
	return o.store.Apply(ctx, content.Write{Doc: doc, Expect: expect})
}

// attempt claims m, sends it and records the result.
func (o *Outbox) attempt(ctx context.Context, m *Mail) {
	now := o.opts.Now().UTC()
	// Claim: a versioned write that only one replica wins; the lease
	// makes the mail due again if this replica dies before the result.
	m.Attempts++
	m.NextAttemptAt = now.Add(o.opts.Lease)
	if err := o.save(ctx, m); err != nil {
		return // another replica has it, it was erased, or the store is down
	}
	sctx, cancel := context.WithTimeout(ctx, o.opts.Timeout)
	err := o.sender.Send(sctx, m.MessageID, m.Message())
	cancel()
	switch {
	case err == nil:
		at := o.opts.Now().UTC()
		m.State, m.SentAt, m.LastError = StateSent, &at, ""
	case IsPermanent(err) || m.Attempts >= o.opts.MaxAttempts:
		m.State, m.LastError = StateFailed, err.Error()
	default:
		m.LastError = err.Error()
		m.NextAttemptAt = o.opts.Now().UTC().Add(o.backoff(m.Attempts))
	}
	if err := o.save(context.WithoutCancel(ctx), m); err != nil {
		slog.WarnContext(ctx, "mail outbox: cannot record an attempt; the mail is tried again when its claim expires",
			"mail", m.ID, "err", err)
		return
	}
	slog.InfoContext(ctx, "mail outbox: attempt", "mail", m.ID, "state", m.State, "attempts", m.Attempts)
}

// backoff is the wait before attempt n+1: exponential from BaseBackoff,
// capped at MaxBackoff, with jitter (half to all of it).
func (o *Outbox) backoff(n int) time.Duration {
	d := float64(o.opts.BaseBackoff) * math.Pow(2, float64(n-1))
	d = math.Min(d, float64(o.opts.MaxBackoff))
	return time.Duration(d * (0.5 + 0.5*mrand.Float64()))
}
