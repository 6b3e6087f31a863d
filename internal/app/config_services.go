package app

import (
	"fmt"
	"time"

	"estafette/internal/tracing"
	"estafette/mongodb"
)

// readWebhooks reads WEBHOOK_BASE_BACKOFF, WEBHOOK_POLL, WEBHOOK_TIMEOUT,
// WEBHOOK_LEASE (how long a replica's claim of a delivery holds before
// another may send it) and WEBHOOK_ALLOW_PRIVATE.
func readWebhooks(c *Config, getenv func(string) string) error {
	if v := getenv("WEBHOOK_ALLOW_PRIVATE"); v != "" {
		allow, err := parseBool("WEBHOOK_ALLOW_PRIVATE", v)
		if err != nil {
			return err
		}
		c.Webhooks.AllowPrivate = allow
	}
	for _, d := range []struct {
		env string
		dst *time.Duration
	}{{"WEBHOOK_BASE_BACKOFF", &c.Webhooks.BaseBackoff}, {"WEBHOOK_POLL", &c.Webhooks.Poll}, {"WEBHOOK_TIMEOUT", &c.Webhooks.Timeout}, {"WEBHOOK_LEASE", &c.Webhooks.Lease}} {
		if v := getenv(d.env); v != "" {
			t, err := parseDuration(d.env, v)
			if err != nil {
				return err
			}
			*d.dst = t
		}
	}
	return nil
}

// readObservability reads ADMIN_ADDR, SLOW_QUERY_THRESHOLD and whether the
// OTEL_* variables ask for tracing.
func readObservability(c *Config, getenv func(string) string) error {
	c.AdminAddr = getenv("ADMIN_ADDR")
	if v := getenv("SLOW_QUERY_THRESHOLD"); v == "off" {
		c.SlowQueryThreshold = -1
	} else if v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return fmt.Errorf("SLOW_QUERY_THRESHOLD=%q is not a duration such as 500ms (or off)", v)
		}
		c.SlowQueryThreshold = d
		if d == 0 {
			c.SlowQueryThreshold = time.Nanosecond // log every operation
		}
	}
	c.Tracing = tracing.Enabled(getenv)
	return nil
}

// readStore reads MONGODB_URI, MONGODB_DATABASE and the MongoDB options.
func readStore(c *Config, getenv func(string) string) error {
	mongo, err := mongodb.OptionsFromEnv(getenv)
	if err != nil {
		return err
	}
	c.MongoURI, c.MongoDatabase, c.Mongo = getenv("MONGODB_URI"), getenv("MONGODB_DATABASE"), mongo
	return nil
}

// readHistory reads REVISIONS_KEEP (all, or a positive number) and
// SCHEDULE_POLL.
func readHistory(c *Config, getenv func(string) string) error {
	if v := getenv("REVISIONS_KEEP"); v != "" && v != "all" {
		n, err := parsePositive("REVISIONS_KEEP", v)
		if err != nil {
			return fmt.Errorf("%w (or all)", err)
		}
		c.RevisionsKeep = n
	}
	if v := getenv("SCHEDULE_POLL"); v != "" {
		d, err := parseDuration("SCHEDULE_POLL", v)
		if err != nil {
			return err
		}
		c.SchedulePoll = d
	}
	return nil
}
