package storetest

import (
	"slices"
	"strings"

	"estafette/content"
)

// match is the reference semantics of a condition: what every backend must
// answer for a document with the given id and fields.
func match(id string, f content.Fields, c *content.Cond) bool {
	if c == nil {
		return true
	}
	switch c.Op {
	case content.OpAnd:
		for _, sub := range c.Conds {
			if !match(id, f, sub) {
				return false
			}
		}
		return true
	case content.OpOr:
		for _, sub := range c.Conds {
			if match(id, f, sub) {
				return true
			}
		}
		return false
	case content.OpNot:
		return !match(id, f, c.Conds[0])
	}
	vals := f[c.Field]
	if c.Field == "id" {
		vals = []string{id}
	}
	for _, v := range vals {
		if holds(c, v) {
			return true
		}
	}
	return false
}

// holds reports whether the comparison c holds for the value v.
func holds(c *content.Cond, v string) bool {
	switch c.Op {
	case content.OpEq:
		return v == c.Values[0]
	case content.OpIn:
		return slices.Contains(c.Values, v)
	case content.OpGt:
		return v > c.Values[0]
	case content.OpGte:
		return v >= c.Values[0]
	case content.OpLt:
		return v < c.Values[0]
	case content.OpLte:
		return v <= c.Values[0]
	case content.OpPrefix:
		return strings.HasPrefix(v, c.Values[0])
	}
	panic("storetest: unknown operator")
}
