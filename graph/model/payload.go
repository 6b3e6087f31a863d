package model

import "estafette/content"

// Payload is the result of a write of one record: the record as stored and
// its version. The schema has one payload type per record type, each naming
// the record after its type (ActivityPayload.activity); gqlgen.yml binds that
// field to Record.
type Payload[T any] struct {
	Record  *T
	Version int
}

// The payloads of the schema's writes.
type (
	// ActivityPayload is the result of a write of an activity.
	ActivityPayload = Payload[content.Activity]
	// EditionPayload is the result of a write of an edition.
	EditionPayload = Payload[content.Edition]
	// RegionPayload is the result of a write of a region.
	RegionPayload = Payload[content.Region]
	// InitiativePayload is the result of a write of an initiative.
	InitiativePayload = Payload[content.Initiative]
	// OrganizationPayload is the result of a write of an organisation.
	OrganizationPayload = Payload[content.Organization]
	// ThemePayload is the result of a write of a theme.
	ThemePayload = Payload[content.Theme]
	// RecapPayload is the result of a write of a recap.
	RecapPayload = Payload[content.Recap]
)
