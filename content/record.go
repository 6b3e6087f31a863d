package content

import "time"

// Meta is what every record carries: identity, publication state, version
// and the sources its facts come from.
type Meta struct {
	ID        string    `json:"id"`
	Slug      string    `json:"slug"`
	Status    Status    `json:"status"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
	// DeletedAt is set when the record was deleted: it is kept, invisible,
	// for 30 days, so that an admin can restore it.
	DeletedAt *time.Time `json:"deletedAt,omitempty"`
	Sources   []Source   `json:"sources"`
	// SeedHash is the ContentHash of the content the seed last wrote into
	// the record (see Catalog.Seed); empty for records the seed never
	// wrote. An edit keeps it, so the record's content no longer matches
	// it: that is how the seed knows the record is not its own any more.
	SeedHash string `json:"seedHash,omitempty"`
	// Schedule is the publication or unpublication planned for the
	// record, if any (see Catalog.Schedule); indexed as scheduleKey.
	Schedule *Schedule `json:"schedule,omitempty"`
	// Synthetic marks invented test data (see estafette/seed.Synthetic):
	// indexed as synthetic ("1" when set, null otherwise), left out of
	// every public list, count and statistic unless asked for
	// (ActivityFilter.Synthetic), and removed all at once by
	// Catalog.RemoveSynthetic. Real records never reference synthetic
	// ones, nor synthetic records real organisations, initiatives or
	// themes.
	Synthetic bool `json:"synthetic,omitempty"`
}

// meta returns the record's metadata; it makes every record a Record.
func (m *Meta) meta() *Meta { return m }

// Record is any content record.
type Record interface {
	meta() *Meta
	// RecordKind returns the kind of the record.
	RecordKind() Kind
	// fields returns the index values of the record, besides the common ones.
	fields() Fields
}

// Source is where a fact comes from. The URL is null when the exact address
// of the source is not known; the date is null when it is not known.
// PublishedOn is the day of publication when the day is known; Published
// is the publication date as precisely as it is known (a month, for
// example), and holds the day too when PublishedOn is set.
type Source struct {
	Title       string       `json:"title"`
	URL         *string      `json:"url,omitempty"`
	Publisher   *string      `json:"publisher,omitempty"`
	PublishedOn *Date        `json:"publishedOn,omitempty"`
	Published   *PartialDate `json:"published,omitempty"`
}

// PublishedAsKnown returns the publication date of s as precisely as it is
// known, or nil: Published, or else the day PublishedOn.
func (s Source) PublishedAsKnown() *PartialDate {
	if s.Published != nil {
		return s.Published
	}
	if s.PublishedOn != nil {
		return &PartialDate{Year: s.PublishedOn.Year, Month: int(s.PublishedOn.Month), Day: s.PublishedOn.Day}
	}
	return nil
}

// IsPublished reports whether the public may see the record.
func (m *Meta) IsPublished() bool { return m.Status == StatusPublished }

// MetaOf returns the metadata of any record.
func MetaOf(r Record) *Meta { return r.meta() }
