// Package limits protects the API from abusive GraphQL queries. Before an
// operation runs (and so before any store call) it measures the document
// and refuses it with a clear code when it is too deep, too costly, or has
// too many aliases or directives. The cost of every accepted operation is
// reported in the response's extensions.cost, so clients see their budget.
//
// The cost model (in the spirit of GraphQL Armor and Contentful's query
// cost): every field that returns an object costs 1; a connection
// multiplies the cost of what is selected inside it by its page size
// (first or last, default 20); a plain list multiplies by an estimate of its length (10, or the number of ids
// of nodes(ids:)). Scalars are free. Introspection is not counted.
package limits

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Config holds the limits. Zero values take the defaults.
type Config struct {
	MaxDepth      int // nesting of fields; default 10 (Payload's default)
	MaxCost       int // default 11,000 (Contentful's query cost limit)
	MaxAliases    int // default 30
	MaxDirectives int // default 20
	// DefaultPageSize is the page size of a connection without first/last.
	DefaultPageSize int
}

// The defaults.
const (
	DefaultMaxDepth      = 10
	DefaultMaxCost       = 11000
	DefaultMaxAliases    = 30
	DefaultMaxDirectives = 20
	listEstimate         = 10
)

func (c Config) withDefaults() Config {
	if c.MaxDepth == 0 {
		c.MaxDepth = DefaultMaxDepth
	}
	if c.MaxCost == 0 {
		c.MaxCost = DefaultMaxCost
	}
	if c.MaxAliases == 0 {
		c.MaxAliases = DefaultMaxAliases
	}
	if c.MaxDirectives == 0 {
		c.MaxDirectives = DefaultMaxDirectives
	}
	if c.DefaultPageSize == 0 {
		c.DefaultPageSize = 20
	}
	return c
}

// The error codes of refused operations (extensions.code).
const (
	CodeDepth      = "MAX_DEPTH_EXCEEDED"
	CodeCost       = "MAX_COST_EXCEEDED"
	CodeAliases    = "MAX_ALIASES_EXCEEDED"
	CodeDirectives = "MAX_DIRECTIVES_EXCEEDED"
)

// Size is what the limits see in an operation.
type Size struct {
	Depth      int
	Cost       int
	Aliases    int
	Directives int
}

// Extension is the gqlgen extension that applies the limits.
type Extension struct{ cfg Config }

// New returns the extension for cfg.
func New(cfg Config) Extension { return Extension{cfg: cfg.withDefaults()} }

var (
	_ graphql.HandlerExtension        = Extension{}
	_ graphql.OperationContextMutator = Extension{}
	_ graphql.ResponseInterceptor     = Extension{}
)

// ExtensionName implements graphql.HandlerExtension.
func (Extension) ExtensionName() string { return "QueryLimits" }

// Validate implements graphql.HandlerExtension.
func (Extension) Validate(graphql.ExecutableSchema) error { return nil }

const statsKey = "estafette-cost"

// MutateOperationContext measures the operation and refuses it when it is
// over a limit.
func (e Extension) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	m := Measure(e.cfg, op.Operation, op.Variables)
	refuse := func(code, format string, args ...any) *gqlerror.Error {
		return &gqlerror.Error{Message: fmt.Sprintf(format, args...), Extensions: map[string]any{
			"code": code, "cost": map[string]int{"requested": m.Cost, "budget": e.cfg.MaxCost},
		}}
	}
	switch {
	case m.Depth > e.cfg.MaxDepth:
		return refuse(CodeDepth, "The query nests %d levels deep; at most %d are allowed.", m.Depth, e.cfg.MaxDepth)
	case m.Aliases > e.cfg.MaxAliases:
		return refuse(CodeAliases, "The query has %d aliases; at most %d are allowed.", m.Aliases, e.cfg.MaxAliases)
	case m.Directives > e.cfg.MaxDirectives:
		return refuse(CodeDirectives, "The query has %d directives; at most %d are allowed.", m.Directives, e.cfg.MaxDirectives)
	case m.Cost > e.cfg.MaxCost:
		return refuse(CodeCost, "The query would cost %d; the budget is %d. Ask for smaller pages (first/last) or fewer nested lists.", m.Cost, e.cfg.MaxCost)
	}
	op.Stats.SetExtension(statsKey, m.Cost)
	return nil
}

