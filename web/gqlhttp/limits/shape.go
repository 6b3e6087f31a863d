package limits

import (
	"context"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// Shape is what the limits see in a parsed document before validation.
type Shape struct {
	// SetSelections is the most selections of one selection set.
	SetSelections int
	// Fields is the number of fields as written.
	Fields int
	// Expanded is the number of fields with every fragment spread expanded
	// (saturating far past every limit).
	Expanded int
}

// MutateOperationParameters parses the document and refuses it, before
// gqlgen validates it, when its shape is over a limit. A document the
// document cache already holds passed this check before and is not parsed
// again; a document that does not parse is left to gqlgen, which reports
// the syntax error.
func (e Extension) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if p.Query == "" || (e.Known != nil && e.Known(p.Query)) {
		return nil
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, e.cfg.MaxTokens)
	if err != nil {
		return nil
	}
	s, cerr := MeasureShape(ctx, doc)
	if cerr != nil {
		return refusal(CodeRequestCancelled, nil, "The request was cancelled or ran out of time while it was measured.")
	}
	switch {
	case s.SetSelections > e.cfg.MaxSetSelections:
		return refusal(CodeFields, nil, "A selection set of the query has %d selections; at most %d are allowed in one set.", s.SetSelections, e.cfg.MaxSetSelections)
	case s.Fields > e.cfg.MaxFields:
		return refusal(CodeFields, nil, "The query has %d fields; at most %d are allowed.", s.Fields, e.cfg.MaxFields)
	case s.Expanded > e.cfg.MaxExpandedFields:
		return refusal(CodeFields, nil, "With its fragments expanded the query has %s fields; at most %d are allowed.", countText(s.Expanded), e.cfg.MaxExpandedFields)
	}
	return nil
}

func countText(n int) string {
	if n >= ceiling {
		return "more than 2,000,000,000"
	}
	return strconv.Itoa(n)
}

// MeasureShape measures a parsed, not yet validated document in time
// linear in its size: each fragment is expanded once (memoised by name),
// and a cycle of fragments counts nothing (validation refuses it).
func MeasureShape(ctx context.Context, doc *ast.QueryDocument) (Shape, error) {
	sw := shapeWalker{ctx: ctx, frags: map[string]*ast.FragmentDefinition{}, memo: map[string]int{}, visiting: map[string]bool{}}
	for _, f := range doc.Fragments {
		sw.frags[f.Name] = f
		sw.written(f.SelectionSet)
	}
	for _, op := range doc.Operations {
		sw.written(op.SelectionSet)
		sw.shape.Expanded = sat(sw.shape.Expanded, sw.expanded(op.SelectionSet))
	}
	return sw.shape, sw.err
}

type shapeWalker struct {
	ctx      context.Context
	err      error
	steps    int
	shape    Shape
	frags    map[string]*ast.FragmentDefinition
	memo     map[string]int
	visiting map[string]bool
}

func (w *shapeWalker) alive() bool {
	if w.err != nil {
		return false
	}
	if w.steps++; w.steps%256 == 0 {
		w.err = w.ctx.Err()
	}
	return w.err == nil
}

// written counts the selections of every set as written.
func (w *shapeWalker) written(set ast.SelectionSet) {
	w.shape.SetSelections = max(w.shape.SetSelections, len(set))
	for _, sel := range set {
		if !w.alive() {
			return
		}
		switch s := sel.(type) {
		case *ast.Field:
			w.shape.Fields++
			w.written(s.SelectionSet)
		case *ast.InlineFragment:
			w.written(s.SelectionSet)
		}
	}
}

// expanded counts the fields of a set with its spreads expanded.
func (w *shapeWalker) expanded(set ast.SelectionSet) int {
	n := 0
	for _, sel := range set {
		if !w.alive() {
			return n
		}
		switch s := sel.(type) {
		case *ast.Field:
			n = sat(n, sat(1, w.expanded(s.SelectionSet)))
		case *ast.InlineFragment:
			n = sat(n, w.expanded(s.SelectionSet))
		case *ast.FragmentSpread:
			n = sat(n, w.fragment(s.Name))
		}
	}
	return n
}

func (w *shapeWalker) fragment(name string) int {
	if n, ok := w.memo[name]; ok {
		return n
	}
	f := w.frags[name]
	if f == nil || w.visiting[name] {
		return 0
	}
	w.visiting[name] = true
	n := w.expanded(f.SelectionSet)
	delete(w.visiting, name)
	w.memo[name] = n
	return n
}
