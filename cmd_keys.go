package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os/user"
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

func keysCommand(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("keys: say create, list or revoke")
	}
	cfg.NoSeed = true
	m := app.New(cfg)
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	keys := m.Keys()
	ctx = auth.CommandLine(ctx, operator())
	switch args[0] {
	case "create":
		fs := flag.NewFlagSet("keys create", flag.ContinueOnError)
		fs.SetOutput(stderr)
		role := fs.String("role", "", "reader, editor or admin")
		name := fs.String("name", "", "who or what uses the key, such as \"ZonMw redactie\"")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		r, ok := content.ParseRole(*role)
		if !ok {
			return fmt.Errorf("keys create: --role must be reader, editor or admin")
		}
		secret, key, err := keys.Create(ctx, *name, r)
		if err != nil {
			return fmt.Errorf("keys create: %s", content.ErrorMessage(err))
		}
		fmt.Fprintf(stdout, "Created API key %s (%s, role %s).\n", key.ID, key.Name, key.Role)
		fmt.Fprintln(stdout, "Store it now: it is shown only this once. Use it as: Authorization: Bearer <key>")
		fmt.Fprintln(stdout, secret)
		return nil
	case "list":
		list, err := keys.List(ctx)
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
	case "revoke":
		if len(args) != 2 {
			return fmt.Errorf("keys revoke: give the id (or name) of one key")
		}
		k, err := keys.Revoke(ctx, args[1])
		if err != nil {
			return fmt.Errorf("keys revoke: %s", content.ErrorMessage(err))
		}
		fmt.Fprintf(stdout, "Revoked API key %s (%s).\n", k.ID, k.Name)
		return nil
	}
	return fmt.Errorf("keys: unknown subcommand %q; say create, list or revoke", args[0])
}

func orDash(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.In(content.Amsterdam).Format(time.DateTime)
}
