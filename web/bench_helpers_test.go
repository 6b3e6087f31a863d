package web_test

import (
	"io"
	"log/slog"
	"os"
)

func osMkdirTemp(pattern string) (string, error) { return os.MkdirTemp("", pattern) }

// quiet keeps the access log out of benchmark output.
func quiet() { slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil))) }
