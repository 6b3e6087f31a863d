package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"estafette/internal/app"
)

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
