package gqlhttp

import (
	"context"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	coderws "github.com/coder/websocket"

	"estafette/auth"
	"estafette/content"
)

// websocketTransport serves subscriptions over WebSockets with the
// graphql-transport-ws protocol. Browsers cannot send headers on a
// WebSocket, so the API key travels in the connection_init payload as
// {"Authorization": "Bearer <key>"}; a key that is present but unknown or
// revoked closes the connection.
func websocketTransport(keys *auth.Keys, origins []string) transport.Websocket {
	opts := coderws.AcceptOptions{OriginPatterns: []string{"*"}}
	if len(origins) > 0 && origins[0] != "*" {
		opts.OriginPatterns = nil
		for _, o := range origins {
			opts.OriginPatterns = append(opts.OriginPatterns, strings.TrimPrefix(strings.TrimPrefix(o, "https://"), "http://"))
		}
	}
	return transport.Websocket{
		Implementation:        socketImplementation{transport.CoderWebsocketImplementation{AcceptOptions: opts}},
		KeepAlivePingInterval: 15 * time.Second,
		InitTimeout:           10 * time.Second,
		InitFunc: func(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			h := payload.Authorization()
			if h == "" {
				if v, ok := payload["authorization"].(string); ok {
					h = v
				}
			}
			if h == "" || keys == nil {
				return ctx, nil, nil
			}
			scheme, secret, ok := strings.Cut(h, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") {
				return ctx, nil, content.Errorf(content.EUNAUTHORIZED, "send the key as Authorization: Bearer <key>")
			}
			key, err := keys.Authenticate(ctx, strings.TrimSpace(secret))
			if err != nil {
				return ctx, nil, err
			}
			return content.WithViewer(ctx, content.Viewer{Actor: key.Name, Role: key.Role}), nil, nil
		},
	}
}
