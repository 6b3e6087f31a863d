package graph_test

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"estafette/content"
	"estafette/internal/apitest"
	"estafette/web"
	"estafette/web/ratelimit"
)

// Abusive documents are refused with their own code before any store call.
func TestQueryLimits(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	deep := strings.Repeat("region { activities { nodes { ", 10) + "slug" + strings.Repeat(" } } }", 10)
	var aliases strings.Builder
	for i := range 500 {
		fmt.Fprintf(&aliases, "a%d: regions { slug } ", i)
	}
	costly := `{ activities(first: 100) { nodes { initiative { activities(first: 100) { nodes { edition { activities(first: 100) { nodes { region { activities(first: 100) { nodes { initiative { activities(first: 100) { nodes { slug } } } } } } } } } } } } } } }`
	var directives strings.Builder
	directives.WriteString("{ regions { ")
	for i := range 15 {
		fmt.Fprintf(&directives, "s%d: slug @include(if: true) @skip(if: false) ", i)
	}
	directives.WriteString("} }")
	wide := `{ editions(first: 100) { nodes { activities(first: 100) { nodes { themes { activities(first: 100) { nodes { slug } } } } } } } }`
	cases := []struct{ name, query, code string }{
		{"30 levels deep", `{ activities { nodes { ` + deep + ` } } }`, "MAX_DEPTH_EXCEEDED"},
		{"500 aliases", "{ " + aliases.String() + "}", "MAX_ALIASES_EXCEEDED"},
		{"first: 100 five levels deep", costly, "MAX_DEPTH_EXCEEDED"},
		{"three pages of 100 inside each other", wide, "MAX_COST_EXCEEDED"},
		{"30 directives", directives.String(), "MAX_DIRECTIVES_EXCEEDED"},
		{"20,000 tokens", "{ " + strings.Repeat("regions { slug } ", 5000) + "}", "GRAPHQL_PARSE_FAILED"},
	}
	for _, c := range cases {
		env.Store.Reset()
		r := env.Query(t, c.query, nil, "Accept", "application/graphql-response+json")
		if r.Code() != c.code || r.Status != http.StatusBadRequest || r.HasData {
			t.Errorf("%s: %d %.300s", c.name, r.Status, r.Raw)
		}
		if n := env.Store.Calls(); n != 0 {
			t.Errorf("%s: %d store calls before the refusal", c.name, n)
		}
	}
	// An accepted query reports its cost.
	r := env.Query(t, `{ activities(first: 10) { nodes { edition { year } themes { slug } } } }`, nil)
	if !strings.Contains(string(r.Raw), `"cost":{"budget":11000,"requested":132}`) {
		t.Errorf("cost not reported as expected: %s", r.Raw[max(0, len(r.Raw)-120):])
	}
}

func TestRateLimit(t *testing.T) {
	env := apitest.New(t, apitest.Options{RateLimit: ratelimit.Config{PerSecond: 2, Burst: 5}})
	var limited apitest.Response
	for range 12 {
		r := env.Do(t, "GET", "/healthz", nil)
		if r.Status == http.StatusTooManyRequests {
			limited = r
			break
		}
	}
	if limited.Status != http.StatusTooManyRequests {
		t.Fatal("12 requests at once were not limited at 2/s with a burst of 5")
	}
	if s, err := strconv.Atoi(limited.Header.Get("Retry-After")); err != nil || s < 1 {
		t.Errorf("Retry-After %q", limited.Header.Get("Retry-After"))
	}
	if limited.Code() != "RATE_LIMITED" {
		t.Errorf("body %s", limited.Raw)
	}
	// A key has a bucket of its own.
	key := env.Key(t, "redactie", content.RoleEditor)
	if r := env.Do(t, "GET", "/healthz", nil, key...); r.Status != 200 {
		t.Errorf("a key shares the anonymous bucket: %d", r.Status)
	}
}

func TestPreviewOfDrafts(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	editor := env.Key(t, "redactie", content.RoleEditor)
	reader := env.Key(t, "preview", content.RoleReader)
	env.Query(t, `mutation { createActivity(input: {slug: "concept", edition: 2024, title: {nl: "Nog geheim"}}) { version } }`, nil, editor...).Decode(t, &struct{}{})

	count := func(q string, headers ...string) (int, apitest.Response) {
		r := env.Query(t, q, nil, headers...)
		var got struct {
			Edition struct{ Activities struct{ TotalCount int } }
		}
		if len(r.Errors) == 0 {
			r.Decode(t, &got)
		}
		return got.Edition.Activities.TotalCount, r
	}
	const q = `{ edition(year: 2024%s) { activities { totalCount } } }`
	public, _ := count(fmt.Sprintf(q, ""))
	drafts, _ := count(fmt.Sprintf(q, ", preview: true"), reader...)
	if drafts != public+1 {
		t.Errorf("preview: %d activities, public %d", drafts, public)
	}
	if n, _ := count(fmt.Sprintf(q, ""), append(reader, "X-Preview", "true")...); n != public+1 {
		t.Errorf("preview header: %d", n)
	}
	if n, _ := count(fmt.Sprintf(q, ""), reader...); n != public {
		t.Errorf("a reader without preview sees drafts: %d", n)
	}
	if _, r := count(fmt.Sprintf(q, ", preview: true")); r.Status != http.StatusUnauthorized || r.Code() != "UNAUTHENTICATED" {
		t.Errorf("anonymous preview: %d %s", r.Status, r.Raw)
	}
}

