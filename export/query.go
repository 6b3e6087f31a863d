package export

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"estafette/content"
)

// Entity is what an export holds.
type Entity string

// The entities that can be exported.
const (
	Activities    Entity = "activities"
	Initiatives   Entity = "initiatives"
	Organizations Entity = "organizations"
)

// Entities lists every Entity.
var Entities = []Entity{Activities, Initiatives, Organizations}

// Format is the file format of an export.
type Format string

// The formats of an export.
const (
	CSV    Format = "csv"    // RFC 4180, header row, UTF-8
	NDJSON Format = "ndjson" // one JSON object per line
	JSON   Format = "json"   // one JSON array of objects
	// Parquet is Apache Parquet: typed columns (days as DATE, instants as
	// TIMESTAMP, numbers as integers, lists as LIST), Snappy-compressed.
	Parquet Format = "parquet"
)

// Formats lists every Format.
var Formats = []Format{CSV, NDJSON, JSON, Parquet}

// Request is a parsed export request: what to export, filtered how, in
// which format. Only the filter of Entity is used.
type Request struct {
	Entity        Entity
	Format        Format
	Activities    content.ActivityFilter
	Initiatives   content.InitiativeFilter
	Organizations content.OrganizationFilter
	// Excel makes a CSV fit for a spreadsheet with Dutch settings: a UTF-8
	// byte order mark, ";" between fields and CRLF line ends. (Every CSV,
	// with Excel or without, puts an apostrophe before a text cell that a
	// spreadsheet would take for a formula: see Neutralize.)
	Excel bool
}

// params lists the query parameters each entity takes, in the order the
// documentation gives them; "excel" is taken by every entity.
var params = map[Entity][]string{
	Activities:    {"edition", "region", "initiative", "organization", "theme", "format", "mode", "from", "to", "search", "synthetic"},
	Initiatives:   {"edition", "region", "theme", "organization", "search"},
	Organizations: {"kind", "search"},
}

// Params returns the filter parameters an entity takes.
func Params(e Entity) []string { return slices.Clone(params[e]) }

// ParseRequest reads the filter of an export of entity in format from
// query parameters. Every parameter may be given once; an unknown
// parameter or a bad value gives an EINVALID error whose Field is the
// parameter.
func ParseRequest(e Entity, f Format, q url.Values) (Request, error) {
	r := Request{Entity: e, Format: f}
	if err := checkParams(e, f, q); err != nil {
		return r, err
	}
	var err error
	if r.Excel, err = parseExcel(e, f, q); err != nil {
		return r, err
	}
	p := &paramReader{q: q}
	switch e {
	case Activities:
		r.Activities = p.activityFilter()
	case Initiatives:
		r.Initiatives = content.InitiativeFilter{
			EditionYear:      p.year("edition"),
			RegionSlug:       p.str("region"),
			ThemeSlug:        p.str("theme"),
			OrganizationSlug: p.str("organization"),
			Search:           p.str("search"),
		}
	case Organizations:
		r.Organizations.Kind = enum(&p.err, q, "kind", content.OrganizationKinds)
		r.Organizations.Search = p.str("search")
	}
	return r, p.err
}

// checkParams checks the entity and the format, and that q has only
// parameters the entity takes, each once.
func checkParams(e Entity, f Format, q url.Values) error {
	allowed, ok := params[e]
	if !ok {
		return content.Invalidf("entity", "%q cannot be exported; export one of activities, initiatives, organizations", e)
	}
	if !slices.Contains(Formats, f) {
		return content.Invalidf("format", "%q is not an export format; use csv, ndjson or json", f)
	}
	names := make([]string, 0, len(q))
	for k := range q {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if k != "excel" && !slices.Contains(allowed, k) {
			return content.Invalidf(k, "unknown parameter %q; an export of %s takes %s and excel", k, e, strings.Join(allowed, ", "))
		}
		if len(q[k]) > 1 {
			return content.Invalidf(k, "give %s once, not %d times", k, len(q[k]))
		}
	}
	return nil
}

// parseExcel reads the excel parameter, which only a CSV export takes.
func parseExcel(e Entity, f Format, q url.Values) (bool, error) {
	vs, ok := q["excel"]
	if !ok {
		return false, nil
	}
	excel := false
	switch v := strings.TrimSpace(vs[0]); strings.ToLower(v) {
	case "", "1", "true", "yes":
		excel = true
	case "0", "false", "no":
	default:
		return false, content.Invalidf("excel", "excel must be 1 or 0, not %q", v)
	}
	if f != CSV && excel {
		return excel, content.Invalidf("excel", "excel applies to CSV only; ask for %s.csv?excel=1", e)
	}
	return excel, nil
}

// paramReader reads filter parameters, keeping the first error: once
// there is one, every read gives nil.
type paramReader struct {
	q   url.Values
	err error
}

