package app

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"estafette/internal/metrics"
	"estafette/mongodb"
)

// env returns a getenv over name, value pairs.
func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestConfigFromEnv(t *testing.T) {
	c, err := ConfigFromEnv(env())
	if err != nil || c.Addr != ":8080" || c.DataDir != "./data" || c.Production || len(c.CORSOrigins) != 0 || c.NoSeed {
		t.Errorf("defaults: %+v %v", c, err)
	}
	c, err = ConfigFromEnv(env("PORT", "9000", "DATA_DIR", "/data", "CORS_ALLOWED_ORIGINS", "https://a.nl, https://b.nl", "ENV", "production"))
	if err != nil || c.Addr != ":9000" || c.DataDir != "/data" || !c.Production || len(c.CORSOrigins) != 2 || c.CORSOrigins[1] != "https://b.nl" {
		t.Errorf("set: %+v %v", c, err)
	}
	for _, c := range []struct{ port, listen, want string }{
		{"", "127.0.0.1:9000", "127.0.0.1:9000"},
		{"9000", "10.0.0.5:8081", "10.0.0.5:8081"},
		{"", "[::1]:8080", "[::1]:8080"},
		{"", ":8081", ":8081"},
		{"", "localhost:0", "localhost:0"},
	} {
		c2, err := ConfigFromEnv(env("PORT", c.port, "LISTEN_ADDR", c.listen))
		if err != nil || c2.Addr != c.want {
			t.Errorf("PORT=%q LISTEN_ADDR=%q: %q %v, want %q", c.port, c.listen, c2.Addr, err, c.want)
		}
	}
	for _, bad := range [][]string{{"PORT", "eighty"}, {"PORT", "70000"}, {"LOG_LEVEL", "loud"},
		{"LISTEN_ADDR", "127.0.0.1"}, {"LISTEN_ADDR", "127.0.0.1:http"}, {"LISTEN_ADDR", "::1:8080"}, {"LISTEN_ADDR", "a:70000"}, {"LISTEN_ADDR", "a b:80"}} {
		if _, err := ConfigFromEnv(env(bad...)); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

// TestSeedAndEnvValues: SEED takes the usual spellings of yes and no in
// any case, ENV the documented environments; anything else is refused.
func TestSeedAndEnvValues(t *testing.T) {
	for _, c := range []struct {
		name, value string
		ok          bool
		check       func(Config) bool
	}{
		{"SEED", "", true, func(c Config) bool { return !c.NoSeed }},
		{"SEED", "true", true, func(c Config) bool { return !c.NoSeed }},
		{"SEED", "TRUE", true, func(c Config) bool { return !c.NoSeed }},
		{"SEED", "1", true, func(c Config) bool { return !c.NoSeed }},
		{"SEED", "yes", true, func(c Config) bool { return !c.NoSeed }},
		{"SEED", "On", true, func(c Config) bool { return !c.NoSeed }},
		{"SEED", "false", true, func(c Config) bool { return c.NoSeed }},
		{"SEED", "False", true, func(c Config) bool { return c.NoSeed }},
		{"SEED", "0", true, func(c Config) bool { return c.NoSeed }},
		{"SEED", "no", true, func(c Config) bool { return c.NoSeed }},
		{"SEED", "NO", true, func(c Config) bool { return c.NoSeed }},
		{"SEED", "off", true, func(c Config) bool { return c.NoSeed }},
		{"SEED", "nope", false, nil},
		{"SEED", "2", false, nil},
		{"SEED", "t", false, nil},
		{"ENV", "", true, func(c Config) bool { return !c.Production }},
		{"ENV", "production", true, func(c Config) bool { return c.Production }},
		{"ENV", "Production", true, func(c Config) bool { return c.Production }},
		{"ENV", "development", true, func(c Config) bool { return !c.Production }},
		{"ENV", "test", true, func(c Config) bool { return !c.Production }},
		{"ENV", "prod", false, nil},
		{"ENV", "staging", false, nil},
		{"ENV", "dev", false, nil},
	} {
		cfg, err := ConfigFromEnv(env(c.name, c.value))
		switch {
		case c.ok && err != nil:
			t.Errorf("%s=%q refused: %v", c.name, c.value, err)
		case c.ok && !c.check(cfg):
			t.Errorf("%s=%q: wrong configuration %+v", c.name, c.value, cfg)
		case !c.ok && err == nil:
			t.Errorf("%s=%q accepted", c.name, c.value)
		}
	}
}

// TestInvalidValuesStopTheStart: every variable with a value that is not
// valid gives one line that names it, and what it accepts.
func TestInvalidValuesStopTheStart(t *testing.T) {
	for _, c := range []struct{ name, value, accepted string }{
		{"PORT", "eighty", "port number"},
		{"LOG_LEVEL", "loud", "debug, info, warn, error"},
		{"ENV", "prod", "production, development, test"},
		{"SEED", "no way", "true or false"},
		{"REQUEST_TIMEOUT", "soon", "duration"},
		{"PUBLIC_URL", "api.example.nl", "origin"},
		{"PUBLIC_URL", "https://api.example.nl/prefix", "origin"},
		{"EMBED_ALLOWED_PARENTS", "https://ok.nl; frame-ancestors *", "frame-ancestors source"},
		{"EMBED_ALLOWED_PARENTS", "'none' https://ok.nl", "'none' cannot be combined"},
		{"MAX_QUERY_DEPTH", "0", "positive whole number"},
		{"MAX_QUERY_COST", "lots", "positive whole number"},
		{"MAX_QUERY_ALIASES", "-3", "positive whole number"},
		{"PERSISTED_QUERIES", "always", "auto"},
		{"RATE_LIMIT", "fast", "requests per second"},
		{"RATE_LIMIT_BURST", "0", "positive whole number"},
		{"TRUSTED_PROXIES", "10.0.0.300", "address or network"},
		{"RESPONSE_CACHE_SIZE", "-1", "number of responses"},
		{"LOADER_BATCHING", "maybe", "on or off"},
		{"WEBHOOK_BASE_BACKOFF", "0s", "duration"},
		{"WEBHOOK_POLL", "often", "duration"},
		{"SLOW_QUERY_THRESHOLD", "slow", "duration"},
		{"MONGODB_MAX_POOL_SIZE", "-1", "number of connections"},
		{"MONGODB_CONNECT_TIMEOUT", "never", "duration"},
		{"REVISIONS_KEEP", "0", "positive whole number (or all)"},
		{"REVISIONS_KEEP", "some", "positive whole number (or all)"},
		{"SCHEDULE_POLL", "soon", "duration"},
	} {
		_, err := ConfigFromEnv(env(c.name, c.value))
		if err == nil {
			t.Errorf("%s=%q accepted", c.name, c.value)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, c.name) || !strings.Contains(msg, c.accepted) || strings.Contains(msg, "\n") {
			t.Errorf("%s=%q: the error %q does not name the variable and what it accepts (%s) on one line", c.name, c.value, msg, c.accepted)
		}
	}
}

func TestEmbedAndPublicURL(t *testing.T) {
	c, err := ConfigFromEnv(env("PUBLIC_URL", "https://api.example.nl/", "EMBED_ALLOWED_PARENTS", "https://www.rijksoverheid.nl, 'self'"))
	if err != nil || c.PublicURL != "https://api.example.nl" || strings.Join(c.EmbedAllowedParents, " ") != "https://www.rijksoverheid.nl 'self'" {
		t.Errorf("got %q %q, %v", c.PublicURL, c.EmbedAllowedParents, err)
	}
}

func TestObservabilityConfig(t *testing.T) {
	c, err := ConfigFromEnv(env())
	if err != nil || c.AdminAddr != "" || c.SlowQueryThreshold != 500*time.Millisecond || c.Tracing || c.NoBatching {
		t.Errorf("defaults: admin %q, slow %s, tracing %v, no batching %v, %v", c.AdminAddr, c.SlowQueryThreshold, c.Tracing, c.NoBatching, err)
	}
	c, err = ConfigFromEnv(env("ADMIN_ADDR", "127.0.0.1:6060", "SLOW_QUERY_THRESHOLD", "50ms",
		"OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318", "LOADER_BATCHING", "off"))
	if err != nil || c.AdminAddr != "127.0.0.1:6060" || c.SlowQueryThreshold != 50*time.Millisecond || !c.Tracing || !c.NoBatching {
		t.Errorf("set: admin %q, slow %s, tracing %v, no batching %v, %v", c.AdminAddr, c.SlowQueryThreshold, c.Tracing, c.NoBatching, err)
	}
	if c, _ := ConfigFromEnv(env("SLOW_QUERY_THRESHOLD", "off")); c.SlowQueryThreshold >= 0 {
		t.Errorf("SLOW_QUERY_THRESHOLD=off gave %s", c.SlowQueryThreshold)
	}
	if c, _ := ConfigFromEnv(env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://x", "OTEL_SDK_DISABLED", "true")); c.Tracing {
		t.Error("OTEL_SDK_DISABLED=true left tracing on")
	}
	for _, bad := range [][]string{{"SLOW_QUERY_THRESHOLD", "slow"}, {"SLOW_QUERY_THRESHOLD", "-1s"}, {"LOADER_BATCHING", "maybe"}} {
		if _, err := ConfigFromEnv(env(bad...)); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestMongoConfig(t *testing.T) {
	cfg, err := ConfigFromEnv(env("MONGODB_URI", "mongodb://db:27017", "MONGODB_MAX_POOL_SIZE", "20", "MONGODB_CONNECT_TIMEOUT", "3s"))
	if err != nil || cfg.MongoURI != "mongodb://db:27017" || cfg.Mongo.MaxPoolSize != 20 || cfg.Mongo.ConnectTimeout != 3*time.Second {
		t.Errorf("config %+v, %v", cfg, err)
	}
	if _, err := ConfigFromEnv(env("MONGODB_MAX_POOL_SIZE", "-1")); err == nil {
		t.Error("a negative pool size was accepted")
	}
}

func TestMongoMetricsHook(t *testing.T) {
	m := metrics.New()
	var o mongodb.Options
	withMetrics(m)(&o)
	o.OnCommand(mongodb.CommandEvent{Command: "find", Collection: "activity", Duration: 3 * time.Millisecond})
	o.OnCommand(mongodb.CommandEvent{Command: "find", Collection: "activity", Duration: time.Second, Failed: true})
	if n := testutil.ToFloat64(m.MongoCommands.WithLabelValues("find", "activity", "ok")); n != 1 {
		t.Errorf("ok finds: %v", n)
	}
	if n := testutil.ToFloat64(m.MongoCommands.WithLabelValues("find", "activity", "error")); n != 1 {
		t.Errorf("failed finds: %v", n)
	}
	if n := testutil.CollectAndCount(m.MongoCommandLatency); n != 1 {
		t.Errorf("latency series: %d", n)
	}
}

func TestHistoryConfig(t *testing.T) {
	c, err := ConfigFromEnv(env())
	if err != nil || c.RevisionsKeep != 0 || c.SchedulePoll != time.Second {
		t.Errorf("defaults: keep %d, poll %v, %v", c.RevisionsKeep, c.SchedulePoll, err)
	}
	c, err = ConfigFromEnv(env("REVISIONS_KEEP", "25", "SCHEDULE_POLL", "250ms"))
	if err != nil || c.RevisionsKeep != 25 || c.SchedulePoll != 250*time.Millisecond {
		t.Errorf("set: keep %d, poll %v, %v", c.RevisionsKeep, c.SchedulePoll, err)
	}
	if c, err := ConfigFromEnv(env("REVISIONS_KEEP", "all")); err != nil || c.RevisionsKeep != 0 {
		t.Errorf("all: %d, %v", c.RevisionsKeep, err)
	}
}
