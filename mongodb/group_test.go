package mongodb

import (
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"estafette/content"
)

// TestGroupExpansion reads answers of the Group aggregation as MongoDB
// (a missing field is left out of the _id document) and FerretDB (a
// missing field of a one-key _id is null) give them, and checks the
// buckets against the suite's rules: one per value of a multi-valued
// field, none without values, "" for a null scalar, the cross product of
// a field grouped twice, sorted.
func TestGroupExpansion(t *testing.T) {
	co := collOf(t, content.KindActivity)
	answer := func(id any, n int32) bson.Raw {
		b, err := bson.Marshal(bson.D{{Key: "_id", Value: id}, {Key: "n", Value: n}})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	k := func(kv ...any) bson.D {
		d := bson.D{}
		for i := 0; i < len(kv); i += 2 {
			d = append(d, bson.E{Key: kv[i].(string), Value: kv[i+1]})
		}
		return d
	}
	for _, c := range []struct {
		by      []string
		answers []bson.Raw
		want    string
	}{
		{nil, []bson.Raw{answer(nil, 5)}, "[{[] 5}]"},
		{[]string{"format"}, []bson.Raw{
			answer(k("k0", "b"), 1), answer(k(), 2), answer(k("k0", nil), 1), answer(k("k0", ""), 1), answer(k("k0", "a"), 3),
		}, "[{[] 4} {[a] 3} {[b] 1}]"},
		{[]string{"format", "themes"}, []bson.Raw{
			answer(k("k0", "a", "k1", bson.A{"x", "y"}), 2),
			answer(k("k1", bson.A{"y"}), 1),                 // no format
			answer(k("k0", "b"), 4),                         // no themes: no bucket
			answer(k("k0", "b", "k1", bson.A{}), 4),         // an empty array: no bucket
			answer(k("k0", nil, "k1", bson.A{"x", "x"}), 1), // a value twice counts once
			answer(k("k0", "a", "k1", bson.A{"y", "x"}), 1), // another order of the same values
		}, "[{[ x] 1} {[ y] 1} {[a x] 3} {[a y] 3}]"},
		{[]string{"themes"}, []bson.Raw{answer(k("k0", nil), 3), answer(k("k0", bson.A{"z"}), 1)}, "[{[z] 1}]"},
		{[]string{"organizers", "organizers"}, []bson.Raw{answer(k("k0", bson.A{"o2", "o1"}), 1), answer(k("k0", bson.A{"o1"}), 2)},
			"[{[o1 o1] 3} {[o1 o2] 1} {[o2 o1] 1} {[o2 o2] 1}]"},
		{[]string{"id", "themes", "format"}, []bson.Raw{answer(k("k0", "act-1", "k1", bson.A{"x"}, "k2", "w"), 1)}, "[{[act-1 x w] 1}]"},
	} {
		g, err := co.groupPipeline(nil, c.by)
		if err != nil {
			t.Fatal(err)
		}
		var b bucketSet
		for _, a := range c.answers {
			if err := g.add(&b, a); err != nil {
				t.Fatalf("by %v: %v", c.by, err)
			}
		}
		if got := fmt.Sprint(b.sorted()); got != c.want {
			t.Errorf("by %v: %s, want %s", c.by, got, c.want)
		}
	}
	g, _ := co.groupPipeline(nil, []string{"format"})
	var b bucketSet
	if err := g.add(&b, answer(k("k0", "a"), 1)[:0:0]); err == nil {
		t.Error("an answer without a count: no error")
	}
}
