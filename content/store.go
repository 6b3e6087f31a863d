package content

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// Kind names a collection of records.
type Kind string

// The kinds of record.
const (
	KindEdition      Kind = "edition"
	KindRegion       Kind = "region"
	KindInitiative   Kind = "initiative"
	KindActivity     Kind = "activity"
	KindOrganization Kind = "organization"
	KindTheme        Kind = "theme"
	KindRecap        Kind = "recap"
)

// Doc is a record as a backend stores it: the record's JSON body, and the
// index values this package derived from it. Backends filter and sort on
// Fields only; they never look inside Body.
type Doc struct {
	Kind   Kind
	ID     string
	Body   json.RawMessage
	Fields Fields
}

// Fields holds the index values of a document. A scalar field has at most one
// value (none means null); a multi-valued field has any number. Every value is
// a string whose byte order is the order the API sorts by.
type Fields map[string][]string

// Collection describes how a kind is stored and indexed: which fields are
// scalar, which are multi-valued, and which compound indexes back the
// filters and orderings the API offers. Both backends create exactly these
// indexes, so a query costs the same on either.
type Collection struct {
	Kind    Kind
	Scalars []string   // single-valued fields; "id" and "slug" are always present
	Multis  []string   // multi-valued fields (references, search tokens)
	Unique  []string   // scalar fields whose non-null values are unique
	Indexes [][]string // compound indexes over scalar fields; "id" is appended as tiebreaker
}

// IsMulti reports whether field is multi-valued in c.
func (c Collection) IsMulti(field string) bool {
	for _, f := range c.Multis {
		if f == field {
			return true
		}
	}
	return false
}

// Check reports whether the description is consistent: a kind, field names
// that are not empty and declared once, unique and indexed fields that are
// scalar. Backends check it before they create anything.
func (c Collection) Check() error {
	if c.Kind == "" {
		return fmt.Errorf("collection without a kind")
	}
	seen := map[string]string{"id": "scalar"}
	for _, list := range []struct {
		what   string
		fields []string
	}{{"scalar", c.Scalars}, {"multi-valued", c.Multis}} {
		for _, f := range list.fields {
			if f == "" {
				return fmt.Errorf("%s: a %s field without a name", c.Kind, list.what)
			}
			if prev, dup := seen[f]; dup && f != "id" {
				return fmt.Errorf("%s: field %q is declared twice (%s and %s)", c.Kind, f, prev, list.what)
			}
			seen[f] = list.what
		}
	}
	for _, f := range c.Unique {
		if seen[f] != "scalar" {
			return fmt.Errorf("%s: unique field %q is not a scalar field", c.Kind, f)
		}
	}
	for _, idx := range c.Indexes {
		for _, f := range idx {
			if seen[f] != "scalar" {
				return fmt.Errorf("%s: index field %q is not a scalar field", c.Kind, f)
			}
		}
	}
	return nil
}

// Op is an operator of the query language.
type Op int

// String names the operator, for messages.
func (op Op) String() string {
	if name, ok := opNames[op]; ok {
		return name
	}
	return fmt.Sprintf("op(%d)", int(op))
}

var opNames = map[Op]string{OpAnd: "and", OpOr: "or", OpNot: "not", OpEq: "eq", OpIn: "in", OpGt: "gt",
	OpGte: "gte", OpLt: "lt", OpLte: "lte", OpPrefix: "prefix"}

// The operators of the query language. On a multi-valued field a comparison
// holds when it holds for at least one of the values.
const (
	OpAnd    Op = iota + 1 // all of Conds
	OpOr                   // any of Conds
	OpNot                  // not Conds[0]
	OpEq                   // Field == Values[0]
	OpIn                   // Field is one of Values
	OpGt                   // Field > Values[0]
	OpGte                  // Field >= Values[0]
	OpLt                   // Field < Values[0]
	OpLte                  // Field <= Values[0]
	OpPrefix               // Field starts with Values[0]
)

// Cond is a condition on the index fields of a document. A nil *Cond
// matches every document.
type Cond struct {
	Op     Op
	Field  string
	Values []string
	Conds  []*Cond
}

// Eq is Field == v.
func Eq(field, v string) *Cond { return &Cond{Op: OpEq, Field: field, Values: []string{v}} }

// In is Field ∈ vs.
func In(field string, vs ...string) *Cond { return &Cond{Op: OpIn, Field: field, Values: vs} }

// Gt is Field > v.
func Gt(field, v string) *Cond { return &Cond{Op: OpGt, Field: field, Values: []string{v}} }

// Gte is Field >= v.
func Gte(field, v string) *Cond { return &Cond{Op: OpGte, Field: field, Values: []string{v}} }

// Lt is Field < v.
func Lt(field, v string) *Cond { return &Cond{Op: OpLt, Field: field, Values: []string{v}} }

