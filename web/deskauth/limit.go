package deskauth

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limit is a token bucket: Burst attempts at once, then one every Every.
type Limit struct {
	Burst int
	Every time.Duration
}

// The default limits of sign-in attempts: 20 per address, then one every
// 30 s; 5 per account, then one a minute.
var (
	DefaultAddressLimit = Limit{Burst: 20, Every: 30 * time.Second}
	DefaultAccountLimit = Limit{Burst: 5, Every: time.Minute}
)

// maxBuckets bounds the buckets a limiter keeps; past it, full buckets
// (those of nobody who tried lately) are dropped first.
const maxBuckets = 100000

// limiter keeps a bucket per key (an address or an account), in memory:
// per replica.
type limiter struct {
	limit   Limit
	now     func() time.Time
	mu      sync.Mutex
	buckets map[string]*rate.Limiter
	sweep   time.Time
}

func newLimiter(l Limit, now func() time.Time) *limiter {
	return &limiter{limit: l, now: now, buckets: map[string]*rate.Limiter{}}
}

// take takes an attempt from key's bucket: 0 when there was one, else how
// long until there is.
func (l *limiter) take(key string) time.Duration {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.buckets) >= maxBuckets || now.Sub(l.sweep) > 10*time.Minute {
		l.sweep = now
		for k, b := range l.buckets {
			if b.TokensAt(now) >= float64(l.limit.Burst) {
				delete(l.buckets, k)
			}
		}
	}
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			return l.limit.Every // full of active buckets: refuse rather than grow
		}
		b = rate.NewLimiter(rate.Every(l.limit.Every), l.limit.Burst)
		l.buckets[key] = b
	}
	r := b.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return d
	}
	return 0
}
