// Package people keeps the people who work in the editorial desk: their
// email address, name, role (the roles of API keys) and status (invited,
// active, disabled), their password as an argon2id hash with a salt of
// its own and the parameters stored with it, the one-time invitations to
// set a password (valid 24 hours, kept hashed), and the sessions of the
// desk (kept hashed in the store, so that every replica knows them;
// ended after 12 hours idle, at sign-out, and at once when the person is
// disabled).
//
// The management methods (List, Get, Find, Invite, Create, SetRole,
// Disable, Enable, NewInvitation) need an admin: the caller of ctx is a
// content.Viewer with the admin role (the desk's admin pages, or the
// command line through auth.CommandLine). Every write of a person is in
// the audit log under the caller, or, for what people do themselves
// (accepting an invitation), under the person's name.
package people

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"estafette/content"
)

// Status is where a person stands.
type Status string

// The statuses of a person.
const (
	StatusInvited  Status = "invited"  // has not set a password yet
	StatusActive   Status = "active"   // may sign in
	StatusDisabled Status = "disabled" // may not sign in; sessions ended
)

// Person is someone who may work in the desk. The password hash is never
// part of it.
type Person struct {
	ID        string       `json:"id"`
	Email     string       `json:"email"`
	Name      string       `json:"name"`
	Role      content.Role `json:"role"`
	Status    Status       `json:"status"`
	CreatedAt time.Time    `json:"createdAt"`
	CreatedBy string       `json:"createdBy"`
	UpdatedAt time.Time    `json:"updatedAt"`
	// HasPassword tells whether the person set a password (a person
	// signing in through the identity provider need not).
	HasPassword bool  `json:"-"`
	Version     int64 `json:"version"`
}

// Actor is the name the audit log gives the person's writes.
func (p *Person) Actor() string { return p.Name }

// stored is a person as the store keeps it.
type stored struct {
	Person
	PasswordHash string `json:"passwordHash,omitempty"`
}

// People manages the people, invitations and sessions in a store.
type People struct {
	store content.Store
	now   func() time.Time
}

// New returns the manager of the people in store.
func New(store content.Store) *People { return &People{store: store, now: time.Now} }

// SetClock makes p read the time from now (tests move it forward).
func (p *People) SetClock(now func() time.Time) { p.now = now }

// Now returns p's current time.
func (p *People) Now() time.Time { return p.now() }

// NormalizeEmail returns an email address as people are found by: without
// surrounding spaces, in lower case. It returns EINVALID on the field
// "email" for something that is not an address.
func NormalizeEmail(email string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(email))
	local, domain, ok := strings.Cut(e, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") || !strings.Contains(domain, ".") ||
		strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || len(e) > 254 ||
		strings.IndexFunc(e, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return "", content.Invalidf("email", "%q is not an email address such as naam@zonmw.nl", email)
	}
	return e, nil
}

// checkName cleans a person's name: 1 to 100 characters, no control
// characters or bidirectional overrides.
func checkName(name string) (string, error) {
	n := strings.Join(strings.Fields(name), " ")
	if n == "" || utf8.RuneCountInString(n) > 100 {
		return "", content.Invalidf("name", "a person needs a name of 1 to 100 characters")
	}
	for _, r := range n {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return "", content.Invalidf("name", "the name contains a character that is not text")
		}
	}
	return n, nil
}

func checkRole(role content.Role) error {
	if _, ok := content.ParseRole(string(role)); !ok {
		return content.Invalidf("role", "%q is not a role; use reader, editor or admin", role)
	}
	return nil
}

func requireAdmin(ctx context.Context, what string) error {
	return content.ViewerFrom(ctx).Require(content.RoleAdmin, what)
}

func actor(ctx context.Context) string {
	if a := content.ViewerFrom(ctx).Actor; a != "" {
		return a
	}
	return "system"
}

