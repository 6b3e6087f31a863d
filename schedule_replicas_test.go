package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestScheduledPublishOnReplicas starts three servers on one
// MongoDB-compatible store (FerretDB in CI) and schedules a publication one
// second ahead: each replica's scheduler finds it due, and exactly one
// publishes it, with one audit entry and one event per webhook endpoint.
func TestScheduledPublishOnReplicas(t *testing.T) {
	if mongoURI == "" {
		t.Skip("MONGODB_URI is not set; to run it: MONGODB_URI=mongodb://127.0.0.1:27017 go test -run TestScheduledPublishOnReplicas .")
	}
	bin := buildBinary(t)
	env := []string{
		"MONGODB_URI=" + mongoURI, "MONGODB_DATABASE=" + fmt.Sprintf("schedule_%d", time.Now().UnixNano()),
		"DATA_DIR=" + t.TempDir(), "RATE_LIMIT=off", "WEBHOOK_ALLOW_PRIVATE=true",
		"WEBHOOK_POLL=100ms", "WEBHOOK_BASE_BACKOFF=200ms", "SCHEDULE_POLL=100ms",
	}
	runCmd := func(args ...string) string {
		c := exec.Command(bin, args...)
		c.Env = append(os.Environ(), env...)
		out, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	lastLine := func(s string) string { lines := strings.Split(s, "\n"); return lines[len(lines)-1] }
	runCmd("seed")
	editor := lastLine(runCmd("keys", "create", "--role", "editor", "--name", "redactie"))
	admin := lastLine(runCmd("keys", "create", "--role", "admin", "--name", "beheer"))

	var mu sync.Mutex
	got := map[string]int{} // endpoint path → theme.published deliveries
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	receiver := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if r.Header.Get("Estafette-Event") == "theme.published" {
			mu.Lock()
			got[r.URL.Path]++
			mu.Unlock()
		}
		w.WriteHeader(204)
	})}
	go receiver.Serve(ln)
	t.Cleanup(func() { receiver.Close() })
	for _, p := range []string{"/a", "/b"} {
		runCmd("webhooks", "add", "--url", "http://"+ln.Addr().String()+p, "--events", "theme.published")
	}

	var addrs []string
	for range 3 {
		_, addr := startBinary(t, bin, env...)
		addrs = append(addrs, addr)
	}
	var created struct {
		Data struct {
			CreateTheme struct{ Theme struct{ ID string } }
		}
	}
	postJSON(t, "http://"+addrs[0]+"/query", editor, `mutation { createTheme(input: {slug: "gepland-replica", name: {nl: "Gepland"}}) { theme { id } } }`, &created)
	id := created.Data.CreateTheme.Theme.ID
	at := time.Now().Add(time.Second).Format(time.RFC3339Nano)
	postJSON(t, "http://"+addrs[1]+"/query", editor, `mutation($id: ID!, $at: DateTime!) { schedulePublish(id: $id, at: $at) { version } }`, nil, "id", id, "at", at)

	waitFor(t, 15*time.Second, "a delivery to each endpoint", func() bool { mu.Lock(); defer mu.Unlock(); return got["/a"] >= 1 && got["/b"] >= 1 })
	var audit struct {
		Data struct {
			AuditLog struct{ Nodes []struct{ Actor string } }
		}
	}
	postJSON(t, "http://"+addrs[2]+"/query", admin, `query($id: ID!) { auditLog(filter: {recordId: $id, action: "publish"}) { nodes { actor } } }`, &audit, "id", id)
	if n := audit.Data.AuditLog.Nodes; len(n) != 1 || n[0].Actor != "redactie" {
		t.Errorf("audit entries of the publication: %+v", n)
	}
	var deliveries struct {
		Data struct {
			WebhookDeliveries []struct{ EventType string }
		}
	}
	postJSON(t, "http://"+addrs[2]+"/query", admin, `{ webhookDeliveries(first: 100) { eventType } }`, &deliveries)
	if n := len(deliveries.Data.WebhookDeliveries); n != 2 {
		t.Errorf("%d deliveries, want one per endpoint", n)
	}
	mu.Lock()
	defer mu.Unlock()
	for p, n := range got {
		if n != 1 {
			t.Errorf("endpoint %s: %d deliveries of theme.published", p, n)
		}
	}
}
