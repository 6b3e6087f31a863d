// Package tracing is Estafette's opt-in OpenTelemetry tracing. It is on
// only when the standard OTEL_EXPORTER_OTLP_ENDPOINT (or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set: then spans go to that OTLP/HTTP
// endpoint, configured by the exporter's other standard variables
// (OTEL_EXPORTER_OTLP_HEADERS, OTEL_EXPORTER_OTLP_TIMEOUT, …,
// OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER).
// Without the variable nothing is set up: no extension, no store wrapper,
// no goroutine, so the API pays nothing for it.
//
// Spans: one per GraphQL operation ("query activityList"), one per field
// that calls a resolver ("Activity.edition"), one per store operation
// ("store.find activity"); errors are recorded on the span they happen in.
// An incoming W3C traceparent header makes the operation a child of the
// caller's trace.
package tracing

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"estafette/content"
)

// Enabled reports whether the environment asks for tracing: an OTLP
// endpoint is set and the SDK is not disabled.
func Enabled(getenv func(string) string) bool {
	if getenv("OTEL_SDK_DISABLED") == "true" || getenv("OTEL_TRACES_EXPORTER") == "none" {
		return false
	}
	return getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
}

// Provider exports the spans of the process.
type Provider struct {
	tp *sdktrace.TracerProvider
}

// New starts a provider that exports over OTLP/HTTP as the standard
// environment variables say (the exporter reads them itself). The service
// is called "estafette" unless OTEL_SERVICE_NAME says otherwise.
func New(ctx context.Context) (*Provider, error) {
	exp, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("tracing: cannot create the OTLP exporter: %w", err)
	}
	return NewWithExporter(ctx, exp)
}

// NewWithExporter starts a provider that sends its spans to exp in
// batches (tests pass an in-memory exporter).
func NewWithExporter(ctx context.Context, exp sdktrace.SpanExporter) (*Provider, error) {
	res, err := resource.New(ctx,
		resource.WithAttributes(attribute.String("service.name", "estafette")),
		resource.WithFromEnv(), resource.WithTelemetrySDK())
	if err != nil && !errors.Is(err, resource.ErrPartialResource) {
		return nil, fmt.Errorf("tracing: resource: %w", err)
	}
	return &Provider{tp: sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))}, nil
}

// Tracer returns the tracer of Estafette's spans.
func (p *Provider) Tracer() trace.Tracer { return p.tp.Tracer("estafette") }

// Shutdown exports the spans still buffered and stops the provider.
func (p *Provider) Shutdown(ctx context.Context) error { return p.tp.Shutdown(ctx) }

// ForceFlush exports the spans buffered so far.
func (p *Provider) ForceFlush(ctx context.Context) error { return p.tp.ForceFlush(ctx) }

// propagator reads W3C trace context and baggage from request headers.
var propagator = propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})

// Extract returns ctx with the remote span context of the headers, if any.
func Extract(ctx context.Context, h http.Header) context.Context {
	if h == nil {
		return ctx
	}
	return propagator.Extract(ctx, propagation.HeaderCarrier(h))
}

// fail records err on span and marks the span failed.
func fail(span trace.Span, err error) {
	span.RecordError(err)
	span.SetStatus(codes.Error, err.Error())
}

// Store wraps s so that every store operation (Ping excepted) is a span
// (a content.Instrument observer).
func Store(s content.Store, t trace.Tracer) content.Store {
	return content.Instrument(s, func(ctx context.Context, op *content.StoreOp) (context.Context, func(error)) {
		return startSpan(ctx, t, op)
	})
}

// startSpan starts the span of a store operation, named after it and its
// collection, and returns the function that ends it.
func startSpan(ctx context.Context, t trace.Tracer, op *content.StoreOp) (context.Context, func(error)) {
	var attrs []attribute.KeyValue
	switch op.Name {
	case content.StorePing:
		return ctx, nil
	case content.StoreGet, content.StoreDelete:
		attrs = append(attrs, attribute.Int("estafette.ids", len(op.IDs)))
	case content.StorePut:
		attrs = append(attrs, attribute.Int("estafette.docs", len(op.Docs)))
	case content.StoreApply:
		attrs = append(attrs, attribute.Int("estafette.writes", len(op.Writes)))
	}
	name := "store." + op.Name
	if op.Kind != "" {
		name += " " + string(op.Kind)
	}
	ctx, span := t.Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(append(attrs, attribute.String("db.operation.name", op.Name), attribute.String("db.collection.name", string(op.Kind)))...))
	return ctx, func(err error) {
		if op.Name == content.StoreFind {
			span.SetAttributes(attribute.Int("estafette.rows", op.Rows))
		}
		if err != nil {
			fail(span, err)
		}
		span.End()
	}
}
