package loadtest

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	var samples []sample
	for i := 1; i <= 100; i++ {
		samples = append(samples, sample{kind: "k", latency: time.Duration(i) * time.Millisecond})
	}
	samples[0].err = "boom"
	r := summarize(samples, 10*time.Second)
	for q, want := range map[float64]time.Duration{.5: 50 * time.Millisecond, .95: 95 * time.Millisecond, .99: 99 * time.Millisecond, 1: 100 * time.Millisecond} {
		if got := r.Percentile(q); got != want {
			t.Errorf("p%v = %s, want %s", q*100, got, want)
		}
	}
	if r.RPS() != 10 || r.Errors != 1 || r.ByKind["k"].Requests != 100 {
		t.Errorf("rps %v, errors %d, by kind %d", r.RPS(), r.Errors, r.ByKind["k"].Requests)
	}
	m := Merge(r, r)
	if m.Requests != 200 || m.Errors != 2 || m.RPS() != 10 || m.Percentile(.5) != 50*time.Millisecond {
		t.Errorf("merged: %d requests, %d errors, %v req/s, p50 %s", m.Requests, m.Errors, m.RPS(), m.Percentile(.5))
	}
}

func TestSumMetric(t *testing.T) {
	text := `# HELP estafette_store_operations_total Store operations.
# TYPE estafette_store_operations_total counter
estafette_store_operations_total{collection="activity",operation="find",outcome="ok"} 12
estafette_store_operations_total{collection="edition",operation="get",outcome="ok"} 3
estafette_store_operations_total_other 100
estafette_response_cache_lookups_total{result="hit"} 7
estafette_response_cache_lookups_total{result="miss"} 2
`
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"estafette_store_operations_total", nil, 15},
		{"estafette_store_operations_total", []string{`operation="get"`}, 3},
		{"estafette_response_cache_lookups_total", []string{`result="hit"`}, 7},
		{"estafette_missing", nil, 0},
	} {
		got, err := SumMetric(strings.NewReader(text), c.name, c.labels...)
		if err != nil || got != c.want {
			t.Errorf("%s %v: %v, %v; want %v", c.name, c.labels, got, err, c.want)
		}
	}
}

// TestMix: the mix's weights add up, and every part makes requests of its
// kind.
func TestMix(t *testing.T) {
	s := &Slugs{Activities: []string{"a"}, Initiatives: []string{"i"}, Recaps: []string{"r"}, Regions: []string{"zuid"}, Themes: []string{"t"}}
	gen := MixGenerator(Mix, s)
	rng := rand.New(rand.NewPCG(1, 2))
	seen := map[string]int{}
	for range 10000 {
		r := gen(rng)
		seen[r.Kind]++
		if r.Path == "" || (r.GraphQL && !strings.HasPrefix(r.Path, "/query?")) {
			t.Fatalf("request %+v", r)
		}
	}
	for _, sh := range Mix {
		share := float64(seen[sh.Kind]) / 10000 * 100
		if share < float64(sh.Weight)-2 || share > float64(sh.Weight)+2 {
			t.Errorf("%s: %.1f%% of the requests, weight %d", sh.Kind, share, sh.Weight)
		}
	}
}
