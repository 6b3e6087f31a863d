package web

import "net/http"

// NewWithRoutes is New, and the patterns of the routes it registers.
func NewWithRoutes(d Deps) (http.Handler, []string) { return newHandler(d) }
