package gqlhttp

import (
	"context"
	"estafette/internal/errcode"
	"runtime"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// admission is the gqlgen extension that lets at most cap(slots)
// operations execute at once; the others wait for a slot (or their
// deadline). Responses served from the response cache never get here.
// Executing more operations at once than the processor can serve only
// makes each one slower and holds the memory of all of them: under a burst
// of cache misses that drove the resident memory of the server to 300 MB
// (bench/RESULTS.md). Waiting costs a goroutine, not a response's worth of
// allocations.
type admission struct {
	slots chan struct{}
}

// DefaultMaxConcurrent is the default of Options.MaxConcurrent: eight
// operations per processor, enough to keep every processor busy while some
// operations wait for their loaders' batch.
func DefaultMaxConcurrent() int { return 8 * runtime.GOMAXPROCS(0) }

var (
	_ graphql.HandlerExtension    = admission{}
	_ graphql.ResponseInterceptor = admission{}
)

func (admission) ExtensionName() string                   { return "Admission" }
func (admission) Validate(graphql.ExecutableSchema) error { return nil }

func (a admission) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	// A subscription's handler waits for its next event: it must not hold
	// a slot while it does.
	if graphql.HasOperationContext(ctx) {
		if op := graphql.GetOperationContext(ctx).Operation; op != nil && op.Operation == ast.Subscription {
			return next(ctx)
		}
	}
	select {
	case a.slots <- struct{}{}:
	case <-ctx.Done():
		return &graphql.Response{Errors: gqlerror.List{{
			Message:    "The server is busy and the request took too long; try again.",
			Extensions: map[string]any{"code": errcode.RequestTimeout},
		}}}
	}
	defer func() { <-a.slots }()
	return next(ctx)
}
