// Package gqlhttp serves GraphQL over HTTP as the GraphQL-over-HTTP
// specification (https://graphql.github.io/graphql-over-http/) describes,
// its SHOULDs included, as a gqlgen transport:
//
//   - POST with an application/json body, and GET with query parameters;
//     other methods get 405 with an Allow header; a mutation over GET gets 405.
//   - The response media type follows Accept: application/graphql-response+json
//     or application/json (the default when Accept is absent or a wildcard);
//     an Accept that allows neither gets 406.
//   - A body that is not a well-formed GraphQL request (not JSON, no query)
//     gets 400 with either media type.
//   - A document that does not parse or validate, or variables that do not
//     fit, is a request error: the body has errors and no data entry; the
//     status is 200 with application/json (what Apollo Client and other
//     legacy clients expect, unlike stock gqlgen's 422) and 400 with
//     application/graphql-response+json.
//   - Once execution starts the status is 200, with field errors in errors,
//     except that a response with no data at all (data null, or every
//     top-level field null) because the store is unavailable
//     (STORE_UNAVAILABLE: its disk is full or failing) gets 503 with
//     Retry-After, so that clients and proxies retry it like any outage.
package gqlhttp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"estafette/internal/errcode"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"estafette/content"
	"estafette/web/httpcache"
	"estafette/web/respcache"
)

// The response media types.
const (
	MediaGraphQLResponse = "application/graphql-response+json"
	MediaJSON            = "application/json"
)

// Transport is a gqlgen transport for POST and GET.
//
// With a Cache, anonymous reads of published content are answered from it
// when it holds the response, and stored in it after they ran without
// errors. Such a response to a GET carries a strong ETag (If-None-Match
// gives 304) and Cache-Control: public, max-age=300,
// stale-while-revalidate=86400, so that CDNs and browsers keep it; every
// other response has Cache-Control: no-store.
type Transport struct {
	Cache *respcache.Cache
}

var _ graphql.Transport = Transport{}

// Supports claims every plain HTTP request, so that wrong methods and
// media types get the spec's answers instead of a generic error.
func (Transport) Supports(r *http.Request) bool { return r.Header.Get("Upgrade") == "" }

// Do serves one request.
func (t Transport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	w.Header().Add("Vary", "Accept, Accept-Language, Authorization, X-Preview")
	w.Header().Set("Cache-Control", "no-store")
	media, ok := negotiate(r.Header.Get("Accept"))
	if !ok {
		w.Header().Set("Content-Type", MediaJSON+"; charset=utf-8")
		writeRequestError(w, http.StatusNotAcceptable, "Accept allows neither "+MediaGraphQLResponse+" nor "+MediaJSON+".")
		return
	}
	w.Header().Set("Content-Type", media+"; charset=utf-8")

	var params *graphql.RawParams
	var perr *requestError
	switch r.Method {
	case http.MethodPost:
		params, perr = readPost(r)
	case http.MethodGet, http.MethodHead:
		params, perr = readGet(r)
	default:
		w.Header().Set("Allow", "GET, POST")
		perr = &requestError{http.StatusMethodNotAllowed, "Use POST, or GET for queries."}
	}
	if perr != nil {
		writeRequestError(w, perr.status, perr.msg)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: graphql.Now(), End: graphql.Now()}

	var cacheKey string
	cacheable := false
	if v := content.ViewerFrom(r.Context()); t.Cache != nil && v.Anonymous() && !v.Drafts {
		cacheKey, cacheable = t.Cache.Key(params, AcceptLanguage(r.Header.Get("Accept-Language")))
	}
	if cacheable {
		if e, ok := t.Cache.Get(cacheKey); ok {
			writeCacheable(w, r, e)
			return
		}
	}

	ctx := context.WithValue(r.Context(), methodKey{}, r.Method)
	op, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, op), errs)
		status := requestErrorStatus(resp.Errors, media)
		switch status {
		case http.StatusUnauthorized:
			w.Header().Set("WWW-Authenticate", `Bearer realm="estafette"`)
		case http.StatusMethodNotAllowed:
			w.Header().Set("Allow", "POST")
		}
		writeJSON(w, status, requestErrorBody{Errors: resp.Errors, Extensions: resp.Extensions})
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, op)
	resp := responses(ctx)
	if resp == nil || (len(resp.Data) == 0 && timedOut(resp.Errors)) {
		// The deadline passed before the operation could run.
		writeJSON(w, http.StatusServiceUnavailable, requestErrorBody{Errors: gqlerror.List{timeoutError()}})
		return
	}
	if cacheable && len(resp.Errors) == 0 && op.Operation.Operation == ast.Query {
		if b, err := json.Marshal(resp); err == nil {
			writeCacheable(w, r, t.Cache.Put(cacheKey, b))
			return
		}
	}
	if storeUnavailable(resp) {
		w.Header().Set("Retry-After", "30")
		writeJSON(w, http.StatusServiceUnavailable, resp)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// CodeStoreUnavailable is the GraphQL error code of a storage fault.
const CodeStoreUnavailable = "STORE_UNAVAILABLE"

// storeUnavailable reports whether nothing of resp could run because the
// store is unavailable: some error is STORE_UNAVAILABLE and there is no
// data, or every top-level field is null.
func storeUnavailable(resp *graphql.Response) bool {
	found := false
	for _, e := range resp.Errors {
		if e.Extensions["code"] == CodeStoreUnavailable {
			found = true
			break
		}
	}
	if !found {
		return false
	}
	data := bytes.TrimSpace(resp.Data)
	if len(data) == 0 || bytes.Equal(data, []byte("null")) {
		return true
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return false
	}
	for _, v := range fields {
		if !bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			return false
		}
	}
	return true
}

