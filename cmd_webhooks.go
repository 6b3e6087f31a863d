package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"estafette/auth"
	"estafette/content"
	"estafette/internal/app"
	"estafette/webhooks"
)

func webhooksCommand(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("webhooks: say add, list, remove, deliveries or replay")
	}
	cfg.NoSeed = true
	m := app.New(cfg)
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	ctx = auth.CommandLine(ctx, operator())
	fs := flag.NewFlagSet("webhooks "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	switch args[0] {
	case "add":
		url := fs.String("url", "", "where to POST the events")
		evs := fs.String("events", "", "comma-separated event types or patterns: activity.published,recap.*,*")
		secret := fs.String("secret", "", "signing secret (at least 16 characters; made up when empty)")
		desc := fs.String("description", "", "what the endpoint is for")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		var patterns []string
		for p := range strings.SplitSeq(*evs, ",") {
			if p = strings.TrimSpace(p); p != "" {
				patterns = append(patterns, p)
			}
		}
		ep, err := m.Webhooks().Add(ctx, *url, patterns, *secret, *desc)
		if err != nil {
			return fmt.Errorf("webhooks add: %s", content.ErrorMessage(err))
		}
		fmt.Fprintf(stdout, "Added endpoint %s for %s (%s).\n", ep.ID, ep.URL, strings.Join(ep.Events, ", "))
		fmt.Fprintln(stdout, "Deliveries are signed with this secret (Estafette-Signature header); store it now:")
		fmt.Fprintln(stdout, ep.Secret)
		return nil
	case "list":
		eps, err := m.Webhooks().List(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tURL\tEVENTS\tPENDING\tDEAD\tCREATED")
		for _, ep := range eps {
			p, d, err := m.Webhooks().Counts(ctx, ep.ID)
			if err != nil {
				return err
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\n", ep.ID, ep.URL, strings.Join(ep.Events, ","), p, d,
				ep.CreatedAt.In(content.Amsterdam).Format(time.DateTime))
		}
		return tw.Flush()
	case "remove":
		if len(args) != 2 {
			return fmt.Errorf("webhooks remove: give the id of one endpoint")
		}
		if err := m.Webhooks().Remove(ctx, args[1]); err != nil {
			return fmt.Errorf("webhooks remove: %s", content.ErrorMessage(err))
		}
		fmt.Fprintf(stdout, "Removed endpoint %s.\n", args[1])
		return nil
	case "deliveries":
		endpoint := fs.String("endpoint", "", "only this endpoint's deliveries")
		state := fs.String("state", "", "pending, delivered or dead")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		ds, err := m.Webhooks().Deliveries(ctx, webhooks.DeliveryFilter{EndpointID: *endpoint, State: *state}, 100)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "DELIVERY\tEVENT\tSTATE\tATTEMPTS\tLAST")
		for _, d := range ds {
			last := "-"
			if n := len(d.Log); n > 0 {
				a := d.Log[n-1]
				last = fmt.Sprintf("%s %d %s", a.At.In(content.Amsterdam).Format(time.DateTime), a.Status, a.Error)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", d.ID, d.Event.Type, d.State, d.Attempts, last)
		}
		return tw.Flush()
	case "replay":
		endpoint := fs.String("endpoint", "", "replay every dead letter of this endpoint")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		id := fs.Arg(0)
		if (id == "") == (*endpoint == "") {
			return fmt.Errorf("webhooks replay: give a delivery id or --endpoint ID")
		}
		n, err := m.Webhooks().Replay(ctx, id, *endpoint)
		if err != nil {
			return fmt.Errorf("webhooks replay: %s", content.ErrorMessage(err))
		}
		fmt.Fprintf(stdout, "Queued %d deliveries; the running server sends them.\n", n)
		return nil
	}
	return fmt.Errorf("webhooks: unknown subcommand %q", args[0])
}