// List returns every person, by name.
func (p *People) List(ctx context.Context) ([]*Person, error) {
	if err := requireAdmin(ctx, "listing people"); err != nil {
		return nil, err
	}
	docs, err := p.store.Find(ctx, content.Query{Kind: KindPerson, Sort: []content.SortKey{{Field: "nameKey"}, {Field: "id"}}})
	if err != nil {
		return nil, err
	}
	out := make([]*Person, 0, len(docs))
	for _, d := range docs {
		s, err := decodePerson(d)
		if err != nil {
			return nil, err
		}
		out = append(out, &s.Person)
	}
	return out, nil
}

// Get returns the person with an id; ENOTFOUND when there is none.
func (p *People) Get(ctx context.Context, id string) (*Person, error) {
	if err := requireAdmin(ctx, "reading people"); err != nil {
		return nil, err
	}
	s, err := p.get(ctx, id)
	if err != nil {
		return nil, err
	}
	return &s.Person, nil
}

// Find returns the person with an id or an email address; ENOTFOUND when
// there is none.
func (p *People) Find(ctx context.Context, idOrEmail string) (*Person, error) {
	if err := requireAdmin(ctx, "reading people"); err != nil {
		return nil, err
	}
	if strings.Contains(idOrEmail, "@") {
		s, err := p.byEmail(ctx, idOrEmail)
		if err != nil {
			return nil, err
		}
		if s == nil {
			return nil, content.Errorf(content.ENOTFOUND, "nobody has the email address %q; users list shows who there is", idOrEmail)
		}
		return &s.Person, nil
	}
	return p.Get(ctx, idOrEmail)
}

// Invite adds a person who sets a password through a one-time link: it
// returns the person (invited) and the invitation's token, shown once
// (see InviteValidity). An email address that someone has already gives
// ECONFLICT.
func (p *People) Invite(ctx context.Context, email, name string, role content.Role) (*Person, string, error) {
	if err := requireAdmin(ctx, "inviting people"); err != nil {
		return nil, "", err
	}
	s, err := p.newPerson(ctx, email, name, role, StatusInvited)
	if err != nil {
		return nil, "", err
	}
	token, invite, err := p.newInvite(s.ID)
	if err != nil {
		return nil, "", err
	}
	if err := p.insert(ctx, s, "invite", invite); err != nil {
		return nil, "", err
	}
	return &s.Person, token, nil
}

// Create adds a person with a password, active at once (for scripts and
// tests; people usually get an invitation). The password must keep the
// rules (CheckPassword).
func (p *People) Create(ctx context.Context, email, name string, role content.Role, password string) (*Person, error) {
	if err := requireAdmin(ctx, "adding people"); err != nil {
		return nil, err
	}
	if err := CheckPassword(password); err != nil {
		return nil, err
	}
	s, err := p.newPerson(ctx, email, name, role, StatusActive)
	if err != nil {
		return nil, err
	}
	if s.PasswordHash, err = HashPassword(password); err != nil {
		return nil, err
	}
	s.HasPassword = true
	if err := p.insert(ctx, s, "create"); err != nil {
		return nil, err
	}
	return &s.Person, nil
}

// AutoCreate adds an active person without a password, who signs in
// through the identity provider: for OIDC_AUTO_CREATE_ROLE. The audit log
// has the person's own name as the actor. It needs no viewer: the caller
// (the sign-in) has checked the identity provider's verified address.
func (p *People) AutoCreate(ctx context.Context, email, name string, role content.Role) (*Person, error) {
	if role == content.RoleAdmin {
		return nil, content.Invalidf("role", "people are not made admins automatically")
	}
	if strings.TrimSpace(name) == "" {
		name, _, _ = strings.Cut(email, "@")
	}
	n, err := checkName(name)
	if err != nil {
		return nil, err
	}
	ctx = content.WithViewer(ctx, content.Viewer{Actor: n, Role: role})
	s, err := p.newPerson(ctx, email, n, role, StatusActive)
	if err != nil {
		return nil, err
	}
	if err := p.insert(ctx, s, "create"); err != nil {
		return nil, err
	}
	return &s.Person, nil
}

