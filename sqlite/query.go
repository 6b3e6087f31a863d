package sqlite

import (
	"fmt"
	"strings"

	"estafette/content"
)

// sqlBuilder writes one SQL statement over the table of a kind, aliased d,
// collecting the parameters as it goes. Values are always parameters, never
// SQL text.
type sqlBuilder struct {
	t    *table
	sb   strings.Builder
	args []any
	// sets writes conditions on multi-valued fields as set membership
	// (d.id IN (…)) instead of a correlated EXISTS: for counts and groups,
	// which read every match, so the planner may start from the terms index
	// (field, value, id) instead of probing it for every row of the kind.
	sets bool
}

func (b *sqlBuilder) write(s ...string) {
	for _, x := range s {
		b.sb.WriteString(x)
	}
}

func (b *sqlBuilder) param(v string) {
	b.sb.WriteByte('?')
	b.args = append(b.args, v)
}

// where writes " WHERE <c>" unless c is nil.
func (b *sqlBuilder) where(c *content.Cond) error {
	if c == nil {
		return nil
	}
	b.write(" WHERE ")
	_, err := b.cond(c)
	return err
}

// cond writes c as an SQL expression and reports whether the expression may
// be NULL. SQL's three-valued logic agrees with "a comparison on a null
// field is false" under AND, OR and WHERE, because NULL is treated as false
// there; only NOT would turn it into true, so a negation of an expression
// that may be NULL is written NOT COALESCE(x, 0).
func (b *sqlBuilder) cond(c *content.Cond) (nullable bool, err error) {
	if c == nil {
		b.write("1")
		return false, nil
	}
	switch c.Op {
	case content.OpAnd, content.OpOr:
		if len(c.Conds) == 0 {
			if c.Op == content.OpAnd {
				b.write("1")
			} else {
				b.write("0")
			}
			return false, nil
		}
		sep := " AND "
		if c.Op == content.OpOr {
			sep = " OR "
		}
		b.write("(")
		for i, sub := range c.Conds {
			if i > 0 {
				b.write(sep)
			}
			n, err := b.cond(sub)
			if err != nil {
				return false, err
			}
			nullable = nullable || n
		}
		b.write(")")
		return nullable, nil
	case content.OpNot:
		if len(c.Conds) != 1 {
			return false, fmt.Errorf("sqlite: a negation needs one condition, not %d", len(c.Conds))
		}
		var sub sqlBuilder
		sub.t = b.t
		n, err := sub.cond(c.Conds[0])
		if err != nil {
			return false, err
		}
		if n {
			b.write("NOT COALESCE(", sub.sb.String(), ", 0)")
		} else {
			b.write("NOT ", sub.sb.String())
		}
		b.args = append(b.args, sub.args...)
		return false, nil
	case content.OpEq, content.OpGt, content.OpGte, content.OpLt, content.OpLte, content.OpPrefix:
		if len(c.Values) != 1 {
			return false, fmt.Errorf("sqlite: condition %s on %q needs one value, not %d", c.Op, c.Field, len(c.Values))
		}
	case content.OpIn:
	default:
		return false, fmt.Errorf("sqlite: unknown operator %d", c.Op)
	}
	switch {
	case b.t.isScalar[c.Field]:
		col := "d." + quote(c.Field)
		if c.Field == "id" {
			col = "d.id"
		}
		if c.Op == content.OpIn && len(c.Values) == 0 {
			b.write("0")
			return false, nil
		}
		b.compare(col, c)
		return c.Field != "id", nil
	case b.t.isMulti[c.Field]:
		if c.Op == content.OpIn && len(c.Values) == 0 {
			b.write("0")
			return false, nil
		}
		if b.sets {
			b.write("d.id IN (SELECT t.id FROM ", b.t.terms, " AS t WHERE t.field = ")
			b.param(c.Field)
			b.write(" AND ")
			b.compare("t.value", c)
			b.write(")")
			return false, nil
		}
		// A correlated EXISTS keeps the table of the kind as the driving
		// loop, so the compound index that backs the ORDER BY and the
		// scalar equalities stays in use; the subquery is a probe of the
		// (id, field, value) index for each candidate row.
		b.write("EXISTS (SELECT 1 FROM ", b.t.terms, " AS t WHERE t.id = d.id AND t.field = ")
		b.param(c.Field)
		b.write(" AND ")
		b.compare("t.value", c)
		b.write(")")
		return false, nil
	}
	return false, fmt.Errorf("sqlite: %s has no field %q", b.t.coll.Kind, c.Field)
}

