// Package respcache caches the GraphQL responses of anonymous reads of
// published content in the process. A response is keyed by the normalised
// document (or its persisted-query hash), the operation name, the
// variables, the locale and the content generation: every write bumps the
// generation, so a cached response is never served after the content it
// shows changed. Writes made by other replicas are noticed by polling the
// audit log, which every write adds to (Poll).
package respcache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/parser"

	"estafette/content"
	"estafette/internal/bytelru"
	"estafette/web/httpcache"
)

// DefaultMaxBytes is the default budget of the responses
// (RESPONSE_CACHE_BYTES).
const DefaultMaxBytes = 64 << 20

// Cache holds the responses. Both of its maps are keyed by hashes, never
// by a client's text, and bounded by bytes as well as entries, so that
// large unique documents cannot grow the process.
type Cache struct {
	gen       *Generation
	responses *bytelru.Cache[string, Entry]
	docs      *bytelru.Cache[[sha256.Size]byte, docInfo] // hash of the raw document text → its normal form
	// OnLookup, when set, is told about every lookup (for hit-ratio metrics).
	OnLookup func(hit bool)
}

// Entry is a cached response.
type Entry struct {
	Body []byte
	ETag string
}

type docInfo struct {
	hash  string // of the normalised document
	query bool   // every operation is a query
}

// New returns a cache of at most size responses and DefaultMaxBytes of
// them, valid for gen.
func New(gen *Generation, size int) *Cache { return NewBounded(gen, size, DefaultMaxBytes) }

// NewBounded returns a cache of at most size responses and maxBytes of
// them, valid for gen.
func NewBounded(gen *Generation, size int, maxBytes int64) *Cache {
	// A normal form is a 64-byte hash and a flag, counted at 128 bytes.
	docs := bytelru.New[[sha256.Size]byte, docInfo](int64(size)*128, size)
	return &Cache{gen: gen, responses: bytelru.New[string, Entry](maxBytes, size), docs: docs}
}

// Key returns the cache key of a request; false when the request cannot be
// cached (a document that does not parse, or that is not a query).
func (c *Cache) Key(p *graphql.RawParams, locale content.Locale) (string, bool) {
	doc := ""
	pq, _ := p.Extensions["persistedQuery"].(map[string]any)
	apq, _ := pq["sha256Hash"].(string)
	switch {
	case p.Query != "":
		if apq != "" {
			// The executor checks that the hash fits the document; a
			// request whose hash does not must reach it.
			if sum := sha256.Sum256([]byte(p.Query)); hex.EncodeToString(sum[:]) != apq {
				return "", false
			}
		}
		textHash := sha256.Sum256([]byte(p.Query))
		info, ok := c.docs.Get(textHash)
		if !ok {
			parsed, err := parser.ParseQuery(&ast.Source{Input: p.Query})
			if err != nil {
				return "", false
			}
			var b bytes.Buffer
			formatter.NewFormatter(&b).FormatQueryDocument(parsed)
			sum := sha256.Sum256(b.Bytes())
			info = docInfo{hash: hex.EncodeToString(sum[:]), query: true}
			for _, op := range parsed.Operations {
				if op.Operation != ast.Query {
					info.query = false
				}
			}
			c.docs.Add(textHash, info, 128)
		}
		if !info.query {
			return "", false
		}
		doc = "doc:" + info.hash
	case apq != "":
		doc = "apq:" + apq
	default:
		return "", false
	}
	vars, err := json.Marshal(p.Variables) // map keys come out sorted
	if err != nil {
		return "", false
	}
	key := sha256.New()
	for _, part := range []string{doc, p.OperationName, string(vars), string(locale), strconv.FormatUint(c.gen.Current(), 10)} {
		key.Write([]byte(part))
		key.Write([]byte{0})
	}
	return hex.EncodeToString(key.Sum(nil)), true
}

// Get returns the cached response of key.
func (c *Cache) Get(key string) (Entry, bool) {
	e, ok := c.responses.Get(key)
	if c.OnLookup != nil {
		c.OnLookup(ok)
	}
	return e, ok
}

// Put caches a response and returns its entry (with its ETag).
func (c *Cache) Put(key string, body []byte) Entry {
	e := Entry{Body: body, ETag: httpcache.ETag(body)}
	c.responses.Add(key, e, int64(len(body)+len(key)+len(e.ETag)+64))
	return e
}

// Generation counts content changes: every write through a store wrapped
// by Store bumps it, and Poll bumps it when another replica wrote.
type Generation struct {
	n    atomic.Uint64
	last atomic.Value // newest audit entry id seen by Poll
}

// Current returns the generation.
func (g *Generation) Current() uint64 { return g.n.Load() }

// Bump marks that content changed.
func (g *Generation) Bump() { g.n.Add(1) }

// Store wraps s so that every write of content bumps the generation (a
// content.Instrument observer).
func (g *Generation) Store(s content.Store) content.Store { return content.Instrument(s, g.observe) }

// Poll watches the audit log of s and bumps the generation when a write of
// another replica appears, until ctx ends.
func (g *Generation) Poll(ctx context.Context, s content.Store, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		docs, err := s.Find(ctx, content.Query{Kind: content.KindAudit,
			Sort: []content.SortKey{{Field: "at", Desc: true}, {Field: "id", Desc: true}}, Limit: 1})
		if err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "cannot poll for content changes", "err", err)
		}
		if err == nil && len(docs) == 1 {
			if prev, _ := g.last.Load().(string); prev != docs[0].ID {
				if prev != "" {
					g.Bump()
				}
				g.last.Store(docs[0].ID)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// observe bumps the generation after a write of content, failed or not
// (a failed write may have been applied in part); API keys, persisted
// queries and the other records the system keeps are not content.
func (g *Generation) observe(ctx context.Context, op *content.StoreOp) (context.Context, func(error)) {
	kinds := op.Kinds()
	if !slices.ContainsFunc(kinds, content.IsContentKind) {
		return ctx, nil
	}
	return ctx, func(error) { g.Bump() }
}
