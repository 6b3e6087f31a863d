package ratelimit

import (
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"
)

func TestClientIP(t *testing.T) {
	l := New(Config{PerSecond: 1, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})
	cases := []struct{ remote, xff, want string }{
		{"203.0.113.7:5000", "", "203.0.113.7"},
		{"203.0.113.7:5000", "198.51.100.1", "203.0.113.7"}, // an untrusted peer cannot claim another address
		{"10.1.2.3:5000", "198.51.100.1", "198.51.100.1"},
		{"10.1.2.3:5000", "198.51.100.1, 10.9.9.9", "198.51.100.1"},
		{"10.1.2.3:5000", "", "10.1.2.3"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := l.ClientIP(r); got != c.want {
			t.Errorf("ClientIP(%s, %q) = %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
}

func TestBucketsRefill(t *testing.T) {
	l := New(Config{PerSecond: 2, Burst: 2})
	now := time.Unix(1000, 0)
	l.now = func() time.Time { return now }
	if l.take("a", 1) != 0 || l.take("a", 1) != 0 {
		t.Fatal("the burst was not available")
	}
	if d := l.take("a", 1); d <= 0 || d > time.Second {
		t.Fatalf("third request waits %s, want up to 0.5s", d)
	}
	if l.take("b", 1) != 0 {
		t.Error("another client shares the bucket")
	}
	now = now.Add(600 * time.Millisecond)
	if l.take("a", 1) != 0 {
		t.Error("the bucket did not refill")
	}
	if New(Config{}) != nil {
		t.Error("a zero rate should switch limiting off")
	}
}
