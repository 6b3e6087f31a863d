package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"

	"estafette/internal/app"
)

// command is a subcommand of the program: its usage line and the function
// that runs it, which lives in a file cmd_NAME.go of its own (help and
// version, which need no configuration, are run by run itself).
//
// A command parses its flags with parseFlags before it opens anything, so
// that --help (and -h) and a wrong flag never touch the store: parseFlags
// returns a helpRequest, which run answers with the command's usage and
// flags on stdout, exit 0, or a usage error, exit 2.
type command struct {
	usage string // one line per form, shown by "estafette help"
	run   func(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error
}

// commands is the table of the program's subcommands, the one place that
// lists them.
var commands = map[string]command{
	"serve": {
		usage: "serve                  serve the API (the default); SIGTERM or SIGINT shut it down gracefully",
		run:   serveCommand,
	},
	"help": {
		usage: "help [COMMAND]         this overview, or the usage and flags of COMMAND (also: COMMAND --help)",
	},
	"version": {
		usage: "version                the version and VCS revision of the program (also: --version)",
	},
	"seed": {
		usage: "seed                   write the seed content; never undoes an edit (--reset-edited --yes puts edits back)\n" +
			"  seed --synthetic N     add the missing of N synthetic activities",
		run: seedCommand,
	},
	"import": {
		usage: "import [--type activities|initiatives|organizations] [--dry-run] FILE   import any export back (JSON, NDJSON, CSV, Excel CSV)",
		run:   importCommand,
	},
	"export": {
		usage: "export [activities|initiatives|organizations] --format csv|ndjson|json [--excel] [--edition 2023] …\n" +
			"                         write an export to stdout (or --output FILE), with a progress bar on stderr",
		run: exportCommand,
	},
	"copy": {
		usage: "copy --from SRC --to DST  copy every collection from one store to another; SRC and DST are\n" +
			"                         sqlite:DIR or a mongodb:// or mongodb+srv:// URI (idempotent; counts verified)",
		run: copyCommand,
	},
	"keys": {
		usage: "keys create --role reader|editor|admin --name NAME   create an API key (printed once, on the last line)\n" +
			"  keys list                                        list the API keys\n" +
			"  keys revoke ID|NAME                              revoke an API key",
		run: keysCommand,
	},
	"users": {
		usage: "users create --email E --name N --role reader|editor|admin [--password-stdin]   add a person to the desk;\n" +
			"                                                   prints a one-time invite link (24 h) on the last line\n" +
			"  users list                                       list the people of the desk\n" +
			"  users invite EMAIL                               a new invite link (an expired one, or a password reset)\n" +
			"  users disable EMAIL                              stop a person signing in; ends their sessions at once\n" +
			"  users enable EMAIL                               let a disabled person sign in again",
		run: usersCommand,
	},
	"queries": {
		usage: "queries register FILE.graphql…                    register a frontend's queries (needed with PERSISTED_QUERIES=only)",
		run:   queriesCommand,
	},
	"reindex": {
		usage: "reindex [--kind activity]  re-encode stored records so that index fields added since they were written\n" +
			"                         (such as the month, weekday and organiser kinds of activities) are filled in",
		run: reindexCommand,
	},
	"backup": {
		usage: "backup [--force] FILE  write a consistent copy of the embedded store to FILE, also while the server runs",
		run:   backupCommand,
	},
	"check": {
		usage: "check [FILE]           check the store, or an SQLite backup FILE (SQLite integrity_check; MongoDB indexes\n" +
			"                         and counts), one verdict a line; exit 1 on a failure",
		run: checkCommand,
	},
	"webhooks": {
		usage: "webhooks add --url URL --events activity.published,recap.* [--secret S] [--description D]\n" +
			"  webhooks list                                    list the endpoints\n" +
			"  webhooks remove ID                               remove an endpoint\n" +
			"  webhooks deliveries [--endpoint ID] [--state pending|delivered|dead]   the delivery log\n" +
			"  webhooks replay DELIVERY-ID | --endpoint ID      send a delivery, or an endpoint's dead letters, again",
		run: webhooksCommand,
	},
}

// run dispatches a command line; it is main without the exit (see
// exitStatus). Without a command it serves; "help", -h, --help and
// "COMMAND --help" print usage, "version" and --version the version, all
// on stdout, without reading the configuration or opening anything.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		switch a := args[0]; {
		case isHelpFlag(a):
			cmd, args = "help", args[1:]
		case a == "-version" || a == "--version":
			cmd, args = "version", args[1:]
		case !strings.HasPrefix(a, "-"):
			cmd, args = a, args[1:]
		}
	}
	switch cmd {
	case "help":
		if len(args) == 0 || strings.HasPrefix(args[0], "-") {
			fmt.Fprint(stdout, usage())
			return nil
		}
		cmd, args = args[0], []string{"--help"}
	case "version":
		if err := parseFlags(flag.NewFlagSet("version", flag.ContinueOnError), args); err != nil {
			return answerHelp(cmd, err, stdout)
		}
		fmt.Fprint(stdout, versionLine())
		return nil
	}
	c, ok := commands[cmd]
	if !ok || c.run == nil {
		return usageErrorf("unknown command %q; see estafette help", cmd)
	}
	cfg, err := app.ConfigFromEnv(getenv)
	if err != nil {
		if !slices.ContainsFunc(args, isHelpFlag) {
			return err
		}
		cfg = app.DefaultConfig() // --help works in a wrong environment too
	}
	slog.SetDefault(slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel})))
	return answerHelp(cmd, c.run(ctx, cfg, args, stdout, stderr), stdout)
}

func isHelpFlag(a string) bool { return a == "-h" || a == "-help" || a == "--help" }

