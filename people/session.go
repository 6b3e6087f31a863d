package people

import (
	"context"
	"encoding/json"
	"time"

	"estafette/content"
)

// IdleTimeout is how long a session lasts without a request.
const IdleTimeout = 12 * time.Hour

// touchEvery is how often a session's last request is written at most.
const touchEvery = time.Minute

// Session is a signed-in visit as stored, under the hash of its token.
type Session struct {
	ID       string `json:"id"` // hex SHA-256 of the token
	PersonID string `json:"person"`
	// CSRF is the token the desk's forms post back.
	CSRF       string    `json:"csrf"`
	CreatedAt  time.Time `json:"createdAt"`
	LastSeenAt time.Time `json:"lastSeenAt"`
	Version    int64     `json:"version"`
}

// errSignIn is the one answer for every sign-in that does not succeed, so
// that it tells nobody whether an address is known.
func errSignIn() error {
	return content.Errorf(content.EUNAUTHORIZED, "the email address or the password is not right")
}

// errSession is the answer for a session that is unknown, ended or expired.
func errSession() error {
	return content.Errorf(content.EUNAUTHORIZED, "the session is unknown, ended or expired; sign in again")
}

// Authenticate returns the active person with an email address and a
// password: EUNAUTHORIZED, the same for an unknown address, a wrong
// password, and a person who is invited or disabled, and taking as long
// for each.
func (p *People) Authenticate(ctx context.Context, email, password string) (*Person, error) {
	s, err := p.byEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	if s == nil || s.PasswordHash == "" {
		VerifyPassword(dummyHash(), password)
		return nil, errSignIn()
	}
	if !VerifyPassword(s.PasswordHash, password) || s.Status != StatusActive {
		return nil, errSignIn()
	}
	return &s.Person, nil
}

// ByVerifiedEmail returns the active person with an email address that an
// identity provider verified; EUNAUTHORIZED when there is none or the
// person is not active, ENOTFOUND (for OIDC_AUTO_CREATE_ROLE) when nobody
// has the address.
func (p *People) ByVerifiedEmail(ctx context.Context, email string) (*Person, error) {
	s, err := p.byEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return nil, content.Errorf(content.ENOTFOUND, "nobody has this email address")
	}
	if s.Status == StatusDisabled {
		return nil, errSignIn()
	}
	return &s.Person, nil
}

// StartSession signs a person in: it returns the new session's token (for
// the cookie; only its hash is stored) and the session. The person must
// be active or invited (an invited person signing in through the identity
// provider becomes active). Expired sessions of the person are removed.
func (p *People) StartSession(ctx context.Context, personID string) (string, *Session, error) {
	s, err := p.get(ctx, personID)
	if err != nil {
		return "", nil, err
	}
	if s.Status == StatusDisabled {
		return "", nil, errSignIn()
	}
	token, hash, err := newToken()
	if err != nil {
		return "", nil, err
	}
	csrf, _, err := newToken()
	if err != nil {
		return "", nil, err
	}
	now := p.now().UTC().Truncate(time.Millisecond)
	sess := &Session{ID: hash, PersonID: s.ID, CSRF: csrf, CreatedAt: now, LastSeenAt: now, Version: 1}
	doc, err := encodeSession(sess)
	if err != nil {
		return "", nil, err
	}
	if err := p.store.Apply(ctx, content.Write{Doc: doc}); err != nil {
		return "", nil, err
	}
	p.removeExpired(ctx, s.ID)
	return token, sess, nil
}

