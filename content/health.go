package content

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Health tracks whether the store can take writes: it remembers the last
// write that failed for a storage fault (an EUNAVAILABLE error: disk full,
// I/O error) until a later write succeeds. The readiness probe consults
// Ready, so that a server whose disk is full leaves the load balancer's
// rotation with a reason instead of failing every write.
//
// It watches the store as an observer: use h.Store(s) (or
// Instrument(s, h.Observe)) for the store the program writes through. The
// zero value is ready; a Health is safe for concurrent use.
type Health struct {
	// Probe, when set, is run by Ready while the last write failed (at most
	// once every ProbeEvery), and a nil result clears the failure: without
	// it a server taken out of rotation would receive no write that could
	// make it ready again. It should try a small write, such as
	// (*sqlite.Store).ProbeWrite.
	Probe func(ctx context.Context) error
	// ProbeEvery is the least time between two probes (default 5 s).
	ProbeEvery time.Duration

	mu       sync.Mutex
	failure  error     // the last write failure; nil when the last write succeeded
	failedAt time.Time // when it happened
	probedAt time.Time // when Probe last ran
	now      func() time.Time
}

// Store returns s with h told of every write.
func (h *Health) Store(s Store) Store { return Instrument(s, h.Observe) }

// Observe is the Observer that records the outcome of writes (put, apply,
// delete): an EUNAVAILABLE failure makes h unready, a success makes it
// ready again. Reads, and writes that fail for other reasons (a conflict,
// bad input, a cancelled request), change nothing.
func (h *Health) Observe(ctx context.Context, op *StoreOp) (context.Context, func(error)) {
	switch op.Name {
	case StorePut, StoreApply, StoreDelete:
		return ctx, h.Record
	}
	return ctx, nil
}

// Record records the outcome of one write; Observe calls it.
func (h *Health) Record(err error) {
	switch {
	case err == nil:
		h.mu.Lock()
		h.failure = nil
		h.mu.Unlock()
	case ErrorCode(err) == EUNAVAILABLE:
		h.mu.Lock()
		h.failure, h.failedAt = err, h.clock()
		h.mu.Unlock()
	}
}

// Ready returns nil when the last write succeeded (or none failed), and
// otherwise an EUNAVAILABLE error whose message gives the reason and when
// the failure happened. With a Probe it first tries whether writes work
// again.
func (h *Health) Ready(ctx context.Context) error {
	h.mu.Lock()
	failure, at := h.failure, h.failedAt
	probe := h.Probe != nil && failure != nil && h.clock().Sub(h.probedAt) >= h.probeEvery()
	if probe {
		h.probedAt = h.clock()
	}
	h.mu.Unlock()
	if failure == nil {
		return nil
	}
	if probe {
		if err := h.Probe(ctx); err == nil {
			h.mu.Lock()
			if h.failedAt.Equal(at) { // no write failed meanwhile
				h.failure = nil
			}
			h.mu.Unlock()
			return h.readyNow()
		}
	}
	return unready(failure, at)
}

// readyNow is Ready without probing.
func (h *Health) readyNow() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.failure == nil {
		return nil
	}
	return unready(h.failure, h.failedAt)
}

// unready is the error of Ready for a write that failed at at.
func unready(failure error, at time.Time) error {
	return Unavailable(failure, "A write failed at %s: %s. Ready again once a write succeeds.",
		at.UTC().Format(time.RFC3339), strings.TrimSuffix(ErrorMessage(failure), "."))
}

func (h *Health) clock() time.Time {
	if h.now != nil {
		return h.now()
	}
	return time.Now()
}

func (h *Health) probeEvery() time.Duration {
	if h.ProbeEvery > 0 {
		return h.ProbeEvery
	}
	return 5 * time.Second
}

// A CheckResult is the verdict of one check of a store's integrity, such
// as "estafette check" prints: the check's name, what it found, and the
// error when it failed.
type CheckResult struct {
	Name   string // what was checked, such as "integrity_check"
	Detail string // what was found, such as "ok" or "3 collections"
	Err    error  // nil when the check passed
}

// String is the one-line verdict: "ok   NAME: DETAIL" or "FAIL NAME: ERROR".
func (r CheckResult) String() string {
	if r.Err != nil {
		return fmt.Sprintf("FAIL %s: %v", r.Name, r.Err)
	}
	return fmt.Sprintf("ok   %s: %s", r.Name, r.Detail)
}

// CheckFailed returns an error naming the failed checks of results, or nil
// when all passed.
func CheckFailed(results []CheckResult) error {
	var failed []string
	for _, r := range results {
		if r.Err != nil {
			failed = append(failed, r.Name)
		}
	}
	if len(failed) == 0 {
		return nil
	}
	return fmt.Errorf("%d of %d checks failed: %s", len(failed), len(results), strings.Join(failed, ", "))
}
