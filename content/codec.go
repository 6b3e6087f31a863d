package content

import (
	"encoding/json"
	"fmt"
)

// Encode turns a record into the document a backend stores.
func Encode(r Record) (Doc, error) {
	m := r.meta()
	body, err := json.Marshal(r)
	if err != nil {
		return Doc{}, fmt.Errorf("encode %s %s: %w", r.RecordKind(), m.ID, err)
	}
	f := r.fields()
	if m.Slug != "" {
		f["slug"] = []string{m.Slug}
	}
	f["status"] = []string{string(m.Status)}
	if m.DeletedAt != nil {
		f["status"] = []string{StatusDeleted}
	}
	f["version"] = []string{VersionKey(m.Version)}
	f["updatedKey"] = []string{timeKey(m.UpdatedAt)}
	if m.Schedule != nil && m.DeletedAt == nil {
		f["scheduleKey"] = []string{timeKey(m.Schedule.At)}
	}
	if m.Synthetic {
		f["synthetic"] = []string{syntheticKey}
	}
	return Doc{Kind: r.RecordKind(), ID: m.ID, Body: body, Fields: f}, nil
}

// VersionKey is the index value of a record version: fixed width, so that
// stores compare versions as strings.
func VersionKey(v int64) string { return fmt.Sprintf("%012d", v) }

// afterDecoder is a record that links its embedded parts after decoding.
type afterDecoder interface{ afterDecode() }

// decode reads a stored document into a new record of type T.
func decode[T any, P interface {
	*T
	Record
}](d Doc) (P, error) {
	p := P(new(T))
	if err := json.Unmarshal(d.Body, p); err != nil {
		return nil, fmt.Errorf("decode %s %s: %w", d.Kind, d.ID, err)
	}
	if a, ok := any(p).(afterDecoder); ok {
		a.afterDecode()
	}
	return p, nil
}

// Decode reads a stored document into a new record of the document's kind.
func Decode(d Doc) (Record, error) {
	switch d.Kind {
	case KindEdition:
		return decode[Edition](d)
	case KindRegion:
		return decode[Region](d)
	case KindInitiative:
		return decode[Initiative](d)
	case KindActivity:
		return decode[Activity](d)
	case KindOrganization:
		return decode[Organization](d)
	case KindTheme:
		return decode[Theme](d)
	case KindRecap:
		return decode[Recap](d)
	}
	return nil, fmt.Errorf("decode: unknown kind %q", d.Kind)
}
