package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"estafette/auth"
	"estafette/content"
	"estafette/internal/app"
	"estafette/people"
)

// stdin is where users create --password-stdin reads the password (tests
// replace it).
var stdin io.Reader = os.Stdin

// usersCommand adds, lists, disables and enables the people of the desk.
func usersCommand(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	const takes = "create, list, invite, disable or enable"
	if len(args) == 0 || !slices.Contains([]string{"create", "list", "invite", "disable", "enable"}, args[0]) {
		return noSubcommand("users", args, takes)
	}
	sub := args[0]
	fs := flag.NewFlagSet("users "+sub, flag.ContinueOnError)
	ctx = auth.CommandLine(ctx, operator())
	switch sub {
	case "create":
		email := fs.String("email", "", "the address the person signs in with")
		name := fs.String("name", "", "the person's name, as the desk and the audit log show it")
		role := fs.String("role", "", "reader, editor or admin")
		fromStdin := fs.Bool("password-stdin", false, "read the password from standard input (one line) instead of printing an invitation link")
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		if fs.NArg() > 0 {
			return usageErrorf("users create takes flags only, not %s", strings.Join(fs.Args(), " "))
		}
		if strings.TrimSpace(*email) == "" || strings.TrimSpace(*name) == "" {
			return usageErrorf("users create: give --email and --name")
		}
		r, ok := content.ParseRole(*role)
		if !ok {
			return usageErrorf("users create: --role must be reader, editor or admin, not %q", *role)
		}
		var password string
		if *fromStdin {
			pw, err := readPassword(stdin)
			if err != nil {
				return err
			}
			password = pw
		}
		m, err := openApp(ctx, cfg)
		if err != nil {
			return err
		}
		defer m.Close()
		if *fromStdin {
			p, err := m.People().Create(ctx, *email, *name, r, password)
			if err != nil {
				return fmt.Errorf("users create: %s", content.ErrorMessage(err))
			}
			fmt.Fprintf(stdout, "Created %s (%s, role %s); they can sign in at %s/desk/signin.\n", p.Name, p.Email, p.Role, publicBase(cfg))
			return nil
		}
		p, token, err := m.People().Invite(ctx, *email, *name, r)
		if err != nil {
			return fmt.Errorf("users create: %s", content.ErrorMessage(err))
		}
		printInvite(stdout, cfg, p, token)
		return nil
	case "list":
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		if fs.NArg() > 0 {
			return usageErrorf("users list takes no arguments, not %s", strings.Join(fs.Args(), " "))
		}
		m, err := openApp(ctx, cfg)
		if err != nil {
			return err
		}
		defer m.Close()
		list, err := m.People().List(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tEMAIL\tROLE\tSTATUS\tCREATED")
		for _, p := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.Name, p.Email, p.Role, p.Status,
				p.CreatedAt.In(content.Amsterdam).Format(time.DateTime))
		}
		return tw.Flush()
	default: // invite, disable, enable EMAIL
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		if fs.NArg() != 1 {
			return usageErrorf("users %s: give the email address (or id) of one person", sub)
		}
		m, err := openApp(ctx, cfg)
		if err != nil {
			return err
		}
		defer m.Close()
		p, err := m.People().Find(ctx, fs.Arg(0))
		if err != nil {
			return fmt.Errorf("users %s: %s", sub, content.ErrorMessage(err))
		}
		switch sub {
		case "invite":
			token, err := m.People().NewInvitation(ctx, p.ID)
			if err != nil {
				return fmt.Errorf("users invite: %s", content.ErrorMessage(err))
			}
			printInvite(stdout, cfg, p, token)
		case "disable":
			if p, err = m.People().Disable(ctx, p.ID); err != nil {
				return fmt.Errorf("users disable: %s", content.ErrorMessage(err))
			}
			fmt.Fprintf(stdout, "Disabled %s (%s): they cannot sign in, and their sessions have ended.\n", p.Name, p.Email)
		default:
			if p, err = m.People().Enable(ctx, p.ID); err != nil {
				return fmt.Errorf("users enable: %s", content.ErrorMessage(err))
			}
			fmt.Fprintf(stdout, "%s (%s) is %s.\n", p.Name, p.Email, p.Status)
		}
		return nil
	}
}

// readPassword reads one line from r, without its line end.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, people.MaxPasswordLength+3)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("users create: cannot read the password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usageErrorf("users create: --password-stdin read no password from standard input")
	}
	return line, nil
}

// printInvite prints a person's invitation link, alone on the last line.
func printInvite(w io.Writer, cfg app.Config, p *people.Person, token string) {
	fmt.Fprintf(w, "Invited %s (%s, role %s). The link below sets a password; it works once, for %d hours:\n",
		p.Name, p.Email, p.Role, int(people.InviteValidity.Hours()))
	fmt.Fprintln(w, publicBase(cfg)+"/desk/invite/"+token)
}

// publicBase is where people reach the desk: PUBLIC_URL, else
// http://localhost with the port the server listens on.
func publicBase(cfg app.Config) string {
	if cfg.PublicURL != "" {
		return strings.TrimRight(cfg.PublicURL, "/")
	}
	port := "8080"
	if _, p, err := net.SplitHostPort(cfg.Addr); err == nil && p != "" && p != "0" {
		port = p
	}
	return "http://localhost:" + port
}
