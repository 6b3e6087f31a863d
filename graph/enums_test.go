package graph_test

import (
	"slices"
	"strings"
	"testing"

	"estafette/content"
	"estafette/graph"
	"estafette/internal/apitest"
)

// Every value of a content enum has the GraphQL value of its upper-case name
// and every GraphQL value has a content value. gqlgen already refuses a
// GraphQL value without a constant in gqlgen.yml (enum_values); this catches
// a constant added to content without a value in the schema, which would be
// written as "".
func TestEnumsMatchContent(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	for name, values := range map[string][]string{
		"Locale":           names(content.Locales),
		"ActivityMode":     names(content.Modes),
		"ActivityFormat":   names(content.Formats),
		"Audience":         names(content.Audiences),
		"OrganizationKind": names(content.OrganizationKinds),
		"Status":           names(content.Statuses),
		"Role":             names(content.Roles),
		"Dimension":        names(content.Dimensions),
	} {
		def := schema.Types[name]
		if def == nil {
			t.Errorf("the schema has no enum %s", name)
			continue
		}
		var inSchema []string
		for _, v := range def.EnumValues {
			inSchema = append(inSchema, v.Name)
		}
		slices.Sort(inSchema)
		slices.Sort(values)
		if !slices.Equal(inSchema, values) {
			t.Errorf("enum %s: the schema has %v, content %v", name, inSchema, values)
		}
	}
}

func names[T ~string](all []T) []string {
	out := make([]string, len(all))
	for i, v := range all {
		out[i] = strings.ToUpper(string(v))
	}
	return out
}

// Enum values travel as their GraphQL names both ways: in arguments and
// variables, and in results.
func TestEnumsOnTheWire(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	var got struct {
		Stats []struct {
			Keys []struct{ Dimension string }
		}
		Activities struct {
			Nodes []struct {
				Mode      *string
				Format    *string
				Audiences []string
			}
		}
	}
	env.Query(t, `query($mode: ActivityMode) {
		stats(groupBy: [ORGANIZATION_KIND]) { keys { dimension } }
		activities(first: 50, filter: {mode: $mode}) { nodes { mode format audiences } }
	}`, map[string]any{"mode": "ONSITE"}).Decode(t, &got)
	if len(got.Stats) == 0 || got.Stats[0].Keys[0].Dimension != "ORGANIZATION_KIND" {
		t.Errorf("stats by ORGANIZATION_KIND: %+v", got.Stats)
	}
	if len(got.Activities.Nodes) == 0 {
		t.Fatal("no onsite activities in the seed")
	}
	upper := func(s string) bool { return s != "" && s == strings.ToUpper(s) }
	for _, a := range got.Activities.Nodes {
		if a.Mode == nil || *a.Mode != "ONSITE" {
			t.Errorf("filter mode ONSITE gave mode %v", a.Mode)
		}
		if a.Format != nil && !upper(*a.Format) {
			t.Errorf("format %q is not an enum name", *a.Format)
		}
		for _, au := range a.Audiences {
			if !upper(au) {
				t.Errorf("audience %q is not an enum name", au)
			}
		}
	}
}
