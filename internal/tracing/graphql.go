package tracing

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// Extension is the gqlgen tracer: a span per operation, named after its
// type and name ("query activityList"), and a child span per field that
// calls a resolver ("Activity.edition"). Fields served straight from the
// parent's record make no span: there are many and they cost nothing.
type Extension struct {
	Tracer trace.Tracer
}

var (
	_ graphql.HandlerExtension    = Extension{}
	_ graphql.ResponseInterceptor = Extension{}
	_ graphql.FieldInterceptor    = Extension{}
)

// ExtensionName implements graphql.HandlerExtension.
func (Extension) ExtensionName() string { return "OpenTelemetry" }

// Validate implements graphql.HandlerExtension.
func (Extension) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse wraps the execution of an operation in a span.
func (e Extension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	op := graphql.GetOperationContext(ctx)
	typ, name := "query", op.OperationName
	if op.Operation != nil {
		typ = string(op.Operation.Operation)
		if op.Operation.Name != "" {
			name = op.Operation.Name
		}
	}
	spanName := typ
	if name != "" {
		spanName += " " + name
	}
	ctx = Extract(ctx, op.Headers)
	ctx, span := e.Tracer.Start(ctx, spanName, trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(
			attribute.String("graphql.operation.type", typ),
			attribute.String("graphql.operation.name", name),
		))
	defer span.End()
	resp := next(ctx)
	if resp != nil && len(resp.Errors) > 0 {
		msgs := make([]string, 0, len(resp.Errors))
		for _, err := range resp.Errors {
			span.RecordError(err)
			msgs = append(msgs, err.Message)
		}
		span.SetStatus(codes.Error, strings.Join(msgs, "; "))
	}
	return resp
}

// InterceptField wraps a field that calls a resolver in a span.
func (e Extension) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !fc.IsResolver {
		return next(ctx)
	}
	ctx, span := e.Tracer.Start(ctx, fc.Object+"."+fc.Field.Name, trace.WithAttributes(
		attribute.String("graphql.field.path", fc.Path().String()),
		attribute.String("graphql.field.name", fc.Field.Name),
		attribute.String("graphql.field.parent", fc.Object),
	))
	defer span.End()
	res, err := next(ctx)
	if err != nil {
		fail(span, err)
	}
	return res, err
}