// CostOf returns the cost measured for the operation op, if the limits
// measured it (for logs and traces).
func CostOf(op *graphql.OperationContext) (int, bool) {
	cost, ok := op.Stats.GetExtension(statsKey).(int)
	return cost, ok
}

// InterceptResponse reports the cost of the operation in extensions.cost.
func (e Extension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil || !graphql.HasOperationContext(ctx) {
		return resp
	}
	if cost, ok := graphql.GetOperationContext(ctx).Stats.GetExtension(statsKey).(int); ok {
		if resp.Extensions == nil {
			resp.Extensions = map[string]any{}
		}
		resp.Extensions["cost"] = map[string]int{"requested": cost, "budget": e.cfg.MaxCost}
	}
	return resp
}

// Measure measures an operation of a validated document.
func Measure(cfg Config, op *ast.OperationDefinition, vars map[string]any) Size {
	cfg = cfg.withDefaults()
	w := walker{cfg: cfg, vars: vars}
	var m Size
	m.Directives = len(op.Directives)
	m.Cost, m.Depth = w.selections(op.SelectionSet, 1, &m, map[string]bool{})
	return m
}

type walker struct {
	cfg  Config
	vars map[string]any
}

// selections returns the cost and the depth of a selection set at depth d.
func (w walker) selections(set ast.SelectionSet, d int, m *Size, visiting map[string]bool) (cost, depth int) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			m.Directives += len(s.Directives)
			if s.Alias != "" && s.Alias != s.Name {
				m.Aliases++
			}
			if strings.HasPrefix(s.Name, "__") {
				continue // introspection and __typename are free
			}
			c, dd := w.field(s, d, m, visiting)
			cost += c
			depth = max(depth, dd)
		case *ast.InlineFragment:
			m.Directives += len(s.Directives)
			c, dd := w.selections(s.SelectionSet, d, m, visiting)
			cost += c
			depth = max(depth, dd)
		case *ast.FragmentSpread:
			m.Directives += len(s.Directives)
			if s.Definition == nil || visiting[s.Name] {
				continue
			}
			visiting[s.Name] = true
			m.Directives += len(s.Definition.Directives)
			c, dd := w.selections(s.Definition.SelectionSet, d, m, visiting)
			delete(visiting, s.Name)
			cost += c
			depth = max(depth, dd)
		}
	}
	return cost, depth
}

func (w walker) field(f *ast.Field, d int, m *Size, visiting map[string]bool) (cost, depth int) {
	if len(f.SelectionSet) == 0 {
		return 0, d // a scalar or enum
	}
	inner, depth := w.selections(f.SelectionSet, d+1, m, visiting)
	typ := ""
	isList := false
	if f.Definition != nil && f.Definition.Type != nil {
		typ = f.Definition.Type.Name()
		isList = f.Definition.Type.Elem != nil
	}
	args := f.ArgumentMap(w.vars)
	switch {
	case strings.HasSuffix(typ, "Connection"):
		n := w.cfg.DefaultPageSize
		for _, a := range []string{"first", "last"} {
			if v, ok := intArg(args[a]); ok {
				n = v
			}
		}
		return 1 + n*inner, depth
	case isList && (f.Name == "edges" || f.Name == "nodes") && f.Definition != nil && args["ids"] == nil:
		return inner, depth // the items of a connection, counted by the connection
	case isList:
		n := listEstimate
		if ids, ok := args["ids"].([]any); ok {
			n = len(ids)
		}
		return 1 + n*inner, depth
	}
	return 1 + inner, depth
}

func intArg(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case int64:
		return int(x), true
	case float64:
		return int(x), true
	case interface{ Int64() (int64, error) }:
		n, err := x.Int64()
		return int(n), err == nil
	}
	return 0, false
}
