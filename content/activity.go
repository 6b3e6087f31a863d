package content

import (
	"strconv"
	"time"
)

// Activity is one event of an edition: a workshop, a visit, an opening, a
// pitch event. Anyone may organise one and anyone may attend.
//
// When only the day of an activity is known, StartsOn is set and StartsAt is
// null; when nothing about its timing is known, all four are null.
type Activity struct {
	Meta
	EditionID       string     `json:"edition"`
	RegionID        string     `json:"region,omitempty"`
	InitiativeID    string     `json:"initiative,omitempty"`
	Title           Text       `json:"title"`
	Summary         Text       `json:"summary"`
	OrganizerIDs    []string   `json:"organizers"`
	StartsOn        *Date      `json:"startsOn,omitempty"`
	EndsOn          *Date      `json:"endsOn,omitempty"`
	StartsAt        *time.Time `json:"startsAt,omitempty"`
	EndsAt          *time.Time `json:"endsAt,omitempty"`
	Format          *Format    `json:"format,omitempty"`
	Mode            *Mode      `json:"mode,omitempty"`
	Venue           *Venue     `json:"venue,omitempty"`
	Audiences       []Audience `json:"audiences"`
	ThemeIDs        []string   `json:"themes"`
	RegistrationURL *string    `json:"registrationUrl,omitempty"`
	Interactive     *bool      `json:"interactive,omitempty"`
}

// Venue is where an activity takes place.
type Venue struct {
	Name           *string `json:"name,omitempty"`
	City           *string `json:"city,omitempty"`
	ProvinceSlug   string  `json:"province,omitempty"`
	OrganizationID string  `json:"organization,omitempty"`
}

// RecordKind implements Record.
func (*Activity) RecordKind() Kind { return KindActivity }

// Start returns the first instant the activity may take place: its start
// time, or the start of its first day, or nil when unknown.
func (a *Activity) Start() *time.Time {
	switch {
	case a.StartsAt != nil:
		return a.StartsAt
	case a.StartsOn != nil:
		t := a.StartsOn.Start()
		return &t
	}
	return nil
}

// End returns the last instant the activity may take place: its end time,
// or the end of its last day, or its start when nothing else is known.
func (a *Activity) End() *time.Time {
	switch {
	case a.EndsAt != nil:
		return a.EndsAt
	case a.EndsOn != nil:
		t := a.EndsOn.End()
		return &t
	case a.StartsOn != nil && a.StartsAt == nil:
		t := a.StartsOn.End()
		return &t
	}
	return a.Start()
}

func (a *Activity) fields() Fields {
	f := Fields{
		"edition":    {a.EditionID},
		"region":     nil,
		"initiative": nil,
		"format":     nil,
		"mode":       nil,
		"province":   nil,
		"startKey":   {nullLast},
		"endKey":     {nullLast},
		"month":      nil,
		"weekday":    nil,
		"titleKey":   {SortKeyOf(a.Title.NL)},
		"organizers": a.OrganizerIDs,
		"themes":     a.ThemeIDs,
		"themeKeys":  orNone(a.ThemeIDs),
		// The organiser kinds need the organisations: Catalog.Encode fills
		// them in. A writer that encodes without it stores None, so the
		// activity counts under an unknown kind until it is re-indexed.
		"orgKinds":    {None},
		"audiences":   nil,
		"tokens":      Tokens(a.Title.NL, a.Title.EN, a.Summary.NL, a.Summary.EN, a.venueText()),
		"titleTokens": Tokens(a.Title.NL, a.Title.EN),
	}
	set := func(k, v string) {
		if v != "" {
			f[k] = []string{v}
		}
	}
	set("region", a.RegionID)
	set("initiative", a.InitiativeID)
	if a.Format != nil {
		set("format", string(*a.Format))
	}
	if a.Mode != nil {
		set("mode", string(*a.Mode))
	}
	if a.Venue != nil {
		set("province", a.Venue.ProvinceSlug)
	}
	if s := a.Start(); s != nil {
		set("startKey", timeKey(*s))
		// The month ("2023-02") and the ISO weekday ("1" is Monday) of the
		// start, in Amsterdam, for statistics.
		local := s.In(Amsterdam)
		set("month", local.Format("2006-01"))
		set("weekday", strconv.Itoa(isoWeekday(local.Weekday())))
	}
	if e := a.End(); e != nil {
		set("endKey", timeKey(*e))
	}
	for _, au := range a.Audiences {
		f["audiences"] = append(f["audiences"], string(au))
	}
	return f
}

func (a *Activity) venueText() string {
	if a.Venue == nil {
		return ""
	}
	return deref(a.Venue.Name) + " " + deref(a.Venue.City)
}

// isoWeekday numbers the days of the week as ISO 8601 does: Monday is 1,
// Sunday is 7.
func isoWeekday(d time.Weekday) int {
	if d == time.Sunday {
		return 7
	}
	return int(d)
}

// None is the index value of a multi-valued statistics field (themeKeys,
// orgKinds) that has no values, so that one grouping counts the activities
// without a theme or organiser kind too, under None.
const None = nullLast

// orNone returns vs, or [None] when vs is empty.
func orNone(vs []string) []string {
	if len(vs) == 0 {
		return []string{None}
	}
	return vs
}
