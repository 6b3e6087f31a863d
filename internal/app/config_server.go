package app

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"estafette/web/embed"
)

// The values ENV accepts; only production changes anything.
var environments = []string{"production", "development", "test"}

// readServer reads PORT, LISTEN_ADDR, DATA_DIR, LOG_LEVEL, ENV and SEED.
func readServer(c *Config, getenv func(string) string) error {
	if p := getenv("PORT"); p != "" {
		if !isPort(p) {
			return fmt.Errorf("PORT=%q is not a port number", p)
		}
		c.Addr = ":" + p
	}
	if a := getenv("LISTEN_ADDR"); a != "" {
		host, port, err := net.SplitHostPort(a)
		if err != nil || !isPort(port) || strings.ContainsAny(host, " \t/") {
			return fmt.Errorf("LISTEN_ADDR=%q is not a host:port address such as 127.0.0.1:8080, [::1]:8080 or :8080", a)
		}
		c.Addr = a
	}
	if d := getenv("DATA_DIR"); d != "" {
		c.DataDir = d
	}
	if l := getenv("LOG_LEVEL"); l != "" {
		if err := c.LogLevel.UnmarshalText([]byte(l)); err != nil {
			return fmt.Errorf("LOG_LEVEL=%q is not one of debug, info, warn, error", l)
		}
	}
	if v := getenv("ENV"); v != "" {
		env := strings.ToLower(strings.TrimSpace(v))
		known := false
		for _, e := range environments {
			known = known || env == e
		}
		if !known {
			return fmt.Errorf("ENV=%q is not one of %s", v, strings.Join(environments, ", "))
		}
		c.Production = env == "production"
	}
	if v := getenv("SEED"); v != "" {
		on, err := parseBool("SEED", v)
		if err != nil {
			return err
		}
		c.NoSeed = !on
	}
	return nil
}

// readHTTP reads CORS_ALLOWED_ORIGINS, REQUEST_TIMEOUT, PUBLIC_URL and
// EMBED_ALLOWED_PARENTS.
func readHTTP(c *Config, getenv func(string) string) error {
	c.CORSOrigins = list(getenv("CORS_ALLOWED_ORIGINS"))
	if v := getenv("REQUEST_TIMEOUT"); v != "" {
		d, err := parseDuration("REQUEST_TIMEOUT", v)
		if err != nil {
			return err
		}
		c.RequestTimeout = d
	}
	o, err := embed.ParseOptions(getenv)
	if err != nil {
		return err
	}
	c.PublicURL, c.EmbedAllowedParents = o.PublicURL, o.AllowedParents
	return nil
}

// isPort reports whether p is a port number, 0 to 65535 (0: any free port).
func isPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 0 && n <= 65535
}
