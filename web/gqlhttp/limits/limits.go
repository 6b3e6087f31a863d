// Package limits protects the API from abusive GraphQL queries. It measures
// a document twice, both times in time linear in the document's size:
//
//   - before validation (MutateOperationParameters), on the parsed document
//     alone: the selections of one selection set, the fields of the whole
//     document, and the fields the document would have with every fragment
//     spread expanded. Validation is quadratic in the selections of a set
//     and fragments that spread each other twice grow exponentially, so
//     these bounds come first and refuse such a document before it costs
//     anything.
//   - after validation (MutateOperationContext), with the schema's types:
//     depth, cost, aliases, directives and introspection fields.
//
// Each refusal has its own code (extensions.code); the cost of every
// accepted operation is reported in the response's extensions.cost, so
// clients see their budget.
//
// The cost model (in the spirit of GraphQL Armor and Contentful's query
// cost): every field costs 1, scalars and __typename included; a connection
// (a field whose type ends in Connection) multiplies what is selected inside
// it by its page size (first or last, default 20); a plain list multiplies
// by an estimate of its length (10), and nodes(ids:) by the number of ids
// (at most MaxNodeIDs). So
//
//	{ activities(first: 100) { nodes { title themes { name } } } }
//
// costs 1 (activities) + 100 × (1 (nodes) + 1 (title) + 1 (themes) + 10 × 1
// (name)) = 1,301. Fragments are measured once each (memoised by name) and
// counted at every spread, so the figures equal those of the expanded
// document.
//
// Introspection (__schema, __type) follows the same limits with three
// differences that keep GraphiQL's and codegen's standard introspection
// query working while a hostile one is refused: an operation may select at
// most one introspection field; inside it lists are not multiplied and the
// ofType chain does not count towards depth, because the answer is bounded
// by the schema itself, and gqlparser's MaxIntrospectionDepth rule bounds
// the nesting of fields, interfaces and possibleTypes.
package limits

import (
	"context"
	"estafette/internal/errcode"
	"fmt"
	"math"
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
	// MaxSetSelections bounds the selections of one selection set, as
	// written (default 500).
	MaxSetSelections int
	// MaxFields bounds the fields of a document as written (default 2,000).
	MaxFields int
	// MaxExpandedFields bounds the fields of a document with every fragment
	// spread expanded (default 10,000).
	MaxExpandedFields int
	// MaxTokens bounds the tokens of a document (default 15,000); a longer
	// one is left to gqlgen's parser, which refuses it with the same limit.
	MaxTokens int
	// DefaultPageSize is the page size of a connection without first/last.
	DefaultPageSize int
}

// The defaults.
const (
	DefaultMaxDepth          = 10
	DefaultMaxCost           = 11000
	DefaultMaxAliases        = 30
	DefaultMaxDirectives     = 20
	DefaultMaxSetSelections  = 500
	DefaultMaxFields         = 2000
	DefaultMaxExpandedFields = 10000
	DefaultMaxTokens         = 15000
	// MaxNodeIDs is the most ids nodes(ids:) takes.
	MaxNodeIDs = 100
	// MaxIntrospectionFields is the most introspection fields (__schema,
	// __type) one operation may select.
	MaxIntrospectionFields = 1
	listEstimate           = 10
)

func (c Config) withDefaults() Config {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.MaxDepth, DefaultMaxDepth)
	def(&c.MaxCost, DefaultMaxCost)
	def(&c.MaxAliases, DefaultMaxAliases)
	def(&c.MaxDirectives, DefaultMaxDirectives)
	def(&c.MaxSetSelections, DefaultMaxSetSelections)
	def(&c.MaxFields, DefaultMaxFields)
	def(&c.MaxExpandedFields, DefaultMaxExpandedFields)
	def(&c.MaxTokens, DefaultMaxTokens)
	def(&c.DefaultPageSize, 20)
	return c
}

// The error codes of refused operations (extensions.code).
const (
	CodeDepth            = errcode.MaxDepthExceeded
	CodeCost             = errcode.MaxCostExceeded
	CodeAliases          = errcode.MaxAliasesExceeded
	CodeDirectives       = errcode.MaxDirectivesExceeded
	CodeFields           = errcode.MaxFieldsExceeded
	CodeIntrospection    = errcode.MaxIntrospectionExceeded
	CodeNodeIDs          = errcode.MaxNodeIdsExceeded
	CodeIntrospectionOff = errcode.IntrospectionDisabled
	CodeRequestCancelled = errcode.RequestTimeout
)

const introspectionDisabled = "Introspection is disabled on this server; the schema is published at /schema.graphql."

// Size is what the limits see in an operation.
type Size struct {
	Depth         int
	Cost          int
	Aliases       int
	Directives    int
	Introspection int // introspection fields (__schema, __type)
	MaxNodeIDs    int // the most ids of one nodes(ids:) field
}

