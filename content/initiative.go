package content

// Initiative is a programme that runs activities during one or more editions,
// such as Tour de BeterDichtbij or the Expobike.
type Initiative struct {
	Meta
	Name            Text     `json:"name"`
	Summary         Text     `json:"summary"`
	OrganizationIDs []string `json:"organizations"`
	EditionIDs      []string `json:"editions"`
	RegionIDs       []string `json:"regions"`
	ThemeIDs        []string `json:"themes"`
	Website         *string  `json:"website,omitempty"`
}

// RecordKind implements Record.
func (*Initiative) RecordKind() Kind { return KindInitiative }

func (i *Initiative) fields() Fields {
	return Fields{
		"nameKey":       {SortKeyOf(i.Name.NL)},
		"editions":      i.EditionIDs,
		"regions":       i.RegionIDs,
		"themes":        i.ThemeIDs,
		"organizations": i.OrganizationIDs,
		"tokens":        Tokens(i.Name.NL, i.Name.EN, i.Summary.NL, i.Summary.EN),
		"titleTokens":   Tokens(i.Name.NL, i.Name.EN),
	}
}
