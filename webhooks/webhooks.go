// Package webhooks delivers change events to the endpoints admins register:
// signed POSTs, retried with exponential backoff and jitter for 24 hours,
// then kept as dead letters that admins can inspect and replay.
//
// Nothing is lost: a delivery is a document written in the same Apply as
// the change and its event (Fanout is the events.Outbox hook), and the
// dispatcher claims a due delivery with a versioned write before sending
// it, so that only one replica sends it at a time. A replica that dies
// between claim and result leaves a claim that expires after a minute, and
// the delivery is sent again. Delivery is therefore at least once; the
// Idempotency-Key header (the event id) lets receivers drop repeats.
//
// Each endpoint has its own lane of deliveries (see Run), so a slow
// receiver delays only itself. Webhooks never reach loopback, private,
// link-local or other internal addresses unless Options.AllowPrivate:
// such URLs are refused when they are registered, and such addresses when
// a connection is made (see docs/webhooks.md, "Private addresses").
//
// Every request carries Estafette-Signature: t=<unix time>,v1=<hex
// HMAC-SHA256 of "<t>.<body>" with the endpoint's secret>; see Verify and
// docs/webhooks.md.
package webhooks

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"estafette/content"
	"estafette/events"
)

// The states of a delivery.
const (
	StatePending   = "pending"   // waiting for its (next) attempt
	StateDelivered = "delivered" // the endpoint answered 2xx
	StateDead      = "dead"      // retried for the retry window in vain: a dead letter
)

// States lists the states of a delivery.
var States = []string{StatePending, StateDelivered, StateDead}

// Endpoint is a receiver of change events.
type Endpoint struct {
	ID          string    `json:"id"`
	URL         string    `json:"url"`
	Events      []string  `json:"events"` // patterns: activity.published, activity.*, *.published, *
	Secret      string    `json:"secret"` // signs every delivery; kept as given, as signing needs it
	Description string    `json:"description,omitempty"`
	CreatedAt   time.Time `json:"createdAt"`
	CreatedBy   string    `json:"createdBy"`
	Version     int64     `json:"version"`
}

// Attempt is one try to deliver.
type Attempt struct {
	At         time.Time `json:"at"`
	Status     int       `json:"status,omitempty"` // HTTP status, 0 when there was none
	Error      string    `json:"error,omitempty"`
	DurationMs int64     `json:"durationMs"`
}

// Delivery is one event on its way to one endpoint.
type Delivery struct {
	ID            string       `json:"id"`
	EndpointID    string       `json:"endpointId"`
	Event         events.Event `json:"event"`
	State         string       `json:"state"`
	Attempts      int          `json:"attempts"`
	NextAttemptAt time.Time    `json:"nextAttemptAt"`
	CreatedAt     time.Time    `json:"createdAt"`
	DeliveredAt   *time.Time   `json:"deliveredAt,omitempty"`
	// Log holds the latest attempts, newest last.
	Log     []Attempt `json:"log"`
	Version int64     `json:"version"`
}

// Options tune a Service; zero values take the defaults.
type Options struct {
	RetryWindow time.Duration // how long a delivery is retried (24 h)
	BaseBackoff time.Duration // the first retry waits about this long (10 s)
	MaxBackoff  time.Duration // no wait is longer (1 h)
	Lease       time.Duration // how long a claim holds (1 min)
	// Timeout bounds one attempt: connecting, sending and reading the
	// answer (10 s). A receiver that takes longer has failed the attempt.
	Timeout time.Duration
	Poll    time.Duration // how often due deliveries are looked for (1 s)
	// Parallel is how many deliveries this replica sends at once, over all
	// endpoints (8).
	Parallel int
	// PerEndpoint is how many deliveries one endpoint gets at once (2), so
	// that a slow or hanging endpoint holds at most this many of the
	// Parallel workers and the others keep getting theirs.
	PerEndpoint int
	// AllowPrivate lets webhooks reach loopback, private, link-local and
	// other internal addresses, for local development and tests
	// (WEBHOOK_ALLOW_PRIVATE=true). Off, such
	// endpoints are refused at registration and every connection to such
	// an address is refused, whatever name led to it.
	AllowPrivate bool
	// Resolver looks up endpoint host names, at registration and when
	// connecting (net.DefaultResolver).
	Resolver Resolver
	// Client sends the deliveries. The default one refuses internal
	// addresses (unless AllowPrivate), uses no proxy and follows no
	// redirect; a Client given here is used as it is, with none of that.
	Client *http.Client
}