// Lte is Field <= v.
func Lte(field, v string) *Cond { return &Cond{Op: OpLte, Field: field, Values: []string{v}} }

// Prefix is "Field starts with p".
func Prefix(field, p string) *Cond { return &Cond{Op: OpPrefix, Field: field, Values: []string{p}} }

// Not negates c.
func Not(c *Cond) *Cond { return &Cond{Op: OpNot, Conds: []*Cond{c}} }

// And is the conjunction of the non-nil conds; nil when there are none.
func And(cs ...*Cond) *Cond { return junction(OpAnd, cs) }

// Or is the disjunction of the non-nil conds; nil when there are none.
func Or(cs ...*Cond) *Cond { return junction(OpOr, cs) }

func junction(op Op, cs []*Cond) *Cond {
	var kept []*Cond
	for _, c := range cs {
		if c == nil {
			continue
		}
		if c.Op == op {
			kept = append(kept, c.Conds...)
			continue
		}
		kept = append(kept, c)
	}
	switch len(kept) {
	case 0:
		return nil
	case 1:
		return kept[0]
	}
	return &Cond{Op: op, Conds: kept}
}

// SortKey orders by a scalar field.
type SortKey struct {
	Field string
	Desc  bool
}

// Query asks a backend for documents of one kind matching Where, in Sort
// order, at most Limit of them (0 means no limit). Sort always ends with
// "id", so the order is total.
type Query struct {
	Kind  Kind
	Where *Cond
	Sort  []SortKey
	Limit int
}

// Write is one change of a document, guarded by its version: the document
// is put (or, with Delete, removed) only if the "version" field of the
// stored document equals Expect; an empty Expect means the document must
// not exist yet. Also holds documents that record the change, such as an
// audit entry or an outbox event: they are inserted with it and never
// replace an existing document (a duplicate id gives ECONFLICT).
//
// Backends with transactions apply all writes of one Apply atomically.
// A backend without them must write the Also documents first and then the
// guarded change, so that no change is ever without its record; a record
// whose change then failed is recognisable by its version.
type Write struct {
	Doc    Doc
	Delete bool
	Expect string
	Also   []Doc
}

// CheckVersion is the rule every backend applies to a guarded write: with
// an empty expect the document must not exist; otherwise it must exist with
// that version. It returns ECONFLICT with a message for people otherwise.
func CheckVersion(kind Kind, id, expect, stored string, exists bool) error {
	switch {
	case expect == "" && exists:
		return &Error{Code: ECONFLICT, Message: fmt.Sprintf("%s %s already exists", kind, id)}
	case expect != "" && !exists:
		return &Error{Code: ECONFLICT, Message: fmt.Sprintf("%s %s does not exist (any more)", kind, id)}
	case expect != "" && stored != expect:
		return &Error{Code: ECONFLICT, Message: fmt.Sprintf("%s %s has version %s, not the expected %s: it was changed in the meantime; reload it and apply your change again",
			kind, id, trimVersion(stored), trimVersion(expect))}
	}
	return nil
}

func trimVersion(k string) string {
	if t := strings.TrimLeft(k, "0"); t != "" {
		return t
	}
	return "0"
}

// Bucket is one group of a grouped count: the values of the grouped fields
// (in the order asked, "" for null) and the number of documents.
type Bucket struct {
	Keys  []string
	Count int
}

// Store is the storage boundary. Backends implement it; the Catalog is its
// only caller. Every method returns EINTERNAL for backend failures.
type Store interface {
	// Get returns the documents of kind with the given ids, keyed by id.
	// Ids that do not exist are absent from the map; that is not an error.
	Get(ctx context.Context, kind Kind, ids []string) (map[string]Doc, error)
	// Find returns the documents that match q, in q's order.
	Find(ctx context.Context, q Query) ([]Doc, error)
	// Count returns the number of documents of kind that match where.
	Count(ctx context.Context, kind Kind, where *Cond) (int, error)
	// Group counts the documents of kind that match where, grouped by the
	// given fields. A multi-valued field contributes one group per value.
	Group(ctx context.Context, kind Kind, where *Cond, by []string) ([]Bucket, error)
	// Put inserts or replaces documents by id, all or none. A duplicate
	// value of a unique field gives ECONFLICT.
	Put(ctx context.Context, docs ...Doc) error
	// Apply performs writes with optimistic concurrency, all or none where
	// the backend can (see Write). A document whose stored "version" field
	// is not the write's Expect gives ECONFLICT, as does a duplicate value
	// of a unique field; either way nothing is written.
	Apply(ctx context.Context, writes ...Write) error
	// Delete removes documents of kind by id; missing ids are ignored.
	Delete(ctx context.Context, kind Kind, ids ...string) error
	// Ping reports whether the store is reachable.
	Ping(ctx context.Context) error
	// Close releases the store's resources.
	Close() error
}
