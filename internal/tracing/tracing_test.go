package tracing_test

import (
	"context"
	"errors"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"estafette/content"
	"estafette/internal/tracing"
)

func TestEnabled(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{}, false},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, true},
		{map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:4318/v1/traces"}, true},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://x", "OTEL_SDK_DISABLED": "true"}, false},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://x", "OTEL_TRACES_EXPORTER": "none"}, false},
	} {
		if got := tracing.Enabled(func(k string) string { return c.env[k] }); got != c.want {
			t.Errorf("%v: %v, want %v", c.env, got, c.want)
		}
	}
}

// failingStore answers every Find with an error and every Get with nothing.
type failingStore struct{ content.Store }

func (failingStore) Get(context.Context, content.Kind, []string) (map[string]content.Doc, error) {
	return map[string]content.Doc{}, nil
}

func (failingStore) Find(context.Context, content.Query) ([]content.Doc, error) {
	return nil, errors.New("disk on fire")
}

// TestStore: every store operation is a span named after the operation
// and the collection; a failed one is marked and carries the error.
func TestStore(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	defer tp.Shutdown(context.Background())
	s := tracing.Store(failingStore{}, tp.Tracer("test"))
	ctx := context.Background()
	if _, err := s.Get(ctx, content.KindActivity, []string{"a", "b"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Find(ctx, content.Query{Kind: content.KindActivity}); err == nil {
		t.Fatal("no error")
	}
	spans := exp.GetSpans()
	if len(spans) != 2 {
		t.Fatalf("%d spans", len(spans))
	}
	if spans[0].Name != "store.get activity" || spans[0].Status.Code == 1 {
		t.Errorf("get: %s %v", spans[0].Name, spans[0].Status)
	}
	if spans[1].Name != "store.find activity" || spans[1].Status.Code != 1 || len(spans[1].Events) == 0 {
		t.Errorf("find: %s %v %d events", spans[1].Name, spans[1].Status, len(spans[1].Events))
	}
}
