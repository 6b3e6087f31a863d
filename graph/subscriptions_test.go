package graph_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	coderws "github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"estafette/content"
	"estafette/internal/apitest"
)

// publishSoon creates and publishes an activity a moment after the
// subscription is open, and returns its slug.
func publishSoon(t *testing.T, env *apitest.Env, slug string) {
	t.Helper()
	editor := env.Key(t, "redactie-"+slug, content.RoleEditor)
	go func() {
		time.Sleep(300 * time.Millisecond)
		var c struct{ CreateActivity payload }
		r := env.Query(t, `mutation($s: String!) { createActivity(input: {slug: $s, edition: 2024, title: {nl: "Live"}}) { activity { id } } }`,
			map[string]any{"s": slug}, editor...)
		if json.Unmarshal(r.Data, &c) != nil || c.CreateActivity.Activity.ID == "" {
			t.Errorf("create: %s", r.Raw)
			return
		}
		env.Query(t, `mutation($id: ID!) { publishActivity(id: $id) { version } }`, map[string]any{"id": c.CreateActivity.Activity.ID}, editor...)
	}()
}

const changedSub = `subscription { contentChanged(types: [ACTIVITY]) { type slug recordType surrogateKeys node { ... on Activity { title status } } } }`

// A subscriber over Server-Sent Events sees the publish of a new activity
// within two seconds; an anonymous subscriber never sees the draft.
func TestSubscriptionOverSSE(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	body, _ := json.Marshal(map[string]any{"query": changedSub})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", env.URL+"/query", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("content type %q", ct)
	}
	publishSoon(t, env, "live-sse")
	start := time.Now()
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "data: ") {
			continue
		}
		if strings.Contains(line, `"activity.created"`) {
			t.Fatalf("an anonymous subscriber heard of a draft: %s", line)
		}
		if strings.Contains(line, `"activity.published"`) {
			if !strings.Contains(line, `"slug":"live-sse"`) || !strings.Contains(line, `"status":"PUBLISHED"`) || !strings.Contains(line, `"activity:`) {
				t.Errorf("event %s", line)
			}
			if d := time.Since(start); d > 2*time.Second+300*time.Millisecond {
				t.Errorf("the publish arrived after %s", d)
			}
			return
		}
	}
	t.Fatalf("no publish event: %v", sc.Err())
}

// The same over WebSockets with graphql-transport-ws, with the key in the
// connection_init payload, so the subscriber sees the draft too.
func TestSubscriptionOverWebSocket(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	reader := env.Key(t, "live", content.RoleReader)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := coderws.Dial(ctx, strings.Replace(env.URL, "http", "ws", 1)+"/query",
		&coderws.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	type msg struct {
		ID      string          `json:"id,omitempty"`
		Type    string          `json:"type"`
		Payload json.RawMessage `json:"payload,omitempty"`
	}
	init, _ := json.Marshal(map[string]string{"Authorization": reader[1]})
	if err := wsjson.Write(ctx, conn, msg{Type: "connection_init", Payload: init}); err != nil {
		t.Fatal(err)
	}
	var ack msg
	if err := wsjson.Read(ctx, conn, &ack); err != nil || ack.Type != "connection_ack" {
		t.Fatalf("ack: %+v %v", ack, err)
	}
	sub, _ := json.Marshal(map[string]string{"query": strings.Replace(changedSub, "types: [ACTIVITY]", "types: [ACTIVITY], preview: true", 1)})
	if err := wsjson.Write(ctx, conn, msg{ID: "1", Type: "subscribe", Payload: sub}); err != nil {
		t.Fatal(err)
	}
	publishSoon(t, env, "live-ws")
	var seen []string
	for len(seen) < 2 {
		var m msg
		if err := wsjson.Read(ctx, conn, &m); err != nil {
			t.Fatalf("read after %v: %v", seen, err)
		}
		if m.Type == "next" {
			var p struct {
				Data struct{ ContentChanged struct{ Type, Slug string } }
			}
			_ = json.Unmarshal(m.Payload, &p)
			seen = append(seen, p.Data.ContentChanged.Type)
		}
	}
	if seen[0] != "activity.created" || seen[1] != "activity.published" {
		t.Errorf("a previewing subscriber saw %v", seen)
	}

	// A key that is present but wrong closes the connection.
	bad, _, err := coderws.Dial(ctx, strings.Replace(env.URL, "http", "ws", 1)+"/query",
		&coderws.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer bad.CloseNow()
	wrong, _ := json.Marshal(map[string]string{"Authorization": "Bearer sze_" + strings.Repeat("x", 43)})
	_ = wsjson.Write(ctx, bad, msg{Type: "connection_init", Payload: wrong})
	var m msg
	if err := wsjson.Read(ctx, bad, &m); err == nil && m.Type == "connection_ack" {
		t.Error("a wrong key was acknowledged")
	}
}

func TestRelayStatusSubscription(t *testing.T) {
	env := apitest.New(t, apitest.Options{})
	body, _ := json.Marshal(map[string]any{"query": `subscription { relayStatus { edition { year } current { region { slug } } } }`})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", env.URL+"/query", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, "data: ") {
			// Today (2026) no edition with dates runs: the first status is null.
			if !strings.Contains(line, `"relayStatus":null`) {
				t.Errorf("first relay status: %s", line)
			}
			return
		}
	}
	t.Fatal("no relay status")
}
