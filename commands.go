package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"

	"estafette/internal/app"
)

// command is a subcommand of the program: its usage line and the function
// that runs it, which lives in a file cmd_NAME.go of its own.
type command struct {
	usage string // one line per form, shown by "estafette help"
	run   func(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error
}

// commands is the table of the program's subcommands, the one place that
// lists them.
var commands = map[string]command{
	"serve": {
		usage: "serve                  serve the API (the default)",
		run: func(ctx context.Context, cfg app.Config, _ []string, _, _ io.Writer) error {
			return serve(ctx, cfg)
		},
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

// run dispatches a command line; it is main without the exit.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := app.ConfigFromEnv(getenv)
	if err != nil {
		return err
	}
	slog.SetDefault(slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel})))
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	if cmd == "help" || cmd == "-h" || cmd == "--help" {
		fmt.Fprint(stdout, usage())
		return nil
	}
	c, ok := commands[cmd]
	if !ok {
		return fmt.Errorf("unknown command %q\n%s", cmd, usage())
	}
	return c.run(ctx, cfg, args, stdout, stderr)
}

func usage() string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("usage: estafette [command]\n\ncommands:\n")
	for _, n := range names {
		b.WriteString("  " + commands[n].usage + "\n")
	}
	return b.String()
}
