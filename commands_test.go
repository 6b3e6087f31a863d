package main

import (
	"bytes"
	"context"
	"os"
	"runtime/debug"
	"strings"
	"testing"
)

// TestCommandLine: help and version print and exit 0 without starting
// anything; every command answers --help and -h with its usage on stdout;
// a wrong flag, command or value is one line on stderr that names what the
// user typed, exit 2. Nothing of it creates a store (./data).
func TestCommandLine(t *testing.T) {
	t.Chdir(t.TempDir())
	getenv := func(k string) string { return map[string]string{"LOG_LEVEL": "warn"}[k] }
	type want struct {
		code   int
		stdout []string // substrings
		stderr []string // substrings; the stderr of a failure is one line
		not    []string // substrings of neither
	}
	usage := want{stdout: []string{"usage: estafette", "serve", "export", "help", "version"}}
	version := want{stdout: []string{"estafette "}}
	cases := map[string]want{
		"--help":                     usage,
		"-h":                         usage,
		"help":                       usage,
		"-help":                      usage,
		"--version":                  version,
		"version":                    version,
		"serve --help":               {stdout: []string{"usage: estafette serve"}},
		"serve -h":                   {stdout: []string{"usage: estafette serve"}},
		"help export":                {stdout: []string{"usage: estafette export", "--activity-format"}},
		"keys create -h":             {stdout: []string{"usage: estafette keys", "--role"}},
		"keys list -h":               {stdout: []string{"usage: estafette keys"}},
		"webhooks add -h":            {stdout: []string{"usage: estafette webhooks", "--url"}},
		"webhooks deliveries --help": {stdout: []string{"usage: estafette webhooks", "--state"}},
		"queries register --help":    {stdout: []string{"usage: estafette queries"}},
		"export activities --help":   {stdout: []string{"usage: estafette export"}},

		"frobnicate":      {code: 2, stderr: []string{`unknown command "frobnicate"`, "estafette help"}},
		"--nope":          {code: 2, stderr: []string{"--nope"}},
		"serve extra":     {code: 2, stderr: []string{"serve", "extra"}},
		"seed --nope":     {code: 2, stderr: []string{"seed", "--nope"}},
		"seed -synthetic": {code: 2, stderr: []string{"-synthetic"}, not: []string{"--synthetic"}},
		"keys frob":       {code: 2, stderr: []string{`"frob"`, "create, list or revoke"}},
		"export --activity-format seminar": {code: 2,
			stderr: []string{"--activity-format", `"seminar"`, "workshop"}, not: []string{"format: format", "parameter"}},
		"export --format pdf":                        {code: 2, stderr: []string{"--format", `"pdf"`, "csv, ndjson, json or parquet"}},
		"export organizations --edition 2023":        {code: 2, stderr: []string{"--edition", "--kind", "--search"}, not: []string{"parameter"}},
		"export --format json --excel":               {code: 2, stderr: []string{"--excel", "csv"}, not: []string{"?excel"}},
		"export --edition 23":                        {code: 2, stderr: []string{"--edition", `"23"`}},
		"export one two":                             {code: 2, stderr: []string{`"one" cannot be exported`}},
		"export activities one two":                  {code: 2, stderr: []string{"one two"}, not: []string{"["}},
		"help --help":                                usage,
		"help -h":                                    usage,
		"reindex --kind bogus":                       {code: 2, stderr: []string{`"bogus"`, "edition, region, initiative"}, not: []string{"["}},
		"webhooks deliveries --state bogus":          {code: 2, stderr: []string{"--state", `"bogus"`, "pending, delivered or dead"}},
		"webhooks frob":                              {code: 2, stderr: []string{`"frob"`}},
		"import --type people x.json":                {code: 2, stderr: []string{"--type", "activities, initiatives or organizations"}},
		"import":                                     {code: 2, stderr: []string{"import"}},
		"copy --from sqlite:./a":                     {code: 2, stderr: []string{"usage: estafette copy"}},
		"keys create --role tsar --name x":           {code: 2, stderr: []string{"--role", `"tsar"`}},
		"backup":                                     {code: 2, stderr: []string{"backup"}},
		"queries":                                    {code: 2, stderr: []string{"register"}},
		"webhooks replay":                            {code: 2, stderr: []string{"--endpoint"}},
		"check one two":                              {code: 2, stderr: []string{"check"}},
		"seed --synthetic -3":                        {code: 2, stderr: []string{"--synthetic", "-3"}},
		"webhooks deliveries --state bogus --nope x": {code: 2, stderr: []string{"--nope"}},
	}
	for _, name := range commandNames() {
		for _, h := range []string{"--help", "-h"} {
			if _, ok := cases[name+" "+h]; !ok {
				cases[name+" "+h] = want{stdout: []string{"usage: estafette " + name}}
			}
		}
	}
	for line, w := range cases {
		t.Run(line, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := exitStatus(run(context.Background(), strings.Fields(line), getenv, &stdout, &stderr), &stderr)
			if code != w.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, w.code, stdout.String(), stderr.String())
			}
			for _, s := range w.stdout {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout.String())
				}
			}
			for _, s := range w.stderr {
				if !strings.Contains(stderr.String(), s) {
					t.Errorf("stderr lacks %q: %q", s, stderr.String())
				}
			}
			for _, s := range w.not {
				if strings.Contains(stdout.String()+stderr.String(), s) {
					t.Errorf("output has %q:\nstdout: %s\nstderr: %s", s, stdout.String(), stderr.String())
				}
			}
			if w.code == 0 && stderr.Len() > 0 {
				t.Errorf("stderr of a success: %q", stderr.String())
			}
			if w.code != 0 {
				if e := stderr.String(); strings.Count(e, "\n") != 1 || !strings.HasSuffix(e, "\n") {
					t.Errorf("stderr is not one line ending in a newline: %q", e)
				}
				if stdout.Len() > 0 {
					t.Errorf("stdout of a failure: %q", stdout.String())
				}
			}
			if _, err := os.Stat("data"); err == nil {
				t.Fatal("./data was created")
			}
		})
	}
}

// TestVersion: the version line holds the module version, and the VCS
// revision when the build has one.
func TestVersion(t *testing.T) {
	v := versionLine()
	if !strings.HasPrefix(v, "estafette ") || !strings.HasSuffix(v, "\n") || strings.Count(v, "\n") != 1 {
		t.Errorf("version %q", v)
	}
	if !strings.Contains(v, "go1.") {
		t.Errorf("version without the Go version: %q", v)
	}
	bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "estafette", Version: "v1.4.0"}, Settings: []debug.BuildSetting{
		{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "565d89bf1fd252b4eb0beb5b192152ee7182f3d9"},
		{Key: "vcs.time", Value: "2026-12-02T06:55:00Z"}, {Key: "vcs.modified", Value: "true"},
	}}
	if got, want := versionOf(bi), "estafette v1.4.0 revision 565d89bf1fd252b4eb0beb5b192152ee7182f3d9 2026-12-02T06:55:00Z (modified) go1.26.8\n"; got != want {
		t.Errorf("version of a stamped build:\n%q, want\n%q", got, want)
	}
}