// activityFilter reads the filter of an activities export.
func (p *paramReader) activityFilter() content.ActivityFilter {
	a := content.ActivityFilter{
		EditionYear:      p.year("edition"),
		RegionSlug:       p.str("region"),
		InitiativeSlug:   p.str("initiative"),
		OrganizationSlug: p.str("organization"),
		ThemeSlug:        p.str("theme"),
		Format:           enum(&p.err, p.q, "format", content.Formats),
		Mode:             enum(&p.err, p.q, "mode", content.Modes),
		From:             p.when("from", false),
		To:               p.when("to", true),
		Search:           p.str("search"),
		Synthetic:        p.boolean("synthetic"),
	}
	if p.err == nil && a.From != nil && a.To != nil && a.From.After(*a.To) {
		p.err = content.Invalidf("from", "from (%s) is after to (%s)", content.FormatDateTime(*a.From), content.FormatDateTime(*a.To))
	}
	return a
}

// get returns the parameter k without surrounding space, and whether it
// is to be read (given, and no error so far).
func (p *paramReader) get(k string) (string, bool) {
	v, ok := p.q[k]
	if !ok || p.err != nil {
		return "", false
	}
	return strings.TrimSpace(v[0]), true
}

// boolean reads a yes/no parameter (1, true, yes or 0, false, no).
func (p *paramReader) boolean(k string) *bool {
	v, ok := p.get(k)
	if !ok {
		return nil
	}
	switch strings.ToLower(v) {
	case "1", "true", "yes":
		t := true
		return &t
	case "0", "false", "no":
		f := false
		return &f
	}
	p.err = content.Invalidf(k, "%s must be 1 or 0, not %q", k, v)
	return nil
}

// str reads a text parameter, which must not be empty.
func (p *paramReader) str(k string) *string {
	v, ok := p.get(k)
	if !ok {
		return nil
	}
	if v == "" {
		p.err = content.Invalidf(k, "%s is empty; leave it out to export everything", k)
		return nil
	}
	return &v
}

// year reads a four-digit year.
func (p *paramReader) year(k string) *int {
	v, ok := p.get(k)
	if !ok {
		return nil
	}
	y, e := strconv.Atoi(v)
	if e != nil || y < 1000 || y > 9999 {
		p.err = content.Invalidf(k, "%s must be a year such as 2023, not %q", k, v)
		return nil
	}
	return &y
}

// when reads a day (its start, or with endOfDay its last millisecond) or
// a date-time with an offset.
func (p *paramReader) when(k string, endOfDay bool) *time.Time {
	v, ok := p.get(k)
	if !ok {
		return nil
	}
	if d, e := content.ParseDate(v); e == nil && len(v) == len("2006-01-02") {
		t := d.Start()
		if endOfDay {
			t = d.End().Add(-time.Millisecond)
		}
		return &t
	}
	t, e := content.ParseDateTime(v)
	if e != nil {
		p.err = content.Invalidf(k, "%s must be a day (2023-02-06) or a date-time with an offset (2023-02-06T09:00:00+01:00), not %q", k, v)
		return nil
	}
	return &t
}

// enum reads an enum parameter, in lower or upper case.
func enum[T ~string](err *error, q url.Values, k string, all []T) *T {
	vs, ok := q[k]
	if !ok || *err != nil {
		return nil
	}
	v := T(strings.ToLower(strings.TrimSpace(vs[0])))
	if !slices.Contains(all, v) {
		names := make([]string, len(all))
		for i, a := range all {
			names[i] = string(a)
		}
		*err = content.Invalidf(k, "%s must be one of %s, not %q", k, strings.Join(names, ", "), vs[0])
		return nil
	}
	return &v
}

// Filename is the name an export is saved under: the entity, the edition
// and region or kind it is filtered on, and the extension, such as
// "estafette-activities-2023-zuid.csv".
func (r Request) Filename() string {
	parts := []string{"estafette", string(r.Entity)}
	add := func(s *string) {
		if s != nil {
			parts = append(parts, safeName(*s))
		}
	}
	switch r.Entity {
	case Activities:
		if y := r.Activities.EditionYear; y != nil {
			parts = append(parts, strconv.Itoa(*y))
		}
		add(r.Activities.RegionSlug)
		add(r.Activities.InitiativeSlug)
	case Initiatives:
		if y := r.Initiatives.EditionYear; y != nil {
			parts = append(parts, strconv.Itoa(*y))
		}
		add(r.Initiatives.RegionSlug)
	case Organizations:
		if k := r.Organizations.Kind; k != nil {
			parts = append(parts, string(*k))
		}
	}
	return fmt.Sprintf("%s.%s", strings.Join(parts, "-"), r.Format)
}

// safeName keeps the letters, digits and dashes of s, for a file name.
func safeName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '-' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "x"
	}
	return b.String()
}
