// Package auth manages API keys and authenticates requests with them.
//
// A key is 32 random bytes (256 bits) shown once, at creation; the store
// keeps only its SHA-256 hash, looked up by index and compared in constant
// time. Keys carry a role (reader, editor, admin), can be revoked, and
// record when they were last used (at most once a minute per key, so that
// reads do not turn into writes). A replica caches what it learned about a
// key for a few seconds; a revocation made on another replica takes effect
// here within that time, and at once on the replica that made it.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"estafette/content"
	"estafette/internal/bytelru"
)

// Prefix starts every key, so that secret scanners and people recognise it.
const Prefix = "sze_"

// cacheTTL is how long a replica trusts what it read about a key.
const cacheTTL = 10 * time.Second

// touchEvery is how often the last-used time of a key is written at most.
const touchEvery = time.Minute

// Key is an API key as stored: everything but the key itself.
type Key struct {
	ID        string       `json:"id"`
	Name      string       `json:"name"`
	Role      content.Role `json:"role"`
	Hint      string       `json:"hint"` // the first characters of the key, to tell keys apart
	Hash      string       `json:"hash"` // hex SHA-256 of the key
	CreatedAt time.Time    `json:"createdAt"`
	CreatedBy string       `json:"createdBy"`
	RevokedAt *time.Time   `json:"revokedAt,omitempty"`
	// LastUsedAt is when the key was last used (to the minute: uses are
	// recorded at most once a minute). It is kept in a record of its own
	// (KindAPIKeyUse) and filled in by List.
	LastUsedAt *time.Time `json:"lastUsedAt,omitempty"`
}

// Active reports whether the key may still be used.
func (k *Key) Active() bool { return k.RevokedAt == nil }

// Keys manages the API keys in a store.
type Keys struct {
	store content.Store
	now   func() time.Time
	// touchEvery is how often the last-used time of a key is written at
	// most (see SetTouchInterval).
	touchEvery time.Duration

	// guard, when set, is asked before a key the cache does not know is
	// looked up in the store (see SetLookupGuard).
	guard func(r *http.Request) time.Duration

	mu      sync.Mutex
	cache   *bytelru.Cache[string, cached] // by hash; bounded, so random keys cannot grow it
	touched map[string]time.Time
}

// cacheEntries bounds the keys a replica remembers, known and unknown.
const cacheEntries = 10000

type cached struct {
	key *Key // nil: no such key
	at  time.Time
}

// New returns the key manager over store.
func New(store content.Store) *Keys {
	return &Keys{store: store, now: time.Now, touchEvery: touchEvery, cache: bytelru.New[string, cached](cacheEntries*256, cacheEntries), touched: map[string]time.Time{}}
}

// SetLookupGuard makes the middleware ask guard before it looks up, in the
// store, a key that this replica does not know: a positive wait refuses
// the request with 429 and Retry-After, so that a client trying random
// keys costs a store lookup only as often as the guard allows (the rate
// limiter's KeyLookups).
func (k *Keys) SetLookupGuard(guard func(r *http.Request) time.Duration) { k.guard = guard }

// SetTouchInterval sets how often the last-used time of a key is written
// at most (a minute unless set; 0 writes it on every use, as tests that
// race uses against other writes do). Set it before the keys are used.
func (k *Keys) SetTouchInterval(d time.Duration) { k.touchEvery = d }

// known reports whether the cache holds a fresh answer for the secret.
func (k *Keys) known(secret string) bool {
	c, ok := k.cache.Get(hashOf(secret))
	return ok && k.now().Sub(c.at) <= cacheTTL
}