// newPerson checks and builds a new person.
func (p *People) newPerson(ctx context.Context, email, name string, role content.Role, status Status) (*stored, error) {
	e, err := NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	n, err := checkName(name)
	if err != nil {
		return nil, err
	}
	if err := checkRole(role); err != nil {
		return nil, err
	}
	now := p.now().UTC().Truncate(time.Millisecond)
	return &stored{Person: Person{ID: content.NewID(), Email: e, Name: n, Role: role, Status: status,
		CreatedAt: now, UpdatedAt: now, CreatedBy: actor(ctx), Version: 1}}, nil
}

// insert writes a new person with its audit entry and, optionally, an
// invitation, all or nothing.
func (p *People) insert(ctx context.Context, s *stored, action string, also ...content.Doc) error {
	doc, err := encodePerson(s)
	if err != nil {
		return err
	}
	audit, err := content.AuditDoc(ctx, s.CreatedAt, action, KindPerson, s.ID, s.Name)
	if err != nil {
		return err
	}
	writes := []content.Write{{Doc: doc, Also: []content.Doc{audit}}}
	for _, d := range also {
		writes = append(writes, content.Write{Doc: d})
	}
	if err := p.store.Apply(ctx, writes...); err != nil {
		if content.ErrorCode(err) == content.ECONFLICT {
			if other, _ := p.byEmail(ctx, s.Email); other != nil {
				return content.Errorf(content.ECONFLICT, "someone has the email address %s already", s.Email)
			}
		}
		return err
	}
	return nil
}

// SetRole gives a person another role. An admin cannot take the role
// away from the last active admin.
func (p *People) SetRole(ctx context.Context, id string, role content.Role) (*Person, error) {
	if err := requireAdmin(ctx, "changing roles"); err != nil {
		return nil, err
	}
	if err := checkRole(role); err != nil {
		return nil, err
	}
	return p.update(ctx, id, "set-role", func(s *stored) error {
		if s.Role == content.RoleAdmin && role != content.RoleAdmin && s.Status == StatusActive {
			if err := p.keepAnAdmin(ctx, s.ID); err != nil {
				return err
			}
		}
		s.Role = role
		return nil
	})
}

// Disable stops a person from signing in and ends every session of the
// person at once: the next request of any of them, on any replica, is
// refused. Disabling a disabled person changes nothing.
func (p *People) Disable(ctx context.Context, id string) (*Person, error) {
	if err := requireAdmin(ctx, "disabling people"); err != nil {
		return nil, err
	}
	person, err := p.update(ctx, id, "disable", func(s *stored) error {
		if s.Status == StatusDisabled {
			return errUnchanged
		}
		if s.Role == content.RoleAdmin && s.Status == StatusActive {
			if err := p.keepAnAdmin(ctx, s.ID); err != nil {
				return err
			}
		}
		s.Status = StatusDisabled
		return nil
	})
	if err != nil {
		return nil, err
	}
	return person, p.endSessionsOf(ctx, id)
}

// Enable lets a disabled person sign in again (or, without a password,
// set one through a new invitation). Enabling someone who is not
// disabled changes nothing.
func (p *People) Enable(ctx context.Context, id string) (*Person, error) {
	if err := requireAdmin(ctx, "enabling people"); err != nil {
		return nil, err
	}
	return p.update(ctx, id, "enable", func(s *stored) error {
		if s.Status != StatusDisabled {
			return errUnchanged
		}
		s.Status = StatusActive
		if s.PasswordHash == "" {
			s.Status = StatusInvited
		}
		return nil
	})
}

