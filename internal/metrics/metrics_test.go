package metrics_test

import (
	"context"
	"errors"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"estafette/content"
	"estafette/internal/metrics"
)

// stub answers every operation, and fails every Count.
type stub struct{ content.Store }

func (stub) Find(context.Context, content.Query) ([]content.Doc, error) { return nil, nil }
func (stub) Put(context.Context, ...content.Doc) error                  { return nil }
func (stub) Ping(context.Context) error                                 { return nil }
func (stub) Count(context.Context, content.Kind, *content.Cond) (int, error) {
	return 0, errors.New("down")
}

func TestStore(t *testing.T) {
	m := metrics.New()
	s := m.Store(stub{})
	ctx := context.Background()
	s.Find(ctx, content.Query{Kind: content.KindTheme})
	s.Count(ctx, content.KindTheme, nil)
	s.Put(ctx)
	s.Ping(ctx)
	for _, c := range []struct {
		kind, op, outcome string
	}{{"theme", "find", "ok"}, {"theme", "count", "error"}, {"mixed", "put", "ok"}, {"", "ping", "ok"}} {
		if n := testutil.ToFloat64(m.StoreOperations.WithLabelValues(c.kind, c.op, c.outcome)); n != 1 {
			t.Errorf("%s %s %s: %v operations, want 1", c.kind, c.op, c.outcome, n)
		}
	}
	if n := testutil.CollectAndCount(m.StoreLatency); n != 4 {
		t.Errorf("%d latency series, want 4", n)
	}
}
