// Package persisted keeps persisted GraphQL queries: documents known by the
// SHA-256 hash of their text, so that clients send the hash instead of the
// document (the Automatic Persisted Queries protocol of Apollo, over GET
// and POST). They live in the store, so every replica knows every query,
// with an in-process cache in front that is bounded by bytes.
//
// A client's document is stored only after it parsed, validated and
// passed the limits (the APQ extension stores it when its operation
// starts to run), at most RegistrationsPerMinute times a minute per client,
// and at most MaxAutomatic automatic entries are kept: past that the
// oldest go first. Registered queries (estafette queries register) are
// never evicted.
//
// In allowlist mode (PERSISTED_QUERIES=only) only registered queries run:
// a request with a document that was not registered with the register
// command is refused, and clients cannot register new ones.
package persisted

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"estafette/content"
	"estafette/internal/bytelru"
	"estafette/web/ratelimit"
)

// MaxQueryBytes is the largest document that is persisted.
const MaxQueryBytes = 64 << 10

// The defaults of Options.
const (
	// DefaultMaxAutomatic is how many documents clients may persist in all.
	DefaultMaxAutomatic = 10000
	// RegistrationsPerMinute is how many documents one client may persist
	// a minute (with a burst of as many).
	RegistrationsPerMinute = 30
	// cacheBytes is the budget of the in-process cache.
	cacheBytes = 16 << 20
)

// Queries is the store of persisted queries.
type Queries struct {
	store        content.Store
	cache        *bytelru.Cache[string, entry]
	allowlist    bool
	maxAutomatic int
	perClient    *ratelimit.Limiter

	mu sync.Mutex
	// automatic is how many automatic entries the store holds, as far as
	// this process knows (counted at the first addition, then kept up;
	// other replicas' additions are noticed at the next trim); -1 before.
	automatic int
}

// New returns the persisted queries in store. With allowlist, clients
// cannot add queries and only registered ones run.
func New(store content.Store, allowlist bool) *Queries {
	return &Queries{
		store: store, cache: bytelru.New[string, entry](cacheBytes, 0), allowlist: allowlist,
		maxAutomatic: DefaultMaxAutomatic, automatic: -1,
		perClient: ratelimit.New(ratelimit.Config{PerSecond: RegistrationsPerMinute / 60.0, Burst: RegistrationsPerMinute}),
	}
}

// SetMaxAutomatic changes how many automatic entries are kept (n ≥ 1).
func (q *Queries) SetMaxAutomatic(n int) {
	if n >= 1 {
		q.maxAutomatic = n
	}
}

// Hash returns the APQ hash of a document: hex SHA-256 of its text.
func Hash(query string) string {
	h := sha256.Sum256([]byte(query))
	return hex.EncodeToString(h[:])
}

type stored struct {
	Query     string    `json:"query"`
	CreatedAt time.Time `json:"createdAt"`
	Automatic bool      `json:"automatic,omitempty"`
}

// entry is a cached document: its text and whether it was registered.
type entry struct {
	query      string
	registered bool
}

// Get returns the document with the hash.
func (q *Queries) Get(ctx context.Context, hash string) (string, bool) {
	e, ok := q.get(ctx, hash)
	return e.query, ok
}

func (q *Queries) get(ctx context.Context, hash string) (entry, bool) {
	if e, ok := q.cache.Get(hash); ok {
		return e, true
	}
	docs, err := q.store.Get(ctx, Kind, []string{hash})
	if err != nil {
		slog.WarnContext(ctx, "cannot read a persisted query", "err", err)
		return entry{}, false
	}
	d, ok := docs[hash]
	if !ok {
		return entry{}, false
	}
	var s stored
	if json.Unmarshal(d.Body, &s) != nil || Hash(s.Query) != hash {
		return entry{}, false
	}
	e := entry{query: s.Query, registered: !s.Automatic}
	q.cache.Add(hash, e, int64(len(s.Query)+len(hash)))
	return e, true
}

