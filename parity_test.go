package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"estafette/internal/app"
	"estafette/internal/collections"
	"estafette/mongodb"
	"estafette/seed"
)

// parityCorpus is what frontends, news pages and analysts ask. Every query
// must answer the same JSON on every backend: same IDs, same order, same
// cursors, same counts. Lists are followed through their cursors.
var parityCorpus = []string{
	`{ edition(year: 2023) { id name legs { order startsOn endsOn region { id slug provinces { name } } } } }`,
	`{ editions(first: 2) { totalCount edges { cursor node { year startsOn } } pageInfo { endCursor hasNextPage } } }`,
	`{ relay(at: "2023-02-21T10:00:00+01:00") { edition { year } current { region { slug } } next { region { slug } } previous { region { slug } } } }`,
	`{ regions { id slug name(locale: EN) legs { order edition { year } } activities(edition: 2024) { totalCount nodes { slug } } } }`,
	`{ initiatives(filter: {search: "beterdichtbij"}) { nodes { id name activities { nodes { slug venue { city province { name region { slug } } } } } } } }`,
	`{ activities(first: 25) { totalCount edges { cursor node { id slug startsAt edition { year } region { slug } initiative { slug } organizers { slug } themes { slug } } } pageInfo { endCursor hasNextPage } } }`,
	`{ activities(first: 30, filter: {region: "zuid", theme: "digitale-vaardigheden"}) { totalCount edges { cursor node { slug } } pageInfo { endCursor hasNextPage } } }`,
	`{ activities(first: 30, orderBy: {field: TITLE, direction: DESC}) { edges { cursor node { slug title } } pageInfo { endCursor hasNextPage } } }`,
	`{ activities(last: 20, filter: {edition: 2023}) { edges { cursor node { slug } } pageInfo { startCursor hasPreviousPage } } }`,
	`{ activities(first: 40, filter: {search: "zorg dig"}) { totalCount edges { cursor node { slug title } } pageInfo { endCursor hasNextPage } } }`,
	`{ activities(first: 40, filter: {search: "clienten"}) { totalCount nodes { slug } } }`,
	`{ activities(filter: {from: "2023-02-13T00:00:00+01:00", to: "2023-02-17T23:59:59+01:00", mode: ONLINE}) { totalCount nodes { slug startsAt } } }`,
	`{ activities(filter: {organization: "zonmw", format: WORKSHOP}) { totalCount nodes { slug } } }`,
	`{ organizations(first: 5) { totalCount edges { cursor node { slug name kind activities(first: 3) { totalCount nodes { slug } } } } pageInfo { endCursor hasNextPage } } }`,
	`{ themes { slug name activities(first: 2) { totalCount nodes { slug } } initiatives { nodes { slug } } } }`,
	`{ recaps { nodes { slug title excerpt(length: 60) readingTimeMinutes availableLocales activities { totalCount } } } }`,
	`{ stats(groupBy: [EDITION, REGION]) { keys { dimension value label id } count } }`,
	`{ stats(filter: {edition: 2023}, groupBy: [THEME, MODE]) { keys { value } count } }`,
	`{ stats(groupBy: [MONTH, WEEKDAY]) { keys { value } count } }`,
	`{ activities(filter: {region: "noord", edition: 2024}) { totalCount facets(dimensions: [REGION, THEME, FORMAT]) { dimension values { value count selected id } } } }`,
	`{ editionComparison { year activities { value previous change relativeChange } themes { value } } }`,
	`{ topOrganizations(limit: 5) { organization { slug } count } }`,
	`{ activity(slug: "synthetic-000042") { id title summary venue { name city } audiences interactive } }`,
	`{ activities(first: 0) { totalCount } }`,
	`{ activities(after: "nope") { totalCount } }`,
}

var nextCursor = regexp.MustCompile(`"endCursor":"([^"]+)","hasNextPage":true`)

// TestParityWithMongoDB serves the same content from the embedded store and
// from MongoDB and compares the answers to the corpus byte for byte.
func TestParityWithMongoDB(t *testing.T) {
	if mongoURI == "" {
		t.Skip("MONGODB_URI is not set; to run: MONGODB_URI=mongodb://127.0.0.1:27017 go test -run Parity .")
	}
	db := fmt.Sprintf("estafette_parity_%d_%d", os.Getpid(), time.Now().UnixNano()%1_000_000)
	t.Cleanup(func() {
		if s, err := mongodb.Open(context.Background(), mongoURI, db, collections.All(), mongodb.Options{}); err == nil {
			s.Drop(context.Background())
			s.Close()
		}
	})
	start := func(mongo bool) string {
		cfg := testConfig(t, t.TempDir())
		cfg.RateLimit.PerSecond = 0
		cfg.ResponseCacheSize = 0
		if mongo {
			cfg.MongoURI, cfg.MongoDatabase = mongoURI, db
		}
		m := app.New(cfg)
		if err := m.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { m.Close() })
		if err := seed.LoadSynthetic(context.Background(), m.Catalog(), 400, nil); err != nil {
			t.Fatal(err)
		}
		return "http://" + m.Addr() + "/query"
	}
	lite, mongo := start(false), start(true)
	ask := func(url, query string) []byte {
		body, _ := json.Marshal(map[string]string{"query": query})
		res, err := http.Post(url, "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return b
	}
	pages := 0
	for _, q := range parityCorpus {
		query := q
		for range 20 { // follow the cursor of the first connection
			a, b := ask(lite, query), ask(mongo, query)
			pages++
			if !bytes.Equal(a, b) {
				t.Errorf("the backends disagree on %s\n embedded: %.600s\n MongoDB:  %.600s", query, a, b)
				break
			}
			m := nextCursor.FindSubmatch(a)
			if m == nil || !strings.Contains(q, "first:") {
				break
			}
			next := string(m[1])
			if strings.Contains(query, "after:") {
				query = regexp.MustCompile(`after: "[^"]*"`).ReplaceAllString(query, `after: "`+next+`"`)
			} else {
				query = strings.Replace(query, "(first: ", `(after: "`+next+`", first: `, 1)
			}
		}
	}
	t.Logf("%d queries, %d pages: the same JSON from both backends", len(parityCorpus), pages)
}
