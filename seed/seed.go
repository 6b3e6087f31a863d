// Package seed holds the real content of the Slimme Zorg Estafette (SZE) as
// Go values, built from the project's fact sheet (shared/sze-facts.md), and a
// generator of clearly marked synthetic activities for scale and load tests.
//
// Every seed record is published, is created as version 1 at the fixed
// time Time, has an ID equal to its slug, and names the sources its facts
// come from. Facts
// that are not known (a date, a time, a place, an address) are left empty:
// the seed never fills a gap with a guess.
//
// Content returns the records; Load and Sync write them through the
// catalog (content.Catalog.Seed): missing records are created, records the
// seed still owns follow changes of the seed, and records someone edited
// or deleted are never touched, so seeding again never undoes an edit.
// Synthetic and LoadSynthetic produce and store any number of synthetic
// activities, deterministically, adding only those that are missing.
package seed

import (
	"context"
	"time"

	"estafette/content"
)

// Time is the creation and update time of every seed record as the seed
// creates it (never a publication date: seed recaps have none, since no
// source gives one). It is fixed so
// that the seed is deterministic: the same seed gives the same records.
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
	out = append(out, markCatalogCategories(themes())...)
	out = append(out, editions()...)
	out = append(out, initiatives()...)
	out = append(out, activities()...)
	out = append(out, recaps()...)
	return out
}

// Load writes Content into cat with Sync and no options, and returns the
// number of seed records.
func Load(ctx context.Context, cat *content.Catalog) (int, error) {
	records := Content()
	if _, err := cat.Seed(ctx, records, content.SeedOptions{}); err != nil {
		return 0, err
	}
	return len(records), nil
}

// Sync writes Content into cat (see content.Catalog.Seed): it creates the
// records that are missing and updates those whose seed content changed
// while the seed still owns them (it wrote them last), each as a new
// version with an audit entry by "seed" and a change event; records that
// someone edited or deleted are left alone (with opts.ResetEdited edited
// ones are put back, as a new version). It writes in one Apply, all or
// nothing, and seeding twice changes nothing the second time.
func Sync(ctx context.Context, cat *content.Catalog, opts content.SeedOptions) (*content.SeedReport, error) {
	return cat.Seed(ctx, Content(), opts)
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