func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&o.RetryWindow, 24*time.Hour)
	def(&o.BaseBackoff, 10*time.Second)
	def(&o.MaxBackoff, time.Hour)
	def(&o.Lease, time.Minute)
	def(&o.Timeout, 10*time.Second)
	def(&o.Poll, time.Second)
	if o.Parallel <= 0 {
		o.Parallel = 8
	}
	if o.PerEndpoint <= 0 {
		o.PerEndpoint = 2
	}
	o.PerEndpoint = min(o.PerEndpoint, o.Parallel)
	if o.Resolver == nil {
		o.Resolver = net.DefaultResolver
	}
	if o.Client == nil {
		d := &dialer{net: net.Dialer{Timeout: o.Timeout, KeepAlive: 30 * time.Second}, resolver: o.Resolver}
		if !o.AllowPrivate {
			d.net.Control = dialControl
		}
		o.Client = &http.Client{
			Timeout: o.Timeout,
			Transport: &http.Transport{
				Proxy:                 nil, // a proxy would be dialled instead of the endpoint, past the check
				DialContext:           d.DialContext,
				ForceAttemptHTTP2:     true,
				MaxIdleConns:          100,
				MaxIdleConnsPerHost:   o.PerEndpoint,
				IdleConnTimeout:       90 * time.Second,
				TLSHandshakeTimeout:   o.Timeout,
				ResponseHeaderTimeout: o.Timeout,
			},
			// A receiver answers; it does not send the event elsewhere.
			// A redirect is an answer (not 2xx, so retried), not a detour.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	return o
}

// Service manages endpoints and sends deliveries.
type Service struct {
	store content.Store
	opts  Options
	now   func() time.Time

	mu        sync.Mutex
	endpoints []*Endpoint
	loadedAt  time.Time
	wake      chan struct{}

	slots   chan struct{}    // one per delivery in flight, Parallel in all
	lmu     sync.Mutex       // guards lanes and sweptAt
	lanes   map[string]*lane // endpoint id → its running lane
	sweptAt time.Time        // when dropOrphans last looked
}

// New returns the webhook service over store.
func New(store content.Store, opts Options) *Service {
	opts = opts.withDefaults()
	return &Service{store: store, opts: opts, now: time.Now, wake: make(chan struct{}, 1),
		slots: make(chan struct{}, opts.Parallel), lanes: map[string]*lane{}}
}

// endpointsTTL is how long a replica uses its list of endpoints before it
// reads it again; an endpoint added on another replica gets events from at
// most this much later.
const endpointsTTL = 5 * time.Second

func (s *Service) active(ctx context.Context) ([]*Endpoint, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.endpoints != nil && s.now().Sub(s.loadedAt) < endpointsTTL {
		return s.endpoints, nil
	}
	docs, err := s.store.Find(ctx, content.Query{Kind: KindWebhook, Sort: []content.SortKey{{Field: "createdKey"}, {Field: "id"}}})
	if err != nil {
		return nil, err
	}
	list := make([]*Endpoint, 0, len(docs))
	for _, d := range docs {
		var e Endpoint
		if err := json.Unmarshal(d.Body, &e); err != nil {
			return nil, err
		}
		list = append(list, &e)
	}
	s.endpoints, s.loadedAt = list, s.now()
	return list, nil
}

func (s *Service) forget() {
	s.mu.Lock()
	s.endpoints = nil
	s.mu.Unlock()
}

// Fanout makes a delivery of e for every endpoint that wants it; it is the
// hook of events.Outbox, so deliveries are written with the change.
func (s *Service) Fanout(ctx context.Context, e events.Event) ([]content.Doc, error) {
	eps, err := s.active(ctx)
	if err != nil {
		return nil, err
	}
	var docs []content.Doc
	for _, ep := range eps {
		if !e.Matches(ep.Events) {
			continue
		}
		d := &Delivery{ID: e.ID + "." + ep.ID, EndpointID: ep.ID, Event: e, State: StatePending, NextAttemptAt: e.CreatedAt,
			CreatedAt: e.CreatedAt, Log: []Attempt{}, Version: 1}
		doc, err := d.doc()
		if err != nil {
			return nil, err
		}
		docs = append(docs, doc)
	}
	if len(docs) > 0 {
		s.Poke()
	}
	return docs, nil
}

// Poke makes the dispatcher look for due deliveries now.
func (s *Service) Poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (d *Delivery) doc() (content.Doc, error) {
	body, err := json.Marshal(d)
	if err != nil {
		return content.Doc{}, err
	}
	return content.Doc{Kind: KindDelivery, ID: d.ID, Body: body, Fields: content.Fields{
		"state": {d.State}, "nextKey": {content.TimeKey(d.NextAttemptAt)}, "endpoint": {d.EndpointID},
		"createdKey": {content.TimeKey(d.CreatedAt)}, "version": {content.VersionKey(d.Version)},
	}}, nil
}

func decodeDelivery(doc content.Doc) (*Delivery, error) {
	var d Delivery
	if err := json.Unmarshal(doc.Body, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// Add registers an endpoint. events are patterns of event types; an empty
// secret gets a random one. It returns the endpoint, whose secret is shown
// to the caller this once. Admins only.
func (s *Service) Add(ctx context.Context, rawURL string, patterns []string, secret, description string) (*Endpoint, error) {
	if err := content.ViewerFrom(ctx).Require(content.RoleAdmin, "managing webhooks"); err != nil {
		return nil, err
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, content.Invalidf("url", "%q is not an http(s) URL", rawURL)
	}
	if err := s.checkURL(ctx, u); err != nil {
		return nil, err
	}
	if len(patterns) == 0 {
		return nil, content.Invalidf("events", "name the events to send, such as activity.published or recap.* (* for all)")
	}
	for i, p := range patterns {
		if !events.ValidPattern(p) {
			return nil, content.Invalidf(fmt.Sprintf("events[%d]", i), "%q matches no event; use a type such as activity.published, a kind such as recap.*, an action such as *.deleted, or *", p)
		}
	}
	if secret == "" {
		var b [32]byte
		_, _ = rand.Read(b[:])
		secret = "whsec_" + base64.RawURLEncoding.EncodeToString(b[:])
	} else if len(secret) < 16 {
		return nil, content.Invalidf("secret", "a secret needs at least 16 characters")
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	ep := &Endpoint{ID: content.NewID(), URL: u.String(), Events: patterns, Secret: secret, Description: description,
		CreatedAt: now, CreatedBy: content.ViewerFrom(ctx).Actor, Version: 1}
	body, err := json.Marshal(ep)
	if err != nil {
		return nil, err
	}
	audit, err := content.AuditDoc(ctx, now, "create", KindWebhook, ep.ID, ep.URL)
	if err != nil {
		return nil, err
	}
	doc := content.Doc{Kind: KindWebhook, ID: ep.ID, Body: body,
		Fields: content.Fields{"createdKey": {content.TimeKey(now)}, "version": {content.VersionKey(1)}}}
	if err := s.store.Apply(ctx, content.Write{Doc: doc, Also: []content.Doc{audit}}); err != nil {
		return nil, err
	}
	s.forget()
	return ep, nil
}

// List returns the endpoints, oldest first. Admins only.
func (s *Service) List(ctx context.Context) ([]*Endpoint, error) {
	if err := content.ViewerFrom(ctx).Require(content.RoleAdmin, "managing webhooks"); err != nil {
		return nil, err
	}
	s.forget()
	return s.active(ctx)
}

// Remove deletes an endpoint; its pending deliveries are dropped when they
// come due. Admins only.
func (s *Service) Remove(ctx context.Context, id string) error {
	if err := content.ViewerFrom(ctx).Require(content.RoleAdmin, "managing webhooks"); err != nil {
		return err
	}
	docs, err := s.store.Get(ctx, KindWebhook, []string{id})
	if err != nil {
		return err
	}
	d, ok := docs[id]
	if !ok {
		return content.Errorf(content.ENOTFOUND, "there is no webhook endpoint %q", id)
	}
	audit, err := content.AuditDoc(ctx, s.now(), "delete", KindWebhook, id, "")
	if err != nil {
		return err
	}
	if err := s.store.Apply(ctx, content.Write{Doc: d, Delete: true, Expect: first(d.Fields["version"]), Also: []content.Doc{audit}}); err != nil {
		return err
	}
	s.forget()
	s.lmu.Lock()
	s.sweptAt = time.Time{} // drop its deliveries at the next round
	s.lmu.Unlock()
	s.Poke()
	return nil
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// DeliveryFilter narrows the delivery log.
type DeliveryFilter struct {
	EndpointID string
	State      string
}

// Deliveries returns deliveries, newest first, at most limit. Admins only.
func (s *Service) Deliveries(ctx context.Context, f DeliveryFilter, limit int) ([]*Delivery, error) {
	if err := content.ViewerFrom(ctx).Require(content.RoleAdmin, "reading webhook deliveries"); err != nil {
		return nil, err
	}
	var conds []*content.Cond
	if f.EndpointID != "" {
		conds = append(conds, content.Eq("endpoint", f.EndpointID))
	}
	if f.State != "" {
		if !slices.Contains(States, f.State) {
			return nil, content.Invalidf("state", "state must be pending, delivered or dead, not %q", f.State)
		}
		conds = append(conds, content.Eq("state", f.State))
	}
	docs, err := s.store.Find(ctx, content.Query{Kind: KindDelivery, Where: content.And(conds...),
		Sort: []content.SortKey{{Field: "createdKey", Desc: true}, {Field: "id", Desc: true}}, Limit: limit})
	if err != nil {
		return nil, err
	}
	out := make([]*Delivery, 0, len(docs))
	for _, doc := range docs {
		d, err := decodeDelivery(doc)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// Replay sends dead (or delivered) deliveries again: the one with the id,
// or, with an endpoint id, every dead letter of that endpoint. It returns
// how many it queued. Admins only.
func (s *Service) Replay(ctx context.Context, deliveryID, endpointID string) (int, error) {
	if err := content.ViewerFrom(ctx).Require(content.RoleAdmin, "replaying webhook deliveries"); err != nil {
		return 0, err
	}
	var docs []content.Doc
	if deliveryID != "" {
		m, err := s.store.Get(ctx, KindDelivery, []string{deliveryID})
		if err != nil {
			return 0, err
		}
		d, ok := m[deliveryID]
		if !ok {
			return 0, content.Errorf(content.ENOTFOUND, "there is no delivery %q", deliveryID)
		}
		docs = append(docs, d)
	} else {
		var err error
		docs, err = s.store.Find(ctx, content.Query{Kind: KindDelivery,
			Where: content.And(content.Eq("endpoint", endpointID), content.Eq("state", StateDead)),
			Sort:  []content.SortKey{{Field: "id"}}})
		if err != nil {
			return 0, err
		}
	}
	n := 0
	now := s.now().UTC()
	for _, doc := range docs {
		d, err := decodeDelivery(doc)
		if err != nil {
			return n, err
		}
		if d.State == StatePending {
			continue
		}
		d.State, d.NextAttemptAt, d.CreatedAt = StatePending, now, now // a replay gets a new retry window
		if err := s.save(ctx, d); err != nil {
			if content.ErrorCode(err) == content.ECONFLICT {
				continue
			}
			return n, err
		}
		n++
	}
	s.Poke()
	return n, nil
}

// save writes d as its next version, if nobody else wrote it meanwhile.
func (s *Service) save(ctx context.Context, d *Delivery) error {
	expect := content.VersionKey(d.Version)
	d.Version++
	doc, err := d.doc()
	if err != nil {
		return err
	}
	return s.store.Apply(ctx, content.Write{Doc: doc, Expect: expect})
}

// attempt claims d, sends it, and records the result.
func (s *Service) attempt(ctx context.Context, d *Delivery, ep *Endpoint) {
	now := s.now().UTC()
	if ep == nil { // the endpoint was removed
		d.State = StateDead
		d.Log = appendLog(d.Log, Attempt{At: now, Error: "the endpoint was removed"})
		_ = s.save(ctx, d)
		return
	}
	// Claim: a versioned write that only one replica wins; the lease makes
	// the delivery due again if this one dies before it records a result.
	d.Attempts++
	d.NextAttemptAt = now.Add(s.opts.Lease)
	if err := s.save(ctx, d); err != nil {
		return // another replica has it, or the store is down: it stays due
	}
	status, err := s.send(ctx, ep, d)
	took := s.now().Sub(now)
	a := Attempt{At: now, Status: status, DurationMs: took.Milliseconds()}
	if err != nil {
		a.Error = err.Error()
	}
	d.Log = appendLog(d.Log, a)
	switch {
	case err == nil:
		at := s.now().UTC()
		d.State, d.DeliveredAt = StateDelivered, &at
	case s.now().Sub(d.CreatedAt) >= s.opts.RetryWindow:
		d.State = StateDead
	default:
		d.NextAttemptAt = s.now().UTC().Add(s.backoff(d.Attempts))
	}
	if err := s.save(context.WithoutCancel(ctx), d); err != nil {
		slog.WarnContext(ctx, "cannot record a webhook delivery; it will be sent again", "delivery", d.ID, "err", err)
	}
}

// backoff is the wait before attempt n+1: exponential from BaseBackoff,
// capped at MaxBackoff, with jitter (half to all of it), so that receivers
// coming back are not hit by every sender at once.
func (s *Service) backoff(n int) time.Duration {
	d := float64(s.opts.BaseBackoff) * math.Pow(2, float64(n-1))
	d = math.Min(d, float64(s.opts.MaxBackoff))
	return time.Duration(d * (0.5 + 0.5*mrand.Float64()))
}

func appendLog(log []Attempt, a Attempt) []Attempt {
	log = append(log, a)
	if len(log) > 20 {
		log = log[len(log)-20:]
	}
	return log
}

// send posts the event to the endpoint. Any 2xx is success.
func (s *Service) send(ctx context.Context, ep *Endpoint, d *Delivery) (int, error) {
	body, err := json.Marshal(d.Event)
	if err != nil {
		return 0, err
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	ts := s.now().Unix()
	h := req.Header
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "Estafette-Webhooks/1")
	h.Set("Estafette-Event", d.Event.Type)
	h.Set("Estafette-Event-Id", d.Event.ID)
	h.Set("Estafette-Delivery", d.ID)
	h.Set("Estafette-Attempt", strconv.Itoa(d.Attempts))
	h.Set("Idempotency-Key", d.Event.ID)
	h.Set(SignatureHeader, Sign(ep.Secret, ts, body))
	res, err := s.opts.Client.Do(req)
	if err != nil {
		slog.DebugContext(ctx, "webhook attempt failed", "delivery", d.ID, "err", err)
		if parent.Err() != nil {
			return 0, errors.New("interrupted: the server was stopping")
		}
		return 0, s.failure(err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	switch {
	case res.StatusCode >= 300 && res.StatusCode <= 399:
		return res.StatusCode, fmt.Errorf("the endpoint answered %s; redirects are not followed", res.Status)
	case res.StatusCode < 200 || res.StatusCode > 299:
		return res.StatusCode, fmt.Errorf("the endpoint answered %s", res.Status)
	}
	return res.StatusCode, nil
}

// failure says in plain words why an attempt got no answer, for the
// delivery log that admins read. It does not tell a refused connection
// from a filtered port or a hanging receiver: the log must not become a
// port scanner.
func (s *Service) failure(err error) error {
	var dns *net.DNSError
	switch {
	case errors.Is(err, errPrivate):
		return errors.New("refused: the address is in a private network")
	case errors.As(err, &dns):
		return errors.New("could not resolve the host name")
	}
	return fmt.Errorf("could not connect, or no answer within %s", s.opts.Timeout)
}

// SignatureHeader carries the signature of a delivery.
const SignatureHeader = "Estafette-Signature"

// Sign returns the signature header value of body sent at unix time ts.
func Sign(secret string, ts int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "%d.", ts)
	mac.Write(body)
	return "t=" + strconv.FormatInt(ts, 10) + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify checks a signature header against the body, as a receiver in Go
// would: the HMAC must match and the time must be within tolerance of now
// (so that a captured request cannot be replayed later).
func Verify(secret, header string, body []byte, tolerance time.Duration, now time.Time) error {
	var ts int64
	var sigs []string
	for part := range strings.SplitSeq(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts, _ = strconv.ParseInt(v, 10, 64)
		case "v1":
			sigs = append(sigs, v)
		}
	}
	if ts == 0 || len(sigs) == 0 {
		return errors.New("webhooks: malformed signature header")
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return errors.New("webhooks: signature timestamp outside the tolerance")
	}
	want := Sign(secret, ts, body)
	_, wantSig, _ := strings.Cut(want, ",v1=")
	for _, s := range sigs {
		if hmac.Equal([]byte(s), []byte(wantSig)) {
			return nil
		}
	}
	return errors.New("webhooks: signature does not match")
}

// Counts returns how many deliveries of an endpoint are pending and dead.
func (s *Service) Counts(ctx context.Context, endpointID string) (pending, dead int, err error) {
	for _, c := range []struct {
		state string
		n     *int
	}{{StatePending, &pending}, {StateDead, &dead}} {
		*c.n, err = s.store.Count(ctx, KindDelivery, content.And(content.Eq("endpoint", endpointID), content.Eq("state", c.state)))
		if err != nil {
			return 0, 0, err
		}
	}
	return pending, dead, nil
}

// PurgeDelivered removes the deliveries that were delivered before cutoff
// and returns how many; dead letters stay until they are replayed.
func (s *Service) PurgeDelivered(ctx context.Context, cutoff time.Time) (int, error) {
	n := 0
	where := content.And(content.Eq("state", StateDelivered), content.Lt("createdKey", content.TimeKey(cutoff)))
	for {
		docs, err := s.store.Find(ctx, content.Query{Kind: KindDelivery, Where: where, Sort: []content.SortKey{{Field: "id"}}, Limit: 500})
		if err != nil || len(docs) == 0 {
			return n, err
		}
		ids := make([]string, len(docs))
		for i, d := range docs {
			ids[i] = d.ID
		}
		if err := s.store.Delete(ctx, KindDelivery, ids...); err != nil {
			return n, err
		}
		n += len(ids)
	}
}