// TestAuthorizationMatrix sends every mutation and every admin field as
// anonymous, reader, editor and admin, and checks who is let through.
func TestAuthorizationMatrix(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: web.SDL()})
	callers := map[string][]string{
		"anonymous": nil,
		"reader":    env.Key(t, "lezer", content.RoleReader),
		"editor":    env.Key(t, "redacteur", content.RoleEditor),
		"admin":     env.Key(t, "beheerder", content.RoleAdmin),
	}
	rank := map[string]int{"anonymous": 0, "reader": 1, "editor": 2, "admin": 3}
	needs := func(f *ast.FieldDefinition) int {
		if d := f.Directives.ForName("hasRole"); d != nil {
			return rank[strings.ToLower(d.Arguments.ForName("role").Value.Raw)]
		}
		return 0
	}
	var ops []struct {
		doc  string
		need int
	}
	for _, f := range schema.Mutation.Fields {
		ops = append(ops, struct {
			doc  string
			need int
		}{"mutation { " + f.Name + args(schema, f.Arguments) + selection(schema, f.Type) + " }", needs(f)})
	}
	for _, f := range schema.Query.Fields {
		if needs(f) > 0 {
			ops = append(ops, struct {
				doc  string
				need int
			}{"{ " + f.Name + args(schema, f.Arguments) + selection(schema, f.Type) + " }", needs(f)})
		}
	}
	ops = append(ops, struct {
		doc  string
		need int
	}{`{ activities(preview: true) { totalCount } }`, rank["reader"]})
	if len(ops) < 45 {
		t.Fatalf("only %d operations; the schema lost its mutations?", len(ops))
	}
	for _, op := range ops {
		for who, headers := range callers {
			r := env.Query(t, op.doc, nil, headers...)
			code := r.Code()
			switch {
			case rank[who] >= op.need && (code == "UNAUTHENTICATED" || code == "FORBIDDEN" || code == "GRAPHQL_VALIDATION_FAILED"):
				t.Errorf("%s refused (%s) for %s: %.200s", who, code, op.doc, r.Raw)
			case rank[who] < op.need && who == "anonymous" && (code != "UNAUTHENTICATED" || r.Status != 401):
				t.Errorf("anonymous not refused with 401 for %s: %d %.200s", op.doc, r.Status, r.Raw)
			case rank[who] < op.need && who != "anonymous" && (code != "FORBIDDEN" || r.Status != 403):
				t.Errorf("%s not refused with 403 for %s: %d %.200s", who, op.doc, r.Status, r.Raw)
			}
		}
	}
}

// args fills the required arguments with values of the right type.
func args(s *ast.Schema, defs ast.ArgumentDefinitionList) string {
	var parts []string
	for _, a := range defs {
		if a.Type.NonNull && a.DefaultValue == nil {
			parts = append(parts, a.Name+": "+value(s, a.Type))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func value(s *ast.Schema, t *ast.Type) string {
	if t.Elem != nil {
		return "[" + value(s, t.Elem) + "]"
	}
	def := s.Types[t.NamedType]
	switch {
	case def.Kind == ast.Enum:
		return def.EnumValues[0].Name
	case def.Kind == ast.InputObject:
		var fields []string
		for _, f := range def.Fields {
			if f.Type.NonNull && f.DefaultValue == nil {
				fields = append(fields, f.Name+": "+value(s, f.Type))
			}
		}
		return "{" + strings.Join(fields, ", ") + "}"
	}
	return map[string]string{"ID": `"QWN0aXZpdHk6bm9wZQ"`, "Int": "2023", "String": `"matrix"`, "Boolean": "true",
		"Date": `"2023-02-06"`, "DateTime": `"2023-02-06T10:00:00+01:00"`}[t.NamedType]
}

func selection(s *ast.Schema, t *ast.Type) string {
	for t.Elem != nil {
		t = t.Elem
	}
	if k := s.Types[t.NamedType].Kind; k == ast.Object || k == ast.Interface {
		return " { __typename }"
	}
	return ""
}

func TestProductionHidesTheSchema(t *testing.T) {
	env := apitest.New(t, apitest.Options{Production: true})
	r := env.Query(t, `{ __schema { types { name } } }`, nil)
	if len(r.Errors) == 0 || strings.Contains(string(r.Raw), `"name":"Activity"`) {
		t.Errorf("introspection in production: %.300s", r.Raw)
	}
	r = env.Query(t, `{ activitys { totalCount } }`, nil)
	if strings.Contains(string(r.Raw), "Did you mean") {
		t.Errorf("suggestions in production: %s", r.Raw)
	}
	dev := apitest.New(t, apitest.Options{})
	if r := dev.Query(t, `{ activitys { totalCount } }`, nil); !strings.Contains(string(r.Raw), "Did you mean") {
		t.Errorf("no suggestions in development: %s", r.Raw)
	}
}

func TestRequestTimeout(t *testing.T) {
	env := apitest.New(t, apitest.Options{Timeout: time.Nanosecond})
	r := env.Query(t, `{ activities { totalCount } }`, nil)
	if r.Code() != "REQUEST_TIMEOUT" {
		t.Errorf("a request over its deadline: %d %q", r.Status, r.Raw)
	}
}
