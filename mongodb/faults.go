package mongodb

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"estafette/content"
)

// codeOutOfDiskSpace is MongoDB's error code OutOfDiskSpace.
const codeOutOfDiskSpace = 14031

// diskFullMessages are the words by which MongoDB (and Atlas, and
// FerretDB's backends) say that a write failed for lack of space.
var diskFullMessages = []string{
	"no space left on device",
	"disk full",
	"out of disk space",
	"over your space quota",
	"database or disk is full",
	"could not extend file",
}

// fault turns a write that failed for lack of space into an EUNAVAILABLE
// error that says so (wrapping the driver's error); other errors are
// returned as they are. MongoDB itself often stops when its disk fills;
// then the store is unreachable, which /readyz reports through Ping.
func fault(err error) error {
	if err == nil || content.ErrorCode(err) != content.EINTERNAL {
		return err
	}
	var se mongo.ServerError
	full := errors.As(err, &se) && se.HasErrorCode(codeOutOfDiskSpace)
	msg := strings.ToLower(err.Error())
	for _, m := range diskFullMessages {
		full = full || strings.Contains(msg, m)
	}
	if !full {
		return err
	}
	return content.Unavailable(err, "The store's disk is full: changes cannot be saved. Free space on the database server and try again.")
}

// faultp replaces *err by fault(*err); deferred by the write methods.
func faultp(err *error) { *err = fault(*err) }

// Check examines the store, as "estafette check" prints it: one verdict
// for the deployment's answer to a ping, one for the indexes this package
// expects on every collection (all present, with the definition it
// wants), and one for the counts of the collections (each readable).
func (s *Store) Check(ctx context.Context) []content.CheckResult {
	out := []content.CheckResult{{Name: "ping", Detail: s.hosts + ", database " + s.db.Name()}}
	if err := s.Ping(ctx); err != nil {
		out[0].Err = err
		return out
	}
	kinds := make([]content.Kind, 0, len(s.colls))
	for k := range s.colls {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool { return kinds[i] < kinds[j] })

	idx := content.CheckResult{Name: "indexes"}
	var problems []string
	n := 0
	for _, k := range kinds {
		t, c := s.colls[k], s.handle[k]
		have, err := listIndexes(ctx, c)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		for _, w := range t.indexes() {
			n++
			h, ok := have[w.Name]
			switch {
			case !ok:
				problems = append(problems, fmt.Sprintf("%s.%s is missing", t.name, w.Name))
			case !sameIndex(h, w, s.ferret):
				problems = append(problems, fmt.Sprintf("%s.%s differs from its definition", t.name, w.Name))
			}
		}
	}
	if len(problems) > 0 {
		idx.Err = fmt.Errorf("%d problems (start the server once to create them): %s", len(problems), strings.Join(problems, "; "))
	} else {
		idx.Detail = fmt.Sprintf("%d indexes on %d collections", n, len(kinds))
	}
	out = append(out, idx)

	counts := content.CheckResult{Name: "counts"}
	var parts []string
	total := int64(0)
	for _, k := range kinds {
		c, err := s.handle[k].CountDocuments(ctx, bson.D{})
		if err != nil {
			counts.Err = fmt.Errorf("%s: %w", s.colls[k].name, err)
			break
		}
		total += c
		parts = append(parts, fmt.Sprintf("%s %d", s.colls[k].name, c))
	}
	if counts.Err == nil {
		counts.Detail = fmt.Sprintf("%d documents (%s)", total, strings.Join(parts, ", "))
	}
	return append(out, counts)
}

// ErrNoBackup is what "estafette backup" says on MongoDB: this package
// takes no backups, MongoDB has its own tools for them.
var ErrNoBackup = errors.New("estafette backup is for the embedded SQLite store; back MongoDB up with mongodump " +
	"(mongodump --uri=URI --archive=FILE --gzip) or with the snapshots of your replica set or hosting (Atlas backups, volume snapshots)")
