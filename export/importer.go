// The import side of the file shape: this file reads import files in the
// shapes the exports write (see docs/analytics.md for the columns): a JSON
// array or NDJSON stream of objects, or CSV with a header row (plain, or
// as ?excel=1 writes it: a byte order mark, ";" between fields, CRLF, and
// a "'" before a cell a spreadsheet would run as a formula), one record
// per object or row, with references by slug and editions by year. It
// turns each record into a content.ImportItem; content.Catalog.Import
// validates and writes them.
//
// The kind of every record comes from its "type" field or column
// (activity, initiative, organization: every export writes it), else from
// the kind the caller names (the CLI takes it from --type or from a file
// name containing activities, initiatives or organizations, such as the
// browser's estafette-activities-2023.csv), else from its columns, which
// differ per kind (title_nl: an activity; name_nl: an initiative; name: an
// organisation). Columns that an export adds for people (names next to
// slugs, ids, update times) are ignored; any other unknown column is a
// problem, so that a misspelt column is not silently dropped. List columns
// are JSON arrays or, as in CSV, strings joined with "|". Every problem of
// every record is reported, not only the first of a record.

package export

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"estafette/content"
)

// Kinds are the kinds an import file can hold, by the names files use.
var Kinds = map[string]content.Kind{
	"activity": content.KindActivity, "activities": content.KindActivity,
	"initiative": content.KindInitiative, "initiatives": content.KindInitiative,
	"organization": content.KindOrganization, "organizations": content.KindOrganization,
}

// MaxRecords bounds the size of one import.
const MaxRecords = 100000

// Read parses a JSON array, an NDJSON stream or a CSV file (with a header
// row, separated by "," or ";", with or without a byte order mark) of
// records. kind is the kind of records without a "type" field ("": tell
// it from the columns of each record). Problems
// with single records are returned as problems, not as an error; the error
// is for a file that cannot be read at all. Records with problems are among
// the items as far as they could be read: callers must not write when there
// are problems.
func Read(r io.Reader, kind content.Kind) ([]content.ImportItem, []content.ImportProblem, error) {
	br := bufio.NewReader(r)
	first, err := peekNonSpace(br)
	if err == io.EOF {
		return nil, nil, fmt.Errorf("the file is empty")
	}
	if err != nil {
		return nil, nil, err
	}
	var items []content.ImportItem
	var problems []content.ImportProblem
	add := func(where string, raw json.RawMessage, cols map[string]json.RawMessage) error {
		if len(items)+len(problems) >= MaxRecords {
			return fmt.Errorf("the file has more than %d records; split it", MaxRecords)
		}
		rec, fields, ps := decode(where, raw, cols, kind)
		problems = append(problems, ps...)
		// A record with problems is kept too, so that the domain's checks
		// report its other problems; with any problem nothing is written.
		if rec != nil {
			items = append(items, content.ImportItem{Where: where, Record: rec, Fields: fields})
		}
		return nil
	}
	if first == '[' {
		dec := json.NewDecoder(br)
		var all []json.RawMessage
		if err := dec.Decode(&all); err != nil {
			return nil, nil, fmt.Errorf("the file is not a JSON array of objects: %v", err)
		}
		for i, raw := range all {
			if err := add(fmt.Sprintf("[%d]", i), raw, nil); err != nil {
				return nil, nil, err
			}
		}
		return items, problems, nil
	}
	if first != '{' {
		bad := func(where, message string) {
			problems = append(problems, content.ImportProblem{Where: where, Message: message})
		}
		if err := readCSV(br, add, bad); err != nil {
			return nil, nil, err
		}
		return items, problems, nil
	}
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 64*1024), 4<<20)
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		if err := add(fmt.Sprintf("line %d", line), append(json.RawMessage(nil), b...), nil); err != nil {
			return nil, nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("cannot read the file: %v", err)
	}
	return items, problems, nil
}

func peekNonSpace(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.Peek(1)
		if err != nil {
			return 0, err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n', 0xEF, 0xBB, 0xBF: // whitespace, or a UTF-8 byte order mark
			_, _ = br.ReadByte()
			continue
		}
		return b[0], nil
	}
}

// row reads the columns of one record and remembers the problems.
type row struct {
	where    string
	cols     map[string]json.RawMessage
	used     map[string]bool
	problems []content.ImportProblem
}

