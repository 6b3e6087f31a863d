// Package export owns the file shape of the catalogue, both ways: it
// streams activities, initiatives and organisations as CSV, NDJSON, JSON or
// Parquet (parquet.go),
// filtered as the API filters them, for analysts and spreadsheets, and it
// reads the same shape back for imports (importer.go).
//
// An export pages through the Catalog with keyset cursors, PageSize records
// at a time, and writes (and flushes) each page before reading the next, so
// its memory does not depend on the number of records. Records the caller
// may not see are never written; records they refer to that the caller may
// not see are left empty.
//
// The columns, their order and their formats are fixed (see Columns and
// docs/analytics.md): days are ISO 8601 (2023-02-06), instants RFC 3339 with
// the Amsterdam offset, lists are JSON arrays (joined with "|" in CSV), and
// unknown values are JSON null (an empty CSV cell). Texts are UTF-8.
//
// Handler serves GET /export/{entity}.{csv,ndjson,json,parquet}; the command line
// ("estafette export") calls Write.
package export

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"estafette/content"
)

// PageSize is the number of records an export reads at a time.
const PageSize = content.MaxPageSize

// Write writes the export r asks for to w and returns the number of
// records written. Nothing is written before the first page is read, so a
// bad filter (EINVALID) or a failing store leaves w untouched. When w has a
// Flush method (http.Flusher or one returning an error), it is called after
// every page. progress, when not nil, is called after every page with the
// records done and the total (counted once, before the first page).
func Write(ctx context.Context, cat *content.Catalog, w io.Writer, r Request, progress func(done, total int)) (int, error) {
	switch r.Entity {
	case Activities:
		res := newResolver(cat)
		return stream(ctx, w, r, activityColumns, progress,
			func(ctx context.Context, p content.PageArgs) (*content.Page[*content.Activity], error) {
				return cat.ListActivities(ctx, r.Activities, content.Order[content.ActivityOrderField]{}, p)
			}, res.activityRows)
	case Initiatives:
		res := newResolver(cat)
		return stream(ctx, w, r, initiativeColumns, progress,
			func(ctx context.Context, p content.PageArgs) (*content.Page[*content.Initiative], error) {
				return cat.ListInitiatives(ctx, r.Initiatives, p)
			}, res.initiativeRows)
	case Organizations:
		return stream(ctx, w, r, organizationColumns, progress,
			func(ctx context.Context, p content.PageArgs) (*content.Page[*content.Organization], error) {
				return cat.ListOrganizations(ctx, r.Organizations, p)
			}, func(_ context.Context, os []*content.Organization) ([]*content.Organization, error) { return os, nil })
	}
	return 0, content.Invalidf("entity", "%q cannot be exported", r.Entity)
}

// stream pages through a list, turns each page into rows and writes them.
func stream[T, R any](ctx context.Context, w io.Writer, r Request, cols []column[R], progress func(done, total int),
	list func(context.Context, content.PageArgs) (*content.Page[T], error),
	rows func(context.Context, []T) ([]R, error),
) (int, error) {
	size := PageSize
	args := content.PageArgs{First: &size}
	page, err := list(ctx, args)
	if err != nil {
		return 0, err
	}
	total := -1
	if progress != nil {
		if total, err = page.TotalCount(ctx); err != nil {
			return 0, err
		}
		progress(0, total)
	}
	var enc rowWriter
	if r.Format == Parquet {
		if enc, err = newParquetEncoder(w, names(cols)); err != nil {
			return 0, err
		}
	} else {
		enc = newEncoder(w, r, names(cols))
	}
	done := 0
	for {
		rs, err := rows(ctx, page.Items)
		if err != nil {
			return done, err
		}
		for _, row := range rs {
			vals := make([]any, len(cols))
			for i, c := range cols {
				vals[i] = c.value(row)
			}
			if err := enc.row(vals); err != nil {
				return done, err
			}
			done++
		}
		if err := enc.flush(); err != nil {
			return done, err
		}
		if progress != nil {
			progress(done, total)
		}
		if !page.HasNextPage {
			break
		}
		if err := ctx.Err(); err != nil {
			return done, err
		}
		args.After = page.EndCursor()
		if page, err = list(ctx, args); err != nil {
			return done, err
		}
	}
	return done, enc.close()
}

func names[R any](cols []column[R]) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.name
	}
	return out
}

// rowWriter writes the rows of an export in one format: row after row,
// flush after every page, close after the last.
type rowWriter interface {
	row(vals []any) error
	flush() error
	close() error
}

// encoder writes rows in one of the text formats.
type encoder struct {
	w       io.Writer
	buf     *bufio.Writer
	format  Format
	excel   bool
	csv     *csv.Writer
	columns []string
	rows    int
	started bool
}

