package content

// Organization is a ministry, funder, hospital, school, company, network,
// care provider, publisher or insurer that takes part in the relay.
type Organization struct {
	Meta
	Name        string            `json:"name"`
	Kind        *OrganizationKind `json:"kind,omitempty"`
	City        *string           `json:"city,omitempty"`
	Website     *string           `json:"website,omitempty"`
	Description Text              `json:"description"`
}

// RecordKind implements Record.
func (*Organization) RecordKind() Kind { return KindOrganization }

func (o *Organization) fields() Fields {
	f := Fields{
		"nameKey":     {SortKeyOf(o.Name)},
		"orgKind":     nil,
		"tokens":      Tokens(o.Name, o.Description.NL, o.Description.EN, deref(o.City)),
		"titleTokens": Tokens(o.Name),
	}
	if o.Kind != nil {
		f["orgKind"] = []string{string(*o.Kind)}
	}
	return f
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