// writeCacheable answers with a response that may be cached: for GET with
// its ETag, 304 when the client has it, and public caching headers.
func writeCacheable(w http.ResponseWriter, r *http.Request, e respcache.Entry) {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		h := w.Header()
		h.Set("ETag", e.ETag)
		h.Set("Cache-Control", httpcache.Public)
		if httpcache.NoneMatch(r.Header.Values("If-None-Match"), e.ETag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(e.Body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(e.Body)
}

// requestErrorStatus is the status of a request error: 401 and 403 for
// a missing key or too weak a role, whatever the media type; otherwise 400
// with application/graphql-response+json and 200 with application/json.
func requestErrorStatus(errs gqlerror.List, media string) int {
	for _, e := range errs {
		switch e.Extensions["code"] {
		case codeMethod:
			return http.StatusMethodNotAllowed
		case errcode.Unauthenticated:
			return http.StatusUnauthorized
		case errcode.Forbidden:
			return http.StatusForbidden
		}
	}
	if media == MediaGraphQLResponse {
		return http.StatusBadRequest
	}
	return http.StatusOK
}

type methodKey struct{}

const codeMethod = errcode.MethodNotAllowed

// QueriesOnlyOverGET is the gqlgen extension that refuses a mutation or
// subscription sent with GET (HTTP 405, Allow: POST), as the spec asks.
// Register it before any other extension that checks operations, so that
// the method is the first thing refused.
type QueriesOnlyOverGET struct{}

var (
	_ graphql.HandlerExtension        = QueriesOnlyOverGET{}
	_ graphql.OperationContextMutator = QueriesOnlyOverGET{}
)

// ExtensionName implements graphql.HandlerExtension.
func (QueriesOnlyOverGET) ExtensionName() string { return "QueriesOnlyOverGET" }

// Validate implements graphql.HandlerExtension.
func (QueriesOnlyOverGET) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext refuses non-queries over GET.
func (QueriesOnlyOverGET) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	m, _ := ctx.Value(methodKey{}).(string)
	if m == http.MethodPost || m == "" || op.Operation.Operation == ast.Query {
		return nil
	}
	return &gqlerror.Error{
		Message:    "Only queries may be sent with GET; send a " + string(op.Operation.Operation) + " with POST.",
		Extensions: map[string]any{"code": codeMethod},
	}
}

type requestError struct {
	status int
	msg    string
}

// requestErrorBody is the body of a request error: errors and no data.
type requestErrorBody struct {
	Errors     gqlerror.List  `json:"errors"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

func writeRequestError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, requestErrorBody{Errors: gqlerror.List{{
		Message:    msg,
		Extensions: map[string]any{"code": errcode.BadRequest},
	}}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		slog.Error("cannot encode a GraphQL response", "err", err)
		status = http.StatusInternalServerError
		b = []byte(`{"errors":[{"message":"Internal error.","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}`)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// negotiate picks the response media type from an Accept header.
func negotiate(accept string) (string, bool) {
	if strings.TrimSpace(accept) == "" {
		return MediaJSON, true
	}
	best, bestQ := "", 0.0
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if s, ok := params["q"]; ok {
			if v, err := strconv.ParseFloat(s, 64); err == nil {
				q = v
			}
		}
		var cand string
		switch mt {
		case MediaGraphQLResponse, MediaJSON:
			cand = mt
		case "*/*", "application/*":
			cand = MediaJSON
			q -= 0.0001 // an explicit type wins a tie with a wildcard
		default:
			continue
		}
		if q > bestQ || (q == bestQ && cand == MediaGraphQLResponse) {
			best, bestQ = cand, q
		}
	}
	return best, best != ""
}

// rawRequest is the JSON shape of a GraphQL request.
type rawRequest struct {
	Query         *string         `json:"query"`
	OperationName *string         `json:"operationName"`
	Variables     json.RawMessage `json:"variables"`
	Extensions    json.RawMessage `json:"extensions"`
}

func readPost(r *http.Request) (*graphql.RawParams, *requestError) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return nil, &requestError{http.StatusUnsupportedMediaType, "Send the request body as application/json."}
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &requestError{http.StatusRequestEntityTooLarge, "The request body is larger than " + strconv.FormatInt(tooBig.Limit, 10) + " bytes."}
		}
		return nil, &requestError{http.StatusBadRequest, "The request body could not be read."}
	}
	var raw rawRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, &requestError{http.StatusBadRequest, "The request body is not a JSON object of the form {\"query\": ..., \"variables\": {...}}: " + jsonProblem(err)}
	}
	if dec.More() {
		return nil, &requestError{http.StatusBadRequest, "The request body holds more than one JSON value."}
	}
	return toParams(raw)
}

