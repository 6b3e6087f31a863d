package graph

import (
	"context"
	"estafette/internal/errcode"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"estafette/content"
)

// Access is the gqlgen extension that checks, before an operation runs,
// that the caller may use every field it selects: fields marked
// @hasRole(role:) in the schema need a key with that role, and a root field
// asked for with preview: true needs a key that may preview drafts. A caller without a key gets UNAUTHENTICATED, a
// key with too weak a role FORBIDDEN; either way nothing has run.
type Access struct{}

var (
	_ graphql.HandlerExtension        = Access{}
	_ graphql.OperationContextMutator = Access{}
)

// ExtensionName implements graphql.HandlerExtension.
func (Access) ExtensionName() string { return "Access" }

// Validate implements graphql.HandlerExtension.
func (Access) Validate(schema graphql.ExecutableSchema) error { return nil }

// MutateOperationContext refuses the operation when the caller may not use
// one of its fields.
func (Access) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	v := content.ViewerFrom(ctx)
	var denied error
	walkFields(op.Operation.SelectionSet, map[fragmentWalk]bool{}, func(f *ast.Field, root bool) {
		if denied != nil || f.Definition == nil {
			return
		}
		if d := f.Definition.Directives.ForName("hasRole"); d != nil {
			if role, ok := content.ParseRole(strings.ToLower(d.Arguments.ForName("role").Value.Raw)); ok {
				denied = v.Require(role, "the field "+f.Name)
			}
		}
		if root && previewAsked(f, op.Variables) {
			if err := v.Require(content.RoleReader, "a preview of drafts"); err != nil {
				denied = err
			}
		}
	}, true)
	if denied == nil {
		return nil
	}
	code := errcode.Forbidden
	if content.ErrorCode(denied) == content.EUNAUTHORIZED {
		code = errcode.Unauthenticated
	}
	return &gqlerror.Error{Message: content.ErrorMessage(denied), Extensions: map[string]any{"code": code}}
}

// walkFields calls fn for every field of a selection set, through
// fragments; root is true for the fields of the operation itself. Whether
// a field may be used does not depend on where a fragment is spread, so
// each fragment is walked once per root flag (done): a document whose
// fragments spread each other twice costs its size, not 2^n.
func walkFields(set ast.SelectionSet, done map[fragmentWalk]bool, fn func(f *ast.Field, root bool), root bool) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			fn(s, root)
			walkFields(s.SelectionSet, done, fn, false)
		case *ast.InlineFragment:
			walkFields(s.SelectionSet, done, fn, root)
		case *ast.FragmentSpread:
			key := fragmentWalk{s.Name, root}
			if s.Definition != nil && !done[key] {
				done[key] = true
				walkFields(s.Definition.SelectionSet, done, fn, root)
			}
		}
	}
}

// fragmentWalk names a fragment walked at the root or below it.
type fragmentWalk struct {
	name string
	root bool
}

func previewAsked(f *ast.Field, vars map[string]any) bool {
	p, _ := f.ArgumentMap(vars)["preview"].(bool)
	return p
}

// PreviewRootField, a gqlgen root field middleware, lets the subtree of a
// root field asked for with preview: true see drafts (Access has checked
// the caller may).
func PreviewRootField(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	rf := graphql.GetRootFieldContext(ctx)
	if rf != nil && rf.Field.Field != nil && previewAsked(rf.Field.Field, graphql.GetOperationContext(ctx).Variables) {
		v := content.ViewerFrom(ctx)
		if v.Role.Includes(content.RoleReader) {
			v.Drafts = true
			ctx = content.WithViewer(ctx, v)
		}
	}
	return next(ctx)
}
