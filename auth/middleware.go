package auth

import (
	"encoding/json"
	"estafette/internal/errcode"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"

	"estafette/content"
)

// PreviewHeader asks for drafts on every field of a request, as the
// preview argument does on one root field.
const PreviewHeader = "X-Preview"

// Middleware authenticates the request's bearer key, if any, and puts the
// caller in the request context as a content.Viewer. A request without a
// key is anonymous. A key that is present but malformed, unknown or revoked
// gets 401 on every request, reads included; so does asking for a preview
// without a key. Failures of the store are 503, never a silent downgrade to
// anonymous.
func (k *Keys) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := content.Viewer{}
		if h := r.Header.Get("Authorization"); h != "" {
			scheme, secret, ok := strings.Cut(h, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") {
				Reject(w, http.StatusUnauthorized, errcode.Unauthenticated, "use the header Authorization: Bearer <key>")
				return
			}
			secret = strings.TrimSpace(secret)
			if k.guard != nil && !k.known(secret) {
				if wait := k.guard(r); wait > 0 {
					secs := int(math.Ceil(wait.Seconds()))
					w.Header().Set("Retry-After", strconv.Itoa(secs))
					Reject(w, http.StatusTooManyRequests, errcode.RateLimited, "Too many requests with unknown API keys; try again in "+strconv.Itoa(secs)+" s.")
					return
				}
			}
			key, err := k.Authenticate(r.Context(), secret)
			if err != nil {
				if content.ErrorCode(err) == content.EUNAUTHORIZED {
					Reject(w, http.StatusUnauthorized, errcode.Unauthenticated, content.ErrorMessage(err))
					return
				}
				slog.ErrorContext(r.Context(), "cannot check an API key", "err", err)
				Reject(w, http.StatusServiceUnavailable, errcode.InternalServerError, "API keys cannot be checked right now; try again")
				return
			}
			v = content.Viewer{Actor: key.Name, Role: key.Role}
		}
		if preview := r.Header.Get(PreviewHeader); preview == "true" || preview == "1" {
			if v.Anonymous() {
				Reject(w, http.StatusUnauthorized, errcode.Unauthenticated, "a preview of drafts needs an API key with the role reader or higher")
				return
			}
			v.Drafts = true
		}
		next.ServeHTTP(w, r.WithContext(content.WithViewer(r.Context(), v)))
	})
}

// Reject answers with a GraphQL-shaped error and no data, as a
// GraphQL-over-HTTP request error: the status, the code and a message.
func Reject(w http.ResponseWriter, status int, code, msg string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="estafette"`)
	}
	w.Header().Set("Content-Type", "application/graphql-response+json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{
		"message": msg, "extensions": map[string]any{"code": code},
	}}})
}
