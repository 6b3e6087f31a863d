package gqlhttp

import (
	"context"
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"estafette/web/gqlhttp/limits"
)

// DefaultSlowQueryThreshold is the duration over which an operation is
// logged as slow, unless Options.SlowQueryThreshold says otherwise.
const DefaultSlowQueryThreshold = 500 * time.Millisecond

// slowQueryLog is the gqlgen extension that logs, at warn level, every
// operation that took longer than threshold from the moment the request
// was read (parsing and validation included) to its response (except
// subscriptions, which last as long as their clients want): its name,
// type, duration, cost (as the limits measured it) and error count. The
// logger adds the request id.
type slowQueryLog struct {
	log       *slog.Logger
	threshold time.Duration
}

var (
	_ graphql.HandlerExtension    = slowQueryLog{}
	_ graphql.ResponseInterceptor = slowQueryLog{}
)

func (slowQueryLog) ExtensionName() string                   { return "SlowQueryLog" }
func (slowQueryLog) Validate(graphql.ExecutableSchema) error { return nil }

func (s slowQueryLog) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	start := time.Now()
	resp := next(ctx)
	if !graphql.HasOperationContext(ctx) {
		return resp
	}
	op := graphql.GetOperationContext(ctx)
	if op.Operation != nil && op.Operation.Operation == ast.Subscription {
		// A subscription lives as long as its client wants: not slow.
		return resp
	}
	if !op.Stats.OperationStart.IsZero() {
		start = op.Stats.OperationStart
	}
	d := time.Since(start)
	if d < s.threshold {
		return resp
	}
	name, typ := op.OperationName, "query"
	if op.Operation != nil {
		typ = string(op.Operation.Operation)
		if op.Operation.Name != "" {
			name = op.Operation.Name
		}
	}
	if name == "" {
		name = "anonymous"
	}
	attrs := []any{"operation", name, "type", typ,
		"duration_ms", float64(d.Microseconds()) / 1000, "threshold_ms", s.threshold.Milliseconds()}
	if cost, ok := limits.CostOf(op); ok {
		attrs = append(attrs, "cost", cost)
	}
	if resp != nil && len(resp.Errors) > 0 {
		attrs = append(attrs, "errors", len(resp.Errors))
	}
	s.log.WarnContext(ctx, "slow GraphQL operation", attrs...)
	return resp
}