func readGet(r *http.Request) (*graphql.RawParams, *requestError) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, &requestError{http.StatusBadRequest, "The query string is malformed."}
	}
	var raw rawRequest
	if q.Has("query") {
		s := q.Get("query")
		raw.Query = &s
	}
	if q.Has("operationName") {
		s := q.Get("operationName")
		raw.OperationName = &s
	}
	if v := q.Get("variables"); v != "" {
		raw.Variables = json.RawMessage(v)
	}
	if v := q.Get("extensions"); v != "" {
		raw.Extensions = json.RawMessage(v)
	}
	return toParams(raw)
}

func toParams(raw rawRequest) (*graphql.RawParams, *requestError) {
	p := &graphql.RawParams{}
	if raw.OperationName != nil {
		p.OperationName = *raw.OperationName
	}
	if err := decodeObject(raw.Variables, &p.Variables); err != nil {
		return nil, &requestError{http.StatusBadRequest, "variables must be a JSON object."}
	}
	if err := decodeObject(raw.Extensions, &p.Extensions); err != nil {
		return nil, &requestError{http.StatusBadRequest, "extensions must be a JSON object."}
	}
	if raw.Query != nil {
		p.Query = *raw.Query
	}
	// A request without a query is well-formed only when an extension (a
	// persisted query) supplies the document.
	if strings.TrimSpace(p.Query) == "" && p.Extensions["persistedQuery"] == nil {
		return nil, &requestError{http.StatusBadRequest, "The request has no query."}
	}
	return p, nil
}

// decodeObject decodes a JSON object (or null/absent) into m.
func decodeObject(b json.RawMessage, m *map[string]any) error {
	if len(bytes.TrimSpace(b)) == 0 || string(bytes.TrimSpace(b)) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return dec.Decode(m)
}

func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return "invalid JSON at byte " + strconv.FormatInt(syn.Offset, 10) + "."
	case errors.As(err, &typ):
		return typ.Field + " must not be a JSON " + typ.Value + "."
	case errors.Is(err, io.EOF):
		return "the body is empty."
	}
	return "invalid JSON."
}

// timedOut reports whether errs is the error of an operation stopped by
// its deadline before it ran.
func timedOut(errs gqlerror.List) bool {
	return len(errs) == 1 && errs[0].Extensions["code"] == errcode.RequestTimeout
}
