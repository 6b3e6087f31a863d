package mongodb

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"estafette/content"
	"estafette/content/storetest"
	"estafette/internal/collections"
)

// The conformance suite and the other tests against a real server run when
// MONGODB_URI is set; each test gets a database of its own, dropped when
// it ends.

const skipMessage = "MONGODB_URI is not set; to run the MongoDB conformance suite: MONGODB_URI=mongodb://127.0.0.1:27017 go test ./mongodb/"

var dbSeq atomic.Int64

// openTest opens a store on a fresh database of the server at MONGODB_URI
// and drops the database when the test ends; it skips the test when
// MONGODB_URI is not set.
func openTest(t *testing.T, opts Options) *Store {
	t.Helper()
	uri := os.Getenv("MONGODB_URI")
	if uri == "" {
		t.Skip(skipMessage)
	}
	name := fmt.Sprintf("estafette_test_%d_%d_%d", os.Getpid(), time.Now().Unix()%100000, dbSeq.Add(1))
	s, err := Open(context.Background(), uri, name, collections.All(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// A second client: the suite closes the store it was given.
		d, err := Open(context.Background(), uri, name, collections.All(), Options{})
		if err != nil {
			t.Errorf("drop %s: %v", name, err)
			return
		}
		defer d.Close()
		if err := d.Drop(context.Background()); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	if os.Getenv("MONGODB_URI") == "" {
		t.Skip(skipMessage)
	}
	var tx bool
	storetest.Run(t, collections.All(), func(t *testing.T) content.Store {
		s := openTest(t, Options{})
		tx = s.Transactions()
		return s
	})
	t.Logf("transactions: %v", tx)
}

// TestConformanceFallback runs the suite once more with the fallback
// without transactions, on a deployment that has them (on one that does
// not, TestConformance ran the fallback already).
func TestConformanceFallback(t *testing.T) {
	probe := openTest(t, Options{})
	tx := probe.Transactions()
	probe.Close()
	if !tx {
		t.Skip("the deployment has no transactions: TestConformance ran the fallback")
	}
	storetest.Run(t, collections.All(), func(t *testing.T) content.Store { return openTest(t, Options{NoTransactions: true}) })
}

// TestServer checks what the suite does not: indexes are made once and
// kept, the command monitor reports, Ping answers.
func TestServer(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	s := openTest(t, Options{OnCommand: func(e CommandEvent) {
		mu.Lock()
		seen[e.Command+" "+e.Collection]++
		mu.Unlock()
	}})
	defer s.Close()
	ctx := context.Background()
	if err := s.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, content.Doc{Kind: content.KindTheme, ID: "th1", Body: []byte(`{"n":1}`),
		Fields: content.Fields{"slug": {"th1"}, "updatedKey": {"2024-01-02T03:04:05.000Z"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, content.KindTheme, []string{"th1"}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if seen["find theme"] == 0 || seen["ping "] == 0 {
		t.Errorf("commands seen: %v", seen)
	}
	mu.Unlock()
	// Every wanted index exists, and opening again changes nothing.
	for _, c := range collections.All() {
		have, err := listIndexes(ctx, s.handle[c.Kind])
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range s.colls[c.Kind].indexes() {
			if h, ok := have[w.Name]; !ok || !sameIndex(h, w, s.ferret) {
				t.Errorf("%s: index %s is %+v, want %+v", c.Kind, w.Name, h, w)
			}
		}
	}
	// The second pass changes nothing: no index is dropped or made again.
	indexCommands := func() int {
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for k, v := range seen {
			if strings.HasPrefix(k, "dropIndexes ") || strings.HasPrefix(k, "createIndexes ") {
				n += v
			}
		}
		return n
	}
	before := indexCommands()
	for _, c := range collections.All() {
		if err := ensureIndexes(ctx, s.handle[c.Kind], s.colls[c.Kind].indexes(), s.ferret); err != nil {
			t.Errorf("second index pass: %v", err)
		}
	}
	if n := indexCommands() - before; n != 0 {
		t.Errorf("the second index pass sent %d dropIndexes or createIndexes commands; it must change nothing", n)
	}
	// updatedAt is a date operators can query.
	n, err := s.handle[content.KindTheme].CountDocuments(ctx, map[string]any{"updatedAt": map[string]any{"$gte": time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}})
	if err != nil || n != 1 {
		t.Errorf("themes updated in 2024: %d, %v", n, err)
	}
}

// TestLocks checks the write locks of the fallback: released after every
// call, a lock whose lease ran out is taken over, a live one makes a
// writer wait and then gives ECONFLICT.
func TestLocks(t *testing.T) {
	s := openTest(t, Options{NoTransactions: true})
	defer s.Close()
	ctx := context.Background()
	doc := func(v int64) content.Doc {
		return content.Doc{Kind: content.KindTheme, ID: "th1", Body: []byte(`{}`),
			Fields: content.Fields{"slug": {"th1"}, "version": {content.VersionKey(v)}}}
	}
	if err := s.Apply(ctx, content.Write{Doc: doc(1)}); err != nil {
		t.Fatal(err)
	}
	locks := func() int {
		n, err := s.locks.CountDocuments(ctx, bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		return int(n)
	}
	if n := locks(); n != 0 {
		t.Errorf("%d locks left after a write", n)
	}
	// A dead writer's lock: taken over, and nothing is left afterwards.
	id := lockID(docKey{content.KindTheme, "th1"})
	if _, err := s.locks.InsertOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "owner", Value: "dead"},
		{Key: "until", Value: bson.NewDateTimeFromTime(time.Now().Add(-time.Second))}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Apply(ctx, content.Write{Doc: doc(2), Expect: content.VersionKey(1)}); err != nil {
		t.Fatalf("write after a dead lock: %v", err)
	}
	if n := locks(); n != 0 {
		t.Errorf("%d locks or markers left after a takeover", n)
	}
	// A live lock: the writer waits, then gives up with ECONFLICT.
	defer func(w time.Duration) { lockWait = w }(lockWait)
	lockWait = 300 * time.Millisecond
	if _, err := s.locks.InsertOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "owner", Value: "alive"},
		{Key: "until", Value: bson.NewDateTimeFromTime(time.Now().Add(time.Minute))}}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err := s.Apply(ctx, content.Write{Doc: doc(3), Expect: content.VersionKey(2)})
	if content.ErrorCode(err) != content.ECONFLICT || time.Since(start) < lockWait {
		t.Errorf("write under a live lock: %v after %v, want ECONFLICT after %v", err, time.Since(start), lockWait)
	}
	// Released meanwhile: the writer that waits gets it.
	go func() {
		time.Sleep(100 * time.Millisecond)
		_, _ = s.locks.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	}()
	if err := s.Apply(ctx, content.Write{Doc: doc(3), Expect: content.VersionKey(2)}); err != nil {
		t.Errorf("write after the lock was released: %v", err)
	}
	got, err := s.Get(ctx, content.KindTheme, []string{"th1"})
	if err != nil || got["th1"].Fields["version"][0] != content.VersionKey(3) {
		t.Errorf("stored: %v, %v; want version 3", got["th1"].Fields, err)
	}
	// Several locks, one of them held a moment longer by another writer:
	// the free ones in one insert, the held one after the wait.
	ids := []docKey{{content.KindTheme, "a"}, {content.KindTheme, "b"}, {content.KindTheme, "c"}, {content.KindTheme, "d"}}
	if _, err := s.locks.InsertOne(ctx, lockDocument(lockID(ids[1]), "other", time.Now().Add(time.Minute))); err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(100 * time.Millisecond)
		_, _ = s.locks.DeleteOne(ctx, ownedBy(lockID(ids[1]), "other"))
	}()
	hs, err := s.lock(ctx, ids)
	if err != nil {
		t.Fatalf("four locks: %v", err)
	}
	if n, err := s.locks.CountDocuments(ctx, bson.D{{Key: "owner", Value: hs.owner}}); err != nil || n != 4 || len(hs.ids) != 4 {
		t.Errorf("four locks: %d stored, %d held, %v", n, len(hs.ids), err)
	}
	hs.release()
	if n := locks(); n != 0 {
		t.Errorf("%d locks left after release", n)
	}
	// A holder renews its locks while it works, and stops (keep is
	// cancelled) when one is taken from it.
	defer func(l, r, m time.Duration) { lockLease, lockRenew, lockMargin = l, r, m }(lockLease, lockRenew, lockMargin)
	lockLease, lockRenew, lockMargin = 2*time.Second, 300*time.Millisecond, 700*time.Millisecond
	h, err := s.lock(ctx, []docKey{{content.KindTheme, "th1"}, {content.KindTheme, "th2"}})
	if err != nil {
		t.Fatal(err)
	}
	defer h.release()
	time.Sleep(lockLease + lockLease/4) // past the first lease: renewed
	if h.keep.Err() != nil {
		t.Fatalf("locks lost while renewed: %v", context.Cause(h.keep))
	}
	var l lockDoc
	if err := s.locks.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&l); err != nil || l.Owner != h.owner || !l.Until.Time().After(time.Now()) {
		t.Errorf("lock after a lease: %+v, %v; want renewed by %s", l, err, h.owner)
	}
	if _, err := s.locks.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-h.keep.Done():
		if !errors.Is(context.Cause(h.keep), errLockLost) {
			t.Errorf("keep ended with %v, want errLockLost", context.Cause(h.keep))
		}
	case <-time.After(2 * lockLease):
		t.Error("a holder whose lock was taken did not stop")
	}
}