func hashOf(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// Create makes a new key with a name and a role. It returns the key itself
// (shown once; it cannot be recovered) and its stored form. The caller of
// ctx must be an admin, or the command line (no viewer at all).
func (k *Keys) Create(ctx context.Context, name string, role content.Role) (string, *Key, error) {
	if err := requireAdmin(ctx, "creating API keys"); err != nil {
		return "", nil, err
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return "", nil, content.Invalidf("name", "a key needs a name of 1 to 100 characters, such as \"ZonMw redactie\"")
	}
	if _, ok := content.ParseRole(string(role)); !ok {
		return "", nil, content.Invalidf("role", "%q is not a role; use reader, editor or admin", role)
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, err
	}
	secret := Prefix + base64.RawURLEncoding.EncodeToString(b[:])
	now := k.now().UTC().Truncate(time.Millisecond)
	key := &Key{ID: content.NewID(), Name: name, Role: role, Hint: secret[:len(Prefix)+6], Hash: hashOf(secret),
		CreatedAt: now, CreatedBy: actor(ctx)}
	doc, err := encode(key)
	if err != nil {
		return "", nil, err
	}
	audit, err := content.AuditDoc(ctx, now, "create", KindAPIKey, key.ID, key.Name)
	if err != nil {
		return "", nil, err
	}
	if err := k.store.Apply(ctx, content.Write{Doc: doc, Also: []content.Doc{audit}}); err != nil {
		return "", nil, err
	}
	return secret, key, nil
}

// List returns every key, newest first, revoked ones included.
func (k *Keys) List(ctx context.Context) ([]*Key, error) {
	if err := requireAdmin(ctx, "listing API keys"); err != nil {
		return nil, err
	}
	docs, err := k.store.Find(ctx, content.Query{Kind: KindAPIKey,
		Sort: []content.SortKey{{Field: "createdKey", Desc: true}, {Field: "id", Desc: true}}})
	if err != nil {
		return nil, err
	}
	out := make([]*Key, 0, len(docs))
	for _, d := range docs {
		key, err := decode(d)
		if err != nil {
			return nil, err
		}
		out = append(out, key)
	}
	if err := k.withLastUse(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Revoke ends a key, given its id, its name or the hint it was listed with.
// Revoking a revoked key changes nothing. Returns ENOTFOUND for an unknown
// key and EINVALID when the name fits several keys.
func (k *Keys) Revoke(ctx context.Context, which string) (*Key, error) {
	if err := requireAdmin(ctx, "revoking API keys"); err != nil {
		return nil, err
	}
	keys, err := k.List(content.WithViewer(ctx, content.Viewer{Role: content.RoleAdmin}))
	if err != nil {
		return nil, err
	}
	var found []*Key
	for _, key := range keys {
		if key.ID == which || key.Hint == which || (key.Name == which && key.Active()) {
			found = append(found, key)
		}
	}
	switch {
	case len(found) == 0:
		return nil, content.Errorf(content.ENOTFOUND, "there is no API key %q; keys list shows the ids", which)
	case len(found) > 1:
		return nil, content.Invalidf("key", "%d keys are named %q; revoke one by its id", len(found), which)
	}
	key := found[0]
	if !key.Active() {
		return key, nil
	}
	now := k.now().UTC().Truncate(time.Millisecond)
	key.RevokedAt = &now
	doc, err := encode(key)
	if err != nil {
		return nil, err
	}
	audit, err := content.AuditDoc(ctx, now, "revoke", KindAPIKey, key.ID, key.Name)
	if err != nil {
		return nil, err
	}
	if err := k.store.Put(ctx, audit, doc); err != nil {
		return nil, err
	}
	k.cache.Remove(key.Hash)
	return key, nil
}

// Authenticate returns the active key a secret belongs to. A secret that is
// malformed, unknown or revoked gives EUNAUTHORIZED.
func (k *Keys) Authenticate(ctx context.Context, secret string) (*Key, error) {
	unknown := content.Errorf(content.EUNAUTHORIZED, "the API key is unknown or revoked")
	if !strings.HasPrefix(secret, Prefix) || len(secret) < len(Prefix)+40 || len(secret) > 200 {
		return nil, unknown
	}
	hash := hashOf(secret)
	now := k.now()
	c, ok := k.cache.Get(hash)
	if !ok || now.Sub(c.at) > cacheTTL {
		docs, err := k.store.Find(ctx, content.Query{Kind: KindAPIKey, Where: content.Eq("hash", hash),
			Sort: []content.SortKey{{Field: "id"}}, Limit: 1})
		if err != nil {
			return nil, err
		}
		c = cached{at: now}
		if len(docs) == 1 {
			if c.key, err = decode(docs[0]); err != nil {
				return nil, err
			}
		}
		k.cache.Add(hash, c, 256)
	}
	if c.key == nil || subtle.ConstantTimeCompare([]byte(c.key.Hash), []byte(hash)) != 1 || !c.key.Active() {
		return nil, unknown
	}
	k.touch(ctx, c.key, now)
	return c.key, nil
}

// touch records that a key was used, at most once per touchEvery. It
// writes the key's last-use record only (KindAPIKeyUse), never the key
// itself: a use racing a revocation (or any other change of the key)
// cannot undo it.
func (k *Keys) touch(ctx context.Context, key *Key, now time.Time) {
	k.mu.Lock()
	last, ok := k.touched[key.ID]
	if ok && now.Sub(last) < k.touchEvery {
		k.mu.Unlock()
		return
	}
	k.touched[key.ID] = now
	k.mu.Unlock()
	t := now.UTC().Truncate(time.Second)
	body, err := json.Marshal(keyUse{LastUsedAt: t})
	if err != nil {
		return
	}
	_ = k.store.Put(context.WithoutCancel(ctx), content.Doc{Kind: KindAPIKeyUse, ID: key.ID, Body: body, Fields: content.Fields{}})
}

// keyUse is the body of a key's last-use record.
type keyUse struct {
	LastUsedAt time.Time `json:"lastUsedAt"`
}

// withLastUse sets the LastUsedAt of keys from their last-use records,
// keeping a later time a key itself holds (keys written before last uses
// had a collection of their own carry it in the key).
func (k *Keys) withLastUse(ctx context.Context, keys []*Key) error {
	if len(keys) == 0 {
		return nil
	}
	ids := make([]string, len(keys))
	for i, key := range keys {
		ids[i] = key.ID
	}
	uses, err := k.store.Get(ctx, KindAPIKeyUse, ids)
	if err != nil {
		return err
	}
	for _, key := range keys {
		d, ok := uses[key.ID]
		if !ok {
			continue
		}
		var u keyUse
		if err := json.Unmarshal(d.Body, &u); err != nil {
			return err
		}
		if key.LastUsedAt == nil || u.LastUsedAt.After(*key.LastUsedAt) {
			t := u.LastUsedAt
			key.LastUsedAt = &t
		}
	}
	return nil
}

func encode(k *Key) (content.Doc, error) {
	body, err := json.Marshal(k)
	if err != nil {
		return content.Doc{}, err
	}
	return content.Doc{Kind: KindAPIKey, ID: k.ID, Body: body,
		Fields: content.Fields{"hash": {k.Hash}, "createdKey": {content.TimeKey(k.CreatedAt)}}}, nil
}

func decode(d content.Doc) (*Key, error) {
	var k Key
	if err := json.Unmarshal(d.Body, &k); err != nil {
		return nil, err
	}
	return &k, nil
}

// cliKey marks a context as the command line, which runs with the rights
// of whoever may run the binary on the server.
type cliKey struct{}

// CommandLine returns ctx acting as the operator at the command line: an
// admin named after the OS user, for the audit log.
func CommandLine(ctx context.Context, user string) context.Context {
	return context.WithValue(content.WithViewer(ctx, content.Viewer{Actor: "cli:" + user, Role: content.RoleAdmin}), cliKey{}, true)
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
