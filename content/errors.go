package content

import (
	"errors"
	"fmt"
)

// Error codes of the domain. Every layer above maps them to its own protocol
// (GraphQL extensions.code, HTTP status); every layer below returns them.
const (
	EINVALID      = "invalid"      // the caller sent bad input
	ENOTFOUND     = "not_found"    // the thing asked for does not exist
	ECONFLICT     = "conflict"     // the change clashes with the current state
	EUNAUTHORIZED = "unauthorized" // the caller is not authenticated
	EFORBIDDEN    = "forbidden"    // the caller may not do this
	EINTERNAL     = "internal"     // a failure that is not the caller's fault
	ELIMITED      = "rate_limited" // the caller asked too often; retry later
	EUNAVAILABLE  = "unavailable"  // the store cannot work now (disk full, I/O error, damaged file); retry later
)

// Error is a domain error with a code, a message meant for people, and
// optionally the input path (such as "filter.from") the error is about.
type Error struct {
	Code    string
	Message string
	Field   string
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Message)
	}
	return e.Message
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Unavailable returns an EUNAVAILABLE error with the given message that
// also wraps cause, the storage fault behind it, so that errors.Is and
// errors.As still reach the driver's error and logs show it, while callers
// see only the message.
func Unavailable(cause error, format string, args ...any) error {
	e := Errorf(EUNAVAILABLE, format, args...)
	if cause == nil {
		return e
	}
	return fmt.Errorf("%w: %w", e, cause)
}

// Invalidf returns an EINVALID error about the input at field.
func Invalidf(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err when it is (or wraps) an *Error, and
// EINTERNAL for every other non-nil error.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the human message of an *Error, and a generic message
// for any other error so that internals never reach a caller.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// ErrorField returns the input path an *Error is about, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
