package content

// Region is one of the four regions of the relay. Each region holds three
// provinces and has one leg per edition.
type Region struct {
	Meta
	Name      Text        `json:"name"`
	Position  int         `json:"position"`
	Provinces []*Province `json:"provinces"`
}

// Province is a Dutch province; it belongs to one region.
type Province struct {
	RegionID string   `json:"-"`
	Slug     string   `json:"slug"`
	Name     string   `json:"name"`
	AltNames []string `json:"altNames,omitempty"`
}

// RecordKind implements Record.
func (*Region) RecordKind() Kind { return KindRegion }

func (r *Region) fields() Fields {
	f := Fields{"position": {yearKey(r.Position)}, "provinces": nil}
	for _, p := range r.Provinces {
		f["provinces"] = append(f["provinces"], p.Slug)
	}
	return f
}

func (r *Region) afterDecode() {
	for _, p := range r.Provinces {
		p.RegionID = r.ID
	}
}

// Province returns the region's province with the given slug, or nil.
func (r *Region) Province(slug string) *Province {
	for _, p := range r.Provinces {
		if p.Slug == slug {
			return p
		}
	}
	return nil
}
