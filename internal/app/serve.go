package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"estafette/web"
)

// Run starts the App (see Start) and serves it on Config.Addr, and the
// admin listener on Config.AdminAddr when set; it returns once both
// listen. Errors of the running server arrive on Done.
func (a *App) Run(ctx context.Context) error {
	if err := a.Start(ctx); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", a.Config.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", a.Config.Addr, err)
	}
	a.listener = ln
	if a.Config.AdminAddr != "" {
		if err := a.serveAdmin(ctx); err != nil {
			_ = ln.Close()
			return err
		}
	}
	a.server = &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn),
	}
	a.server.RegisterOnShutdown(a.streams.End)
	a.served = make(chan error, 1)
	srv, served := a.server, a.served // Close may clear the fields before Serve runs
	go func() {
		err := srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		served <- err
	}()
	slog.InfoContext(ctx, "serving", "addr", ln.Addr().String(), "data_dir", a.Config.DataDir)
	return nil
}

// serveAdmin starts the admin listener: pprof and the metrics, for
// operators only.
func (a *App) serveAdmin(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.Config.AdminAddr)
	if err != nil {
		return fmt.Errorf("cannot listen on ADMIN_ADDR %s: %w", a.Config.AdminAddr, err)
	}
	a.admin = &http.Server{
		Handler:           web.Admin(a.Metrics),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn),
	}
	a.adminAddr = ln.Addr().String()
	admin := a.admin
	go func() { _ = admin.Serve(ln) }()
	slog.InfoContext(ctx, "admin listener (pprof, metrics)", "addr", a.adminAddr)
	return nil
}

// Addr returns the address the server listens on; "" before Run.
func (a *App) Addr() string {
	if a.listener == nil {
		return ""
	}
	return a.listener.Addr().String()
}

// AdminAddr returns the address of the admin listener, "" when it is off.
func (a *App) AdminAddr() string { return a.adminAddr }

// Done delivers the error that stopped the server, or nil after Close.
func (a *App) Done() <-chan error { return a.served }
