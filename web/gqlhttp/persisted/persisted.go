// Package persisted keeps persisted GraphQL queries: documents known by the
// SHA-256 hash of their text, so that clients send the hash instead of the
// document (the Automatic Persisted Queries protocol of Apollo, over GET
// and POST). They live in the store, so every replica knows every query,
// with an in-process LRU in front.
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
	"time"

	"github.com/99designs/gqlgen/graphql"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"estafette/content"
)

// MaxQueryBytes is the largest document that is persisted.
const MaxQueryBytes = 64 << 10

// Queries is the store of persisted queries; it implements gqlgen's
// graphql.Cache[string] for the APQ extension.
type Queries struct {
	store     content.Store
	lru       *lru.Cache[string, string]
	allowlist bool
}

// New returns the persisted queries in store. With allowlist, clients
// cannot add queries and only registered ones run.
func New(store content.Store, allowlist bool) *Queries {
	c, _ := lru.New[string, string](2000)
	return &Queries{store: store, lru: c, allowlist: allowlist}
}

// Hash returns the APQ hash of a document: hex SHA-256 of its text.
func Hash(query string) string {
	h := sha256.Sum256([]byte(query))
	return hex.EncodeToString(h[:])
}

type stored struct {
	Query     string    `json:"query"`
	CreatedAt time.Time `json:"createdAt"`
}

// Get returns the document with the hash.
func (q *Queries) Get(ctx context.Context, hash string) (string, bool) {
	if v, ok := q.lru.Get(hash); ok {
		return v, true
	}
	docs, err := q.store.Get(ctx, Kind, []string{hash})
	if err != nil {
		slog.WarnContext(ctx, "cannot read a persisted query", "err", err)
		return "", false
	}
	d, ok := docs[hash]
	if !ok {
		return "", false
	}
	var s stored
	if json.Unmarshal(d.Body, &s) != nil || Hash(s.Query) != hash {
		return "", false
	}
	q.lru.Add(hash, s.Query)
	return s.Query, true
}

// Add persists a document a client sent with its hash (the APQ extension
// has checked the hash). In allowlist mode it does nothing.
func (q *Queries) Add(ctx context.Context, hash, query string) {
	if q.allowlist || len(query) > MaxQueryBytes {
		return
	}
	if _, ok := q.lru.Get(hash); ok {
		return
	}
	if err := q.put(ctx, hash, query); err != nil {
		slog.WarnContext(ctx, "cannot persist a query", "err", err)
	}
}

// Register persists a document on purpose (the register command), also in
// allowlist mode, and returns its hash.
func (q *Queries) Register(ctx context.Context, query string) (string, error) {
	if len(query) > MaxQueryBytes {
		return "", content.Invalidf("query", "the document is larger than %d bytes", MaxQueryBytes)
	}
	h := Hash(query)
	return h, q.put(ctx, h, query)
}

func (q *Queries) put(ctx context.Context, hash, query string) error {
	now := time.Now().UTC()
	body, err := json.Marshal(stored{Query: query, CreatedAt: now})
	if err != nil {
		return err
	}
	if err := q.store.Put(ctx, content.Doc{Kind: Kind, ID: hash, Body: body,
		Fields: content.Fields{"createdKey": {content.TimeKey(now)}}}); err != nil {
		return err
	}
	q.lru.Add(hash, query)
	return nil
}

// Allowlist is the gqlgen extension that, in allowlist mode, refuses any
// document that was not registered. It must be registered before gqlgen's
// APQ extension, which resolves hashes to documents.
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
	if _, ok := a.Queries.Get(ctx, Hash(p.Query)); ok {
		return nil
	}
	return &gqlerror.Error{
		Message:    "This API runs registered queries only; register the query with: estafette queries register FILE.graphql",
		Extensions: map[string]any{"code": "PERSISTED_QUERY_NOT_ALLOWED"},
	}
}