func newEncoder(w io.Writer, r Request, columns []string) *encoder {
	e := &encoder{w: w, buf: bufio.NewWriterSize(w, 32<<10), format: r.Format, excel: r.Excel, columns: columns}
	if r.Format == CSV {
		e.csv = csv.NewWriter(e.buf)
		if r.Excel {
			e.csv.Comma = ';'
			e.csv.UseCRLF = true
		}
	}
	return e
}

// start writes what comes before the first row.
func (e *encoder) start() error {
	if e.started {
		return nil
	}
	e.started = true
	switch e.format {
	case CSV:
		if e.excel {
			if _, err := e.buf.WriteString("\uFEFF"); err != nil {
				return err
			}
		}
		return e.csv.Write(e.columns)
	case JSON:
		_, err := e.buf.WriteString("[")
		return err
	}
	return nil
}

func (e *encoder) row(vals []any) error {
	if err := e.start(); err != nil {
		return err
	}
	e.rows++
	switch e.format {
	case CSV:
		cells := make([]string, len(vals))
		for i, v := range vals {
			cells[i] = e.cell(v)
		}
		return e.csv.Write(cells)
	case JSON:
		sep := ",\n"
		if e.rows == 1 {
			sep = "\n"
		}
		if _, err := e.buf.WriteString(sep); err != nil {
			return err
		}
		return e.object(vals)
	default:
		if err := e.object(vals); err != nil {
			return err
		}
		return e.buf.WriteByte('\n')
	}
}

// object writes one row as a JSON object with the keys in column order.
func (e *encoder) object(vals []any) error {
	e.buf.WriteByte('{')
	for i, v := range vals {
		if i > 0 {
			e.buf.WriteByte(',')
		}
		k, _ := json.Marshal(e.columns[i])
		e.buf.Write(k)
		e.buf.WriteByte(':')
		b, err := json.Marshal(textual(v))
		if err != nil {
			return fmt.Errorf("export: column %s: %w", e.columns[i], err)
		}
		e.buf.Write(b)
	}
	return e.buf.WriteByte('}')
}

// textual is a value as the text formats write it: a day as ISO 8601, an
// instant as RFC 3339 with the Amsterdam offset, anything else as it is.
func textual(v any) any {
	switch v := v.(type) {
	case content.Date:
		return v.String()
	case time.Time:
		return content.FormatDateTime(v)
	}
	return v
}

// cell writes a value as CSV text.
func (e *encoder) cell(v any) string {
	var s string
	switch v := textual(v).(type) {
	case nil:
		return ""
	case string:
		s = v
	case int:
		return strconv.Itoa(v)
	case bool:
		return strconv.FormatBool(v)
	case []string:
		s = strings.Join(v, "|")
	default:
		s = fmt.Sprint(v)
	}
	return Neutralize(s)
}

// formulaStart lists the characters with which a spreadsheet takes a cell
// for a formula (OWASP "CSV injection").
const formulaStart = "=+-@\t\r"

// Neutralize returns the text of a CSV cell so that a spreadsheet cannot
// run it as a formula: text starting with =, +, -, @, tab or CR gets an
// apostrophe before it, which makes it text. Every CSV export does this to
// its text cells (numbers are written as numbers and never get one).
// So that PlainCell can undo it without ambiguity, text that already
// starts with apostrophes before such a character gets one more.
func Neutralize(s string) string {
	if formulaAfterQuotes(s) {
		return "'" + s
	}
	return s
}

// PlainCell undoes Neutralize: it returns the text a CSV text cell had
// before the export, for whatever reads an export back.
func PlainCell(cell string) string {
	if strings.HasPrefix(cell, "'") && formulaAfterQuotes(cell) {
		return cell[1:]
	}
	return cell
}

// formulaAfterQuotes reports whether s, after its leading apostrophes,
// starts with a character of formulaStart.
func formulaAfterQuotes(s string) bool {
	t := strings.TrimLeft(s, "'")
	return t != "" && strings.IndexByte(formulaStart, t[0]) >= 0
}

// flush writes the buffered rows through to w and flushes w.
func (e *encoder) flush() error {
	if e.csv != nil {
		e.csv.Flush()
		if err := e.csv.Error(); err != nil {
			return err
		}
	}
	if err := e.buf.Flush(); err != nil {
		return err
	}
	switch f := e.w.(type) {
	case interface{ Flush() error }:
		return f.Flush()
	case interface{ Flush() }:
		f.Flush()
	}
	return nil
}

// close writes what comes after the last row.
func (e *encoder) close() error {
	if err := e.start(); err != nil {
		return err
	}
	if e.format == JSON {
		end := "\n]\n"
		if e.rows == 0 {
			end = "]\n"
		}
		if _, err := e.buf.WriteString(end); err != nil {
			return err
		}
	}
	return e.flush()
}
