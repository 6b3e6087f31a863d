package mongodb

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/x/bsonx/bsoncore"
)

// roundTrip stores a JSON body as the element "body" of a document and
// reads it back.
func roundTrip(t *testing.T, body string) string {
	t.Helper()
	idx, dst := bsoncore.AppendDocumentStart(nil)
	dst, err := appendJSONElement(dst, "body", []byte(body))
	if err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	dst, _ = bsoncore.AppendDocumentEnd(dst, idx)
	if err := bsoncore.Document(dst).Validate(); err != nil {
		t.Fatalf("%s: invalid BSON: %v", body, err)
	}
	out, err := appendJSON(nil, bsoncore.Document(dst).Lookup("body"))
	if err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	return string(out)
}

func TestBodyRoundTrip(t *testing.T) {
	for _, body := range []string{
		`{}`, `[]`, `"x"`, `1`, `null`, `true`,
		`{"id":"rt","title":{"nl":"Cliënten & zorg","en":"Clients"},"n":[1,2.5,null,true],"nested":{"a":{"b":"c"}}}`,
		`{"big":9007199254740993,"neg":-2147483649,"small":-2147483648,"f":1e300,"tiny":5e-324,"z":0,"negz":-0.5}`,
		`{"esc":"quote \" backslash \\ newline \n tab \t ctl \u0001 \u001f","uni":"日本語 \u2028 😀","html":"<a href='x'>&</a>"}`,
		`{"order":1,"matters":2,"a":3}`,
		`{"empty":"","arr":[[],[{}],{"x":[1]}]}`,
		`{"":"empty key","$dollar":1,"dot.ted":2}`,
	} {
		got := roundTrip(t, body)
		var want, have any
		json.Unmarshal([]byte(body), &want)
		if err := json.Unmarshal([]byte(got), &have); err != nil {
			t.Errorf("%s: read back invalid JSON %s: %v", body, got, err)
			continue
		}
		if !reflect.DeepEqual(want, have) {
			t.Errorf("round trip of %s gave %s", body, got)
		}
	}
	// Integers stay exact, and keys keep their order.
	if got := roundTrip(t, `{"b":9007199254740993,"a":-1}`); got != `{"b":9007199254740993,"a":-1}` {
		t.Errorf("got %s", got)
	}
}

func TestBodyNotJSON(t *testing.T) {
	for _, body := range []string{``, `{`, `{"a":}`, `{} {}`, `[1,]`, `{"a\u0000b":1}`} {
		if _, err := appendJSONElement(nil, "body", []byte(body)); err == nil {
			t.Errorf("%q: no error", body)
		}
	}
}

func TestBodyFromShellTypes(t *testing.T) {
	// What an operator may have written in a shell reads as JSON too.
	raw, err := bson.Marshal(bson.D{{Key: "body", Value: bson.D{
		{Key: "d", Value: bson.NewDateTimeFromTime(mustTime("2024-02-05T09:00:00Z"))},
		{Key: "oid", Value: bson.ObjectID{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}},
		{Key: "dec", Value: mustDecimal("12.50")},
		{Key: "i64", Value: int64(7)},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := appendJSON(nil, bsoncore.Document(raw).Lookup("body"))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"d":"2024-02-05T09:00:00Z","oid":"0102030405060708090a0b0c","dec":12.50,"i64":7}`
	if string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
	raw, _ = bson.Marshal(bson.D{{Key: "body", Value: bson.D{{Key: "re", Value: bson.Regex{Pattern: "x"}}}}})
	if _, err := appendJSON(nil, bsoncore.Document(raw).Lookup("body")); err == nil || !strings.Contains(err.Error(), "regex") {
		t.Errorf("a regex in a body: %v", err)
	}
}

func mustDecimal(s string) bson.Decimal128 {
	d, err := bson.ParseDecimal128(s)
	if err != nil {
		panic(err)
	}
	return d
}
