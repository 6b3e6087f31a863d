package gqlhttp

import (
	"context"
	"net/http"
	"strings"
	"sync"
)

// CloseGoingAway is the WebSocket close code of a connection the server
// ends because it goes down: 1001, going away (RFC 6455). A client
// reconnects, to the next instance.
const CloseGoingAway = 1001

// Streams are the open streams of a GraphQL handler, its Server-Sent Events
// responses and WebSocket connections, so that a server going down can end
// them: http.Server.Shutdown waits for a streaming response until it ends,
// which a subscription never does by itself, and does not see a hijacked
// WebSocket connection at all.
//
// End ends every subscription (an SSE stream then sends its complete event
// and the response ends) and closes every WebSocket with CloseGoingAway;
// streams that open after End end at once. Wait waits until their handlers
// returned. Give the same Streams to Options.Streams and Sockets. The zero
// value is not usable; a nil *Streams ends nothing.
type Streams struct {
	ended context.Context
	end   context.CancelFunc

	mu   sync.Mutex
	open int           // streaming requests being served
	subs int           // subscriptions running
	idle chan struct{} // closed when open drops to 0, for Wait
}

// NewStreams returns an empty set of streams.
func NewStreams() *Streams {
	s := &Streams{}
	s.ended, s.end = context.WithCancel(context.Background())
	return s
}

// End ends every open stream and every stream that opens from now on. It
// does not wait (see Wait); End after End does nothing.
func (s *Streams) End() {
	if s != nil {
		s.end()
	}
}

// Wait waits until every streaming request has returned, or ctx is done.
func (s *Streams) Wait(ctx context.Context) error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	if s.open == 0 {
		s.mu.Unlock()
		return nil
	}
	if s.idle == nil {
		s.idle = make(chan struct{})
	}
	idle := s.idle
	s.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Subscriptions returns how many subscriptions are running, over either
// transport.
func (s *Streams) Subscriptions() int {
	if s == nil {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.subs
}

func (s *Streams) enter() {
	s.mu.Lock()
	s.open++
	s.mu.Unlock()
}

func (s *Streams) leave() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.open--
	if s.open == 0 && s.idle != nil {
		close(s.idle)
		s.idle = nil
	}
}

// subscription returns ctx for a subscription that ends at End, and the
// function to call when it ended.
func (s *Streams) subscription(ctx context.Context) (context.Context, func()) {
	if s == nil {
		return ctx, func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(s.ended, cancel)
	s.mu.Lock()
	s.subs++
	s.mu.Unlock()
	var once sync.Once
	return ctx, func() {
		once.Do(func() {
			stop()
			cancel()
			s.mu.Lock()
			s.subs--
			s.mu.Unlock()
		})
	}
}

// streaming reports whether r asks for a stream: a WebSocket upgrade or
// Server-Sent Events.
func streaming(r *http.Request) bool {
	return r.Header.Get("Upgrade") != "" || strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}

// Sockets wraps the GraphQL handler: it counts every streaming request in
// streams (which may be nil), and marks every WebSocket upgrade request so
// that the connection accepted for it can be found from its operations, to
// close it when it goes past a bound, and closed with CloseGoingAway at
// streams.End.
func Sockets(streams *Streams, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if streams == nil || !streaming(r) {
			if r.Header.Get("Upgrade") != "" {
				r = r.WithContext(context.WithValue(r.Context(), socketKey{}, &socket{}))
			}
			next.ServeHTTP(w, r)
			return
		}
		streams.enter()
		defer streams.leave()
		if r.Header.Get("Upgrade") != "" {
			sock := &socket{}
			stop := context.AfterFunc(streams.ended, func() {
				sock.close(CloseGoingAway, "the server is going down; reconnect")
			})
			defer stop()
			r = r.WithContext(context.WithValue(r.Context(), socketKey{}, sock))
		}
		next.ServeHTTP(w, r)
	})
}
