package content

// Collections describes the kinds the content domain keeps: the content
// records, their revisions and slug aliases, and the audit log, with the fields and the compound indexes that
// back the API's filters and orderings. A compound index of a content kind
// always starts with "status" because every public read filters on it.
//
// Other packages own the collections of the records they keep (auth the
// API keys, events the change events, webhooks the endpoints and
// deliveries, persisted the persisted queries) and declare them next to
// the code that writes them. A store is opened with the full list of the
// program explicitly (see estafette/internal/collections); nothing
// registers itself here.
var Collections = []Collection{
	{
		Kind:    KindEdition,
		Scalars: []string{"slug", "status", "version", "updatedKey", "scheduleKey", "synthetic", "year", "startsOn", "endsOn"},
		Multis:  []string{"regions"},
		Unique:  []string{"slug", "year"},
		Indexes: [][]string{{"status", "scheduleKey"}, {"status", "year"}, {"status", "startsOn"}},
	},
	{
		Kind:    KindRegion,
		Scalars: []string{"slug", "status", "version", "updatedKey", "scheduleKey", "synthetic", "position"},
		Multis:  []string{"provinces"},
		Unique:  []string{"slug"},
		Indexes: [][]string{{"status", "scheduleKey"}, {"status", "position"}},
	},
	{
		Kind:    KindInitiative,
		Scalars: []string{"slug", "status", "version", "updatedKey", "scheduleKey", "synthetic", "nameKey"},
		Multis:  []string{"editions", "regions", "themes", "organizations", "tokens", "titleTokens"},
		Unique:  []string{"slug"},
		Indexes: [][]string{{"status", "scheduleKey"}, {"status", "nameKey"}},
	},
	{
		Kind: KindActivity,
		Scalars: []string{"slug", "status", "version", "updatedKey", "scheduleKey", "synthetic", "edition", "region", "initiative", "format", "mode",
			"province", "startKey", "endKey", "titleKey", "month", "weekday"},
		// themeKeys are the themes, or None; orgKinds are the kinds of the
		// published organisers, or None, copied in by Catalog.Encode (see
		// reindex.go). Statistics group on them.
		Multis: []string{"organizers", "themes", "audiences", "tokens", "titleTokens", "themeKeys", "orgKinds"},
		Unique: []string{"slug"},
		Indexes: [][]string{
			{"status", "scheduleKey"},
			{"status", "synthetic", "startKey"},
			{"status", "startKey"},
			{"status", "titleKey"},
			{"status", "edition", "startKey"},
			{"status", "region", "startKey"},
			{"status", "edition", "region", "startKey"},
			{"status", "initiative", "startKey"},
			{"status", "format", "startKey"},
			{"status", "mode", "startKey"},
			// Covers every scalar that statistics group on, so that a
			// grouping reads this index and not the documents.
			{"status", "edition", "region", "province", "initiative", "format", "mode", "month", "weekday", "startKey", "endKey"},
		},
	},
	{
		Kind:    KindOrganization,
		Scalars: []string{"slug", "status", "version", "updatedKey", "scheduleKey", "synthetic", "nameKey", "orgKind"},
		Multis:  []string{"tokens", "titleTokens"},
		Unique:  []string{"slug"},
		Indexes: [][]string{{"status", "scheduleKey"}, {"status", "nameKey"}, {"status", "orgKind", "nameKey"}},
	},
	{
		Kind:    KindTheme,
		Scalars: []string{"slug", "status", "version", "updatedKey", "scheduleKey", "synthetic", "nameKey"},
		Multis:  []string{"tokens", "titleTokens"},
		Unique:  []string{"slug"},
		Indexes: [][]string{{"status", "scheduleKey"}, {"status", "nameKey"}},
	},
	{
		Kind:    KindRecap,
		Scalars: []string{"slug", "status", "version", "updatedKey", "scheduleKey", "synthetic", "edition", "publishedKey"},
		Multis:  []string{"initiatives", "regions", "tokens", "titleTokens"},
		Unique:  []string{"slug"},
		Indexes: [][]string{{"status", "scheduleKey"}, {"status", "publishedKey"}, {"status", "edition", "publishedKey"}},
	},
	// The revisions: every record as it was after each of its writes,
	// written with the change (see revision.go).
	{
		Kind:    KindRevision,
		Scalars: []string{"recordKind", "recordId", "version", "at", "action", "published"},
		Indexes: [][]string{{"recordKind", "recordId", "version"}},
	},
	// The slug aliases: earlier slugs that keep leading to their record
	// (see alias.go); the document id is "<kind>:<slug>".
	{
		Kind:    KindAlias,
		Scalars: []string{"recordKind", "recordId", "slug", "version"},
		Indexes: [][]string{{"recordKind", "recordId", "slug"}},
	},
	// The audit log, which the catalog writes with every change.
	{
		Kind:    KindAudit,
		Scalars: []string{"at", "actor", "action", "recordKind", "recordId"},
		Indexes: [][]string{{"at"}, {"actor", "at"}, {"action", "at"}, {"recordKind", "at"}, {"recordId", "at"}},
	},
}

// LookupCollection returns the description of kind in colls, and false
// when colls do not describe it.
func LookupCollection(colls []Collection, kind Kind) (Collection, bool) {
	for _, c := range colls {
		if c.Kind == kind {
			return c, true
		}
	}
	return Collection{}, false
}
