package seed

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"estafette/content"
)

// A leaf is one set field value of a seed record.
type leaf struct {
	// path names the field by its Go field names, from the record down:
	// "Legs.4.OrganizerIDs". A list of records or structs counts its
	// elements from 1; a list of plain values is one path with many leaves.
	path string
	// value is the value as text: a string as is, a date as YYYY-MM-DD, a
	// time in RFC 3339 (Amsterdam), a bool or number in Go syntax; for a
	// content.Text, its Dutch text.
	value string
	// text is set for a content.Text.
	text *content.Text
	// plain is set for a field of Go type string (not an id, an enum or a
	// URL): names, cities.
	plain bool
}

// catalogueFields are the fields a seed record has as a record of this
// catalogue, not as a fact about the event: its metadata (the sources are
// checked on their own), the time the catalogue published a recap, and
// whether a theme is one of the catalogue's own categories (the 2024
// themes: the catalogue's grouping, not a name the sources give).
// Derived back-references (fields not stored, json:"-": a leg's edition, a
// province's region) are skipped too.
var catalogueFields = map[string]bool{
	"Meta":            true,
	"PublishedAt":     true,
	"CatalogCategory": true,
}

// leaves returns every set field of r: nil pointers, empty strings and
// lists, zero numbers and false are not set.
func leaves(r content.Record) []leaf {
	var out []leaf
	v := reflect.ValueOf(r).Elem()
	walk(v, "", true, &out)
	return out
}

var (
	textType = reflect.TypeFor[content.Text]()
	dateType = reflect.TypeFor[content.Date]()
	timeType = reflect.TypeFor[time.Time]()
)

func walk(v reflect.Value, path string, top bool, out *[]leaf) {
	add := func(s string, plain bool) { *out = append(*out, leaf{path: path, value: s, plain: plain}) }
	switch v.Type() {
	case textType:
		t := v.Interface().(content.Text)
		if !t.IsZero() {
			*out = append(*out, leaf{path: path, value: t.NL, text: &t})
		}
		return
	case dateType:
		if !v.IsZero() {
			add(v.Interface().(content.Date).String(), false)
		}
		return
	case timeType:
		if !v.IsZero() {
			add(content.FormatDateTime(v.Interface().(time.Time)), false)
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			walk(v.Elem(), path, false, out)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || (top && catalogueFields[f.Name]) || f.Tag.Get("json") == "-" {
				continue
			}
			p := f.Name
			if path != "" {
				p = path + "." + f.Name
			}
			walk(v.Field(i), p, false, out)
		}
	case reflect.Slice:
		for i := range v.Len() {
			e := v.Index(i)
			if k := e.Kind(); k == reflect.Struct || k == reflect.Pointer {
				walk(e, path+"."+strconv.Itoa(i+1), false, out)
			} else {
				walk(e, path, false, out)
			}
		}
	case reflect.String:
		if s := v.String(); s != "" {
			name := path[strings.LastIndex(path, ".")+1:]
			add(s, v.Type() == reflect.TypeFor[string]() && !strings.HasSuffix(name, "ID") && !strings.HasSuffix(name, "IDs") && name != "Website" && !strings.HasSuffix(name, "URL") && name != "ProvinceSlug")
		}
	case reflect.Bool:
		if v.Bool() {
			add("true", false)
		}
	case reflect.Int, reflect.Int64:
		if v.Int() != 0 {
			add(strconv.FormatInt(v.Int(), 10), false)
		}
	default:
		panic(fmt.Sprintf("leaves: %s has unexpected kind %s", path, v.Kind()))
	}
}
