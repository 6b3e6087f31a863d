// Package sqlite is the embedded storage backend of Estafette: a
// content.Store on one SQLite file, through the pure-Go driver
// modernc.org/sqlite.
//
// Every kind of record has a table named after the kind, with the record's
// JSON body and one TEXT column per scalar index field of its
// content.Collection. Multi-valued fields (references, search tokens) live
// in a companion table <kind>_terms with one row per (field, value, id).
// The compound indexes of the collection become SQLite indexes with "id"
// appended, so a filtered, ordered page is one index range scan that stops
// at the limit.
//
// The schema is derived from the collections given to Open when the store
// opens (each package declares its own; estafette/internal/collections
// combines them):
// tables and indexes are created when missing and new scalar fields are
// added as columns, so opening a database written by an older build
// migrates it in place.
//
// Conditions of the query language become parameterised SQL; values are
// never written into the SQL text. Comparisons are byte-wise (the BINARY
// collation), a comparison on a null field is false, and a negation holds
// whenever its operand does not, which is what the MongoDB backend does too;
// the shared conformance suite in content/storetest checks both.
package sqlite
