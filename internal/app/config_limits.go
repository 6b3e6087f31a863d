package app

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// readLimits reads MAX_QUERY_DEPTH, MAX_QUERY_COST, MAX_QUERY_ALIASES and
// PERSISTED_QUERIES.
func readLimits(c *Config, getenv func(string) string) error {
	for _, n := range []struct {
		env string
		dst *int
	}{
		{"MAX_QUERY_DEPTH", &c.Limits.MaxDepth}, {"MAX_QUERY_COST", &c.Limits.MaxCost}, {"MAX_QUERY_ALIASES", &c.Limits.MaxAliases},
	} {
		if v := getenv(n.env); v != "" {
			i, err := parsePositive(n.env, v)
			if err != nil {
				return err
			}
			*n.dst = i
		}
	}
	switch v := getenv("PERSISTED_QUERIES"); v {
	case "", "auto":
	case "only":
		c.PersistedOnly = true
	default:
		return fmt.Errorf("PERSISTED_QUERIES=%q: use auto (clients may add queries) or only (registered queries only)", v)
	}
	return nil
}

// readRateLimit reads RATE_LIMIT, RATE_LIMIT_BURST and TRUSTED_PROXIES.
func readRateLimit(c *Config, getenv func(string) string) error {
	if v := getenv("RATE_LIMIT_BURST"); v != "" {
		i, err := parsePositive("RATE_LIMIT_BURST", v)
		if err != nil {
			return err
		}
		c.RateLimit.Burst = i
	}
	if v := getenv("RATE_LIMIT"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if v == "off" {
			f, err = 0, nil
		}
		if err != nil || f < 0 {
			return fmt.Errorf("RATE_LIMIT=%q is not a number of requests per second (or off)", v)
		}
		c.RateLimit.PerSecond = f
	}
	for _, p := range list(getenv("TRUSTED_PROXIES")) {
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			addr, aerr := netip.ParseAddr(p)
			if aerr != nil {
				return fmt.Errorf("TRUSTED_PROXIES: %q is not an address or network", p)
			}
			prefix = netip.PrefixFrom(addr, addr.BitLen())
		}
		c.RateLimit.TrustedProxies = append(c.RateLimit.TrustedProxies, prefix)
	}
	return nil
}

// readCaches reads RESPONSE_CACHE_SIZE, the byte budgets of the caches,
// the bounds of persisted queries, heavy requests and subscriptions,
// METRICS_PUBLIC and LOADER_BATCHING.
func readCaches(c *Config, getenv func(string) string) error {
	if v := getenv("RESPONSE_CACHE_SIZE"); v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 0 {
			return fmt.Errorf("RESPONSE_CACHE_SIZE=%q is not a number of responses (0 switches the cache off)", v)
		}
		c.ResponseCacheSize = n
	}
	for _, b := range []struct {
		env string
		dst *int64
	}{{"RESPONSE_CACHE_BYTES", &c.ResponseCacheBytes}, {"DOCUMENT_CACHE_BYTES", &c.DocumentCacheBytes}} {
		if v := getenv(b.env); v != "" {
			n, err := parseBytes(b.env, v)
			if err != nil {
				return err
			}
			*b.dst = n
		}
	}
	for _, n := range []struct {
		env string
		dst *int
	}{
		{"PERSISTED_QUERIES_MAX", &c.PersistedMax}, {"HEAVY_REQUESTS", &c.HeavyRequests},
		{"SUBSCRIPTIONS_PER_CONNECTION", &c.SubscriptionsPerConnection}, {"SUBSCRIPTIONS_PER_CLIENT", &c.SubscriptionsPerClient},
	} {
		if v := getenv(n.env); v != "" {
			i, err := parsePositive(n.env, v)
			if err != nil {
				return err
			}
			*n.dst = i
		}
	}
	if v := getenv("METRICS_PUBLIC"); v != "" {
		on, err := parseBool("METRICS_PUBLIC", v)
		if err != nil {
			return err
		}
		c.MetricsPublic = on
	}
	switch v := getenv("LOADER_BATCHING"); v {
	case "", "on":
	case "off":
		c.NoBatching = true
	default:
		return fmt.Errorf("LOADER_BATCHING=%q: use on or off", v)
	}
	return nil
}
