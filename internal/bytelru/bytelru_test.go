package bytelru

import (
	"fmt"
	"testing"
)

func TestBoundedByBytes(t *testing.T) {
	c := New[string, string](100, 0)
	for i := range 50 {
		c.Add(fmt.Sprint(i), "x", 10)
	}
	if c.Len() != 10 || c.Bytes() != 100 {
		t.Fatalf("len %d bytes %d, want 10 and 100", c.Len(), c.Bytes())
	}
	if _, ok := c.Get("39"); ok {
		t.Error("an old entry survived")
	}
	if _, ok := c.Get("49"); !ok {
		t.Error("the newest entry is gone")
	}
	if c.Add("big", "x", 101) || c.Contains("big") {
		t.Error("an entry over the whole budget was kept")
	}
}

func TestLeastRecentlyUsedGoesFirst(t *testing.T) {
	c := New[string, int](30, 0)
	c.Add("a", 1, 10)
	c.Add("b", 2, 10)
	c.Add("c", 3, 10)
	c.Get("a")
	c.Add("d", 4, 10)
	if c.Contains("b") || !c.Contains("a") || !c.Contains("d") {
		t.Errorf("b should have gone, a and d stayed")
	}
	c.Add("a", 5, 25) // replacing frees the old size first
	if v, _ := c.Get("a"); v != 5 || c.Bytes() > 30 {
		t.Errorf("a=%d bytes %d", v, c.Bytes())
	}
	c.Remove("a")
	if c.Contains("a") {
		t.Error("Remove kept a")
	}
}

func TestBoundedByEntries(t *testing.T) {
	c := New[int, int](1<<20, 3)
	for i := range 10 {
		c.Add(i, i, 1)
	}
	if c.Len() != 3 || !c.Contains(9) || c.Contains(6) {
		t.Errorf("len %d", c.Len())
	}
}
