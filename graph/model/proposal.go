package model

import (
	"time"

	"estafette/content"
)

// Proposal is a proposal of the public as the API shows it; Contact is
// set only for editors and the holder of the proposal's link.
type Proposal struct {
	ID              string
	RawID           string
	State           ProposalState
	EditionID       string
	RegionID        string
	ThemeIDs        []string
	ActivityID      string
	Title           string
	TitleEn         *string
	Summary         *string
	SummaryEn       *string
	Date            content.Date
	StartTime       string
	EndTime         string
	Mode            content.Mode
	VenueName       *string
	City            *string
	Province        *string
	Format          *content.Format
	Audiences       []content.Audience
	Interactive     *bool
	CoOrganisers    []string
	RegistrationURL *string
	Organisation    string
	Reason          *string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	ConfirmedAt     *time.Time
	DecidedAt       *time.Time
	Contact         *ProposalContact
	Version         int64
}
