package content

import (
	"context"
	"slices"
	"strconv"
)

// Facet is the counts of the values of one dimension next to a filtered
// list of activities.
type Facet struct {
	Dimension Dimension
	Values    []FacetValue
}

// FacetValue is one value of a facet: the same Value, Label and ID as a
// StatKey, the number of activities, and whether the filter selects it.
type FacetValue struct {
	// Dimension is the facet's, so that a value can be read on its own.
	Dimension Dimension
	Value     *string
	Label     string
	ID        string
	Count     int
	Selected  bool

	rank string
}

// ActivityFacets returns, for each dimension in dims (each at most once),
// the number of visible activities per value of that dimension among the
// activities that match f with the filter on that dimension itself removed,
// as shops do: with region "zuid" and format "workshop" selected, the region
// facet counts the workshops in every region and the format facet counts
// every format in the south. So the count of a selected value is the total
// of the list, and selecting another value of the facet gives that value's
// count as the new total.
//
// The filters a dimension removes are the caller's ones: EditionYear,
// RegionSlug, InitiativeSlug, ThemeSlug, Format and Mode. Restrictions set
// by a parent record (RegionID for a region's activities, and the other ID
// fields) stay, as do the filters without a dimension (organisation, time
// window, search); dimensions without a filter of their own (province,
// organisation kind, month, weekday) count under the whole filter.
//
// Values come in the order of Stats, unknown last, with the selected one
// marked; a selected value without activities is listed with count 0 when
// it names a visible record or a valid enum value. Multi-valued dimensions
// (theme, organisation kind) count an activity once per value. Returns
// EINVALID for bad dimensions or filters, EINTERNAL when the store fails.
func (c *Catalog) ActivityFacets(ctx context.Context, f ActivityFilter, dims []Dimension) ([]Facet, error) {
	if err := checkDimensions("dimensions", dims, len(Dimensions)); err != nil {
		return nil, err
	}
	// A bad filter is refused even when every dimension removes it.
	if _, _, err := c.activityWhere(ctx, f); err != nil {
		return nil, err
	}
	out := make([]Facet, 0, len(dims))
	for _, d := range dims {
		g := withoutDimension(f, d)
		where, ok, err := c.activityWhere(ctx, g)
		if err != nil {
			return nil, err
		}
		var buckets []StatBucket
		if ok {
			if buckets, err = c.stats(ctx, where, []Dimension{d}); err != nil {
				return nil, err
			}
		}
		sel, selID, err := c.selected(ctx, f, d)
		if err != nil {
			return nil, err
		}
		facet := Facet{Dimension: d, Values: make([]FacetValue, 0, len(buckets)+1)}
		found := false
		for _, b := range buckets {
			k := b.Keys[0]
			v := FacetValue{Dimension: d, Value: k.Value, Label: k.Label, ID: k.ID, Count: b.Count, rank: k.rank}
			if k.Value != nil && ((sel != nil && *sel == *k.Value) || (selID != "" && selID == k.ID)) {
				v.Selected, found = true, true
			}
			facet.Values = append(facet.Values, v)
		}
		if !found && (sel != nil || selID != "") {
			if v, ok, err := c.zeroFacetValue(ctx, d, sel, selID); err != nil {
				return nil, err
			} else if ok {
				facet.Values = insertFacetValue(facet.Values, v)
			}
		}
		out = append(out, facet)
	}
	return out, nil
}

// withoutDimension returns f without the caller's filter on dimension d.
func withoutDimension(f ActivityFilter, d Dimension) ActivityFilter {
	switch d {
	case DimensionEdition:
		f.EditionYear = nil
	case DimensionRegion:
		f.RegionSlug = nil
	case DimensionInitiative:
		f.InitiativeSlug = nil
	case DimensionTheme:
		f.ThemeSlug = nil
	case DimensionFormat:
		f.Format = nil
	case DimensionMode:
		f.Mode = nil
	}
	return f
}

// selected returns the value f selects on dimension d (as a StatKey.Value)
// and the id of the record a parent restricts it to, if any.
func (c *Catalog) selected(ctx context.Context, f ActivityFilter, d Dimension) (*string, string, error) {
	str := func(s string) *string { return &s }
	switch d {
	case DimensionEdition:
		if f.EditionYear != nil {
			return str(strconv.Itoa(*f.EditionYear)), f.EditionID, nil
		}
		return nil, f.EditionID, nil
	case DimensionRegion:
		return f.RegionSlug, f.RegionID, nil
	case DimensionInitiative:
		return f.InitiativeSlug, f.InitiativeID, nil
	case DimensionTheme:
		return f.ThemeSlug, f.ThemeID, nil
	case DimensionFormat:
		if f.Format != nil {
			return str(string(*f.Format)), "", nil
		}
	case DimensionMode:
		if f.Mode != nil {
			return str(string(*f.Mode)), "", nil
		}
	}
	return nil, "", nil
}

// zeroFacetValue is the selected value of d with count 0, when it names a
// visible record or a valid enum value.
func (c *Catalog) zeroFacetValue(ctx context.Context, d Dimension, sel *string, selID string) (FacetValue, bool, error) {
	raw := selID
	if sel != nil {
		switch d {
		case DimensionEdition:
			y, err := strconv.Atoi(*sel)
			if err != nil {
				return FacetValue{}, false, nil
			}
			ids, err := c.resolve(ctx, KindEdition, "year", yearKey(y))
			if err != nil || len(ids) == 0 {
				return FacetValue{}, false, err
			}
			raw = ids[0]
		case DimensionRegion, DimensionInitiative, DimensionTheme:
			kind := map[Dimension]Kind{DimensionRegion: KindRegion, DimensionInitiative: KindInitiative, DimensionTheme: KindTheme}[d]
			ids, err := c.resolve(ctx, kind, "slug", *sel)
			if err != nil || len(ids) == 0 {
				return FacetValue{}, false, err
			}
			raw = ids[0]
		case DimensionFormat:
			if !slices.Contains(Formats, Format(*sel)) {
				return FacetValue{}, false, nil
			}
			raw = *sel
		case DimensionMode:
			if !slices.Contains(Modes, Mode(*sel)) {
				return FacetValue{}, false, nil
			}
			raw = *sel
		}
	}
	keys, err := c.statKeys(ctx, d, []string{raw})
	if err != nil {
		return FacetValue{}, false, err
	}
	k := keys[raw]
	if k.Value == nil {
		return FacetValue{}, false, nil
	}
	return FacetValue{Dimension: d, Value: k.Value, Label: k.Label, ID: k.ID, Selected: true, rank: k.rank}, true, nil
}

// insertFacetValue puts v among values in the order of Stats.
func insertFacetValue(values []FacetValue, v FacetValue) []FacetValue {
	i := 0
	for i < len(values) && values[i].rank <= v.rank {
		i++
	}
	return slices.Insert(values, i, v)
}
