package mongodb

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"estafette/content"
)

// Write locks of the fallback without transactions.
//
// The fallback guards a change with a replace or delete filtered on
// {_id, version}. On MongoDB that is one atomic compare-and-swap, but
// FerretDB 1.x runs such an update as a query followed by a write by _id,
// outside any transaction: writers that read the same version all match
// and all write. The one write every engine checks atomically is an insert
// into a unique _id. So the fallback first takes a lock per document it
// guards: a document {_id: "kind/id", owner, until} in the collection
// est_lock, inserted (a duplicate _id means another writer holds it) and
// deleted by its owner when the call is done, undo included. Under the
// lock, reading the stored version, checking it and writing are one step
// for every other Apply.
//
// A holder renews its locks every lockRenew while it works (a replace
// filtered on its owner), so a lock runs out only when its holder died or
// lost the server: a lock whose until (lockLease after it was taken or
// last renewed) has passed is dead. A holder that cannot renew in time
// stops: the context of its writes and of its undo is cancelled before its
// locks run out. Another writer takes a dead lock over by first inserting
// the marker {_id: "takeover:<owner>", owner, until}: only one writer can
// insert the marker of a given dead owner, and only that writer deletes
// the dead lock (filtered on its owner, so never a newer lock: owners are
// random and never reused). A marker is a lease too, so a writer that dies
// while taking over is taken over in turn.
//
// A writer that finds a lock held waits for it, up to lockWait, then
// gives ECONFLICT. Put takes no locks: it writes by _id without a guard,
// for seeding and copying, not for concurrent editing.

const (
	lockCollection = "est_lock"
	takeoverPrefix = "takeover:"
)

// The timing of the locks (variables for the tests).
var (
	lockLease  = 30 * time.Second // how long a lock holds without renewal
	lockRenew  = 10 * time.Second // how often a holder renews
	lockMargin = 5 * time.Second  // a holder stops this long before its locks would run out
	lockWait   = 5 * time.Second  // the longest one call waits for the locks it needs
)

// errLockLost cancels the writes of a call whose locks could not be
// renewed in time.
var errLockLost = errors.New("the write locks could not be renewed in time (the server did not answer); the change was stopped and undone")

// lockID is the _id of the lock of a document.
func lockID(k docKey) string { return string(k.kind) + "/" + k.id }

// newOwner returns a token no other lock holder has.
func newOwner() string {
	b := make([]byte, 16)
	_, _ = crand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// ownedBy selects the lock (or marker) id while owner holds it.
func ownedBy(id, owner string) bson.D {
	return bson.D{{Key: idField, Value: id}, {Key: "owner", Value: owner}}
}

// lockDoc is a stored lock (or takeover marker).
type lockDoc struct {
	Owner string        `bson:"owner"`
	Until bson.DateTime `bson:"until"`
}

// held are the locks of one call.
type held struct {
	s     *Store
	owner string
	ids   []string
	// keep is cancelled, with errLockLost, when the locks could not be
	// renewed in time; the call's writes and undo run under it.
	keep context.Context
	lose context.CancelCauseFunc
	stop chan struct{} // closed by release: stop renewing
	done chan struct{} // closed when the renewal has stopped
}

// lock takes the locks of the documents keys (in a fixed order, so two
// calls never wait for each other in a circle), waiting up to lockWait in
// all for locks other writers hold, and renews them until release. A lock
// still held by another writer after the wait gives ECONFLICT.
func (s *Store) lock(ctx context.Context, keys []docKey) (*held, error) {
	h := &held{s: s, owner: newOwner(), stop: make(chan struct{}), done: make(chan struct{})}
	ids := make([]string, 0, len(keys))
	for _, k := range keys {
		ids = append(ids, lockID(k))
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	start := time.Now() // the first lock runs out lockLease after this, at the earliest
	deadline := start.Add(lockWait)
	for len(ids) > 0 {
		// All that are free in one ordered insert; at the first one held
		// by another writer, wait for that one alone, then go on.
		docs := make([]any, len(ids))
		for i, id := range ids {
			docs[i] = lockDocument(id, h.owner, start.Add(lockLease))
		}
		_, err := s.locks.InsertMany(ctx, docs, options.InsertMany().SetOrdered(true))
		n := applied(err, len(ids))
		h.ids = append(h.ids, ids[:n]...)
		ids = ids[n:]
		if err == nil {
			break
		}
		if !mongo.IsDuplicateKeyError(err) || len(ids) == 0 {
			h.remove()
			return nil, fmt.Errorf("mongodb: apply: lock: %w", err)
		}
		if err := s.lockOne(ctx, ids[0], h.owner, deadline); err != nil {
			h.remove()
			return nil, err
		}
		h.ids = append(h.ids, ids[0])
		ids = ids[1:]
	}
	h.keep, h.lose = context.WithCancelCause(context.Background())
	go h.renew(start.Add(lockLease))
	return h, nil
}

// renew extends the locks every lockRenew until release (every second
// after a failed try). When it has not managed to lockMargin before they
// run out, or finds one taken over, it cancels keep.
func (h *held) renew(valid time.Time) {
	defer close(h.done)
	wait := lockRenew
	for {
		left := time.Until(valid) - lockMargin
		if left <= 0 {
			h.lose(errLockLost)
			return
		}
		timer := time.NewTimer(min(wait, left))
		select {
		case <-h.stop:
			timer.Stop()
			return
		case <-timer.C:
		}
		if time.Until(valid) <= lockMargin {
			continue // out of time: lose
		}
		start := time.Now()
		models := make([]mongo.WriteModel, len(h.ids))
		for i, id := range h.ids {
			models[i] = mongo.NewReplaceOneModel().SetFilter(ownedBy(id, h.owner)).SetReplacement(lockDocument(id, h.owner, start.Add(lockLease)))
		}
		ctx, cancel := context.WithDeadline(context.Background(), valid.Add(-lockMargin))
		res, err := h.s.locks.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(true))
		cancel()
		switch {
		case err != nil:
			wait = time.Second // try again soon, if there is time
		case res.MatchedCount < int64(len(h.ids)):
			h.lose(errLockLost) // one was taken over: stop at once
			return
		default:
			valid, wait = start.Add(lockLease), lockRenew
		}
	}
}

// release stops renewing and removes the locks.
func (h *held) release() {
	close(h.stop)
	<-h.done
	h.lose(context.Canceled)
	h.remove()
}

// remove deletes the locks taken, filtered on the owner: a lock taken over
// after it ran out is not this call's to delete.
func (h *held) remove() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if len(h.ids) == 0 {
		return
	}
	_, _ = h.s.locks.DeleteMany(ctx, allOwnedBy(h.ids, h.owner))
}

