package seed

import "estafette/content"

// catalogCategories are the themes no source names as a theme of the
// event: the catalogue groups the 2024 initiatives and activities under
// them by the subjects the 2024 article describes. The five themes of the
// 2021 week of Regio Zuid are named by the sources and are not here.
var catalogCategories = map[string]bool{
	themeDigitaleCommunic:  true,
	themeMentaleGezondheid: true,
	themeEHealth:           true,
	themeZorgtechnologie:   true,
	themeDatagedreven:      true,
}

// markCatalogCategories sets CatalogCategory on the themes of records that
// are the catalogue's own categories, and returns records.
func markCatalogCategories(records []content.Record) []content.Record {
	for _, r := range records {
		if th, ok := r.(*content.Theme); ok && catalogCategories[th.ID] {
			th.CatalogCategory = true
		}
	}
	return records
}
