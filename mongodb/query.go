package mongodb

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"estafette/content"
)

// matchNone is a filter no document matches: _id is never in an empty list.
func matchNone() bson.D { return bson.D{{Key: idField, Value: bson.D{{Key: "$in", Value: bson.A{}}}}} }

// filter translates a condition into a find filter with the semantics of
// the conformance suite (see the package documentation). A nil condition
// is the empty filter, which matches every document.
func (t *coll) filter(c *content.Cond) (bson.D, error) {
	if c == nil {
		return bson.D{}, nil
	}
	switch c.Op {
	case content.OpAnd:
		if len(c.Conds) == 0 {
			return bson.D{}, nil
		}
		subs, err := t.filters(c.Conds)
		if err != nil {
			return nil, err
		}
		if len(subs) == 1 {
			return subs[0], nil
		}
		// Conditions on different fields share one document, which reads
		// best and is the form index selection knows best; two on the
		// same field (or two $or) need $and.
		merged := bson.D{}
		keys := map[string]bool{}
		for _, s := range subs {
			for _, e := range s {
				if keys[e.Key] {
					a := bson.A{}
					for _, s := range subs {
						a = append(a, s)
					}
					return bson.D{{Key: "$and", Value: a}}, nil
				}
				keys[e.Key] = true
				merged = append(merged, e)
			}
		}
		return merged, nil
	case content.OpOr:
		if len(c.Conds) == 0 {
			return matchNone(), nil
		}
		subs, err := t.filters(c.Conds)
		if err != nil {
			return nil, err
		}
		if len(subs) == 1 {
			return subs[0], nil
		}
		a := bson.A{}
		for _, s := range subs {
			a = append(a, s)
		}
		return bson.D{{Key: "$or", Value: a}}, nil
	case content.OpNot:
		if len(c.Conds) != 1 {
			return nil, fmt.Errorf("mongodb: a negation needs one condition, not %d", len(c.Conds))
		}
		inner := c.Conds[0]
		// Not(Not(x)) is x: a negation is true exactly when its operand is
		// not, so two cancel out.
		if inner != nil && inner.Op == content.OpNot && len(inner.Conds) == 1 {
			return t.filter(inner.Conds[0])
		}
		sub, err := t.filter(inner)
		if err != nil {
			return nil, err
		}
		if len(sub) == 0 {
			return matchNone(), nil // not true
		}
		// $nor holds whenever its operand does not hold, missing fields
		// included: the null rule of Not.
		return bson.D{{Key: "$nor", Value: bson.A{sub}}}, nil
	case content.OpEq, content.OpGt, content.OpGte, content.OpLt, content.OpLte, content.OpPrefix:
		if len(c.Values) != 1 {
			return nil, fmt.Errorf("mongodb: condition %s on %q needs one value, not %d", c.Op, c.Field, len(c.Values))
		}
	case content.OpIn:
	default:
		return nil, fmt.Errorf("mongodb: unknown operator %d", c.Op)
	}
	path, _, err := t.path(c.Field)
	if err != nil {
		return nil, err
	}
	var v any
	switch c.Op {
	case content.OpEq:
		v = c.Values[0]
	case content.OpIn:
		if len(c.Values) == 1 {
			v = c.Values[0]
			break
		}
		a := make(bson.A, len(c.Values))
		for i, x := range c.Values {
			a[i] = x
		}
		v = bson.D{{Key: "$in", Value: a}}
	case content.OpGt:
		v = bson.D{{Key: "$gt", Value: c.Values[0]}}
	case content.OpGte:
		v = bson.D{{Key: "$gte", Value: c.Values[0]}}
	case content.OpLt:
		v = bson.D{{Key: "$lt", Value: c.Values[0]}}
	case content.OpLte:
		v = bson.D{{Key: "$lte", Value: c.Values[0]}}
	case content.OpPrefix:
		// An anchored regular expression of the escaped prefix: only
		// strings match (never a missing field), it is case-sensitive and
		// byte-wise, and the server turns it into an index range.
		v = bson.D{{Key: "$regex", Value: "^" + quoteRegex(c.Values[0])}}
	}
	return bson.D{{Key: path, Value: v}}, nil
}

