package content_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"estafette/content"
	"estafette/sqlite"
)

type ctxKey struct{}

// recorder is an observer that logs what it is told as "<name> <op>
// <kind>" before and "<name> done <op> rows=<n> err=<err>" after.
func recorder(name string, log *[]string) content.Observer {
	return func(ctx context.Context, op *content.StoreOp) (context.Context, func(error)) {
		*log = append(*log, fmt.Sprintf("%s %s %s", name, op.Name, op.Kind))
		ctx = context.WithValue(ctx, ctxKey{}, append(slices.Clone(pathOf(ctx)), name))
		return ctx, func(err error) {
			*log = append(*log, fmt.Sprintf("%s done %s rows=%d err=%v", name, op.Name, op.Rows, err))
		}
	}
}

func pathOf(ctx context.Context) []string { p, _ := ctx.Value(ctxKey{}).([]string); return p }

// probe is a store that records the context path it is called with and
// fails every Delete.
type probe struct {
	content.Store
	paths *[]string
}

func (p probe) Find(ctx context.Context, q content.Query) ([]content.Doc, error) {
	*p.paths = append(*p.paths, strings.Join(pathOf(ctx), ">"))
	return p.Store.Find(ctx, q)
}

func (p probe) Delete(ctx context.Context, kind content.Kind, ids ...string) error {
	return errors.New("no deleting")
}

func TestInstrument(t *testing.T) {
	ctx := context.Background()
	base := emptyStore(t)
	doc := content.Doc{Kind: content.KindTheme, ID: "t1", Body: []byte(`{}`), Fields: content.Fields{"slug": {"t1"}}}
	if err := base.Put(ctx, doc); err != nil {
		t.Fatal(err)
	}
	var log, paths []string
	inner := content.Instrument(probe{base, &paths}, recorder("b", &log))
	s := content.Instrument(inner, recorder("a", &log)) // in front of b, in one layer

	if _, err := s.Find(ctx, content.Query{Kind: content.KindTheme}); err != nil {
		t.Fatal(err)
	}
	err := s.Delete(ctx, content.KindTheme, "t1")
	if err == nil {
		t.Fatal("the failing delete succeeded")
	}
	want := []string{
		"a find theme", "b find theme", "b done find rows=1 err=<nil>", "a done find rows=1 err=<nil>",
		"a delete theme", "b delete theme", "b done delete rows=0 err=no deleting", "a done delete rows=0 err=no deleting",
	}
	if !slices.Equal(log, want) {
		t.Errorf("observers saw\n%s\nwant\n%s", strings.Join(log, "\n"), strings.Join(want, "\n"))
	}
	if !slices.Equal(paths, []string{"a>b"}) {
		t.Errorf("the store ran with the contexts of %q, want a>b", paths)
	}
	if u, ok := s.(interface{ Unwrap() content.Store }); !ok || u.Unwrap() == inner {
		t.Errorf("instrumenting an instrumented store made a second layer")
	}
	// Methods beyond Store are reached through the decorator.
	if _, ok := s.(interface{ Optimize(context.Context) error }); ok {
		t.Error("the decorator has Optimize itself")
	}
	if _, ok := content.StoreAs[probe](s); !ok {
		t.Error("StoreAs does not find the store underneath")
	}
	if _, ok := content.StoreAs[*sqlite.Store](s); ok {
		t.Error("StoreAs looks inside a store that has no Unwrap")
	}
	if o, ok := content.StoreAs[interface{ Optimize(context.Context) error }](content.Instrument(base, recorder("c", &log))); !ok || o.Optimize(ctx) != nil {
		t.Error("Optimize is not reachable through the decorator")
	}
	if got := content.Instrument(base); got != content.Store(base) {
		t.Error("Instrument without observers decorates")
	}
}

func TestStoreOpKinds(t *testing.T) {
	audit := content.Doc{Kind: content.KindAudit}
	for _, tc := range []struct {
		op   content.StoreOp
		want []content.Kind
	}{
		{content.StoreOp{Name: content.StoreFind, Kind: content.KindTheme}, nil},
		{content.StoreOp{Name: content.StoreDelete, Kind: content.KindTheme}, []content.Kind{content.KindTheme}},
		{content.StoreOp{Name: content.StorePut, Docs: []content.Doc{{Kind: "apikey"}, {Kind: content.KindTheme}, {Kind: "apikey"}}},
			[]content.Kind{"apikey", content.KindTheme}},
		{content.StoreOp{Name: content.StoreApply, Writes: []content.Write{{Doc: content.Doc{Kind: content.KindActivity}, Also: []content.Doc{audit}}}},
			[]content.Kind{content.KindActivity, content.KindAudit}},
	} {
		if got := tc.op.Kinds(); !slices.Equal(got, tc.want) {
			t.Errorf("%s: kinds %v, want %v", tc.op.Name, got, tc.want)
		}
	}
}
