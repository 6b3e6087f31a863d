package mongodb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/x/bsonx/bsoncore"
)

// appendJSONElement appends the JSON value in data as the BSON element key
// of a document under construction. Objects become documents with their
// keys in order, arrays become arrays, integers that fit become int32 or
// int64, other numbers doubles.
func appendJSONElement(dst []byte, key string, data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return dst, fmt.Errorf("body is not JSON: %w", err)
	}
	if dst, err = appendJSONToken(dst, key, dec, tok); err != nil {
		return dst, fmt.Errorf("body is not JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return dst, errors.New("body is not JSON: data after the value")
	}
	return dst, nil
}

// appendJSONToken appends the value that starts with tok.
func appendJSONToken(dst []byte, key string, dec *json.Decoder, tok json.Token) ([]byte, error) {
	switch t := tok.(type) {
	case json.Delim:
		var idx int32
		switch t {
		case '{':
			idx, dst = bsoncore.AppendDocumentElementStart(dst, key)
			for {
				kt, err := dec.Token()
				if err != nil {
					return dst, err
				}
				if kt == json.Delim('}') {
					break
				}
				k, ok := kt.(string)
				if !ok {
					return dst, fmt.Errorf("unexpected %v", kt)
				}
				if strings.IndexByte(k, 0) >= 0 {
					return dst, fmt.Errorf("key %q cannot be stored in BSON", k)
				}
				vt, err := dec.Token()
				if err != nil {
					return dst, err
				}
				if dst, err = appendJSONToken(dst, k, dec, vt); err != nil {
					return dst, err
				}
			}
		case '[':
			idx, dst = bsoncore.AppendArrayElementStart(dst, key)
			for i := 0; ; i++ {
				vt, err := dec.Token()
				if err != nil {
					return dst, err
				}
				if vt == json.Delim(']') {
					break
				}
				if dst, err = appendJSONToken(dst, strconv.Itoa(i), dec, vt); err != nil {
					return dst, err
				}
			}
		default:
			return dst, fmt.Errorf("unexpected %v", t)
		}
		return bsoncore.AppendDocumentEnd(dst, idx)
	case string:
		return bsoncore.AppendStringElement(dst, key, t), nil
	case json.Number:
		if i, err := strconv.ParseInt(string(t), 10, 64); err == nil {
			if i >= math.MinInt32 && i <= math.MaxInt32 {
				return bsoncore.AppendInt32Element(dst, key, int32(i)), nil
			}
			return bsoncore.AppendInt64Element(dst, key, i), nil
		}
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil {
			return dst, fmt.Errorf("number %s: %w", t, err)
		}
		return bsoncore.AppendDoubleElement(dst, key, f), nil
	case bool:
		return bsoncore.AppendBooleanElement(dst, key, t), nil
	case nil:
		return bsoncore.AppendNullElement(dst, key), nil
	}
	return dst, fmt.Errorf("unexpected %v", tok)
}

// appendJSON appends the BSON value v as JSON. Besides the types that
// appendJSONElement writes, it accepts what an operator may have typed in
// a shell: dates become RFC 3339 strings, decimals numbers, object ids hex
// strings. Other BSON types are an error.
func appendJSON(dst []byte, v bsoncore.Value) ([]byte, error) {
	switch v.Type {
	case bsoncore.TypeEmbeddedDocument:
		elems, err := v.Document().Elements()
		if err != nil {
			return dst, err
		}
		dst = append(dst, '{')
		for i, e := range elems {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, e.Key())
			dst = append(dst, ':')
			if dst, err = appendJSON(dst, e.Value()); err != nil {
				return dst, err
			}
		}
		return append(dst, '}'), nil
	case bsoncore.TypeArray:
		vals, err := v.Array().Values()
		if err != nil {
			return dst, err
		}
		dst = append(dst, '[')
		for i, e := range vals {
			if i > 0 {
				dst = append(dst, ',')
			}
			if dst, err = appendJSON(dst, e); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	case bsoncore.TypeString:
		return appendJSONString(dst, v.StringValue()), nil
	case bsoncore.TypeInt32:
		return strconv.AppendInt(dst, int64(v.Int32()), 10), nil
	case bsoncore.TypeInt64:
		return strconv.AppendInt(dst, v.Int64(), 10), nil
	case bsoncore.TypeDouble:
		f := v.Double()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return dst, fmt.Errorf("the double %v has no JSON form", f)
		}
		return strconv.AppendFloat(dst, f, 'g', -1, 64), nil
	case bsoncore.TypeBoolean:
		return strconv.AppendBool(dst, v.Boolean()), nil
	case bsoncore.TypeNull, bsoncore.TypeUndefined:
		return append(dst, "null"...), nil
	case bsoncore.TypeDateTime:
		return appendJSONString(dst, v.Time().UTC().Format(time.RFC3339Nano)), nil
	case bsoncore.TypeDecimal128:
		h, l := v.Decimal128()
		s := bson.NewDecimal128(h, l).String()
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			return dst, fmt.Errorf("the decimal %s has no JSON form", s)
		}
		return append(dst, s...), nil
	case bsoncore.TypeObjectID:
		id := v.ObjectID()
		return appendJSONString(dst, bson.ObjectID(id).Hex()), nil
	}
	return dst, fmt.Errorf("BSON type %s has no JSON form", v.Type)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string. Invalid UTF-8 becomes
// U+FFFD, as encoding/json does.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
