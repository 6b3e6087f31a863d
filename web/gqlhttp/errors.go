package gqlhttp

import (
	"context"
	"errors"
	"estafette/internal/errcode"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	gqlerrcode "github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"estafette/content"
	"estafette/web/requestid"
)

// The GraphQL error codes (extensions.code) of the domain's error codes.
var codes = map[string]string{
	content.EINVALID:      errcode.BadUserInput,
	content.ENOTFOUND:     errcode.NotFound,
	content.ECONFLICT:     errcode.Conflict,
	content.EUNAUTHORIZED: errcode.Unauthenticated,
	content.EFORBIDDEN:    errcode.Forbidden,
	content.EINTERNAL:     errcode.InternalServerError,
	content.EUNAVAILABLE:  errcode.StoreUnavailable,
	content.ELIMITED:      errcode.RateLimited,
}

// presentError is the one error presenter of the API. Domain errors keep
// their message and get their code (and the input field they are about);
// errors about argument and variable values are BAD_USER_INPUT; parse and
// validation errors keep gqlgen's codes; anything else is an internal
// error: logged with the request id, shown without internals.
func presentError(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error { return present(ctx, log, err) }
}

func present(ctx context.Context, log *slog.Logger, err error) *gqlerror.Error {
	var gqlErr *gqlerror.Error
	if !errors.As(err, &gqlErr) {
		gqlErr = graphql.DefaultErrorPresenter(ctx, err)
	}
	out := *gqlErr // never mutate a shared error
	out.Extensions = map[string]any{}
	for k, v := range gqlErr.Extensions {
		out.Extensions[k] = v
	}

	var domainErr *content.Error
	switch {
	case ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		// The request ran out of time or its client went away: every
		// resolver still running fails alike. Not logged here, once per
		// request by logStopped.
		out.Message = timeoutError().Message
		out.Extensions = map[string]any{"code": errcode.RequestTimeout}
	case errors.As(err, &domainErr):
		out.Message = domainErr.Message
		out.Extensions["code"] = codes[domainErr.Code]
		if field := inputPath(ctx, domainErr.Field, gqlErr.Path); field != "" {
			out.Extensions["field"] = field
		}
		var problems content.Problems
		if errors.As(err, &problems) && len(problems) > 1 {
			list := make([]map[string]string, len(problems))
			for i, p := range problems {
				list[i] = map[string]string{"field": p.Field, "message": p.Message}
			}
			out.Extensions["problems"] = list
		}
		switch domainErr.Code {
		case content.EINTERNAL:
			logInternal(ctx, log, err)
		case content.EUNAVAILABLE:
			log.ErrorContext(ctx, "the store is unavailable", "err", err)
		}
	case gqlErr.Rule == "ValuesOfCorrectType" || isVariableError(gqlErr):
		out.Extensions["code"] = errcode.BadUserInput
		if isVariableError(gqlErr) {
			out.Extensions["field"] = "variables." + joinPath(gqlErr.Path[1:])
		}
	case out.Extensions["code"] == gqlerrcode.ParseFailed || out.Extensions["code"] == gqlerrcode.ValidationFailed:
		// parse and validation errors keep their code and message
	case gqlErr.Err == nil && out.Extensions["code"] != nil:
		// an error a gqlgen extension made on purpose (such as a persisted query miss)
	default:
		logInternal(ctx, log, err)
		out.Message = "Internal error. Quote request id " + requestid.From(ctx) + " when you report it."
		out.Extensions = map[string]any{"code": errcode.InternalServerError, "requestId": requestid.From(ctx)}
	}
	return &out
}

// inputPath names the argument an error is about: the domain says which
// argument ("first", "filter.from"); for a scalar that failed to parse, the
// error's path continues past the field into the argument.
func inputPath(ctx context.Context, field string, path ast.Path) string {
	if field != "" {
		return field
	}
	if fc := graphql.GetFieldContext(ctx); fc != nil && len(path) > len(fc.Path()) {
		return joinPath(path[len(fc.Path()):])
	}
	return ""
}

func joinPath(p ast.Path) string {
	parts := make([]string, len(p))
	for i, e := range p {
		parts[i] = fmt.Sprint(e)
	}
	return strings.Join(parts, ".")
}

func isVariableError(e *gqlerror.Error) bool {
	return len(e.Path) > 0 && fmt.Sprint(e.Path[0]) == "variable"
}

func logInternal(ctx context.Context, log *slog.Logger, err error) {
	log.ErrorContext(ctx, "internal error in a GraphQL request", "err", err)
}

// recoverPanic turns a panic in a resolver into an internal error, logged
// with its stack; the client never sees the panic.
func recoverPanic(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in a GraphQL resolver", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return errors.New("panic in resolver")
	}
}

// logStopped logs one line, at warn, for an operation that its deadline or
// its client stopped, instead of one error per resolver that was still
// running (a page of a hundred records gave some 600 lines). A
// subscription ends that way as a matter of course (its client or the
// server going away): it is not logged.
func logStopped(log *slog.Logger) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		h := next(ctx)
		if op := graphql.GetOperationContext(ctx); op.Operation != nil && op.Operation.Operation == ast.Subscription {
			return h
		}
		logged := false
		return func(rctx context.Context) *graphql.Response {
			resp := h(rctx)
			if err := rctx.Err(); err != nil && !logged {
				logged = true
				op := graphql.GetOperationContext(rctx)
				reason := "the client went away"
				if errors.Is(err, context.DeadlineExceeded) {
					reason = "past its deadline"
				}
				log.WarnContext(rctx, "GraphQL operation stopped", "reason", reason, "operation", op.OperationName)
			}
			return resp
		}
	}
}