// keepAnAdmin returns ECONFLICT when the person with id is the last
// active admin.
func (p *People) keepAnAdmin(ctx context.Context, id string) error {
	n, err := p.store.Count(ctx, KindPerson, content.Eq("status", string(StatusActive)))
	if err != nil {
		return err
	}
	docs, err := p.store.Find(ctx, content.Query{Kind: KindPerson, Where: content.Eq("status", string(StatusActive)),
		Sort: []content.SortKey{{Field: "id"}}, Limit: n + 1})
	if err != nil {
		return err
	}
	for _, d := range docs {
		s, err := decodePerson(d)
		if err != nil {
			return err
		}
		if s.ID != id && s.Role == content.RoleAdmin {
			return nil
		}
	}
	return content.Errorf(content.ECONFLICT, "this is the last active admin; make someone else an admin first")
}

// errUnchanged tells update that there is nothing to write.
var errUnchanged = &content.Error{Code: "unchanged"}

// update changes a person with change and writes the result as its next
// version with an audit entry; a person changed meanwhile is read again
// and changed again (a few times), so two admins' changes both hold.
func (p *People) update(ctx context.Context, id, action string, change func(*stored) error) (*Person, error) {
	for attempt := 0; ; attempt++ {
		s, err := p.get(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := change(s); err == errUnchanged {
			return &s.Person, nil
		} else if err != nil {
			return nil, err
		}
		expect := content.VersionKey(s.Version)
		s.Version++
		now := p.now().UTC().Truncate(time.Millisecond)
		s.UpdatedAt = now
		doc, err := encodePerson(s)
		if err != nil {
			return nil, err
		}
		audit, err := content.AuditDoc(ctx, now, action, KindPerson, s.ID, s.Name)
		if err != nil {
			return nil, err
		}
		err = p.store.Apply(ctx, content.Write{Doc: doc, Expect: expect, Also: []content.Doc{audit}})
		if content.ErrorCode(err) == content.ECONFLICT && attempt < 5 {
			continue
		}
		if err != nil {
			return nil, err
		}
		return &s.Person, nil
	}
}

// get reads a stored person; ENOTFOUND when there is none.
func (p *People) get(ctx context.Context, id string) (*stored, error) {
	docs, err := p.store.Get(ctx, KindPerson, []string{id})
	if err != nil {
		return nil, err
	}
	d, ok := docs[id]
	if !ok {
		return nil, content.Errorf(content.ENOTFOUND, "there is no person %q", id)
	}
	return decodePerson(d)
}

// byEmail reads the stored person with an email address; nil when there
// is none (or the address is not one).
func (p *People) byEmail(ctx context.Context, email string) (*stored, error) {
	e, err := NormalizeEmail(email)
	if err != nil {
		return nil, nil
	}
	docs, err := p.store.Find(ctx, content.Query{Kind: KindPerson, Where: content.Eq("email", e),
		Sort: []content.SortKey{{Field: "id"}}, Limit: 1})
	if err != nil || len(docs) == 0 {
		return nil, err
	}
	return decodePerson(docs[0])
}

func encodePerson(s *stored) (content.Doc, error) {
	body, err := json.Marshal(s)
	if err != nil {
		return content.Doc{}, err
	}
	return content.Doc{Kind: KindPerson, ID: s.ID, Body: body, Fields: content.Fields{
		"email": {s.Email}, "nameKey": {strings.ToLower(s.Name)}, "status": {string(s.Status)},
		"version": {content.VersionKey(s.Version)}}}, nil
}

func decodePerson(d content.Doc) (*stored, error) {
	var s stored
	if err := json.Unmarshal(d.Body, &s); err != nil {
		return nil, err
	}
	s.HasPassword = s.PasswordHash != ""
	return &s, nil
}

// newToken returns a new random token (256 bits) and the hex SHA-256 hash
// it is stored under.
func newToken() (token, hash string, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", err
	}
	token = base64.RawURLEncoding.EncodeToString(b[:])
	return token, tokenHash(token), nil
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// wellFormed reports whether token can be one this package made.
func wellFormed(token string) bool {
	if len(token) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(token)
	return err == nil
}