// answerHelp answers a helpRequest of cmd with its usage and flags on
// stdout; any other error it returns as it is.
func answerHelp(cmd string, err error, stdout io.Writer) error {
	var h *helpRequest
	if !errors.As(err, &h) {
		return err
	}
	fmt.Fprint(stdout, commandUsage(cmd))
	first := true
	h.fs.VisitAll(func(f *flag.Flag) {
		if first {
			fmt.Fprint(stdout, "\nflags:\n")
			first = false
		}
		typ, help := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if typ != "" {
			line += " " + typ
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			help += " (default " + f.DefValue + ")"
		}
		fmt.Fprintf(stdout, "%s\n      %s\n", line, help)
	})
	return nil
}

// usage is the overview of every command.
func usage() string {
	var b strings.Builder
	b.WriteString("usage: estafette [command]\n\ncommands:\n")
	for _, n := range commandNames() {
		b.WriteString("  " + commands[n].usage + "\n")
	}
	b.WriteString("\nestafette COMMAND --help shows the flags of a command; configuration comes from the environment (see README.md).\n")
	return b.String()
}

// commandNames returns the names of the commands in order.
func commandNames() []string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// commandUsage is the usage of one command: its forms, each after
// "estafette", with their explanations.
func commandUsage(name string) string {
	var b strings.Builder
	prefix := "usage: "
	for line := range strings.Lines(commands[name].usage + "\n") {
		t := strings.TrimSpace(line)
		if t == name || strings.HasPrefix(t, name+" ") {
			b.WriteString(prefix + "estafette " + t + "\n")
			prefix = "       "
		} else if t != "" {
			b.WriteString("       " + line)
		}
	}
	return b.String()
}

// versionLine is what "estafette version" prints: the module version (or
// (devel) for a build from a work tree), the VCS revision and time of the
// build, whether the tree had changes, and the Go version.
func versionLine() string {
	bi, _ := debug.ReadBuildInfo()
	return versionOf(bi)
}

// versionOf is the version line of the build bi (nil: unknown).
func versionOf(bi *debug.BuildInfo) string {
	version, revision, at, modified := "(devel)", "", "", false
	if bi != nil {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.time":
				at = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	b := "estafette " + version
	if revision != "" {
		b += " revision " + revision
		if at != "" {
			b += " " + at
		}
		if modified {
			b += " (modified)"
		}
	}
	goVersion := runtime.Version()
	if bi != nil && bi.GoVersion != "" {
		goVersion = bi.GoVersion
	}
	return b + " " + goVersion + "\n"
}

// helpRequest is what parseFlags returns for -h or --help: run answers it
// with the usage of the command, exit 0.
type helpRequest struct{ fs *flag.FlagSet }

func (h *helpRequest) Error() string { return "help requested" }

// parseFlags parses args into fs. It returns a helpRequest for -h or
// --help, and for a wrong flag a usage error (exit 2) of one line that
// names the flag as the user typed it.
func parseFlags(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return &helpRequest{fs: fs}
	}
	if err != nil {
		return usageErrorf("%s: %s", fs.Name(), flagProblem(err.Error(), args))
	}
	return nil
}

// flagProblem rewords an error of package flag, which writes every flag
// with one dash, with the flag as it is in args.
func flagProblem(msg string, args []string) string {
	if n, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return "unknown flag " + asGiven(n, args)
	}
	if n, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return asGiven(n, args) + " needs a value"
	}
	for _, sep := range []string{" for flag -", " for -"} {
		if i := strings.Index(msg, sep); i >= 0 {
			if n, reason, ok := strings.Cut(msg[i+len(sep):], ": "); ok {
				return msg[:i] + " for " + asGiven(n, args) + ": " + reason
			}
		}
	}
	return msg
}

// asGiven returns flag name as the user wrote it in args: -name or
// --name (the default).
func asGiven(name string, args []string) string {
	for _, a := range args {
		if a == "--" {
			break
		}
		a, _, _ = strings.Cut(a, "=")
		if a == "-"+name || a == "--"+name {
			return a
		}
	}
	return "--" + name
}

// noSubcommand is the error of a command that takes a subcommand (keys,
// webhooks, queries) given none, a flag or an unknown one: for -h or
// --help a helpRequest, else a usage error saying which it takes.
func noSubcommand(name string, args []string, takes string) error {
	if len(args) > 0 && strings.HasPrefix(args[0], "-") {
		if err := parseFlags(flag.NewFlagSet(name, flag.ContinueOnError), args); err != nil {
			return err
		}
	}
	if len(args) == 0 {
		return usageErrorf("%s: say %s", name, takes)
	}
	return usageErrorf("%s: unknown subcommand %q; say %s", name, args[0], takes)
}

// openApp opens the App of cfg for a command that needs the store and the
// services, without loading the seed into an empty store.
func openApp(ctx context.Context, cfg app.Config) (*app.App, error) {
	cfg.NoSeed = true
	m := app.New(cfg)
	if err := m.Open(ctx); err != nil {
		_ = m.Close()
		return nil, err
	}
	return m, nil
}

// exitError is an error with the exit status the program ends with.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageErrorf is the error of a command line that is wrong (an unknown
// command or flag, a missing argument, a value out of range): exit 2.
func usageErrorf(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

// exitCode is the exit status for the error a command returned: its own
// for an exitError, else 1.
func exitCode(err error) int {
	var e *exitError
	if errors.As(err, &e) {
		return e.code
	}
	return 1
}

// exitStatus reports err, when there is one, as one line on stderr and
// returns the exit status of the program (0 without an error).
func exitStatus(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "estafette:", strings.TrimSpace(err.Error()))
	return exitCode(err)
}

// words writes a list for people: "a, b or c".
func words[T ~string](list []T) string {
	s := make([]string, len(list))
	for i, v := range list {
		s[i] = string(v)
	}
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}
