package main

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"estafette/internal/app"
)

// serveCommand serves the API (see serve); it takes no arguments.
func serveCommand(ctx context.Context, cfg app.Config, args []string, _, _ io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("serve takes no arguments, not %s; configure it in the environment (see README.md)", strings.Join(fs.Args(), " "))
	}
	return serve(ctx, cfg)
}

// serve runs the server until SIGINT or SIGTERM, then shuts down gracefully.
func serve(ctx context.Context, cfg app.Config) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := app.New(cfg)
	if err := m.Run(ctx); err != nil {
		_ = m.Close()
		return err
	}
	select {
	case err := <-m.Done():
		_ = m.Close()
		return err
	case <-ctx.Done():
	}
	slog.Info("shutting down", "timeout", cfg.ShutdownTimeout.String())
	return m.Close()
}
