package model

import (
	"context"

	"estafette/content"
)

// PageInfo tells where a page sits in its list.
type PageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

// Connection is a Relay connection over a page of domain records.
type Connection[T any] struct {
	page *content.Page[T]
	// Filter is the filter of a list of activities, for its facets.
	Filter *content.ActivityFilter
}

// Edge is an item of a connection with its cursor.
type Edge[T any] struct {
	Cursor string
	Node   T
}

// NewConnection wraps a domain page.
func NewConnection[T any](p *content.Page[T]) *Connection[T] { return &Connection[T]{page: p} }

// Edges returns the items with their cursors.
func (c *Connection[T]) Edges() []*Edge[T] {
	out := make([]*Edge[T], len(c.page.Items))
	for i, it := range c.page.Items {
		out[i] = &Edge[T]{Cursor: c.page.Cursors[i], Node: it}
	}
	return out
}

// Nodes returns the items.
func (c *Connection[T]) Nodes() []T { return c.page.Items }

// PageInfo returns where the page sits in the list.
func (c *Connection[T]) PageInfo() *PageInfo {
	return &PageInfo{
		HasNextPage:     c.page.HasNextPage,
		HasPreviousPage: c.page.HasPreviousPage,
		StartCursor:     c.page.StartCursor(),
		EndCursor:       c.page.EndCursor(),
	}
}

// TotalCount counts the whole list; it costs a store call, so it runs only
// when a client asks for it.
func (c *Connection[T]) TotalCount(ctx context.Context) (int, error) { return c.page.TotalCount(ctx) }

// The connections of the schema.
type (
	// ActivityConnection is a page of activities.
	ActivityConnection = Connection[*content.Activity]
	// ActivityEdge is an activity with its cursor.
	ActivityEdge = Edge[*content.Activity]
	// EditionConnection is a page of editions.
	EditionConnection = Connection[*content.Edition]
	// EditionEdge is an edition with its cursor.
	EditionEdge = Edge[*content.Edition]
	// InitiativeConnection is a page of initiatives.
	InitiativeConnection = Connection[*content.Initiative]
	// InitiativeEdge is an initiative with its cursor.
	InitiativeEdge = Edge[*content.Initiative]
	// OrganizationConnection is a page of organisations.
	OrganizationConnection = Connection[*content.Organization]
	// OrganizationEdge is an organisation with its cursor.
	OrganizationEdge = Edge[*content.Organization]
	// RecapConnection is a page of recaps.
	RecapConnection = Connection[*content.Recap]
	// RecapEdge is a recap with its cursor.
	RecapEdge = Edge[*content.Recap]
	// AuditEntryConnection is a page of the audit log.
	AuditEntryConnection = Connection[*content.AuditEntry]
	// AuditEntryEdge is an audit entry with its cursor.
	AuditEntryEdge = Edge[*content.AuditEntry]
	// RevisionConnection is a page of the revisions of a record.
	RevisionConnection = Connection[*content.Revision]
	// RevisionEdge is a revision with its cursor.
	RevisionEdge = Edge[*content.Revision]
)