// compare writes the comparison c of the column expression col. The column
// and the parameters are TEXT with the BINARY collation, so the comparison
// is byte-wise.
func (b *sqlBuilder) compare(col string, c *content.Cond) {
	switch c.Op {
	case content.OpEq:
		b.write(col, " = ")
		b.param(c.Values[0])
	case content.OpGt:
		b.write(col, " > ")
		b.param(c.Values[0])
	case content.OpGte:
		b.write(col, " >= ")
		b.param(c.Values[0])
	case content.OpLt:
		b.write(col, " < ")
		b.param(c.Values[0])
	case content.OpLte:
		b.write(col, " <= ")
		b.param(c.Values[0])
	case content.OpIn:
		if len(c.Values) == 1 {
			b.write(col, " = ")
			b.param(c.Values[0])
			return
		}
		b.write(col, " IN (")
		for i, v := range c.Values {
			if i > 0 {
				b.write(", ")
			}
			b.param(v)
		}
		b.write(")")
	case content.OpPrefix:
		// A prefix is a range of byte strings: [p, upper(p)). Unlike LIKE
		// or GLOB it has no metacharacters, and it can use an index.
		p := c.Values[0]
		if p == "" {
			b.write(col, " IS NOT NULL")
			return
		}
		hi, ok := prefixUpper(p)
		b.write("(", col, " >= ")
		b.param(p)
		if ok {
			b.write(" AND ", col, " < ")
			b.param(hi)
		}
		b.write(")")
	}
}

// prefixUpper returns the least string greater than every string that
// starts with p, and false when there is none (p is all 0xFF bytes).
func prefixUpper(p string) (string, bool) {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xFF {
			b[i]++
			return string(b[:i+1]), true
		}
	}
	return "", false
}

// orderBy writes the ORDER BY clause of sort. Only scalar fields can be
// sorted on; NULL sorts first in ascending order.
func (b *sqlBuilder) orderBy(sort []content.SortKey) error {
	for i, k := range sort {
		if !b.t.isScalar[k.Field] {
			if b.t.isMulti[k.Field] {
				return fmt.Errorf("sqlite: cannot sort %s on multi-valued field %q", b.t.coll.Kind, k.Field)
			}
			return fmt.Errorf("sqlite: %s has no field %q", b.t.coll.Kind, k.Field)
		}
		if i == 0 {
			b.write(" ORDER BY ")
		} else {
			b.write(", ")
		}
		if k.Field == "id" {
			b.write("d.id")
		} else {
			b.write("d.", quote(k.Field))
		}
		if k.Desc {
			b.write(" DESC")
		} else {
			b.write(" ASC")
		}
	}
	return nil
}

// findSQL returns the statement of a Find.
func findSQL(t *table, q content.Query) (string, []any, error) {
	return drivenFindSQL(t, q, nil)
}

// drivenFindSQL returns the statement of a Find; when drive (a condition
// on a multi-valued field, one of q's AND terms) is not nil, the rows come
// from that condition's matches in the terms index instead of from the
// kind's table read in sort order: SELECT … FROM (matching ids) CROSS JOIN
// the table (CROSS JOIN keeps that order of the loops in SQLite), and the
// few matches are sorted. See Store.selectiveTerm for when that pays.
func drivenFindSQL(t *table, q content.Query, drive *content.Cond) (string, []any, error) {
	if q.Limit < 0 {
		return "", nil, fmt.Errorf("sqlite: negative limit %d", q.Limit)
	}
	if parts := splitStatuses(q); parts != nil {
		return unionSQL(t, q, parts, drive)
	}
	b := &sqlBuilder{t: t}
	b.write("SELECT ", t.selects, " FROM ")
	if drive != nil {
		b.write("(SELECT DISTINCT t.id FROM ", t.terms, " AS t WHERE t.field = ")
		b.param(drive.Field)
		b.write(" AND ")
		b.compare("t.value", drive)
		b.write(") AS m CROSS JOIN ", t.name, " AS d ON d.id = m.id")
	} else {
		b.write(t.name, " AS d")
	}
	if err := b.where(q.Where); err != nil {
		return "", nil, err
	}
	if err := b.orderBy(q.Sort); err != nil {
		return "", nil, err
	}
	if q.Limit > 0 {
		// An integer literal, not a parameter: the planner weighs a known
		// limit when it chooses between reading an index in order and
		// sorting.
		b.write(fmt.Sprintf(" LIMIT %d", q.Limit))
	}
	return b.sb.String(), b.args, nil
}

// countSQL returns the statement of a Count.
func countSQL(t *table, where *content.Cond) (string, []any, error) {
	b := &sqlBuilder{t: t, sets: true}
	b.write("SELECT count(*) FROM ", t.name, " AS d")
	if err := b.where(where); err != nil {
		return "", nil, err
	}
	return b.sb.String(), b.args, nil
}

