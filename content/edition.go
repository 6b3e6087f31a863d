package content

import (
	"time"

	"slices"
	"strconv"
)

// Edition is one year of the Slimme Zorg Estafette.
type Edition struct {
	Meta
	Year             int     `json:"year"`
	Name             Text    `json:"name"`
	StartsOn         *Date   `json:"startsOn,omitempty"`
	EndsOn           *Date   `json:"endsOn,omitempty"`
	CommissionedByID string  `json:"commissionedBy,omitempty"`
	OrganizedByID    string  `json:"organizedBy,omitempty"`
	Summary          Text    `json:"summary"`
	Legs             []*Leg  `json:"legs"`
	Website          *string `json:"website,omitempty"`
	// SubmissionsOpenFrom and SubmissionsOpenUntil are the period in which
	// the public may propose activities for the edition (package
	// submissions); without both, the edition takes no proposals.
	SubmissionsOpenFrom  *time.Time `json:"submissionsOpenFrom,omitempty"`
	SubmissionsOpenUntil *time.Time `json:"submissionsOpenUntil,omitempty"`
}

// AcceptsProposals reports whether the public may propose activities for
// the edition at now: from SubmissionsOpenFrom up to (not including)
// SubmissionsOpenUntil.
func (e *Edition) AcceptsProposals(now time.Time) bool {
	return e.SubmissionsOpenFrom != nil && e.SubmissionsOpenUntil != nil &&
		!now.Before(*e.SubmissionsOpenFrom) && now.Before(*e.SubmissionsOpenUntil)
}

// Leg is an edition's week in one region: the region is "aan zet" (on turn)
// and passes the baton to the next leg's region at the end of it.
type Leg struct {
	EditionID    string   `json:"-"`
	Order        int      `json:"order"`
	RegionID     string   `json:"region"`
	StartsOn     *Date    `json:"startsOn,omitempty"`
	EndsOn       *Date    `json:"endsOn,omitempty"`
	Summary      Text     `json:"summary"`
	OrganizerIDs []string `json:"organizers,omitempty"`
	ThemeIDs     []string `json:"themes,omitempty"`
}

// RecordKind implements Record.
func (*Edition) RecordKind() Kind { return KindEdition }

func (e *Edition) fields() Fields {
	f := Fields{
		"year":     {yearKey(e.Year)},
		"regions":  nil,
		"startsOn": nil,
		"endsOn":   nil,
	}
	if e.StartsOn != nil {
		f["startsOn"] = []string{e.StartsOn.String()}
	}
	if e.EndsOn != nil {
		f["endsOn"] = []string{e.EndsOn.String()}
	}
	for _, l := range e.Legs {
		f["regions"] = appendUnique(f["regions"], l.RegionID)
	}
	return f
}

// afterDecode links the legs to their edition.
func (e *Edition) afterDecode() {
	slices.SortStableFunc(e.Legs, func(a, b *Leg) int { return a.Order - b.Order })
	for _, l := range e.Legs {
		l.EditionID = e.ID
	}
}

// yearKey writes a year with a fixed width so that byte order is number order.
func yearKey(y int) string {
	s := strconv.Itoa(y)
	for len(s) < 4 {
		s = "0" + s
	}
	return s
}

func appendUnique(list []string, v string) []string {
	if v == "" {
		return list
	}
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}