// allOwnedBy selects the locks ids while owner holds them.
func allOwnedBy(ids []string, owner string) bson.D {
	a := make(bson.A, len(ids))
	for i, id := range ids {
		a[i] = id
	}
	return bson.D{{Key: idField, Value: bson.D{{Key: "$in", Value: a}}}, {Key: "owner", Value: owner}}
}

// lockDocument is the stored lock (or marker) id of owner, running out at
// until.
func lockDocument(id, owner string, until time.Time) bson.D {
	return bson.D{{Key: idField, Value: id}, {Key: "owner", Value: owner}, {Key: "until", Value: bson.NewDateTimeFromTime(until)}}
}

// lockOne takes one lock another writer held a moment ago, waiting for it
// until deadline.
func (s *Store) lockOne(ctx context.Context, id, owner string, deadline time.Time) error {
	pause := 2 * time.Millisecond
	for {
		held, err := s.lease(ctx, id, owner, 0)
		if err != nil {
			return err
		}
		if held {
			return nil
		}
		if time.Now().After(deadline) {
			kind, rid, _ := strings.Cut(id, "/")
			return content.Errorf(content.ECONFLICT, "%s %s is being changed by another writer; reload it and apply your change again", kind, rid)
		}
		// Jittered, growing pauses: a holder needs a few round trips.
		d := pause/2 + time.Duration(rand.Int64N(int64(pause)))
		select {
		case <-ctx.Done():
			return fmt.Errorf("mongodb: apply: wait for lock %s: %w", id, ctx.Err())
		case <-time.After(d):
		}
		pause = min(pause*2, 50*time.Millisecond)
	}
}

// lease tries once to insert the lease document id for owner. When
// another owner holds it, it reports false, after removing that lease if
// it ran out (so that the next try can succeed).
func (s *Store) lease(ctx context.Context, id, owner string, depth int) (bool, error) {
	_, err := s.locks.InsertOne(ctx, lockDocument(id, owner, time.Now().Add(lockLease)))
	if err == nil {
		return true, nil
	}
	if !mongo.IsDuplicateKeyError(err) {
		return false, fmt.Errorf("mongodb: apply: lock %s: %w", id, err)
	}
	var cur lockDoc
	err = s.locks.FindOne(ctx, bson.D{{Key: idField, Value: id}}).Decode(&cur)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return false, nil // released meanwhile
	case err != nil:
		return false, fmt.Errorf("mongodb: apply: read lock %s: %w", id, err)
	case cur.Until.Time().After(time.Now()):
		return false, nil // held
	}
	return false, s.takeOver(ctx, id, cur.Owner, depth)
}

// takeOver removes the lease id of an owner whose time ran out, unless
// another writer is doing so already. The marker it holds meanwhile is a
// lease too, so a writer that dies while taking over is taken over in
// turn.
func (s *Store) takeOver(ctx context.Context, id, dead string, depth int) error {
	if depth >= 3 {
		return nil // markers of markers of markers: let the next try see
	}
	marker, mine := takeoverPrefix+dead, newOwner()
	held, err := s.lease(ctx, marker, mine, depth+1)
	if err != nil || !held {
		return err // another writer takes it over: wait for it
	}
	if _, err := s.locks.DeleteOne(ctx, ownedBy(id, dead)); err != nil {
		return fmt.Errorf("mongodb: apply: take over lock %s: %w", id, err)
	}
	// The dead lease is gone for good (owners are never reused), so the
	// marker has done its work: a writer that takes the marker later
	// finds no lease of that owner to delete.
	_, _ = s.locks.DeleteOne(ctx, ownedBy(marker, mine))
	return nil
}
