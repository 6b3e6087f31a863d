// Package content is the domain of Estafette: the records of the Slimme Zorg
// Estafette (editions, regions, legs, initiatives, activities, organisations,
// themes and recaps), the filters and orderings the API offers, search
// normalisation, cursors, validation, error codes and the Store boundary that
// every storage backend implements.
//
// Nothing in this package knows about GraphQL, HTTP, SQL or BSON. Backends are
// translators: they store documents with the index values this package
// computes, and answer the small query language defined in store.go.
package content
