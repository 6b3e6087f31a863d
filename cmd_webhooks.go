package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"estafette/auth"
	"estafette/content"
	"estafette/internal/app"
	"estafette/webhooks"
)

// webhooksCommand adds, lists and removes webhook endpoints, shows the
// delivery log and replays deliveries.
func webhooksCommand(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	const takes = "add, list, remove, deliveries or replay"
	if len(args) == 0 || !slices.Contains([]string{"add", "list", "remove", "deliveries", "replay"}, args[0]) {
		return noSubcommand("webhooks", args, takes)
	}
	ctx = auth.CommandLine(ctx, operator())
	fs := flag.NewFlagSet("webhooks "+args[0], flag.ContinueOnError)
	// open opens the store once the flags are parsed and checked.
	var m *app.App
	open := func() error {
		var err error
		m, err = openApp(ctx, cfg)
		return err
	}
	defer func() {
		if m != nil {
			_ = m.Close()
		}
	}()
	switch args[0] {
	case "add":
		url := fs.String("url", "", "where to POST the events")
		evs := fs.String("events", "", "comma-separated event types or patterns: activity.published,recap.*,*")
		secret := fs.String("secret", "", "signing secret (at least 16 characters; made up when empty)")
		desc := fs.String("description", "", "what the endpoint is for")
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		if err := open(); err != nil {
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
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		if err := open(); err != nil {
			return err
		}
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
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		if fs.NArg() != 1 {
			return usageErrorf("webhooks remove: give the id of one endpoint")
		}
		if err := open(); err != nil {
			return err
		}
		if err := m.Webhooks().Remove(ctx, fs.Arg(0)); err != nil {
			return fmt.Errorf("webhooks remove: %s", content.ErrorMessage(err))
		}
		fmt.Fprintf(stdout, "Removed endpoint %s.\n", fs.Arg(0))
		return nil
	case "deliveries":
		endpoint := fs.String("endpoint", "", "only this endpoint's deliveries")
		state := fs.String("state", "", "pending, delivered or dead")
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		if *state != "" && !slices.Contains(webhooks.States, *state) {
			return usageErrorf("webhooks deliveries: --state must be %s, not %q", words(webhooks.States), *state)
		}
		if err := open(); err != nil {
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
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		id := fs.Arg(0)
		if (id == "") == (*endpoint == "") || fs.NArg() > 1 {
			return usageErrorf("webhooks replay: give a delivery id or --endpoint ID")
		}
		if err := open(); err != nil {
			return err
		}
		n, err := m.Webhooks().Replay(ctx, id, *endpoint)
		if err != nil {
			return fmt.Errorf("webhooks replay: %s", content.ErrorMessage(err))
		}
		fmt.Fprintf(stdout, "Queued %d deliveries; the running server sends them.\n", n)
		return nil
	}
	return noSubcommand("webhooks", args, takes)
}
