// Command sourcehash writes the fingerprints of the seed's source texts to
// seed/testdata/sourcehash.json, for the seed's overlap test
// (seed.TestTextsAreOwnWords). The sources themselves stay outside the
// repository: the file holds only salted hashes (see estafette/internal/overlap).
//
// Run it from the repository root after a source changes:
//
//	go run ./cmd/sourcehash -shared ../shared -out seed/testdata/sourcehash.json
//
// It reads every shared/sources/*.txt and shared/sze-facts.md.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"estafette/internal/overlap"
)

func main() {
	shared := flag.String("shared", "../shared", "the directory holding sources/ and sze-facts.md")
	out := flag.String("out", "seed/testdata/sourcehash.json", "the file to write")
	flag.Parse()
	if err := run(*shared, *out); err != nil {
		fmt.Fprintln(os.Stderr, "sourcehash:", err)
		os.Exit(1)
	}
}

// run fingerprints the sources under shared and writes them to out.
func run(shared, out string) error {
	files, err := filepath.Glob(filepath.Join(shared, "sources", "*.txt"))
	if err != nil {
		return err
	}
	sort.Strings(files)
	files = append(files, filepath.Join(shared, "sze-facts.md"))
	fps := []overlap.Fingerprint{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		fps = append(fps, overlap.NewFingerprint(filepath.Base(f), string(b)))
	}
	if len(fps) < 3 {
		return fmt.Errorf("found %d sources under %s, want the source texts and sze-facts.md", len(fps), shared)
	}
	b, err := json.MarshalIndent(fps, "", " ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	return os.WriteFile(out, append(b, '\n'), 0o644)
}