// Extension is the gqlgen extension that applies the limits.
type Extension struct {
	cfg Config
	// Refused, when set, is told the text of every document the limits
	// refuse after validation, so that a document cache can forget it.
	Refused func(query string)
	// Known, when set, tells whether a document is already known to pass
	// the checks made before validation (it is in the document cache), so
	// that it is not parsed a second time.
	Known func(query string) bool
}

// New returns the extension for cfg.
func New(cfg Config) Extension { return Extension{cfg: cfg.withDefaults()} }

var (
	_ graphql.HandlerExtension          = Extension{}
	_ graphql.OperationParameterMutator = Extension{}
	_ graphql.OperationContextMutator   = Extension{}
	_ graphql.ResponseInterceptor       = Extension{}
)

// ExtensionName implements graphql.HandlerExtension.
func (Extension) ExtensionName() string { return "QueryLimits" }

// Validate implements graphql.HandlerExtension.
func (Extension) Validate(graphql.ExecutableSchema) error { return nil }

const statsKey = "estafette-cost"

// refusal is the error of a refused operation, with its code.
func refusal(code string, extra map[string]any, format string, args ...any) *gqlerror.Error {
	ext := map[string]any{"code": code}
	for k, v := range extra {
		ext[k] = v
	}
	return &gqlerror.Error{Message: fmt.Sprintf(format, args...), Extensions: ext}
}

// MutateOperationContext measures the validated operation and refuses it
// when it is over a limit.
func (e Extension) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	m, err := MeasureContext(ctx, e.cfg, op.Operation, op.Variables)
	if err != nil {
		return refusal(CodeRequestCancelled, nil, "The request was cancelled or ran out of time while it was measured.")
	}
	if gerr := e.check(m, op); gerr != nil {
		if e.Refused != nil {
			e.Refused(op.RawQuery)
		}
		return gerr
	}
	op.Stats.SetExtension(statsKey, m.Cost)
	return nil
}

func (e Extension) check(m Size, op *graphql.OperationContext) *gqlerror.Error {
	cost := map[string]any{"cost": map[string]int{"requested": m.Cost, "budget": e.cfg.MaxCost}}
	switch {
	case m.Introspection > 0 && op.DisableIntrospection:
		return refusal(CodeIntrospectionOff, nil, introspectionDisabled)
	case m.Introspection > MaxIntrospectionFields:
		return refusal(CodeIntrospection, nil, "The query selects %d introspection fields (__schema, __type); at most %d is allowed per operation.", m.Introspection, MaxIntrospectionFields)
	case m.MaxNodeIDs > MaxNodeIDs:
		return refusal(CodeNodeIDs, nil, "nodes(ids:) was given %d ids; at most %d are allowed.", m.MaxNodeIDs, MaxNodeIDs)
	case m.Depth > e.cfg.MaxDepth:
		return refusal(CodeDepth, cost, "The query nests %d levels deep; at most %d are allowed.", m.Depth, e.cfg.MaxDepth)
	case m.Aliases > e.cfg.MaxAliases:
		return refusal(CodeAliases, cost, "The query has %d aliases; at most %d are allowed.", m.Aliases, e.cfg.MaxAliases)
	case m.Directives > e.cfg.MaxDirectives:
		return refusal(CodeDirectives, cost, "The query has %d directives; at most %d are allowed.", m.Directives, e.cfg.MaxDirectives)
	case m.Cost > e.cfg.MaxCost:
		return refusal(CodeCost, cost, "The query would cost %d; the budget is %d. Ask for smaller pages (first/last) or fewer nested lists.", m.Cost, e.cfg.MaxCost)
	}
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
	m, _ := MeasureContext(context.Background(), cfg, op, vars)
	return m
}

// MeasureContext is Measure that stops with ctx's error when ctx ends.
func MeasureContext(ctx context.Context, cfg Config, op *ast.OperationDefinition, vars map[string]any) (Size, error) {
	w := &walker{cfg: cfg.withDefaults(), vars: vars, ctx: ctx, memo: map[memoKey]*measure{}, visiting: map[memoKey]bool{}}
	got := w.selections(op.SelectionSet, scope{})
	if w.err != nil {
		return Size{}, w.err
	}
	return Size{
		Depth: got.depth, Cost: got.cost, Aliases: got.aliases,
		Directives:    sat(len(op.Directives), got.directives),
		Introspection: got.introspection, MaxNodeIDs: got.nodeIDs,
	}, nil
}

// measure is what a selection set adds up to: depth is relative to the
// set's own level (a set of scalars has depth 1).
type measure struct {
	cost, depth, aliases, directives, introspection, nodeIDs int
}

func (m *measure) add(o measure) {
	m.cost = sat(m.cost, o.cost)
	m.depth = max(m.depth, o.depth)
	m.aliases = sat(m.aliases, o.aliases)
	m.directives = sat(m.directives, o.directives)
	m.introspection = sat(m.introspection, o.introspection)
	m.nodeIDs = max(m.nodeIDs, o.nodeIDs)
} // scope is where a selection set stands: inside an introspection field,
// and, for the set of a connection, the page size its items are
// multiplied by.
type scope struct {
	introspection bool
	page          int
}

