package gqlhttp

import (
	"context"
	"crypto/sha256"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"estafette/internal/bytelru"
)

// DefaultDocumentCacheBytes is the default budget of the parsed-document
// cache (DOCUMENT_CACHE_BYTES).
const DefaultDocumentCacheBytes = 32 << 20

// DocumentCache keeps parsed and validated GraphQL documents for gqlgen
// (graphql.Cache), keyed by the SHA-256 of their text rather than by the
// text itself and bounded by bytes: a parsed document is counted at eight
// times its text, about what its syntax tree takes. The limits forget a
// document they refuse (Forget), so that only documents that may run are
// kept.
type DocumentCache struct {
	docs *bytelru.Cache[[sha256.Size]byte, *ast.QueryDocument]
}

var _ graphql.Cache[*ast.QueryDocument] = (*DocumentCache)(nil)

// NewDocumentCache returns a cache of at most maxBytes (0: the default).
func NewDocumentCache(maxBytes int64) *DocumentCache {
	if maxBytes == 0 {
		maxBytes = DefaultDocumentCacheBytes
	}
	return &DocumentCache{docs: bytelru.New[[sha256.Size]byte, *ast.QueryDocument](maxBytes, 0)}
}

// Get implements graphql.Cache.
func (c *DocumentCache) Get(_ context.Context, query string) (*ast.QueryDocument, bool) {
	return c.docs.Get(sha256.Sum256([]byte(query)))
}

// Add implements graphql.Cache.
func (c *DocumentCache) Add(_ context.Context, query string, doc *ast.QueryDocument) {
	c.docs.Add(sha256.Sum256([]byte(query)), doc, documentSize(query))
}

// Known reports whether the document is cached (it passed every check
// before).
func (c *DocumentCache) Known(query string) bool {
	return c.docs.Contains(sha256.Sum256([]byte(query)))
}

// Forget removes a document, for the limits to call when they refuse it.
func (c *DocumentCache) Forget(query string) {
	c.docs.Remove(sha256.Sum256([]byte(query)))
}

// Len returns the number of cached documents.
func (c *DocumentCache) Len() int { return c.docs.Len() }

// Bytes returns the bytes the cached documents are counted at.
func (c *DocumentCache) Bytes() int64 { return c.docs.Bytes() }

func documentSize(query string) int64 { return 8*int64(len(query)) + 512 }
