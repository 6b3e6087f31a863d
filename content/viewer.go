package content

import "context"

// Role is what an API key may do. Each role includes the ones before it.
type Role string

// The roles, from least to most.
const (
	RoleReader Role = "reader" // may preview drafts
	RoleEditor Role = "editor" // may write content
	RoleAdmin  Role = "admin"  // may manage keys, restore deletions, read the audit log
)

// Roles lists every role, from least to most.
var Roles = []Role{RoleReader, RoleEditor, RoleAdmin}

// rank orders the roles; anonymous callers rank 0.
func (r Role) rank() int {
	switch r {
	case RoleReader:
		return 1
	case RoleEditor:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// Includes reports whether role r may do what role other may.
func (r Role) Includes(other Role) bool { return r.rank() >= other.rank() }

// ParseRole reads a role name.
func ParseRole(s string) (Role, bool) {
	for _, r := range Roles {
		if string(r) == s {
			return r, true
		}
	}
	return "", false
}

// Viewer describes the caller of a request: who it is (for the audit log),
// what its key may do, and whether it asked to see drafts.
type Viewer struct {
	// Actor names the caller in the audit log: the API key's name, or the
	// command line user. Empty for anonymous callers.
	Actor string
	// Role is the role of the caller's key; empty for anonymous callers.
	Role Role
	// Drafts is true when the caller may see, and asked to see,
	// unpublished content.
	Drafts bool
}

// Anonymous reports whether the caller has no key.
func (v Viewer) Anonymous() bool { return v.Role == "" }

// Require returns EUNAUTHORIZED for an anonymous caller and EFORBIDDEN for a
// caller whose role does not include role.
func (v Viewer) Require(role Role, what string) error {
	if v.Anonymous() {
		return Errorf(EUNAUTHORIZED, "%s needs an API key (Authorization: Bearer <key>) with the role %s or higher", what, role)
	}
	if !v.Role.Includes(role) {
		return Errorf(EFORBIDDEN, "%s needs the role %s or higher; this key (%s) has the role %s", what, role, v.Actor, v.Role)
	}
	return nil
}

type viewerKey struct{}

// WithViewer returns a context for a caller described by v.
func WithViewer(ctx context.Context, v Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// ViewerFrom returns the viewer of ctx; without one the caller is
// anonymous and sees published content only.
func ViewerFrom(ctx context.Context) Viewer {
	v, _ := ctx.Value(viewerKey{}).(Viewer)
	return v
}