// memoKey names a fragment measured in a scope.
type memoKey struct {
	name string
	scope
}

type walker struct {
	cfg      Config
	vars     map[string]any
	ctx      context.Context
	err      error
	steps    int
	memo     map[memoKey]*measure
	visiting map[memoKey]bool
}

// alive reports whether the walk may go on: every 256 steps it looks
// whether the request has ended.
func (w *walker) alive() bool {
	if w.err != nil {
		return false
	}
	if w.steps++; w.steps%256 == 0 {
		w.err = w.ctx.Err()
	}
	return w.err == nil
}

// selections measures a selection set in its scope.
func (w *walker) selections(set ast.SelectionSet, sc scope) measure {
	var m measure
	for _, sel := range set {
		if !w.alive() {
			return m
		}
		switch s := sel.(type) {
		case *ast.Field:
			m.directives = sat(m.directives, len(s.Directives))
			if s.Alias != "" && s.Alias != s.Name {
				m.aliases = sat(m.aliases, 1)
			}
			m.add(w.field(s, sc))
		case *ast.InlineFragment:
			m.directives = sat(m.directives, len(s.Directives))
			m.add(w.selections(s.SelectionSet, sc))
		case *ast.FragmentSpread:
			m.directives = sat(m.directives, len(s.Directives))
			m.add(w.fragment(s, sc))
		}
	}
	return m
}

// fragment measures a spread fragment once per name and scope; a cycle
// (which validation refuses anyway) counts nothing.
func (w *walker) fragment(s *ast.FragmentSpread, sc scope) measure {
	if s.Definition == nil {
		return measure{}
	}
	key := memoKey{s.Name, sc}
	if got, ok := w.memo[key]; ok {
		return *got
	}
	if w.visiting[key] {
		return measure{}
	}
	w.visiting[key] = true
	got := w.selections(s.Definition.SelectionSet, sc)
	got.directives = sat(got.directives, len(s.Definition.Directives))
	delete(w.visiting, key)
	w.memo[key] = &got
	return got
}

func (w *walker) field(f *ast.Field, sc scope) measure {
	if f.Name == "__schema" || f.Name == "__type" {
		inner := w.selections(f.SelectionSet, scope{introspection: true})
		inner.cost = sat(inner.cost, 1)
		inner.depth++
		inner.introspection = sat(inner.introspection, 1)
		return inner
	}
	if len(f.SelectionSet) == 0 {
		return measure{cost: 1, depth: 1}
	}
	if sc.introspection {
		// Inside introspection: bounded by the schema, lists are not
		// multiplied and the ofType chain adds no depth.
		inner := w.selections(f.SelectionSet, sc)
		inner.cost = sat(inner.cost, 1)
		if f.Name != "ofType" {
			inner.depth++
		}
		return inner
	}
	typ, isList := "", false
	if f.Definition != nil && f.Definition.Type != nil {
		typ = f.Definition.Type.Name()
		isList = f.Definition.Type.Elem != nil
	}
	args := f.ArgumentMap(w.vars)
	var inner measure
	switch {
	case strings.HasSuffix(typ, "Connection"):
		// Fields of the connection itself (totalCount, pageInfo) count
		// once; its items (nodes, edges) count once per item of a page.
		n := w.cfg.DefaultPageSize
		for _, a := range []string{"first", "last"} {
			if v, ok := intArg(args[a]); ok {
				n = v
			}
		}
		inner = w.selections(f.SelectionSet, scope{page: max(n, 1)})
		inner.cost = sat(1, inner.cost)
	case isList && sc.page > 0 && (f.Name == "edges" || f.Name == "nodes"):
		inner = w.selections(f.SelectionSet, scope{})
		inner.cost = sat(1, mul(sc.page, inner.cost))
	case isList:
		n := listEstimate
		inner = w.selections(f.SelectionSet, scope{})
		if ids, ok := args["ids"].([]any); ok {
			n = len(ids)
			inner.nodeIDs = max(inner.nodeIDs, n)
		}
		inner.cost = sat(1, mul(n, inner.cost))
	default:
		inner = w.selections(f.SelectionSet, scope{})
		inner.cost = sat(1, inner.cost)
	}
	inner.depth++
	return inner
}

// ceiling is where the saturating sums and products stop: far past every
// limit, far from overflowing.
const ceiling = math.MaxInt32

// sat adds without overflowing.
func sat(a, b int) int {
	if a >= ceiling-b {
		return ceiling
	}
	return a + b
}

// mul multiplies without overflowing (a, b ≥ 0).
func mul(a, b int) int {
	if a != 0 && b > ceiling/a {
		return ceiling
	}
	return a * b
}

func intArg(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case int64:
		return int(min(max(x, math.MinInt32), math.MaxInt32)), true
	case float64:
		return int(min(max(x, math.MinInt32), math.MaxInt32)), true
	case interface{ Int64() (int64, error) }:
		n, err := x.Int64()
		return int(min(max(n, math.MinInt32), math.MaxInt32)), err == nil
	}
	return 0, false
}
