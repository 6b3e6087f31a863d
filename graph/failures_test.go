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

// brokenStore fails or panics on every read, like a store that went away.
type brokenStore struct {
	content.Store
	panics bool
}

func (b brokenStore) Find(ctx context.Context, q content.Query) ([]content.Doc, error) {
	if b.panics {
		panic("the disk is on fire at /var/lib/estafette")
	}
	return nil, errors.New("sqlite: database disk image is malformed at /var/lib/estafette")
}

// Internal failures reach the client as INTERNAL_SERVER_ERROR with the
// request id and without internals; the log has the details.
func TestInternalErrorsAreHidden(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	for _, panics := range []bool{false, true} {
		var logs bytes.Buffer
		srv := httptest.NewServer(web.New(web.Deps{
			Catalog: content.NewCatalog(brokenStore{Store: env.Catalog.Store(), panics: panics}),
			Options: gqlhttp.Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))},
		}))
		res, err := http.Post(srv.URL+"/query", "application/json", strings.NewReader(`{"query":"{ activities { nodes { slug } } }"}`))
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Errors []struct {
				Message    string
				Extensions map[string]any
			}
		}
		_ = json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		srv.Close()

		if res.StatusCode != 200 || len(body.Errors) != 1 {
			t.Fatalf("panics=%v: status %d, errors %+v", panics, res.StatusCode, body.Errors)
		}
		e := body.Errors[0]
		reqID := res.Header.Get("X-Request-Id")
		if e.Extensions["code"] != "INTERNAL_SERVER_ERROR" || !strings.Contains(e.Message, reqID) || reqID == "" {
			t.Errorf("panics=%v: error %+v, request id %q", panics, e, reqID)
		}
		if strings.Contains(e.Message, "/var/lib") || strings.Contains(e.Message, "sqlite") || strings.Contains(e.Message, "fire") {
			t.Errorf("panics=%v: internals leak to the client: %q", panics, e.Message)
		}
		if !strings.Contains(logs.String(), "/var/lib/estafette") || !strings.Contains(logs.String(), reqID) {
			t.Errorf("panics=%v: the log lacks the cause or the request id:\n%s", panics, logs.String())
		}
	}
}
