package content

import (
	"fmt"
	"time"
	_ "time/tzdata" // Europe/Amsterdam must resolve in minimal images without zoneinfo
)

// Amsterdam is the time zone of the event: every DateTime the API returns
// carries its offset, and calendar days are Amsterdam days.
var Amsterdam = mustLoad("Europe/Amsterdam")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // cannot happen: time/tzdata is embedded
	}
	return loc
}

// Date is a calendar day without a time zone, written as ISO 8601
// (2023-02-06). The zero Date means unknown.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// D returns the Date y-m-d.
func D(y int, m time.Month, d int) Date { return Date{y, m, d} }

// ParseDate parses an ISO 8601 calendar date (YYYY-MM-DD).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date; write it as YYYY-MM-DD, for example 2023-02-06", s)
	}
	return DateOf(t), nil
}

// DateOf returns the calendar day of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// IsZero reports whether the date is unknown.
func (d Date) IsZero() bool { return d == Date{} }

// String returns the ISO 8601 form.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Start returns the first instant of the day in Amsterdam.
func (d Date) Start() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, Amsterdam) }

// End returns the first instant of the next day in Amsterdam.
func (d Date) End() time.Time { return d.Start().AddDate(0, 0, 1) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.String() < e.String() }

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday { return d.Start().Weekday() }

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// InAmsterdam returns t in the Amsterdam time zone.
func InAmsterdam(t time.Time) time.Time { return t.In(Amsterdam) }

// ParseDateTime parses an RFC 3339 date-time with an explicit offset.
func ParseDateTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date-time; write it as RFC 3339 with an offset, for example 2023-02-21T10:00:00+01:00", s)
	}
	return t, nil
}

// FormatDateTime writes t as RFC 3339 with the Amsterdam offset.
func FormatDateTime(t time.Time) string { return t.In(Amsterdam).Format(time.RFC3339) }

// timeKey is the sortable index form of an instant: UTC, fixed width, so that
// byte order is time order in every backend.
func timeKey(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
