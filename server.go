// Command estafette is the headless GraphQL content API of the Slimme Zorg
// Estafette. Without arguments it serves the API; subcommands manage the
// content:
//
//	estafette                         serve the API (same as "serve")
//	estafette seed                    load the real seed content (idempotent)
//	estafette seed --synthetic N      add N synthetic activities for scale tests
//	estafette help                    every command; estafette COMMAND --help its flags
//	estafette version                 the version and VCS revision
//
// Configuration comes from the environment; see README.md.
package main

import (
	"context"
	"os"
)

func main() {
	os.Exit(exitStatus(run(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr), os.Stderr))
}