func (r *row) bad(field, format string, args ...any) {
	r.problems = append(r.problems, content.ImportProblem{Where: r.where, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (r *row) raw(name string) (json.RawMessage, bool) {
	r.used[name] = true
	v, ok := r.cols[name]
	if !ok || string(v) == "null" {
		return nil, false
	}
	return v, true
}

func (r *row) str(name string) string {
	v, ok := r.raw(name)
	if !ok {
		return ""
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		r.bad(name, "must be a string")
	}
	return strings.TrimSpace(s)
}

func (r *row) strPtr(name string) *string {
	if s := r.str(name); s != "" {
		return &s
	}
	return nil
}

func (r *row) text(prefix string) content.Text {
	return content.Text{NL: r.str(prefix + "_nl"), EN: r.str(prefix + "_en")}
}

func (r *row) list(name string) []string {
	v, ok := r.raw(name)
	if !ok {
		return nil
	}
	var xs []any
	if json.Unmarshal(v, &xs) == nil {
		out := make([]string, 0, len(xs))
		for i, x := range xs {
			switch t := x.(type) {
			case string:
				out = append(out, strings.TrimSpace(t))
			case float64:
				out = append(out, strconv.FormatFloat(t, 'f', -1, 64))
			default:
				r.bad(fmt.Sprintf("%s[%d]", name, i), "must be a string")
			}
		}
		return out
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		r.bad(name, "must be a list of strings, or strings joined with |")
		return nil
	}
	var out []string
	for p := range strings.SplitSeq(s, "|") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (r *row) integer(name string) (int, bool) {
	v, ok := r.raw(name)
	if !ok {
		return 0, false
	}
	var n int
	if err := json.Unmarshal(v, &n); err != nil {
		var s string
		if json.Unmarshal(v, &s) != nil {
			r.bad(name, "must be a whole number")
			return 0, false
		}
		if n, err = strconv.Atoi(strings.TrimSpace(s)); err != nil {
			r.bad(name, "must be a whole number")
			return 0, false
		}
	}
	return n, true
}

func (r *row) boolean(name string) *bool {
	v, ok := r.raw(name)
	if !ok {
		return nil
	}
	var b bool
	if err := json.Unmarshal(v, &b); err != nil {
		var s string
		_ = json.Unmarshal(v, &s)
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true", "1", "yes", "ja":
			b = true
		case "false", "0", "no", "nee", "":
		default:
			r.bad(name, "must be true or false")
			return nil
		}
	}
	return &b
}

func (r *row) date(name string) *content.Date {
	s := r.str(name)
	if s == "" {
		return nil
	}
	d, err := content.ParseDate(s)
	if err != nil {
		r.bad(name, "%v", err)
		return nil
	}
	return &d
}

func (r *row) dateTime(name string) *time.Time {
	s := r.str(name)
	if s == "" {
		return nil
	}
	t, err := content.ParseDateTime(s)
	if err != nil {
		r.bad(name, "%v", err)
		return nil
	}
	return &t
}

func (r *row) status() content.Status {
	switch s := r.str("status"); s {
	case "", "draft":
		return content.StatusDraft
	case "published":
		return content.StatusPublished
	default:
		r.bad("status", "%q is not a status; use published or draft", s)
		return ""
	}
}

func (r *row) sources() []content.Source {
	v, ok := r.raw("sources")
	if !ok {
		return nil
	}
	var in []struct {
		Title       string  `json:"title"`
		URL         *string `json:"url"`
		Publisher   *string `json:"publisher"`
		PublishedOn *string `json:"publishedOn"`
	}
	if err := json.Unmarshal(v, &in); err != nil {
		r.bad("sources", "must be a list of {title, url, publisher, publishedOn}")
		return nil
	}
	out := make([]content.Source, 0, len(in))
	for i, s := range in {
		src := content.Source{Title: s.Title, URL: s.URL, Publisher: s.Publisher}
		if s.PublishedOn != nil && *s.PublishedOn != "" {
			d, err := content.ParseDate(*s.PublishedOn)
			if err != nil {
				r.bad(fmt.Sprintf("sources[%d].publishedOn", i), "%v", err)
			}
			src.PublishedOn = &d
		}
		out = append(out, src)
	}
	return out
}

// ignored are the columns an export adds for people; an import skips them.
var ignored = map[string]bool{"id": true, "type": true, "updated_at": true, "region_name": true, "initiative_name": true,
	"province_name": true, "organizer_names": true, "theme_names": true, "organization_names": true}

// paths maps the columns of the exports to the fields of the records they
// set, as JSON paths of the stored record.
var paths = map[string]string{
	"slug": "slug", "status": "status", "sources": "sources", "edition": "edition", "region": "region",
	"initiative": "initiative", "title_nl": "title.nl", "title_en": "title.en", "summary_nl": "summary.nl",
	"summary_en": "summary.en", "starts_on": "startsOn", "ends_on": "endsOn", "starts_at": "startsAt", "ends_at": "endsAt",
	"format": "format", "mode": "mode", "venue_name": "venue.name", "venue_city": "venue.city", "province": "venue.province",
	"venue_organization": "venue.organization", "organizers": "organizers", "themes": "themes", "audiences": "audiences",
	"registration_url": "registrationUrl", "interactive": "interactive", "synthetic": "synthetic",
	"name_nl": "name.nl", "name_en": "name.en", "editions": "editions", "regions": "regions",
	"organizations": "organizations", "website": "website", "name": "name", "kind": "kind", "city": "city",
	"description_nl": "description.nl", "description_en": "description.en",
}

// decode reads one record, given as a JSON object (raw) or as the cells of
// a CSV row (cols, each a JSON string or null); it also returns the fields
// the record gives, so that an import changes only those of an existing
// record.
func decode(where string, raw json.RawMessage, cols map[string]json.RawMessage, kind content.Kind) (content.Record, []string, []content.ImportProblem) {
	r := &row{where: where, used: map[string]bool{}, cols: cols}
	if cols == nil {
		if err := json.Unmarshal(raw, &r.cols); err != nil || r.cols == nil {
			r.bad("", "not a JSON object")
			return nil, nil, r.problems
		}
	}
	if kind == "" {
		kind = kindFromColumns(r.cols)
	}
	if t := r.str("type"); t != "" {
		k, ok := Kinds[t]
		if !ok {
			r.bad("type", "%q is not a kind an import can hold; use activity, initiative or organization", t)
			return nil, nil, r.problems
		}
		kind = k
	}
	var rec content.Record
	switch kind {
	case content.KindActivity:
		rec = r.activity()
	case content.KindInitiative:
		rec = r.initiative()
	case content.KindOrganization:
		rec = r.organization()
	default:
		r.bad("type", "cannot tell the type of the record: give it a type column (activity, initiative or organization), or name it with --type or in the file name (activities.ndjson)")
		return nil, nil, r.problems
	}
	var fields []string
	names := make([]string, 0, len(r.cols))
	for name := range r.cols {
		names = append(names, name)
	}
	slices.Sort(names) // problems in a stable order
	for _, name := range names {
		switch {
		case r.used[name] && paths[name] != "":
			fields = append(fields, paths[name])
		case !r.used[name] && !ignored[name]:
			r.bad(name, "unknown column %q", name)
		}
	}
	return rec, fields, r.problems
}

func (r *row) meta() content.Meta {
	return content.Meta{Slug: r.str("slug"), Status: r.status(), Sources: r.sources()}
}

func (r *row) activity() *content.Activity {
	a := &content.Activity{Meta: r.meta(), Title: r.text("title"), Summary: r.text("summary")}
	if y, ok := r.integer("edition"); ok {
		a.EditionID = strconv.Itoa(y)
	}
	a.RegionID, a.InitiativeID = r.str("region"), r.str("initiative")
	a.OrganizerIDs, a.ThemeIDs = r.list("organizers"), r.list("themes")
	a.StartsOn, a.EndsOn = r.date("starts_on"), r.date("ends_on")
	a.StartsAt, a.EndsAt = r.dateTime("starts_at"), r.dateTime("ends_at")
	if s := r.str("format"); s != "" {
		f := content.Format(s)
		a.Format = &f
	}
	if s := r.str("mode"); s != "" {
		m := content.Mode(s)
		a.Mode = &m
	}
	venue := content.Venue{Name: r.strPtr("venue_name"), City: r.strPtr("venue_city"), ProvinceSlug: r.str("province"),
		OrganizationID: r.str("venue_organization")}
	if venue != (content.Venue{}) {
		a.Venue = &venue
	}
	for _, s := range r.list("audiences") {
		a.Audiences = append(a.Audiences, content.Audience(s))
	}
	a.RegistrationURL = r.strPtr("registration_url")
	a.Interactive = r.boolean("interactive")
	if b := r.boolean("synthetic"); b != nil {
		a.Synthetic = *b
	}
	return a
}

func (r *row) initiative() *content.Initiative {
	i := &content.Initiative{Meta: r.meta(), Name: r.text("name"), Summary: r.text("summary"),
		RegionIDs: r.list("regions"), ThemeIDs: r.list("themes"), OrganizationIDs: r.list("organizations"), Website: r.strPtr("website")}
	i.EditionIDs = r.list("editions")
	return i
}

func (r *row) organization() *content.Organization {
	o := &content.Organization{Meta: r.meta(), Name: r.str("name"), City: r.strPtr("city"), Website: r.strPtr("website"),
		Description: r.text("description")}
	if s := r.str("kind"); s != "" {
		k := content.OrganizationKind(s)
		o.Kind = &k
	}
	return o
}

// KindFromName returns the kind of the records of a file from its name:
// one containing activities, initiatives or organizations (or the
// singular, or organisation), such as estafette-activities-2023.csv, the
// name the browser gives an export. It returns "" when the name names no
// kind, or more than one.
func KindFromName(name string) content.Kind {
	base := strings.ToLower(filepath.Base(name))
	var found content.Kind
	for word, kind := range map[string]content.Kind{"activit": content.KindActivity, "initiative": content.KindInitiative,
		"organization": content.KindOrganization, "organisation": content.KindOrganization} {
		if strings.Contains(base, word) {
			if found != "" && found != kind {
				return ""
			}
			found = kind
		}
	}
	return found
}

// kindColumns are, per kind, the columns that only records of that kind
// have in the exports.
var kindColumns = map[content.Kind][]string{
	content.KindActivity:     {"title_nl", "title_en", "starts_on", "ends_on", "starts_at", "ends_at", "initiative", "organizers", "venue_name", "venue_city"},
	content.KindInitiative:   {"name_nl", "name_en", "editions", "regions", "organizations"},
	content.KindOrganization: {"name", "kind", "city", "description_nl", "description_en"},
}

// kindFromColumns returns the one kind whose own columns the record has,
// or "" when it has those of none or of several.
func kindFromColumns(cols map[string]json.RawMessage) content.Kind {
	var found content.Kind
	for kind, names := range kindColumns {
		if slices.ContainsFunc(names, func(n string) bool { _, ok := cols[n]; return ok }) {
			if found != "" {
				return ""
			}
			found = kind
		}
	}
	return found
}

// readCSV reads a CSV file with a header row, separated by "," or by ";"
// (whichever the header has more of), and hands every row to add as its
// cells: a JSON string per cell, null for an empty one (an unknown value,
// as the exports write it), keyed by the header. A leading "'" before =,
// +, -, @, tab or CR is dropped: the Excel export adds it so that a
// spreadsheet does not run the cell as a formula. A row with another
// number of cells than the header is a problem (bad). Rows are named by their
// line in the file ("line 2" is the first record).
func readCSV(br *bufio.Reader, add func(where string, raw json.RawMessage, cols map[string]json.RawMessage) error, bad func(where, message string)) error {
	head, _ := br.Peek(4096) // the header row, or as much of it as the file has
	if i := bytes.IndexAny(head, "\r\n"); i >= 0 {
		head = head[:i]
	}
	cr := csv.NewReader(br)
	if bytes.Count(head, []byte(";")) > bytes.Count(head, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("the file is not JSON, NDJSON or CSV with a header row: %v", err)
	}
	for i, h := range header {
		header[i] = strings.TrimSpace(h)
	}
	for {
		cells, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("the file is not valid CSV: %v", err)
		}
		line, _ := cr.FieldPos(0)
		where := fmt.Sprintf("line %d", line)
		if len(cells) == 1 && strings.TrimSpace(cells[0]) == "" {
			continue // an empty line
		}
		if len(cells) != len(header) {
			bad(where, fmt.Sprintf("the row has %d cells and the header %d", len(cells), len(header)))
			continue
		}
		cols := make(map[string]json.RawMessage, len(header))
		for i, c := range cells {
			if len(c) > 1 && c[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(c[1])) {
				c = c[1:]
			}
			if strings.TrimSpace(c) == "" {
				cols[header[i]] = json.RawMessage("null")
				continue
			}
			v, _ := json.Marshal(c)
			cols[header[i]] = v
		}
		if err := add(where, nil, cols); err != nil {
			return err
		}
	}
}

// MergeProblems returns the problems Read found in a file (read) and those
// content.Catalog.Import found in its records (checked) as one report, in
// the order of the file (by line or index, a record's reading problems
// first). A problem of checked on a field that read already reported for
// the same record is left out: it follows from the first (a bad date that
// could not be read is also a missing date).
func MergeProblems(read, checked []content.ImportProblem) []content.ImportProblem {
	seen := map[[2]string]bool{}
	for _, p := range read {
		seen[[2]string{p.Where, p.Field}] = true
		if path := paths[p.Field]; path != "" {
			seen[[2]string{p.Where, path}] = true
		}
	}
	out := slices.Clone(read)
	for _, p := range checked {
		if !seen[[2]string{p.Where, p.Field}] {
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b content.ImportProblem) int { return position(a.Where) - position(b.Where) })
	if out == nil {
		out = []content.ImportProblem{}
	}
	return out
}

// position is the number in a problem's place ("line 3", "[2]"), -1 for
// none.
func position(where string) int {
	digits := strings.TrimFunc(where, func(r rune) bool { return r < '0' || r > '9' })
	n, err := strconv.Atoi(digits)
	if err != nil {
		return -1
	}
	return n
}
