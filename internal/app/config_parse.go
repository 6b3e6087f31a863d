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
