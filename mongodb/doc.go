// Package mongodb is the production storage backend of Estafette: a
// content.Store on a MongoDB deployment (6.0 or later, standalone, replica
// set, sharded cluster or Atlas) or a MongoDB-compatible engine (Amazon
// DocumentDB, Azure Cosmos DB for MongoDB, FerretDB), through the official
// driver go.mongodb.org/mongo-driver/v2. It answers exactly like the
// embedded sqlite store: the conformance suite in content/storetest runs
// against both.
//
// # Layout
//
// Every kind of record has a collection named after the kind ("activity",
// "edition", …) in one database. A document holds the record's JSON body as
// a BSON sub-document, readable for operators, next to the index values
// content derived from it:
//
//	{
//	  _id:       "act-42",                      // the record id
//	  body:      { id: "act-42", title: {…}, … }, // the record, as content encoded it
//	  slug:      "week-noord-opening",          // scalar fields: a string, absent when null
//	  status:    "published",
//	  version:   "000000000003",
//	  startKey:  "2023-02-06T09:00:00.000Z",
//	  …
//	  themes:    ["th-digi", "th-mental"],      // multi-valued fields: an array of distinct strings, absent when empty
//	  tokens:    ["beter", "dichtbij", …],
//	  updatedAt: ISODate("2023-01-10T09:00:00Z") // a BSON date of the "updatedKey" field, for operators
//	}
//
// The backend filters and sorts on the top-level fields only; it never
// looks inside body. The names _id, body and updatedAt are reserved: Open
// refuses a content.Collection that uses them. JSON numbers in a body are
// stored as int32 or int64 when they are integers that fit, else as
// doubles; reading a body back writes the same JSON values (key order kept).
//
// # Indexes
//
// Open creates, idempotently, for every collection: a unique index on
// every unique field (sparse, so any number of documents may lack the
// value), every compound index of the content.Collection with _id appended
// as the tiebreaker (so a keyset page is one index range read in order, in
// either direction), and for every multi-valued field a multikey index
// {status, field, _id} (references such as themes and organizers, and the
// search tokens). Index names start with "est_"; an index with such a name
// that the collections no longer ask for, or whose definition changed, is
// dropped and made again.
//
// # Queries
//
// Conditions become find filters with the semantics of the conformance
// suite: Eq is {f: v}, In is {f: {$in: […]}} ({$in: []} matches nothing),
// ranges are $gt/$gte/$lt/$lte, which never match a missing field (BSON
// type bracketing), Prefix is {f: {$regex: "^…"}} with every regular
// expression metacharacter escaped (a byte-wise prefix that can use an
// index), And and Or are $and and $or, and Not is $nor, which matches
// whenever its operand does not, including documents where the field is
// missing. On an array field every comparison holds when it holds for one
// element, which is the rule of content's multi-valued fields. Strings
// compare byte-wise (no collation), and a missing field sorts before every
// string, as in the embedded store.
//
// Get is one find with {_id: {$in: ids}}; Find is one find with a filter,
// a sort, a limit and a projection that leaves out the multi-valued fields;
// Count is the aggregation [$match, $count] and Group [$match, $group] on
// the plain fields, a multi-valued field by its whole array, expanded into
// one bucket per value (and the cross product of several) in Go.
//
// # Portable subset
//
// Only finds and aggregations built from $match, $group (with $sum, $avg,
// $min, $max, $first), $sort, $project, $unwind, $skip, $limit and $count
// are sent, with the query operators $and, $or, $nor, $eq, $in, $gt, $gte,
// $lt, $lte, $regex and $exists. No $lookup, $facet, $push, $text, change
// streams or Atlas Search. Within that, FerretDB 1.x sets two more
// limits: $project may only include or exclude fields (it takes "$f" for
// a string), and after $unwind only _id and the unwound field are left.
// TestPortableSubset walks every filter and pipeline the package builds
// for a representative set of queries and fails on anything else.
//
// # Writes
//
// Every write uses write concern majority (unless the URI says otherwise)
// and retryable writes. Put replaces documents by _id (upsert); Apply guards
// each change on the stored "version" field. When the deployment supports
// multi-document transactions (a replica set or a sharded cluster with
// sessions, checked once at Open with the hello command), Put and Apply run
// in one transaction, so they are all or none. Without transactions (a
// standalone server, FerretDB, or Options.NoTransactions) the fallback is:
//
//  0. take a lock per guarded document, an insert into the collection
//     est_lock (an engine such as FerretDB 1.x runs a filtered replace as
//     a read and a write that another writer can come between; a
//     duplicate _id is refused atomically everywhere), waiting briefly
//     for a lock another writer holds; the locks are released at the end
//     and a lock whose holder died is taken over after its lease;
//  1. read the documents the writes touch, check every expected version and
//     every unique value before anything is written (ECONFLICT otherwise);
//  2. insert the Also documents of a write first, then the guarded change,
//     as a replace or delete filtered on {_id, version: expected} (an
//     insert when the document must be new); when it matches nothing, the
//     document changed in the meantime: ECONFLICT;
//  3. on any failure, undo what this call wrote, in reverse order: remove
//     the Also documents it inserted and put back the documents it
//     replaced or deleted, each guarded on the version this call wrote.
//
// So a change is never stored without its record, and a refused call
// leaves nothing behind unless the process dies between steps 2 and 3; a
// record left that way is recognisable by its version, which no stored
// document has.
package mongodb
