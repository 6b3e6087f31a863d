package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"estafette/content"
	"estafette/internal/apitest"
	"estafette/web"
	"estafette/web/gqlhttp"
)

// fullStore fails every read like a store whose disk is full or failing.
type fullStore struct{ content.Store }

func (fullStore) Find(context.Context, content.Query) ([]content.Doc, error) {
	return nil, content.Unavailable(errors.New("sqlite: database or disk is full (13) at /var/lib/estafette"),
		"The store's disk is full: changes cannot be saved. Free space on the server and try again.")
}

// A storage fault reaches the client as STORE_UNAVAILABLE with the domain's
// message, not as a generic internal error; a request of which nothing
// could run answers 503, one that partly ran 200.
func TestStoreUnavailable(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	var logs bytes.Buffer
	srv := httptest.NewServer(web.New(web.Deps{
		Catalog: content.NewCatalog(fullStore{Store: env.Catalog.Store()}),
		Options: gqlhttp.Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))},
	}))
	defer srv.Close()
	for _, c := range []struct {
		query  string
		status int
	}{
		{`{ activities { nodes { slug } } }`, http.StatusServiceUnavailable},
		{`{ __typename activity(slug: "x") { slug } }`, http.StatusOK},
	} {
		body, _ := json.Marshal(map[string]string{"query": c.query})
		res, err := http.Post(srv.URL+"/query", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var out struct {
			Errors []struct {
				Message    string
				Extensions map[string]any
			}
		}
		_ = json.NewDecoder(res.Body).Decode(&out)
		res.Body.Close()
		if res.StatusCode != c.status || len(out.Errors) != 1 {
			t.Fatalf("%s: status %d, errors %+v; want %d", c.query, res.StatusCode, out.Errors, c.status)
		}
		e := out.Errors[0]
		if e.Extensions["code"] != "STORE_UNAVAILABLE" || !strings.Contains(e.Message, "disk is full") {
			t.Errorf("%s: error %+v, want STORE_UNAVAILABLE saying the disk is full", c.query, e)
		}
		if strings.Contains(e.Message, "/var/lib") || strings.Contains(e.Message, "sqlite") {
			t.Errorf("%s: internals leak to the client: %q", c.query, e.Message)
		}
		if c.status == http.StatusServiceUnavailable && res.Header.Get("Retry-After") == "" {
			t.Errorf("%s: 503 without Retry-After", c.query)
		}
	}
	if !strings.Contains(logs.String(), "/var/lib/estafette") {
		t.Errorf("the log lacks the cause:\n%s", logs.String())
	}
}
