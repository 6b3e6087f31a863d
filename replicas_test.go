package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"estafette/webhooks"
)

// TestReplicasAgree starts three servers on one MongoDB-compatible store
// (FerretDB in CI): a write through one is visible on the other two within
// 2 s, response caches and ETags included; a subscriber on the third hears
// it once; each webhook event is delivered exactly once; and when the
// replica that is delivering is killed with SIGKILL, another delivers the
// event, once.
func TestReplicasAgree(t *testing.T) {
	if mongoURI == "" {
		t.Skip("MONGODB_URI is not set; to run it: MONGODB_URI=mongodb://127.0.0.1:27017 go test -run TestReplicasAgree .")
	}
	bin := buildBinary(t)
	env := []string{
		"MONGODB_URI=" + mongoURI, "MONGODB_DATABASE=" + fmt.Sprintf("replicas_%d", time.Now().UnixNano()),
		"DATA_DIR=" + t.TempDir(), "RATE_LIMIT=off", "WEBHOOK_ALLOW_PRIVATE=true",
		"WEBHOOK_POLL=100ms", "WEBHOOK_BASE_BACKOFF=200ms", "WEBHOOK_LEASE=2s",
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

	// The receiver counts deliveries by event id; the event that blockID
	// names is held until release is closed, and the peer of its first
	// request is reported on held.
	const secret = "whsec_replica_test_secret"
	var mu sync.Mutex
	got := map[string]int{}
	var blockType string
	held := make(chan string, 1)
	release := make(chan struct{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	receiver := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := webhooks.Verify(secret, r.Header.Get(webhooks.SignatureHeader), body, time.Minute, time.Now()); err != nil {
			t.Errorf("signature: %v", err)
		}
		typ := r.Header.Get("Estafette-Event")
		mu.Lock()
		block := blockType != "" && typ == blockType
		if block {
			blockType = "" // only the first request of it
		}
		mu.Unlock()
		if block {
			held <- r.RemoteAddr
			<-release
			return // never answers: its sender is killed meanwhile
		}
		mu.Lock()
		got[r.Header.Get("Idempotency-Key")]++
		mu.Unlock()
		w.WriteHeader(204)
	})}
	go receiver.Serve(ln)
	t.Cleanup(func() { close(release); receiver.Close() })
	runCmd("webhooks", "add", "--url", "http://"+ln.Addr().String()+"/hook", "--events", "theme.*", "--secret", secret)

	type replica struct {
		cmd  *exec.Cmd
		addr string
	}
	var rs []replica
	for range 3 {
		cmd, addr := startBinary(t, bin, env...)
		rs = append(rs, replica{cmd, addr})
	}

	// Warm the response caches of the second and third replica.
	list := "/query?query=" + strings.ReplaceAll(`{themes{slug}}`, " ", "")
	etags := map[string]string{}
	for _, r := range rs[1:] {
		body, etag := getWithETag(t, "http://"+r.addr+list, "")
		if strings.Contains(body, "replica-thema") || etag == "" {
			t.Fatalf("before the write %s: %s (ETag %q)", r.addr, body, etag)
		}
		etags[r.addr] = etag
	}

	// A subscriber on the third.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	heard := subscribeSSE(t, ctx, "http://"+rs[2].addr+"/query", `subscription { contentChanged(types: [THEME], preview: true) { type slug } }`, editor)

	// The write, through the first.
	var created struct {
		Data struct {
			CreateTheme struct {
				Theme struct{ ID string }
			}
		}
	}
	postJSON(t, "http://"+rs[0].addr+"/query", editor, `mutation { createTheme(input: {slug: "replica-thema", name: {nl: "Replica"}}) { theme { id } } }`, &created)
	id := created.Data.CreateTheme.Theme.ID
	postJSON(t, "http://"+rs[0].addr+"/query", editor, `mutation($id: ID!) { publishTheme(id: $id) { version } }`, nil, "id", id)
	wrote := time.Now()

	for _, r := range rs[1:] {
		for {
			body, etag := getWithETag(t, "http://"+r.addr+list, etags[r.addr])
			if strings.Contains(body, "replica-thema") && etag != etags[r.addr] {
				break
			}
			if time.Since(wrote) > 2*time.Second {
				t.Fatalf("%s still answers without the write after 2 s: %.200s", r.addr, body)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	// The subscriber hears the create and the publish once each.
	seen := map[string]int{}
	for len(seen) < 2 {
		select {
		case ev := <-heard:
			seen[ev]++
		case <-ctx.Done():
			t.Fatalf("the subscriber heard %v", seen)
		}
	}
	// Each event reaches the receiver, once.
	waitFor(t, 10*time.Second, "two deliveries", func() bool { mu.Lock(); defer mu.Unlock(); return len(got) == 2 })

	// The replica that delivers the next event is killed while it does:
	// another one delivers it, once.
	mu.Lock()
	blockType = "theme.updated"
	mu.Unlock()
	postJSON(t, "http://"+rs[0].addr+"/query", editor, `mutation($id: ID!) { updateTheme(id: $id, expectedVersion: 2, input: {name: {nl: "Replica, later"}}) { version } }`, nil, "id", id)
	var peer string
	select {
	case peer = <-held:
	case <-time.After(10 * time.Second):
		t.Fatal("the update was not delivered")
	}
	victim := -1
	for i, r := range rs {
		if ownsSocket(r.cmd.Process.Pid, peer) {
			victim = i
		}
	}
	if victim < 0 {
		t.Fatalf("no replica owns the delivering connection from %s", peer)
	}
	if err := rs[victim].cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 15*time.Second, "the update delivered by another replica", func() bool { mu.Lock(); defer mu.Unlock(); return len(got) == 3 })
	time.Sleep(time.Second) // a second delivery of anything would show by now
	mu.Lock()
	defer mu.Unlock()
	for k, n := range got {
		if n != 1 {
			t.Errorf("event %s delivered %d times", k, n)
		}
	}
	for ev, n := range seen {
		if n != 1 {
			t.Errorf("the subscriber heard %s %d times", ev, n)
		}
	}
}

func waitFor(t *testing.T, d time.Duration, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(d); !ok(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within %s", what, d)
		}
	}
}

func getWithETag(t *testing.T, url, ifNoneMatch string) (string, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if ifNoneMatch != "" {
		req.Header.Set("If-None-Match", ifNoneMatch)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b), res.Header.Get("ETag")
}

func postJSON(t *testing.T, url, key, query string, out any, vars ...string) {
	t.Helper()
	v := map[string]any{}
	for i := 0; i+1 < len(vars); i += 2 {
		v[vars[i]] = vars[i+1]
	}
	b, _ := json.Marshal(map[string]any{"query": query, "variables": v})
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || strings.Contains(string(body), `"errors"`) {
		t.Fatalf("%s: %d %s", query, res.StatusCode, body)
	}
	if out != nil {
		_ = json.Unmarshal(body, out)
	}
}

// subscribeSSE opens a subscription over Server-Sent Events and sends the
// type of every event it hears.
func subscribeSSE(t *testing.T, ctx context.Context, url, query, key string) <-chan string {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"query": query})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	out := make(chan string, 16)
	go func() {
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			line, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			var ev struct {
				Data struct{ ContentChanged struct{ Type string } }
			}
			if json.Unmarshal([]byte(line), &ev) == nil && ev.Data.ContentChanged.Type != "" {
				out <- ev.Data.ContentChanged.Type
			}
		}
	}()
	return out
}

// ownsSocket reports whether the process pid holds the TCP socket whose
// local address is addr (the peer a server saw), by the socket's inode in
// /proc/net/tcp and the process's file descriptors.
func ownsSocket(pid int, addr string) bool {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	p, _ := strconv.Atoi(port)
	want := fmt.Sprintf(":%04X", p)
	inode := ""
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(table)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			f := strings.Fields(line)
			if len(f) > 9 && strings.HasSuffix(f[1], want) {
				inode = f[9]
			}
		}
	}
	if inode == "" {
		return false
	}
	fds, _ := filepath.Glob(fmt.Sprintf("/proc/%d/fd/*", pid))
	for _, fd := range fds {
		if l, err := os.Readlink(fd); err == nil && l == "socket:["+inode+"]" {
			return true
		}
	}
	return false
}
