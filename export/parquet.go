package export

import (
	"bufio"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/snappy"

	"estafette/content"
)

// kind is the Parquet type of a column.
type kind int

// The Parquet types of the columns. Every column is optional (null where
// the text formats write null) except the lists, which are empty instead.
const (
	kindText      kind = iota // BYTE_ARRAY (STRING)
	kindInt                   // INT64
	kindBool                  // BOOLEAN
	kindDate                  // INT32 (DATE): days since 1970-01-01
	kindTimestamp             // INT64 (TIMESTAMP, microseconds, UTC)
	kindTextList              // LIST of STRING
	kindIntList               // LIST of INT64: years given as text elsewhere
)

// parquetKinds gives the Parquet type of every column name of every
// entity (a name means the same in each entity that has it; a test holds
// every column to having one).
var parquetKinds = map[string]kind{
	"id": kindText, "slug": kindText, "type": kindText, "status": kindText,
	"edition": kindInt, "region": kindText, "region_name": kindText,
	"initiative": kindText, "initiative_name": kindText,
	"title_nl": kindText, "title_en": kindText, "summary_nl": kindText, "summary_en": kindText,
	"name": kindText, "name_nl": kindText, "name_en": kindText,
	"description_nl": kindText, "description_en": kindText,
	"starts_on": kindDate, "ends_on": kindDate,
	"starts_at": kindTimestamp, "ends_at": kindTimestamp, "updated_at": kindTimestamp,
	"format": kindText, "mode": kindText, "kind": kindText,
	"venue_name": kindText, "venue_city": kindText, "city": kindText,
	"province": kindText, "province_name": kindText,
	"organizers": kindTextList, "organizer_names": kindTextList,
	"themes": kindTextList, "theme_names": kindTextList, "audiences": kindTextList,
	"regions": kindTextList, "organizations": kindTextList, "organization_names": kindTextList,
	"editions":         kindIntList,
	"registration_url": kindText, "website": kindText,
	"interactive": kindBool, "synthetic": kindBool,
}

// RowsPerGroup is the number of rows in a Parquet row group: an export
// holds at most this many rows in memory before it writes them out.
const RowsPerGroup = 10_000

// parquetEncoder writes rows as a Parquet file, a row group at a time.
type parquetEncoder struct {
	w       io.Writer
	buf     *bufio.Writer
	pw      *parquet.Writer
	rec     reflect.Value // the struct each row is set into
	columns []string
	kinds   []kind
}

// ParquetSchema returns the Parquet schema of an export with the given
// columns, in their order, and the Go struct type its rows are read into
// and written from (fields F0, F1, … in column order).
func ParquetSchema(columns []string) (*parquet.Schema, reflect.Type, error) {
	fields := make([]reflect.StructField, len(columns))
	for i, name := range columns {
		k, ok := parquetKinds[name]
		if !ok {
			return nil, nil, fmt.Errorf("export: column %s has no Parquet type", name)
		}
		var typ reflect.Type
		tag := name + ",optional"
		switch k {
		case kindText:
			typ = reflect.TypeFor[*string]()
		case kindInt:
			typ = reflect.TypeFor[*int64]()
		case kindBool:
			typ = reflect.TypeFor[*bool]()
		case kindDate:
			typ, tag = reflect.TypeFor[*int32](), name+",optional,date"
		case kindTimestamp:
			typ, tag = reflect.TypeFor[*time.Time](), name+",timestamp(microsecond)"
		case kindTextList:
			typ, tag = reflect.TypeFor[[]string](), name+",list"
		case kindIntList:
			typ, tag = reflect.TypeFor[[]int64](), name+",list"
		}
		fields[i] = reflect.StructField{Name: "F" + strconv.Itoa(i), Type: typ, Tag: reflect.StructTag(`parquet:"` + tag + `"`)}
	}
	t := reflect.StructOf(fields)
	return parquet.SchemaOf(reflect.New(t).Interface()), t, nil
}

func newParquetEncoder(w io.Writer, columns []string) (*parquetEncoder, error) {
	schema, t, err := ParquetSchema(columns)
	if err != nil {
		return nil, err
	}
	e := &parquetEncoder{w: w, buf: bufio.NewWriterSize(w, 64<<10), columns: columns, rec: reflect.New(t)}
	for _, c := range columns {
		e.kinds = append(e.kinds, parquetKinds[c])
	}
	e.pw = parquet.NewWriter(e.buf, schema,
		parquet.Compression(&snappy.Codec{}),
		parquet.MaxRowsPerRowGroup(RowsPerGroup),
		parquet.CreatedBy("estafette", "", ""))
	return e, nil
}

func (e *parquetEncoder) row(vals []any) error {
	s := e.rec.Elem()
	for i, v := range vals {
		f := s.Field(i)
		f.SetZero()
		if v == nil {
			continue
		}
		if err := setParquet(f, e.kinds[i], v); err != nil {
			return fmt.Errorf("export: column %s: %w", e.columns[i], err)
		}
	}
	return e.pw.Write(e.rec.Interface())
}

// setParquet sets field f of kind k to the value v of a column.
func setParquet(f reflect.Value, k kind, v any) error {
	switch k {
	case kindText:
		if s, ok := v.(string); ok {
			f.Set(reflect.ValueOf(&s))
			return nil
		}
	case kindInt:
		if n, ok := v.(int); ok {
			n64 := int64(n)
			f.Set(reflect.ValueOf(&n64))
			return nil
		}
	case kindBool:
		if b, ok := v.(bool); ok {
			f.Set(reflect.ValueOf(&b))
			return nil
		}
	case kindDate:
		if d, ok := v.(content.Date); ok {
			days := int32(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix() / 86400)
			f.Set(reflect.ValueOf(&days))
			return nil
		}
	case kindTimestamp:
		if t, ok := v.(time.Time); ok {
			t = t.UTC()
			f.Set(reflect.ValueOf(&t))
			return nil
		}
	case kindTextList:
		if l, ok := v.([]string); ok {
			f.Set(reflect.ValueOf(l))
			return nil
		}
	case kindIntList:
		if l, ok := v.([]string); ok {
			ns := make([]int64, len(l))
			for i, s := range l {
				n, err := strconv.ParseInt(s, 10, 64)
				if err != nil {
					return fmt.Errorf("%q is not a number", s)
				}
				ns[i] = n
			}
			f.Set(reflect.ValueOf(ns))
			return nil
		}
	}
	return fmt.Errorf("a %T does not fit a Parquet column of kind %d", v, k)
}

// flush sends the row groups written so far on to w (a row group is
// written out when it is full, so memory stays bounded by RowsPerGroup).
func (e *parquetEncoder) flush() error {
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

// close writes the last row group and the footer.
func (e *parquetEncoder) close() error {
	if err := e.pw.Close(); err != nil {
		return err
	}
	return e.flush()
}
