package mongodb

import (
	"fmt"
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
			return nil, fmt.Errorf("mongodb: condition %s on %q needs one value, not %d", opName(c.Op), c.Field, len(c.Values))
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

// groupKey is the name of the i-th grouped field in the _id of a group.
func groupKey(i int) string { return fmt.Sprintf("k%d", i) }

// groupPipeline is the aggregation of a Group: $match the condition,
// $project each grouped field into k0, k1, … (so a field grouped twice is
// two keys, as in the embedded store), $unwind every multi-valued key (a
// document without values drops out), $group on the keys counting with
// $sum, and $sort on the group. The store merges a null key into ""
// afterwards.
func (t *coll) groupPipeline(where *content.Cond, by []string) (bson.A, error) {
	f, err := t.filter(where)
	if err != nil {
		return nil, err
	}
	p := bson.A{}
	if len(f) > 0 {
		p = append(p, bson.D{{Key: "$match", Value: f}})
	}
	project := bson.D{}
	var unwind []string
	var id any
	if len(by) > 0 {
		key := bson.D{}
		for i, field := range by {
			path, multi, err := t.path(field)
			if err != nil {
				return nil, err
			}
			k := groupKey(i)
			project = append(project, bson.E{Key: k, Value: "$" + path})
			key = append(key, bson.E{Key: k, Value: "$" + k})
			if multi {
				unwind = append(unwind, k)
			}
		}
		id = key
	} else {
		project = bson.D{{Key: idField, Value: 1}}
	}
	p = append(p, bson.D{{Key: "$project", Value: project}})
	for _, k := range unwind {
		p = append(p, bson.D{{Key: "$unwind", Value: "$" + k}})
	}
	p = append(p,
		bson.D{{Key: "$group", Value: bson.D{{Key: idField, Value: id}, {Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}}}},
		bson.D{{Key: "$sort", Value: bson.D{{Key: idField, Value: 1}}}},
	)
	return p, nil
}

func opName(op content.Op) string {
	switch op {
	case content.OpAnd:
		return "and"
	case content.OpOr:
		return "or"
	case content.OpNot:
		return "not"
	case content.OpEq:
		return "eq"
	case content.OpIn:
		return "in"
	case content.OpGt:
		return "gt"
	case content.OpGte:
		return "gte"
	case content.OpLt:
		return "lt"
	case content.OpLte:
		return "lte"
	case content.OpPrefix:
		return "prefix"
	}
	return fmt.Sprintf("op(%d)", op)
}
