package gqlhttp

import (
	"context"
	"estafette/internal/errcode"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"estafette/web/ratelimit"
)

// The defaults of the subscription bounds (Options.MaxSubscriptionsPer…).
const (
	DefaultMaxSubscriptionsPerConnection = 20
	DefaultMaxSubscriptionsPerClient     = 100
)

// CloseTooMany is the WebSocket close code of a connection that went past
// a bound: 1008, policy violation (RFC 6455), with the bound as reason.
const CloseTooMany = 1008

// operationTimeout gives every query and mutation the request timeout,
// whatever transport it came over (POST, GET, Server-Sent Events,
// WebSocket): a streaming request has no deadline of its own, since a
// subscription lives as long as its client wants, so the deadline is set
// per operation here. Subscriptions get none.
func operationTimeout(d time.Duration) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		op := graphql.GetOperationContext(ctx)
		if d <= 0 || op.Operation == nil || op.Operation.Operation == ast.Subscription {
			return next(ctx)
		}
		ctx, cancel := context.WithTimeout(ctx, d)
		h := next(ctx)
		first := true
		return func(rctx context.Context) *graphql.Response {
			resp := h(rctx)
			if first && resp == nil && ctx.Err() != nil {
				// The executor gives nothing when the deadline passed
				// before it could run; the streaming transports would
				// then send nothing either.
				resp = &graphql.Response{Errors: gqlerror.List{timeoutError()}}
			}
			first = false
			cancel()
			return resp
		}
	}
}

// socket is what the server knows of one WebSocket connection: the
// connection itself (to close it with a reason) and its subscriptions.
type socket struct {
	mu     sync.Mutex
	conn   transport.WebsocketConn
	code   int // the close code, once closed; the connection may come later
	reason string
	subs   atomic.Int64
	closed atomic.Bool
}

type socketKey struct{}

func socketFrom(ctx context.Context) *socket {
	s, _ := ctx.Value(socketKey{}).(*socket)
	return s
}

// close closes the connection with code and reason, once. A socket closed
// before its connection was accepted closes the connection on accept.
func (s *socket) close(code int, reason string) {
	if !s.closed.CompareAndSwap(false, true) {
		return
	}
	s.mu.Lock()
	c := s.conn
	s.code, s.reason = code, reason
	s.mu.Unlock()
	if c != nil {
		_ = c.WriteClose(code, reason)
		_ = c.Close()
	}
}

// accepted records the connection accepted for the socket, and closes it
// when the socket was closed already.
func (s *socket) accepted(c transport.WebsocketConn) {
	s.mu.Lock()
	s.conn = c
	code, reason := s.code, s.reason
	s.mu.Unlock()
	if code != 0 {
		_ = c.WriteClose(code, reason)
		_ = c.Close()
	}
}

// socketImplementation is the WebSocket implementation that records the
// accepted connection in the request's socket.
type socketImplementation struct {
	transport.WebsocketImplementation
}

func (i socketImplementation) Accept(w http.ResponseWriter, r *http.Request, o transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	c, err := i.WebsocketImplementation.Accept(w, r, o)
	if s := socketFrom(r.Context()); s != nil && err == nil {
		s.accepted(c)
	}
	return c, err
}

// streamGuard is the gqlgen extension that applies the rate limit to every
// operation sent over a WebSocket (plain HTTP requests are counted by the
// rate limiter's middleware) and bounds the subscriptions of one
// connection and of one client. A connection past a bound is closed with
// CloseTooMany and the reason; an SSE subscription past the client's bound
// is refused with RATE_LIMITED.
type streamGuard struct {
	limiter       *ratelimit.Limiter
	streams       *Streams // ends the subscriptions at shutdown; may be nil
	perConnection int
	perClient     int

	mu      sync.Mutex
	clients map[string]int
}

func newStreamGuard(l *ratelimit.Limiter, streams *Streams, perConnection, perClient int) *streamGuard {
	if perConnection <= 0 {
		perConnection = DefaultMaxSubscriptionsPerConnection
	}
	if perClient <= 0 {
		perClient = DefaultMaxSubscriptionsPerClient
	}
	return &streamGuard{limiter: l, streams: streams, perConnection: perConnection, perClient: perClient, clients: map[string]int{}}
}

var (
	_ graphql.HandlerExtension     = (*streamGuard)(nil)
	_ graphql.OperationInterceptor = (*streamGuard)(nil)
)

func (*streamGuard) ExtensionName() string                   { return "StreamGuard" }
func (*streamGuard) Validate(graphql.ExecutableSchema) error { return nil }

func refused(code, msg string) graphql.ResponseHandler {
	return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{Message: msg, Extensions: map[string]any{"code": code}}}})
}

// InterceptOperation counts the operation and refuses it past a bound.
func (g *streamGuard) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	op := graphql.GetOperationContext(ctx)
	sock := socketFrom(ctx)
	client := ratelimit.Client(ctx)
	if sock != nil && !g.limiter.AllowClient(client) {
		sock.close(CloseTooMany, "rate limit: too many operations; slow down and reconnect")
		return refused(errcode.RateLimited, "Too many operations on this connection; it is closed.")
	}
	if op.Operation == nil || op.Operation.Operation != ast.Subscription {
		return next(ctx)
	}
	if sock != nil && sock.subs.Add(1) > int64(g.perConnection) {
		sock.subs.Add(-1)
		sock.close(CloseTooMany, fmt.Sprintf("too many subscriptions on one connection (at most %d)", g.perConnection))
		return refused(errcode.RateLimited, fmt.Sprintf("At most %d subscriptions may share a connection.", g.perConnection))
	}
	if !g.enter(client) {
		if sock != nil {
			sock.subs.Add(-1)
			sock.close(CloseTooMany, fmt.Sprintf("too many subscriptions from one client (at most %d)", g.perClient))
		}
		return refused(errcode.RateLimited, fmt.Sprintf("At most %d subscriptions may be open from one client.", g.perClient))
	}
	ctx, ended := g.streams.subscription(ctx)
	context.AfterFunc(ctx, func() {
		ended()
		g.leave(client)
		if sock != nil {
			sock.subs.Add(-1)
		}
	})
	return next(ctx)
}

func (g *streamGuard) enter(client string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.clients[client] >= g.perClient {
		return false
	}
	g.clients[client]++
	return true
}

func (g *streamGuard) leave(client string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.clients[client]--; g.clients[client] <= 0 {
		delete(g.clients, client)
	}
}

// OpenSubscriptions returns how many subscriptions are open, for tests and
// metrics.
func (g *streamGuard) OpenSubscriptions() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for _, c := range g.clients {
		n += c
	}
	return n
}

// timeoutError is the error of an operation stopped by its deadline.
func timeoutError() *gqlerror.Error {
	return &gqlerror.Error{
		Message:    "The request took too long and was stopped; ask for less (smaller pages, fewer nested lists).",
		Extensions: map[string]any{"code": errcode.RequestTimeout},
	}
}
