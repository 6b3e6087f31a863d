package app

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// parseBool reads a yes-or-no variable: true, false, 1, 0, yes, no, on or
// off, in any case; anything else is an error naming the variable.
func parseBool(name, v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "1", "yes", "on":
		return true, nil
	case "false", "0", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("%s=%q: use true or false (also 1/0, yes/no, on/off)", name, v)
}

// parseDuration reads a duration such as 10s that must be more than zero.
func parseDuration(name, v string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s=%q is not a duration such as 10s", name, v)
	}
	return d, nil
}

// parsePositive reads a whole number of 1 or more.
func parsePositive(name, v string) (int, error) {
	i, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || i < 1 {
		return 0, fmt.Errorf("%s=%q is not a positive whole number", name, v)
	}
	return i, nil
}

// parseBytes reads a size in bytes: a whole number, optionally with KiB,
// MiB or GiB (also KB, MB, GB, taken as powers of 1024).
func parseBytes(name, v string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(v))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%s=%q is not a size such as 64MiB", name, v)
	}
	return n * mult, nil
}

// list splits a comma-separated value, dropping blanks.
func list(v string) []string {
	var out []string
	for s := range strings.SplitSeq(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
