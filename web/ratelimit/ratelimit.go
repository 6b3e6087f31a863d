// Package ratelimit limits how fast one client may call the API: a token
// bucket per API key, or per client IP for anonymous callers, with 429 Too
// Many Requests and a Retry-After header when a bucket is empty. Buckets
// live in the process: behind a load balancer with N replicas a client gets
// up to N times the rate, which is the usual trade-off for not needing a
// shared store on every request.
package ratelimit

import (
	"context"
	"encoding/json"
	"estafette/internal/errcode"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"estafette/content"
)

// Config sets the rates. A zero PerSecond switches limiting off.
type Config struct {
	PerSecond float64 // sustained requests per second of an anonymous client
	Burst     int     // requests an anonymous client may make at once
	// KeyFactor multiplies both for callers with an API key (default 5).
	KeyFactor float64
	// TrustedProxies are the networks of proxies (load balancers, CDNs)
	// whose X-Forwarded-For is believed; otherwise the peer address counts.
	TrustedProxies []netip.Prefix
}

// Limiter keeps the buckets.
type Limiter struct {
	cfg     Config
	mu      sync.Mutex
	buckets map[string]*bucket
	sweep   time.Time
	now     func() time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// New returns a limiter; nil when cfg switches limiting off.
func New(cfg Config) *Limiter {
	if cfg.PerSecond <= 0 {
		return nil
	}
	if cfg.Burst <= 0 {
		cfg.Burst = int(math.Max(1, 2*cfg.PerSecond))
	}
	if cfg.KeyFactor <= 0 {
		cfg.KeyFactor = 5
	}
	return &Limiter{cfg: cfg, buckets: map[string]*bucket{}, now: time.Now}
}

// Middleware refuses requests over the rate. It must run after the caller
// is known (auth.Middleware), so that keys get their own buckets.
func (l *Limiter) Middleware(next http.Handler) http.Handler {
	if l == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		who, factor := "ip:"+l.ClientIP(r), 1.0
		if v := content.ViewerFrom(r.Context()); !v.Anonymous() {
			who, factor = "key:"+v.Actor, l.cfg.KeyFactor
		}
		r = r.WithContext(context.WithValue(r.Context(), clientKey{}, who))
		if wait := l.take(who, factor); wait > 0 {
			secs := int(math.Ceil(wait.Seconds()))
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			w.Header().Set("Content-Type", "application/graphql-response+json; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusTooManyRequests)
			_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{
				"message":    "Too many requests; try again in " + strconv.Itoa(secs) + " s.",
				"extensions": map[string]any{"code": errcode.RateLimited, "retryAfterSeconds": secs},
			}}})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// AllowClient takes a token from the bucket of a client as the middleware
// names it (Client: "ip:…" or "key:…", keys with KeyFactor times the
// rate), for requests that do not pass the middleware one by one, such as
// the operations sent over one WebSocket. A nil limiter allows everything.
func (l *Limiter) AllowClient(who string) bool {
	if l == nil {
		return true
	}
	factor := 1.0
	if strings.HasPrefix(who, "key:") {
		factor = l.cfg.KeyFactor
	}
	return l.take(who, factor) == 0
}

// KeyLookups returns the guard of API key lookups (auth's
// SetLookupGuard): a client may have a key this replica does not know
// looked up in the store a tenth as often as it may make requests (at
// least once a second, with a burst of at least 5), so that trying random
// keys is refused with 429 long before it costs the store. A nil limiter
// gives no guard.
func (l *Limiter) KeyLookups() func(r *http.Request) time.Duration {
	if l == nil {
		return nil
	}
	perSecond := max(1, l.cfg.PerSecond/10)
	burst := max(5, l.cfg.Burst/10)
	return func(r *http.Request) time.Duration {
		return l.takeRate("lookup:"+l.ClientIP(r), perSecond, burst)
	}
}

type clientKey struct{}

// Client returns the client a request comes from, as the limiter names it
// ("ip:…" or "key:…"); "" when no limiter ran.
func Client(ctx context.Context) string {
	who, _ := ctx.Value(clientKey{}).(string)
	return who
}

// Allow takes a token from who's bucket and reports whether there was one.
// A nil limiter allows everything.
func (l *Limiter) Allow(who string) bool {
	if l == nil {
		return true
	}
	return l.take(who, 1) == 0
}

// take takes a token from who's bucket; it returns how long to wait when
// there is none.
func (l *Limiter) take(who string, factor float64) time.Duration {
	return l.takeRate(who, l.cfg.PerSecond*factor, int(float64(l.cfg.Burst)*factor))
}

// takeRate takes a token from who's bucket, which fills at perSecond up to
// burst; it returns how long to wait when there is none.
func (l *Limiter) takeRate(who string, perSecond float64, burst int) time.Duration {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.sweep) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > 10*time.Minute {
				delete(l.buckets, k)
			}
		}
		l.sweep = now
	}
	b := l.buckets[who]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(rate.Limit(perSecond), burst)}
		l.buckets[who] = b
	}
	b.seen = now
	res := b.lim.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return d
	}
	return 0
}

// ClientIP returns the address of the client: the peer, or, when the peer
// is a trusted proxy, the last address in X-Forwarded-For that is not.
func (l *Limiter) ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !l.trusted(host) {
		return host
	}
	hops := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		h := strings.TrimSpace(hops[i])
		if h == "" {
			continue
		}
		if !l.trusted(h) {
			return h
		}
	}
	return host
}

func (l *Limiter) trusted(host string) bool {
	a, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	for _, p := range l.cfg.TrustedProxies {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}
