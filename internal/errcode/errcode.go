// Package errcode holds the codes an error of the API carries in
// extensions.code. The constants are generated from the ErrorCode enum of
// schema/errors.graphqls (go generate ./internal/errcode), so that the
// schema is the one list: a code renamed or removed there no longer
// compiles where it is sent, and a code cannot be sent without being in
// the enum. The package imports nothing, so every layer may use it.
package errcode

//go:generate go run ./gen ../../schema/errors.graphqls codes_gen.go

// Code is one code of the ErrorCode enum.
type Code = string

// Known reports whether c is a code of the enum.
func Known(c string) bool {
	for _, k := range All {
		if k == c {
			return true
		}
	}
	return false
}
