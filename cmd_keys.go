package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os/user"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"estafette/auth"
	"estafette/content"
	"estafette/internal/app"
)

// operator names the person at the command line for the audit log.
func operator() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "unknown"
}

// keysCommand creates, lists and revokes API keys.
func keysCommand(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	const takes = "create, list or revoke"
	if len(args) == 0 || !slices.Contains([]string{"create", "list", "revoke"}, args[0]) {
		return noSubcommand("keys", args, takes)
	}
	fs := flag.NewFlagSet("keys "+args[0], flag.ContinueOnError)
	ctx = auth.CommandLine(ctx, operator())
	switch args[0] {
	case "create":
		role := fs.String("role", "", "reader, editor or admin")
		name := fs.String("name", "", "who or what uses the key, such as \"ZonMw redactie\"")
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		r, ok := content.ParseRole(*role)
		if !ok {
			return usageErrorf("keys create: --role must be reader, editor or admin, not %q", *role)
		}
		if fs.NArg() > 0 {
			return usageErrorf("keys create takes flags only, not %s", strings.Join(fs.Args(), " "))
		}
		m, err := openApp(ctx, cfg)
		if err != nil {
			return err
		}
		defer m.Close()
		secret, key, err := m.Keys().Create(ctx, *name, r)
		if err != nil {
			return fmt.Errorf("keys create: %s", content.ErrorMessage(err))
		}
		fmt.Fprintf(stdout, "Created API key %s (%s, role %s).\n", key.ID, key.Name, key.Role)
		fmt.Fprintln(stdout, "Store it now: it is shown only this once. Use it as: Authorization: Bearer <key>")
		fmt.Fprintln(stdout, secret)
		return nil
	case "list":
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		if fs.NArg() > 0 {
			return usageErrorf("keys list takes no arguments, not %s", strings.Join(fs.Args(), " "))
		}
		m, err := openApp(ctx, cfg)
		if err != nil {
			return err
		}
		defer m.Close()
		list, err := m.Keys().List(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tROLE\tHINT\tCREATED\tLAST USED\tREVOKED")
		for _, k := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s…\t%s\t%s\t%s\n", k.ID, k.Name, k.Role, k.Hint,
				k.CreatedAt.In(content.Amsterdam).Format(time.DateTime), orDash(k.LastUsedAt), orDash(k.RevokedAt))
		}
		return tw.Flush()
	default: // revoke
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		if fs.NArg() != 1 {
			return usageErrorf("keys revoke: give the id (or name) of one key")
		}
		m, err := openApp(ctx, cfg)
		if err != nil {
			return err
		}
		defer m.Close()
		k, err := m.Keys().Revoke(ctx, fs.Arg(0))
		if err != nil {
			return fmt.Errorf("keys revoke: %s", content.ErrorMessage(err))
		}
		fmt.Fprintf(stdout, "Revoked API key %s (%s).\n", k.ID, k.Name)
		return nil
	}
}

func orDash(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.In(content.Amsterdam).Format(time.DateTime)
}