// Add persists a document a client sent with its hash, once the document
// has passed every check; client names who sent it (for the rate of
// registrations). In allowlist mode it does nothing.
func (q *Queries) Add(ctx context.Context, client, hash, query string) {
	if q.allowlist || len(query) > MaxQueryBytes || q.cache.Contains(hash) {
		return
	}
	if !q.perClient.Allow(client) {
		slog.DebugContext(ctx, "a client registers persisted queries too fast; not stored", "hash", hash)
		return
	}
	if err := q.put(ctx, hash, query, true); err != nil {
		slog.WarnContext(ctx, "cannot persist a query", "err", err)
		return
	}
	if err := q.trim(ctx); err != nil {
		slog.WarnContext(ctx, "cannot evict old persisted queries", "err", err)
	}
}

// trim deletes the oldest automatic entries past maxAutomatic; it asks the
// store only when this process knows of too many (or knows nothing yet).
func (q *Queries) trim(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.automatic >= 0 {
		if q.automatic++; q.automatic <= q.maxAutomatic {
			return nil
		}
	}
	auto := content.Eq("automatic", "1")
	n, err := q.store.Count(ctx, Kind, auto)
	if err != nil {
		return err
	}
	q.automatic = n
	if n <= q.maxAutomatic {
		return nil
	}
	old, err := q.store.Find(ctx, content.Query{Kind: Kind, Where: auto,
		Sort: []content.SortKey{{Field: "createdKey"}}, Limit: n - q.maxAutomatic})
	if err != nil {
		return err
	}
	ids := make([]string, len(old))
	for i, d := range old {
		ids[i] = d.ID
		q.cache.Remove(d.ID)
	}
	if err := q.store.Delete(ctx, Kind, ids...); err != nil {
		return err
	}
	q.automatic = q.maxAutomatic
	return nil
}

// Register persists a document on purpose (the register command), also in
// allowlist mode, and returns its hash. Registered documents never expire.
func (q *Queries) Register(ctx context.Context, query string) (string, error) {
	if len(query) > MaxQueryBytes {
		return "", content.Invalidf("query", "the document is larger than %d bytes", MaxQueryBytes)
	}
	h := Hash(query)
	return h, q.put(ctx, h, query, false)
}

func (q *Queries) put(ctx context.Context, hash, query string, automatic bool) error {
	now := time.Now().UTC()
	body, err := json.Marshal(stored{Query: query, CreatedAt: now, Automatic: automatic})
	if err != nil {
		return err
	}
	flag := "0"
	if automatic {
		flag = "1"
	}
	if err := q.store.Put(ctx, content.Doc{Kind: Kind, ID: hash, Body: body,
		Fields: content.Fields{"createdKey": {content.TimeKey(now)}, "automatic": {flag}}}); err != nil {
		return err
	}
	q.cache.Add(hash, entry{query: query, registered: !automatic}, int64(len(query)+len(hash)))
	return nil
}

// Allowlist is the gqlgen extension that, in allowlist mode, refuses any
// document that was not registered. It must be registered before the APQ
// extension, which resolves hashes to documents.
type Allowlist struct{ Queries *Queries }

var (
	_ graphql.HandlerExtension          = Allowlist{}
	_ graphql.OperationParameterMutator = Allowlist{}
)

// ExtensionName implements graphql.HandlerExtension.
func (Allowlist) ExtensionName() string { return "PersistedQueryAllowlist" }

// Validate implements graphql.HandlerExtension.
func (Allowlist) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters refuses unregistered documents.
func (a Allowlist) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if !a.Queries.allowlist || p.Query == "" {
		return nil // a hash alone: APQ looks it up, and only registered ones exist
	}
	if e, ok := a.Queries.get(ctx, Hash(p.Query)); ok && e.registered {
		markRegistered(ctx)
		return nil
	}
	return &gqlerror.Error{
		Message:    "This API runs registered queries only; register the query with: estafette queries register FILE.graphql",
		Extensions: map[string]any{"code": CodeNotAllowed},
	}
}
