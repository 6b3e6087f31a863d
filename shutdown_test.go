package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	coderws "github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"estafette/internal/app"
)

type wsMsg struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// openSSE opens a subscription over Server-Sent Events on addr and returns
// a channel of the names of the events it receives, closed when the
// stream ends. It returns once the server began the stream.
func openSSE(t *testing.T, addr string) <-chan string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": `subscription { contentChanged { type } }`})
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/query", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("SSE subscription: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	events := make(chan string, 16)
	go func() {
		defer close(events)
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if e, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				events <- e
			}
		}
	}()
	return events
}

// openSocket opens a WebSocket on addr with one subscription and returns
// it once the server acknowledged the connection.
func openSocket(t *testing.T, addr string) *coderws.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := coderws.Dial(ctx, "ws://"+addr+"/query",
		&coderws.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	if err := wsjson.Write(ctx, conn, wsMsg{Type: "connection_init"}); err != nil {
		t.Fatal(err)
	}
	var m wsMsg
	if err := wsjson.Read(ctx, conn, &m); err != nil || m.Type != "connection_ack" {
		t.Fatalf("ack: %+v %v", m, err)
	}
	p, _ := json.Marshal(map[string]string{"query": `subscription { contentChanged { type } }`})
	if err := wsjson.Write(ctx, conn, wsMsg{ID: "1", Type: "subscribe", Payload: p}); err != nil {
		t.Fatal(err)
	}
	return conn
}

// readSocket reads conn in the background, as a client does (which
// answers the server's close frame), and delivers the error that ended it.
func readSocket(conn *coderws.Conn) <-chan error {
	closed := make(chan error, 1)
	go func() {
		for {
			var msg wsMsg
			if err := wsjson.Read(context.Background(), conn, &msg); err != nil {
				closed <- err
				return
			}
		}
	}()
	return closed
}

// waitSubscriptions polls the server's metrics until n subscriptions are
// open, so that Close comes when they surely run.
func waitSubscriptions(t *testing.T, m *app.App, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for m.OpenSubscriptions() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d subscriptions open, want %d", m.OpenSubscriptions(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestCloseEndsSubscriptions: Close with an SSE and a WebSocket
// subscription open ends both (the stream with a complete event, the
// socket with 1001 going away) and returns soon, without an error.
func TestCloseEndsSubscriptions(t *testing.T) {
	m := app.New(testConfig(t, t.TempDir()))
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	events := openSSE(t, m.Addr())
	conn := openSocket(t, m.Addr())
	waitSubscriptions(t, m, 2)

	closed := readSocket(conn)
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- m.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
		t.Logf("closed in %s", time.Since(start))
	case <-time.After(3 * time.Second):
		t.Fatal("Close did not return within 3s with subscriptions open")
	}
	var seen []string
	for e := range events {
		seen = append(seen, e)
	}
	if len(seen) == 0 || seen[len(seen)-1] != "complete" {
		t.Errorf("SSE events %v, want the stream to end with complete", seen)
	}
	select {
	case err := <-closed:
		if coderws.CloseStatus(err) != coderws.StatusGoingAway {
			t.Errorf("the socket ended with %v, want close code 1001", err)
		}
	case <-time.After(3 * time.Second):
		t.Error("the socket was not closed")
	}
}

// TestBinaryExitsWithSubscriptionOpen: SIGTERM with an SSE subscription
// open ends the process with status 0, well within the grace period.
func TestBinaryExitsWithSubscriptionOpen(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	cmd, addr := startBinary(t, bin, "DATA_DIR="+t.TempDir())
	events := openSSE(t, addr)
	closed := readSocket(openSocket(t, addr))
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Errorf("exit status %d after SIGTERM, want 0", exit.ExitCode())
		} else if err != nil {
			t.Errorf("after SIGTERM: %v", err)
		}
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Signal(os.Kill)
		t.Fatal("no exit within 5s of SIGTERM with a subscription open")
	}
	var seen []string
	for e := range events {
		seen = append(seen, e)
	}
	if len(seen) == 0 || seen[len(seen)-1] != "complete" {
		t.Errorf("SSE events %v, want the stream to end with complete", seen)
	}
	if err := <-closed; coderws.CloseStatus(err) != coderws.StatusGoingAway {
		t.Errorf("the socket ended with %v, want close code 1001", err)
	}
}
