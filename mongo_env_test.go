package main

import (
	"os"
	"strings"
)

// The tests of this package start the program, in process with the
// environment or as the built binary with os.Environ, and mean the embedded
// store in a temporary DATA_DIR. MONGODB_URI is set when the MongoDB tests
// run (MONGODB_URI=… go test ./mongodb/ ., as CI does against FerretDB);
// left in the environment it would send those programs to the shared
// default database "estafette" of that server. So it is read once here,
// for the tests that use MongoDB on purpose (TestCopyToMongoDB, in a
// database of its own), and every MONGODB_ setting is removed from the
// environment before any test runs (package variables are initialised
// before init functions).
var mongoURI = os.Getenv("MONGODB_URI")

func init() {
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "MONGODB_") {
			os.Unsetenv(k)
		}
	}
}
