package people

import (
	"context"
	"encoding/json"
	"time"

	"estafette/content"
)

// InviteValidity is how long an invitation link works.
const InviteValidity = 24 * time.Hour

// invite is an invitation as stored, under the hash of its token.
type invite struct {
	ID        string    `json:"id"` // hex SHA-256 of the token
	Person    string    `json:"person"`
	CreatedAt time.Time `json:"createdAt"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// newInvite builds the invitation of a person: its token and document.
func (p *People) newInvite(person string) (string, content.Doc, error) {
	token, hash, err := newToken()
	if err != nil {
		return "", content.Doc{}, err
	}
	now := p.now().UTC().Truncate(time.Millisecond)
	body, err := json.Marshal(invite{ID: hash, Person: person, CreatedAt: now, ExpiresAt: now.Add(InviteValidity)})
	if err != nil {
		return "", content.Doc{}, err
	}
	return token, content.Doc{Kind: KindInvite, ID: hash, Body: body,
		Fields: content.Fields{"person": {person}, "version": {content.VersionKey(1)}}}, nil
}

// NewInvitation gives a person who is not disabled a new one-time link to
// set a password (the one of a person whose invitation expired, or a
// password reset); it returns the token, shown once. Links given before
// keep working until they expire or one of them is used.
func (p *People) NewInvitation(ctx context.Context, id string) (string, error) {
	if err := requireAdmin(ctx, "inviting people"); err != nil {
		return "", err
	}
	s, err := p.get(ctx, id)
	if err != nil {
		return "", err
	}
	if s.Status == StatusDisabled {
		return "", content.Errorf(content.ECONFLICT, "%s is disabled; enable the person first", s.Name)
	}
	token, doc, err := p.newInvite(s.ID)
	if err != nil {
		return "", err
	}
	audit, err := content.AuditDoc(ctx, p.now(), "invite", KindPerson, s.ID, s.Name)
	if err != nil {
		return "", err
	}
	return token, p.store.Apply(ctx, content.Write{Doc: doc, Also: []content.Doc{audit}})
}

// errInvitation is the answer for a token that is unknown, used or expired.
func errInvitation() error {
	return content.Errorf(content.ENOTFOUND, "this invitation link is unknown, used already or expired; ask an admin for a new one")
}

// Invitation returns the person an invitation token is for, while it is
// valid: ENOTFOUND for a token that is unknown, used or expired, or of a
// person who was disabled since.
func (p *People) Invitation(ctx context.Context, token string) (*Person, error) {
	_, s, err := p.invitation(ctx, token)
	if err != nil {
		return nil, err
	}
	return &s.Person, nil
}

func (p *People) invitation(ctx context.Context, token string) (content.Doc, *stored, error) {
	if !wellFormed(token) {
		return content.Doc{}, nil, errInvitation()
	}
	hash := tokenHash(token)
	docs, err := p.store.Get(ctx, KindInvite, []string{hash})
	if err != nil {
		return content.Doc{}, nil, err
	}
	d, ok := docs[hash]
	if !ok {
		return content.Doc{}, nil, errInvitation()
	}
	var inv invite
	if err := json.Unmarshal(d.Body, &inv); err != nil {
		return content.Doc{}, nil, err
	}
	if !p.now().Before(inv.ExpiresAt) {
		_ = p.store.Delete(ctx, KindInvite, hash)
		return content.Doc{}, nil, errInvitation()
	}
	s, err := p.get(ctx, inv.Person)
	if content.ErrorCode(err) == content.ENOTFOUND || (err == nil && s.Status == StatusDisabled) {
		return content.Doc{}, nil, errInvitation()
	}
	if err != nil {
		return content.Doc{}, nil, err
	}
	return d, s, nil
}

// AcceptInvitation sets the password of the person an invitation is for
// and makes the person active. The invitation is used up: of two
// acceptances racing, one succeeds and the other gets ENOTFOUND, and every
// other invitation of the person ends too. A password that breaks the
// rules gives EINVALID and uses nothing up. The audit log has the person
// as the actor.
func (p *People) AcceptInvitation(ctx context.Context, token, password string) (*Person, error) {
	d, s, err := p.invitation(ctx, token)
	if err != nil {
		return nil, err
	}
	if err := CheckPassword(password); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	expect := content.VersionKey(s.Version)
	s.PasswordHash, s.HasPassword, s.Status = hash, true, StatusActive
	s.Version++
	now := p.now().UTC().Truncate(time.Millisecond)
	s.UpdatedAt = now
	doc, err := encodePerson(s)
	if err != nil {
		return nil, err
	}
	actx := content.WithViewer(ctx, content.Viewer{Actor: s.Name, Role: s.Role})
	audit, err := content.AuditDoc(actx, now, "set-password", KindPerson, s.ID, s.Name)
	if err != nil {
		return nil, err
	}
	// The invitation goes first: of two acceptances only one can delete it.
	err = p.store.Apply(ctx,
		content.Write{Doc: d, Delete: true, Expect: content.VersionKey(1)},
		content.Write{Doc: doc, Expect: expect, Also: []content.Doc{audit}})
	if content.ErrorCode(err) == content.ECONFLICT {
		return nil, errInvitation()
	}
	if err != nil {
		return nil, err
	}
	if others, err := p.store.Find(ctx, content.Query{Kind: KindInvite, Where: content.Eq("person", s.ID),
		Sort: []content.SortKey{{Field: "id"}}}); err == nil {
		ids := make([]string, len(others))
		for i, o := range others {
			ids[i] = o.ID
		}
		_ = p.store.Delete(ctx, KindInvite, ids...)
	}
	return &s.Person, nil
}
