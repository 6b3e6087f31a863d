package content

import "fmt"

// DatePrecision is how much of a PartialDate is known.
type DatePrecision string

// The precisions of a PartialDate.
const (
	PrecisionYear  DatePrecision = "year"
	PrecisionMonth DatePrecision = "month"
	PrecisionDay   DatePrecision = "day"
)

// PartialDate is a date known to the year, the month or the day, as a
// source gives it: "March 2024" is {2024, 3, 0}. It never fills in what is
// not known (no day 1 for a month).
type PartialDate struct {
	Year  int `json:"year"`
	Month int `json:"month,omitempty"` // 1 to 12; 0 when only the year is known
	Day   int `json:"day,omitempty"`   // 0 when only the year or month is known
}

// MonthOf returns the PartialDate of month m of year y.
func MonthOf(y, m int) PartialDate { return PartialDate{Year: y, Month: m} }

// Precision returns how much of the date is known.
func (p PartialDate) Precision() DatePrecision {
	switch {
	case p.Month == 0:
		return PrecisionYear
	case p.Day == 0:
		return PrecisionMonth
	}
	return PrecisionDay
}

// Value returns the ISO 8601 form at the date's precision: 2024, 2024-03
// or 2024-03-12.
func (p PartialDate) Value() string {
	switch p.Precision() {
	case PrecisionYear:
		return fmt.Sprintf("%04d", p.Year)
	case PrecisionMonth:
		return fmt.Sprintf("%04d-%02d", p.Year, p.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", p.Year, p.Month, p.Day)
}

// String implements fmt.Stringer with Value.
func (p PartialDate) String() string { return p.Value() }