// Session returns the session of a token and its person, and records the
// request (at most once a minute). A token that is unknown, ended or idle
// for IdleTimeout, or whose person is disabled (or gone), gives
// EUNAUTHORIZED. The person is read on every call, so a person disabled on
// any replica is refused at the next request.
func (p *People) Session(ctx context.Context, token string) (*Session, *Person, error) {
	if !wellFormed(token) {
		return nil, nil, errSession()
	}
	hash := tokenHash(token)
	docs, err := p.store.Get(ctx, KindSession, []string{hash})
	if err != nil {
		return nil, nil, err
	}
	d, ok := docs[hash]
	if !ok {
		return nil, nil, errSession()
	}
	sess, err := decodeSession(d)
	if err != nil {
		return nil, nil, err
	}
	now := p.now()
	if now.Sub(sess.LastSeenAt) >= IdleTimeout {
		_ = p.store.Delete(ctx, KindSession, hash)
		return nil, nil, errSession()
	}
	s, err := p.get(ctx, sess.PersonID)
	if content.ErrorCode(err) == content.ENOTFOUND || (err == nil && s.Status == StatusDisabled) {
		_ = p.store.Delete(ctx, KindSession, hash)
		return nil, nil, errSession()
	}
	if err != nil {
		return nil, nil, err
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		// A guarded write: a session ended meanwhile stays ended.
		expect := content.VersionKey(sess.Version)
		sess.Version++
		sess.LastSeenAt = now.UTC().Truncate(time.Millisecond)
		doc, err := encodeSession(sess)
		if err != nil {
			return nil, nil, err
		}
		if err := p.store.Apply(context.WithoutCancel(ctx), content.Write{Doc: doc, Expect: expect}); err != nil {
			if content.ErrorCode(err) == content.ECONFLICT {
				if again, _ := p.store.Get(ctx, KindSession, []string{hash}); len(again) == 0 {
					return nil, nil, errSession()
				}
			} else {
				return nil, nil, err
			}
		}
	}
	return sess, &s.Person, nil
}

// EndSession signs a session out; an unknown token changes nothing.
func (p *People) EndSession(ctx context.Context, token string) error {
	if !wellFormed(token) {
		return nil
	}
	return p.store.Delete(ctx, KindSession, tokenHash(token))
}

// endSessionsOf ends every session of a person.
func (p *People) endSessionsOf(ctx context.Context, person string) error {
	docs, err := p.store.Find(ctx, content.Query{Kind: KindSession, Where: content.Eq("person", person),
		Sort: []content.SortKey{{Field: "id"}}})
	if err != nil || len(docs) == 0 {
		return err
	}
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	return p.store.Delete(ctx, KindSession, ids...)
}

// removeExpired removes the idle sessions of a person; a failure only
// leaves them for the next time.
func (p *People) removeExpired(ctx context.Context, person string) {
	docs, err := p.store.Find(ctx, content.Query{Kind: KindSession, Where: content.Eq("person", person),
		Sort: []content.SortKey{{Field: "id"}}})
	if err != nil {
		return
	}
	var ids []string
	for _, d := range docs {
		if s, err := decodeSession(d); err == nil && p.now().Sub(s.LastSeenAt) >= IdleTimeout {
			ids = append(ids, d.ID)
		}
	}
	if len(ids) > 0 {
		_ = p.store.Delete(ctx, KindSession, ids...)
	}
}

func encodeSession(s *Session) (content.Doc, error) {
	body, err := json.Marshal(s)
	if err != nil {
		return content.Doc{}, err
	}
	return content.Doc{Kind: KindSession, ID: s.ID, Body: body,
		Fields: content.Fields{"person": {s.PersonID}, "version": {content.VersionKey(s.Version)}}}, nil
}

func decodeSession(d content.Doc) (*Session, error) {
	var s Session
	if err := json.Unmarshal(d.Body, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// LastSeen returns, by person id, the last request of each person's
// sessions that the store still keeps (sessions end at sign-out, after
// IdleTimeout, and when the person is disabled), for the desk's list of
// people; a person without a kept session is not in it. It needs an
// admin.
func (p *People) LastSeen(ctx context.Context) (map[string]time.Time, error) {
	if err := requireAdmin(ctx, "reading people"); err != nil {
		return nil, err
	}
	n, err := p.store.Count(ctx, KindSession, nil)
	if err != nil {
		return nil, err
	}
	out := map[string]time.Time{}
	if n == 0 {
		return out, nil
	}
	docs, err := p.store.Find(ctx, content.Query{Kind: KindSession, Sort: []content.SortKey{{Field: "id"}}, Limit: n + 1})
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		s, err := decodeSession(d)
		if err != nil {
			return nil, err
		}
		if s.LastSeenAt.After(out[s.PersonID]) {
			out[s.PersonID] = s.LastSeenAt
		}
	}
	return out, nil
}
