package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"estafette/content"
	"estafette/internal/collections"
	"estafette/mongodb"
	"estafette/sqlite"
)

func envOf(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }

// seeded returns a directory with an embedded store holding the seed
// content and n synthetic activities.
func seeded(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	var errOut bytes.Buffer
	if err := run(context.Background(), []string{"seed", "--synthetic", fmt.Sprint(n)}, envOf(map[string]string{"DATA_DIR": dir}), io.Discard, &errOut); err != nil {
		t.Fatalf("seed: %v\n%s", err, errOut.String())
	}
	return dir
}

// sameStores compares two stores collection by collection: the same ids,
// bodies and scalar fields, and the same groups of every multi-valued
// field (which Find does not return).
func sameStores(t *testing.T, a, b content.Store) {
	t.Helper()
	ctx := context.Background()
	for _, c := range collections.All() {
		all := content.Query{Kind: c.Kind, Sort: []content.SortKey{{Field: "id"}}}
		da, err := a.Find(ctx, all)
		if err != nil {
			t.Fatal(err)
		}
		db, err := b.Find(ctx, all)
		if err != nil {
			t.Fatal(err)
		}
		if len(da) != len(db) {
			t.Errorf("%s: %d documents, copy has %d", c.Kind, len(da), len(db))
			continue
		}
		for i := range da {
			if da[i].ID != db[i].ID || !jsonEqual(da[i].Body, db[i].Body) || !reflect.DeepEqual(da[i].Fields, db[i].Fields) {
				t.Errorf("%s %s differs in the copy:\n%s %v\n%s %v", c.Kind, da[i].ID, da[i].Body, da[i].Fields, db[i].Body, db[i].Fields)
				break
			}
		}
		for _, m := range c.Multis {
			ga, err := a.Group(ctx, c.Kind, nil, []string{m})
			if err != nil {
				t.Fatal(err)
			}
			gb, err := b.Group(ctx, c.Kind, nil, []string{m})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ga, gb) {
				t.Errorf("%s.%s: groups differ in the copy: %d buckets, copy %d", c.Kind, m, len(ga), len(gb))
			}
		}
	}
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

func openLite(t *testing.T, dir string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), dir, collections.All())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCopySQLiteToSQLite(t *testing.T) {
	src := seeded(t, 1200) // more than two pages of activities
	dst := t.TempDir()
	getenv := envOf(map[string]string{})
	var out, errOut bytes.Buffer
	start := time.Now()
	if err := run(context.Background(), []string{"copy", "--from", "sqlite:" + src, "--to", "sqlite:" + dst}, getenv, &out, &errOut); err != nil {
		t.Fatalf("copy: %v\n%s", err, errOut.String())
	}
	t.Logf("copied in %v:\n%s", time.Since(start).Round(time.Millisecond), out.String())
	if !strings.Contains(out.String(), "the counts of every collection match") || !strings.Contains(errOut.String(), "activity") {
		t.Errorf("output %q, progress %q", out.String(), errOut.String())
	}
	a, b := openLite(t, src), openLite(t, dst)
	sameStores(t, a, b)
	b.Close()
	// Idempotent: a second copy changes nothing.
	if err := run(context.Background(), []string{"copy", "--from", "sqlite:" + src, "--to", "sqlite:" + dst, "--page", "333"}, getenv, io.Discard, io.Discard); err != nil {
		t.Fatalf("second copy: %v", err)
	}
	b = openLite(t, dst)
	sameStores(t, a, b)
	// A destination with a record the source lacks fails the check.
	extra := content.Doc{Kind: content.KindTheme, ID: "th-extra", Body: []byte(`{"id":"th-extra"}`), Fields: content.Fields{"slug": {"extra"}}}
	if err := b.Put(context.Background(), extra); err != nil {
		t.Fatal(err)
	}
	a.Close()
	b.Close()
	err := run(context.Background(), []string{"copy", "--from", "sqlite:" + src, "--to", "sqlite:" + dst}, getenv, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "theme:") || !strings.Contains(err.Error(), "in the destination") {
		t.Errorf("copy onto a store with an extra theme: %v", err)
	}
}

func TestCopyRefuses(t *testing.T) {
	src := seeded(t, 0)
	empty := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"copy"}, "usage"},
		{[]string{"copy", "--from", "sqlite:" + src}, "usage"},
		{[]string{"copy", "--from", "sqlite:" + src, "--to", "sqlite:" + src}, "same store"},
		{[]string{"copy", "--from", "sqlite:" + empty + "/nothing", "--to", "sqlite:" + t.TempDir()}, "no store in"},
		{[]string{"copy", "--from", "postgres://x", "--to", "sqlite:" + t.TempDir()}, "neither"},
		{[]string{"copy", "--from", "sqlite:" + src, "--to", "mongodb://u:secret@" + closedAddr(t)}, "cannot reach MongoDB at"},
		{[]string{"copy", "--from", "sqlite:" + src, "--to", "sqlite:" + t.TempDir(), "--page", "0"}, "--page"},
	} {
		err := run(context.Background(), tc.args, envOf(map[string]string{"MONGODB_CONNECT_TIMEOUT": "300ms"}), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "secret") {
			t.Errorf("%v: %v; want an error with %q", tc.args, err, tc.want)
		}
	}
}

// closedAddr returns a loopback address where nothing listens.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestMongoUnreachable: with MONGODB_URI pointing nowhere, the program
// stops within the connect timeout with one clear line.
func TestMongoUnreachable(t *testing.T) {
	addr := closedAddr(t)
	start := time.Now()
	err := run(context.Background(), []string{"seed"}, envOf(map[string]string{
		"MONGODB_URI": "mongodb://" + addr, "MONGODB_CONNECT_TIMEOUT": "500ms", "DATA_DIR": t.TempDir()}), io.Discard, io.Discard)
	if err == nil || !strings.HasPrefix(err.Error(), "cannot reach MongoDB at "+addr+": ") || strings.Contains(err.Error(), "\n") {
		t.Errorf("error %q", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %v with a 500ms timeout", took)
	}
}

// TestCopyToMongoDB copies the seed content into a fresh database of the
// server at MONGODB_URI, back into a new embedded store, and compares.
func TestCopyToMongoDB(t *testing.T) {
	uri := mongoURI
	if uri == "" {
		t.Skip("MONGODB_URI is not set; to run: MONGODB_URI=mongodb://127.0.0.1:27017 go test -run Copy .")
	}
	src := seeded(t, 700)
	db := fmt.Sprintf("estafette_copytest_%d_%d", os.Getpid(), time.Now().UnixNano()%1_000_000)
	env := envOf(map[string]string{"MONGODB_DATABASE": db})
	t.Cleanup(func() {
		s, err := mongodb.Open(context.Background(), uri, db, collections.All(), mongodb.Options{})
		if err == nil {
			s.Drop(context.Background())
			s.Close()
		}
	})
	if err := run(context.Background(), []string{"copy", "--from", "sqlite:" + src, "--to", uri}, env, io.Discard, io.Discard); err != nil {
		t.Fatalf("copy to MongoDB: %v", err)
	}
	back := t.TempDir()
	if err := run(context.Background(), []string{"copy", "--from", uri, "--to", "sqlite:" + back}, env, io.Discard, io.Discard); err != nil {
		t.Fatalf("copy back: %v", err)
	}
	a, b := openLite(t, src), openLite(t, back)
	defer a.Close()
	defer b.Close()
	sameStores(t, a, b)
	m, err := mongodb.Open(context.Background(), uri, db, collections.All(), mongodb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	sameStores(t, a, m)
}
