package content

import (
	"context"
	"time"
)

// TimeKey is the index value of an instant: UTC with a fixed width, so that
// byte order is time order in every backend.
func TimeKey(t time.Time) string { return timeKey(t) }

// AuditDoc builds the audit entry of a change to a record that is not
// content (such as an API key), attributed to the caller of ctx.
func AuditDoc(ctx context.Context, at time.Time, action string, kind Kind, id, name string) (Doc, error) {
	v := ViewerFrom(ctx)
	e := AuditEntry{ID: OrderedID(at), At: at.UTC(), Actor: v.Actor, Role: v.Role, Action: action,
		RecordKind: kind, RecordID: id, Slug: name, ChangedFields: []string{}}
	if e.Actor == "" {
		e.Actor = "system"
	}
	return EncodeAudit(e)
}
