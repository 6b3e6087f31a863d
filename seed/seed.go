// Package seed holds the real content of the Slimme Zorg Estafette (SZE) as
// Go values, built from the project's fact sheet (shared/sze-facts.md), and a
// generator of clearly marked synthetic activities for scale and load tests.
//
// Every seed record is published, has version 1, the fixed timestamp Time,
// an ID equal to its slug, and names the sources its facts come from. Facts
// that are not known (a date, a time, a place, an address) are left empty:
// the seed never fills a gap with a guess.
//
// Content returns the records; Load saves them in one all-or-nothing Save.
// Synthetic and LoadSynthetic produce and store any number of synthetic
// activities, deterministically.
package seed

import (
	"context"
	"time"

	"estafette/content"
)

// Time is the creation and update time of every seed record and the
// publication time of every seed recap. It is fixed so that the seed is
// deterministic: loading it twice gives byte-identical documents.
var Time = time.Date(2026, time.November, 22, 12, 0, 0, 0, content.Amsterdam)

// Content returns the real SZE content: regions with their provinces,
// organisations, themes, the editions 2021–2024 with their legs, the 2024
// initiatives, activities and recaps. Referenced records come before the
// records that reference them. Every call builds new values, so callers may
// change what they get.
func Content() []content.Record {
	var out []content.Record
	out = append(out, regions()...)
	out = append(out, organizations()...)
	out = append(out, themes()...)
	out = append(out, editions()...)
	out = append(out, initiatives()...)
	out = append(out, activities()...)
	out = append(out, recaps()...)
	return out
}

// Load saves Content into cat in a single Save, so either all records are
// stored or none, and returns the number of records. Save replaces records
// by id, so loading twice leaves the same data.
func Load(ctx context.Context, cat *content.Catalog) (int, error) {
	records := Content()
	if err := cat.Save(ctx, records...); err != nil {
		return 0, err
	}
	return len(records), nil
}

// IsEmpty reports whether store holds no editions, drafts included: a store
// without editions has not been seeded.
func IsEmpty(ctx context.Context, store content.Store) (bool, error) {
	n, err := store.Count(ctx, content.KindEdition, nil)
	if err != nil {
		return false, err
	}
	return n == 0, nil
}

// meta returns the metadata of a seed record whose id and slug are id.
func meta(id string, sources ...content.Source) content.Meta {
	return content.Meta{
		ID:        id,
		Slug:      id,
		Status:    content.StatusPublished,
		Version:   1,
		CreatedAt: Time,
		UpdatedAt: Time,
		Sources:   sources,
	}
}

// text returns a text in Dutch and English.
func text(nl, en string) content.Text { return content.Text{NL: nl, EN: en} }

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }

// day returns a pointer to the date y-m-d.
func day(y int, m time.Month, d int) *content.Date {
	v := content.D(y, m, d)
	return &v
}
