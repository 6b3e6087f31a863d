package content

import (
	"testing"
	"time"
)

func TestKeysetAfter(t *testing.T) {
	c := keysetAfter([]SortKey{{Field: "startKey"}, {Field: "id"}}, []string{"2023", "b"})
	// start >= 2023 AND (start > 2023 OR (start = 2023 AND id > b))
	if c.Op != OpAnd || c.Conds[0].Op != OpGte || c.Conds[1].Op != OpOr {
		t.Fatalf("unexpected shape %+v", c)
	}
	alt := c.Conds[1].Conds[1]
	if alt.Op != OpAnd || alt.Conds[0].Op != OpEq || alt.Conds[1].Op != OpGt || alt.Conds[1].Field != "id" {
		t.Fatalf("unexpected tiebreak %+v", alt)
	}
	d := keysetAfter([]SortKey{{Field: "year", Desc: true}, {Field: "id", Desc: true}}, []string{"2023", "x"})
	if d.Conds[0].Op != OpLte || d.Conds[1].Conds[0].Op != OpLt {
		t.Fatalf("descending keyset must use <=/<: %+v", d)
	}
}

func TestDecodeCursorRejects(t *testing.T) {
	l := listing{kind: KindActivity, order: "activities start asc", sort: []SortKey{{Field: "startKey"}}}
	good := encodeCursor(cursor{Order: l.order, Keys: []string{"k", "id"}})
	if _, err := decodeCursor(good, "after", l); err != nil {
		t.Fatalf("a cursor of the list is refused: %v", err)
	}
	other := encodeCursor(cursor{Order: "activities title asc", Keys: []string{"k", "id"}})
	for _, bad := range []string{"zzz", "", other, encodeCursor(cursor{Order: l.order, Keys: []string{"k"}}), encodeCursor(cursor{Order: l.order, Segment: 3, Keys: []string{"k", "id"}})} {
		if _, err := decodeCursor(bad, "after", l); ErrorCode(err) != EINVALID {
			t.Errorf("decodeCursor(%q) = %v, want EINVALID", bad, err)
		}
	}
}

func TestCheckPageArgs(t *testing.T) {
	n := func(i int) *int { return &i }
	for _, p := range []PageArgs{{First: n(0)}, {First: n(101)}, {Last: n(-1)}, {First: n(1), Last: n(1)}} {
		if err := checkPageArgs(p); ErrorCode(err) != EINVALID {
			t.Errorf("checkPageArgs(%+v) = %v, want EINVALID", p, err)
		}
	}
	for _, p := range []PageArgs{{}, {First: n(1)}, {First: n(100)}, {Last: n(50)}} {
		if err := checkPageArgs(p); err != nil {
			t.Errorf("checkPageArgs(%+v) = %v", p, err)
		}
	}
}

func TestRelayOf(t *testing.T) {
	d := func(m time.Month, day int) *Date { v := D(2023, m, day); return &v }
	e := &Edition{Legs: []*Leg{
		{Order: 1, RegionID: "oost", StartsOn: d(2, 6), EndsOn: d(2, 10)},
		{Order: 2, RegionID: "west", StartsOn: d(2, 13), EndsOn: d(2, 17)},
		{Order: 3, RegionID: "noord", StartsOn: d(2, 20), EndsOn: d(2, 24)},
		{Order: 4, RegionID: "zuid", StartsOn: d(2, 27), EndsOn: d(3, 3)},
	}}
	region := func(l *Leg) string {
		if l == nil {
			return ""
		}
		return l.RegionID
	}
	cases := []struct {
		at                      string
		previous, current, next string
	}{
		{"2023-02-21T10:00:00+01:00", "west", "noord", "zuid"},
		{"2023-02-06T00:00:00+01:00", "", "oost", "west"},
		{"2023-02-05T23:59:59+01:00", "", "", "oost"},     // the day before: nobody yet
		{"2023-02-11T12:00:00+01:00", "", "oost", "west"}, // weekend: oost keeps the baton
		{"2023-03-03T16:00:00+01:00", "noord", "zuid", ""},
		{"2023-02-12T23:30:00Z", "oost", "west", "noord"}, // 00:30 on Monday in Amsterdam
	}
	for _, c := range cases {
		at, _ := ParseDateTime(c.at)
		s := RelayOf(e, at)
		if got := [3]string{region(s.Previous), region(s.Current), region(s.Next)}; got != [3]string{c.previous, c.current, c.next} {
			t.Errorf("RelayOf(%s) = %v, want %v", c.at, got, [3]string{c.previous, c.current, c.next})
		}
	}
}
