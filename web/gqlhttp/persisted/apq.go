package persisted

import (
	"context"
	"encoding/json"
	"estafette/internal/errcode"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"estafette/web/ratelimit"
)

// The error codes of persisted queries (extensions.code).
const (
	CodeNotFound     = errcode.PersistedQueryNotFound
	CodeNotAllowed   = errcode.PersistedQueryNotAllowed
	CodeHashMismatch = errcode.PersistedQueryHashMismatch
	codeBadRequest   = errcode.BadRequest
)

// APQ is the gqlgen extension of the Automatic Persisted Queries protocol.
// A request with only a hash gets its document from the store, or
// PersistedQueryNotFound; a request with a document and its hash has the
// hash checked and the document stored once its operation starts to run,
// that is after it parsed, validated and passed the limits, so that
// nothing refused is ever stored.
type APQ struct{ Queries *Queries }

var (
	_ graphql.HandlerExtension          = APQ{}
	_ graphql.OperationParameterMutator = APQ{}
	_ graphql.OperationInterceptor      = APQ{}
)

// ExtensionName implements graphql.HandlerExtension.
func (APQ) ExtensionName() string { return "AutomaticPersistedQuery" }

// Validate implements graphql.HandlerExtension.
func (APQ) Validate(graphql.ExecutableSchema) error { return nil }

const (
	pendingKey    = "estafette-apq-pending"
	registeredKey = "estafette-pq-registered"
)

// markRegistered notes in the operation that its document is a registered
// persisted query.
func markRegistered(ctx context.Context) {
	if graphql.HasOperationContext(ctx) {
		graphql.GetOperationContext(ctx).Stats.SetExtension(registeredKey, true)
	}
}

// Registered reports whether the operation's document is a registered
// persisted query (asked by its hash, or allowed by the allowlist): only
// those name their operation in metrics, since clients choose the names of
// everything else.
func Registered(op *graphql.OperationContext) bool {
	ok, _ := op.Stats.GetExtension(registeredKey).(bool)
	return ok
}

type pending struct{ hash, query string }

func apqError(code, msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": code}}
}

// MutateOperationParameters resolves a hash to its document, or checks the
// hash of a document sent with one.
func (a APQ) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	raw, ok := p.Extensions["persistedQuery"]
	if !ok || raw == nil {
		return nil
	}
	ext, ok := raw.(map[string]any)
	if !ok {
		return apqError(codeBadRequest, "extensions.persistedQuery must be an object with version and sha256Hash.")
	}
	hash, _ := ext["sha256Hash"].(string)
	if !isOne(ext["version"]) {
		return apqError(codeBadRequest, "extensions.persistedQuery.version must be 1.")
	}
	if len(hash) != 64 || strings.Trim(hash, "0123456789abcdef") != "" {
		return apqError(codeBadRequest, "extensions.persistedQuery.sha256Hash must be the hex SHA-256 of the document (64 lowercase hex digits).")
	}
	if p.Query == "" {
		e, ok := a.Queries.get(ctx, hash)
		if !ok {
			return apqError(CodeNotFound, "PersistedQueryNotFound")
		}
		if e.registered {
			markRegistered(ctx)
		}
		p.Query = e.query
		return nil
	}
	if Hash(p.Query) != hash {
		return apqError(CodeHashMismatch, "extensions.persistedQuery.sha256Hash is not the SHA-256 of the document sent with it.")
	}
	if graphql.HasOperationContext(ctx) {
		graphql.GetOperationContext(ctx).Stats.SetExtension(pendingKey, pending{hash, p.Query})
	}
	return nil
}

// InterceptOperation stores the document of a request that sent one with
// its hash: the operation passed every check, since it runs.
func (a APQ) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	op := graphql.GetOperationContext(ctx)
	if pend, ok := op.Stats.GetExtension(pendingKey).(pending); ok {
		a.Queries.Add(ctx, ratelimit.Client(ctx), pend.hash, pend.query)
	}
	return next(ctx)
}

// isOne reports whether a decoded JSON value is the number 1.
func isOne(v any) bool {
	switch x := v.(type) {
	case float64:
		return x == 1
	case int:
		return x == 1
	case int64:
		return x == 1
	case json.Number:
		return x.String() == "1"
	}
	return false
}