func (t *coll) filters(cs []*content.Cond) ([]bson.D, error) {
	out := make([]bson.D, 0, len(cs))
	for _, c := range cs {
		f, err := t.filter(c)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// quoteRegex escapes every character that has a meaning in a PCRE (or Go
// RE2) regular expression without options, so the pattern matches the text
// literally; control characters are written as escapes, which also keeps a
// NUL byte out of the pattern.
func quoteRegex(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', '.', '+', '*', '?', '(', ')', '|', '[', ']', '{', '}', '^', '$':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case 0:
			b.WriteString(`\x00`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// sort translates sort keys into a sort document. Only scalar fields (and
// id) can be sorted on.
func (t *coll) sort(keys []content.SortKey) (bson.D, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	out := make(bson.D, 0, len(keys))
	for _, k := range keys {
		path, multi, err := t.path(k.Field)
		if err != nil {
			return nil, err
		}
		if multi {
			return nil, fmt.Errorf("mongodb: cannot sort %s on multi-valued field %q", t.desc.Kind, k.Field)
		}
		dir := 1
		if k.Desc {
			dir = -1
		}
		out = append(out, bson.E{Key: path, Value: dir})
	}
	return out, nil
}

// findPlan is one find command: what the store sends for a Find.
type findPlan struct {
	Filter     bson.D
	Sort       bson.D
	Projection bson.D
	Limit      int64
}

// find translates a query into a find.
func (t *coll) find(q content.Query) (findPlan, error) {
	if q.Limit < 0 {
		return findPlan{}, fmt.Errorf("mongodb: negative limit %d", q.Limit)
	}
	f, err := t.filter(q.Where)
	if err != nil {
		return findPlan{}, err
	}
	s, err := t.sort(q.Sort)
	if err != nil {
		return findPlan{}, err
	}
	return findPlan{Filter: f, Sort: s, Projection: t.projection, Limit: int64(q.Limit)}, nil
}

// getFilter is the filter of a Get: one $in over the ids.
func getFilter(ids []string) bson.D {
	a := make(bson.A, len(ids))
	for i, id := range ids {
		a[i] = id
	}
	return bson.D{{Key: idField, Value: bson.D{{Key: "$in", Value: a}}}}
}

// countPipeline is the aggregation of a Count: $match, then $count.
func (t *coll) countPipeline(where *content.Cond) (bson.A, error) {
	f, err := t.filter(where)
	if err != nil {
		return nil, err
	}
	p := bson.A{}
	if len(f) > 0 {
		p = append(p, bson.D{{Key: "$match", Value: f}})
	}
	return append(p, bson.D{{Key: "$count", Value: "n"}}), nil
}

// groupKey is the name of the i-th distinct grouped field in the _id of a
// group.
func groupKey(i int) string { return fmt.Sprintf("k%d", i) }

// groupPlan is the aggregation of a Group and how to read its answer.
type groupPlan struct {
	Pipeline bson.A
	// Keys are the distinct grouped fields, in the order of their keys
	// k0, k1, … in the _id of a group; Multi says which are multi-valued.
	Keys  []string
	Multi []bool
	// Cols maps each field asked for to its key: by[i] is Keys[Cols[i]].
	Cols []int
}

// groupPipeline is the aggregation of a Group: $match the condition, then
// $group on the plain field paths of the distinct grouped fields
// ({_id: {k0: "$format", k1: "$themes"}, n: {$sum: 1}}), a multi-valued
// field grouping by its whole array. Group expands each answer in Go:
// one bucket per value of a multi-valued field (none without values), the
// cross product when several are grouped (a field grouped twice pairs
// every value with every value, like the embedded store's join), a null
// or missing scalar as "", and it sorts the buckets. No $project, $unwind
// or $sort: FerretDB 1.x takes a "$field" in $project for a string
// literal and keeps only _id and the unwound field after $unwind, so
// neither can carry more than one key (see docs/mongodb.md).
func (t *coll) groupPipeline(where *content.Cond, by []string) (groupPlan, error) {
	var g groupPlan
	f, err := t.filter(where)
	if err != nil {
		return g, err
	}
	p := bson.A{}
	if len(f) > 0 {
		p = append(p, bson.D{{Key: "$match", Value: f}})
	}
	var id any // null: one group of everything
	if len(by) > 0 {
		key := bson.D{}
		index := map[string]int{}
		for _, field := range by {
			path, multi, err := t.path(field)
			if err != nil {
				return g, err
			}
			j, ok := index[path]
			if !ok {
				j = len(g.Keys)
				index[path] = j
				g.Keys = append(g.Keys, path)
				g.Multi = append(g.Multi, multi)
				key = append(key, bson.E{Key: groupKey(j), Value: "$" + path})
			}
			g.Cols = append(g.Cols, j)
		}
		id = key
	}
	g.Pipeline = append(p, bson.D{{Key: "$group", Value: bson.D{{Key: idField, Value: id}, {Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}}}})
	return g, nil
}

// values returns the values a group's key stands for: a string is one
// value, an array its distinct strings, and null or a missing key ""
// for a scalar field and nothing for a multi-valued one.
func (g groupPlan) values(id bson.RawValue, j int) []string {
	var v bson.RawValue
	if doc, ok := id.DocumentOK(); ok {
		v, _ = doc.LookupErr(groupKey(j))
	}
	switch v.Type {
	case bson.TypeString:
		return []string{v.StringValue()}
	case bson.TypeArray:
		vals, _ := v.Array().Values()
		out := make([]string, 0, len(vals))
		for _, e := range vals {
			if s, ok := e.StringValueOK(); ok && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
		if len(out) > 0 || g.Multi[j] {
			return out
		}
	}
	if g.Multi[j] {
		return nil
	}
	return []string{""}
}

// add counts one answer of the aggregation, {_id: {k0: …, …}, n}, in
// the buckets of every combination of its values, one value per field
// asked for.
func (g groupPlan) add(b *bucketSet, answer bson.Raw) error {
	n, ok := answer.Lookup("n").AsInt64OK()
	if !ok {
		return fmt.Errorf("no count in %s", answer)
	}
	id := answer.Lookup(idField)
	vals := make([][]string, len(g.Keys))
	for j := range g.Keys {
		if vals[j] = g.values(id, j); len(vals[j]) == 0 {
			return nil // a multi-valued field without values: no bucket
		}
	}
	keys := make([]string, len(g.Cols))
	var walk func(i int)
	walk = func(i int) {
		if i == len(g.Cols) {
			b.add(keys, int(n))
			return
		}
		for _, v := range vals[g.Cols[i]] {
			keys[i] = v
			walk(i + 1)
		}
	}
	walk(0)
	return nil
}

// bucketSet sums counts by their keys.
type bucketSet struct {
	index map[string]int // JSON of the keys → position in out
	out   []content.Bucket
}

func (b *bucketSet) add(keys []string, n int) {
	k, _ := json.Marshal(keys)
	if i, ok := b.index[string(k)]; ok {
		b.out[i].Count += n
		return
	}
	if b.index == nil {
		b.index = map[string]int{}
	}
	b.index[string(k)] = len(b.out)
	b.out = append(b.out, content.Bucket{Keys: slices.Clone(keys), Count: n})
}

// sorted returns the buckets that count something, ordered by their keys
// byte-wise.
func (b *bucketSet) sorted() []content.Bucket {
	out := slices.DeleteFunc(b.out, func(b content.Bucket) bool { return b.Count <= 0 })
	slices.SortFunc(out, func(a, b content.Bucket) int { return slices.Compare(a.Keys, b.Keys) })
	return out
}