// groupSQL returns the statement of a Group: scalar fields are read from
// their columns (null as ""), each multi-valued field is joined through the
// terms table so that a document counts once per value, and the buckets
// come ordered by their keys.
func groupSQL(t *table, where *content.Cond, by []string) (string, []any, error) {
	b := &sqlBuilder{t: t, sets: true}
	keys := make([]string, len(by))
	var joins []string
	var joinArgs []any
	for i, f := range by {
		switch {
		case f == "id":
			keys[i] = "d.id"
		case t.isScalar[f]:
			keys[i] = "COALESCE(d." + quote(f) + ", '')"
		case t.isMulti[f]:
			alias := fmt.Sprintf("g%d", i)
			joins = append(joins, fmt.Sprintf(" JOIN %s AS %s ON %s.id = d.id AND %s.field = ?", t.terms, alias, alias, alias))
			joinArgs = append(joinArgs, f)
			keys[i] = alias + ".value"
		default:
			return "", nil, fmt.Errorf("sqlite: %s has no field %q", t.coll.Kind, f)
		}
	}
	b.write("SELECT ")
	for _, k := range keys {
		b.write(k, ", ")
	}
	b.write("count(*) FROM ", t.name, " AS d")
	for _, j := range joins {
		b.write(j)
	}
	b.args = append(b.args, joinArgs...)
	if err := b.where(where); err != nil {
		return "", nil, err
	}
	if len(by) > 0 {
		nums := make([]string, len(by))
		for i := range by {
			nums[i] = fmt.Sprint(i + 1)
		}
		b.write(" GROUP BY ", strings.Join(nums, ", "), " ORDER BY ", strings.Join(nums, ", "))
	}
	return b.sb.String(), b.args, nil
}

// maxStatusBranches bounds the statuses splitStatuses splits a query into.
const maxStatusBranches = 4

// splitStatuses returns, for a limited and sorted Find whose condition
// says "status is one of a few values" (status IN (…) alone or as a term
// of a top-level AND), one copy of the query per status with the IN made
// an equality; otherwise nil. Every list index of the schema starts with
// status, so each copy reads its index in order and stops after the
// limit; asked as one query, status IN (…) spans several ranges of the
// index and SQLite sorts every match (an editor's list of all published
// and draft activities sorted 100,000 rows to show 50).
func splitStatuses(q content.Query) []content.Query {
	if q.Limit == 0 || len(q.Sort) == 0 || q.Where == nil {
		return nil
	}
	isStatuses := func(c *content.Cond) bool {
		return c.Op == content.OpIn && c.Field == "status" && len(c.Values) >= 2 && len(c.Values) <= maxStatusBranches
	}
	with := func(v string) *content.Cond { return content.Eq("status", v) }
	var build func(v string) *content.Cond
	var values []string
	switch {
	case isStatuses(q.Where):
		values, build = q.Where.Values, with
	case q.Where.Op == content.OpAnd:
		for i, c := range q.Where.Conds {
			if !isStatuses(c) {
				continue
			}
			values = c.Values
			build = func(v string) *content.Cond {
				conds := append([]*content.Cond(nil), q.Where.Conds...)
				conds[i] = with(v)
				return &content.Cond{Op: content.OpAnd, Conds: conds}
			}
			break
		}
	}
	if build == nil {
		return nil
	}
	parts := make([]content.Query, len(values))
	for i, v := range values {
		parts[i] = q
		parts[i].Where = build(v)
	}
	return parts
}

// unionSQL writes the Find of q as the ordered union of its parts, each
// limited on its own: SELECT * FROM (part 1 LIMIT n) UNION ALL … ORDER BY
// the sort keys LIMIT n. The sort keys are scalars, so they are columns of
// every part's select list.
func unionSQL(t *table, q content.Query, parts []content.Query, drive *content.Cond) (string, []any, error) {
	var sb strings.Builder
	var args []any
	sb.WriteString("SELECT * FROM (")
	for i, p := range parts {
		stmt, a, err := drivenFindSQL(t, p, drive)
		if err != nil {
			return "", nil, err
		}
		if i > 0 {
			sb.WriteString(" UNION ALL ")
		}
		sb.WriteString("SELECT * FROM (" + stmt + ")")
		args = append(args, a...)
	}
	sb.WriteString(") AS d")
	b := &sqlBuilder{t: t}
	if err := b.orderBy(q.Sort); err != nil {
		return "", nil, err
	}
	sb.WriteString(b.sb.String())
	sb.WriteString(fmt.Sprintf(" LIMIT %d", q.Limit))
	return sb.String(), args, nil
}

// sparseTerms is how many matches of a condition on a multi-valued field
// make it selective enough to drive a limited Find (see selectiveTerm).
const sparseTerms = 1000

// termConds returns the conditions on multi-valued fields that q's rows
// must all meet: q's condition itself, or the terms of its top-level AND.
func termConds(t *table, where *content.Cond) []*content.Cond {
	if where == nil {
		return nil
	}
	isTerm := func(c *content.Cond) bool {
		return t.isMulti[c.Field] && c.Op != content.OpAnd && c.Op != content.OpOr && c.Op != content.OpNot &&
			!(c.Op == content.OpIn && len(c.Values) == 0)
	}
	if isTerm(where) {
		return []*content.Cond{where}
	}
	var out []*content.Cond
	if where.Op == content.OpAnd {
		for _, c := range where.Conds {
			if isTerm(c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// probeSQL counts the matches of a condition on a multi-valued field in
// the terms index, up to limit+1.
func probeSQL(t *table, c *content.Cond, limit int) (string, []any) {
	b := &sqlBuilder{t: t}
	b.write("SELECT count(*) FROM (SELECT 1 FROM ", t.terms, " AS t WHERE t.field = ")
	b.param(c.Field)
	b.write(" AND ")
	b.compare("t.value", c)
	b.write(fmt.Sprintf(" LIMIT %d)", limit+1))
	return b.sb.String(), b.args
}
