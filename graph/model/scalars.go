package model

import (
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"estafette/content"
)

// MarshalDate writes a content.Date as an ISO 8601 string.
func MarshalDate(d content.Date) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) { io.WriteString(w, strconv.Quote(d.String())) })
}

// UnmarshalDate reads an ISO 8601 calendar date.
func UnmarshalDate(v any) (content.Date, error) {
	s, ok := v.(string)
	if !ok {
		return content.Date{}, content.Invalidf("", "a Date must be a string such as \"2023-02-06\", not %v", v)
	}
	d, err := content.ParseDate(s)
	if err != nil {
		return content.Date{}, content.Invalidf("", "%s", err.Error())
	}
	return d, nil
}

// MarshalDateTime writes a moment as RFC 3339 with the Europe/Amsterdam offset.
func MarshalDateTime(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) { io.WriteString(w, strconv.Quote(content.FormatDateTime(t))) })
}

// UnmarshalDateTime reads an RFC 3339 moment with an offset.
func UnmarshalDateTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, content.Invalidf("", "a DateTime must be a string such as \"2023-02-21T10:00:00+01:00\", not %v", v)
	}
	t, err := content.ParseDateTime(s)
	if err != nil {
		return time.Time{}, content.Invalidf("", "%s", err.Error())
	}
	return t, nil
}
