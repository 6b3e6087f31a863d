package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"estafette/internal/app"
	"estafette/webhooks"
)

func testConfig(t *testing.T, dir string) app.Config {
	t.Helper()
	cfg, err := app.ConfigFromEnv(func(k string) string {
		return map[string]string{"PORT": "0", "DATA_DIR": dir, "LOG_LEVEL": "warn"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Addr = "127.0.0.1:0"
	return cfg
}

func TestMainServesSeededContent(t *testing.T) {
	dir := t.TempDir()
	m := app.New(testConfig(t, dir))
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	res, err := http.Post("http://"+m.Addr()+"/query", "application/json",
		strings.NewReader(`{"query":"{ editions(orderBy: ASC) { nodes { year } } regions { slug } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), `[{"year":2021},{"year":2022},{"year":2023},{"year":2024}]`) {
		t.Errorf("editions of the seed: %s", body)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	// A second start on the same store keeps the data and does not seed again.
	start := time.Now()
	m2 := app.New(testConfig(t, dir))
	if err := m2.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m2.Close()
	res, err = http.Get("http://" + m2.Addr() + "/readyz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("readyz after restart: %v %v", res, err)
	}
	res.Body.Close()
	t.Logf("ready %s after start on a seeded store", time.Since(start))
}

func TestCommands(t *testing.T) {
	dir := t.TempDir()
	getenv := func(k string) string { return map[string]string{"DATA_DIR": dir}[k] }
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"seed", "--synthetic", "250"}, getenv, &out, &errOut); err != nil {
		t.Fatalf("seed: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "synthetic activities: 250") {
		t.Errorf("seed output: %s", out.String())
	}
	if !strings.Contains(errOut.String(), "250/250") {
		t.Errorf("no progress bar on stderr: %q", errOut.String())
	}
	// Idempotent: seeding again changes nothing.
	out.Reset()
	if err := run(context.Background(), []string{"seed", "--synthetic", "250"}, getenv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	m := app.New(testConfig(t, dir))
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	n, err := m.Store().Count(context.Background(), "activity", nil)
	m.Close()
	if err != nil || n < 250 || n > 300 {
		t.Errorf("after seeding twice: %d activities, %v", n, err)
	}
	for _, args := range [][]string{{"frobnicate"}, {"seed", "--synthetic", "-3"}, {"seed", "--nope"}} {
		if err := run(context.Background(), args, getenv, io.Discard, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

// TestBinary builds the real binary, starts it on a seeded store, checks it
// is ready within 2 s, and stops it with SIGTERM.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	seedCmd := exec.Command(bin, "seed")
	seedCmd.Env = append(os.Environ(), "DATA_DIR="+dir)
	if out, err := seedCmd.CombinedOutput(); err != nil {
		t.Fatalf("seed: %v\n%s", err, out)
	}

	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "DATA_DIR="+dir, "PORT=0")
	stderr, _ := cmd.StderrPipe()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var rec struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Msg == "serving" {
				addr <- rec.Addr
			}
		}
	}()
	var a string
	select {
	case a = <-addr:
	case <-time.After(10 * time.Second):
		t.Fatal("the binary did not start serving")
	}
	port := a[strings.LastIndex(a, ":")+1:]
	var ready time.Duration
	for time.Since(start) < 5*time.Second {
		res, err := http.Get("http://127.0.0.1:" + port + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				ready = time.Since(start)
				break
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	if ready == 0 || ready > 2*time.Second {
		t.Fatalf("ready after %s, want within 2s", ready)
	}
	t.Logf("binary ready %s after start", ready)

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no exit within 10s of SIGTERM")
	}
}

// TestKeysCommand: keys create prints the key alone on its last line; the
// key works over HTTP until keys revoke.
func TestKeysCommand(t *testing.T) {
	dir := t.TempDir()
	getenv := func(k string) string { return map[string]string{"DATA_DIR": dir}[k] }
	var out bytes.Buffer
	if err := run(context.Background(), []string{"keys", "create", "--role", "editor", "--name", "ZonMw redactie"}, getenv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	key := lines[len(lines)-1]
	if !strings.HasPrefix(key, "sze_") || strings.Contains(key, " ") || len(key) < 40 {
		t.Fatalf("last line is not a key: %q", key)
	}
	out.Reset()
	if err := run(context.Background(), []string{"keys", "list"}, getenv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "ZonMw redactie") || !strings.Contains(out.String(), "editor") || strings.Contains(out.String(), key) {
		t.Errorf("keys list: %s", out.String())
	}

	m := app.New(testConfig(t, dir))
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	mutate := func() int {
		req, _ := http.NewRequest("POST", "http://"+m.Addr()+"/query", strings.NewReader(`{"query":"mutation { createTheme(input: {slug: \"robotica\", name: {nl: \"Robotica\"}}) { version } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := mutate(); code != 200 {
		t.Errorf("a write with the new key: %d", code)
	}
	m.Close()

	if err := run(context.Background(), []string{"keys", "revoke", "ZonMw redactie"}, getenv, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	m = app.New(testConfig(t, dir))
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if code := mutate(); code != http.StatusUnauthorized {
		t.Errorf("a write with a revoked key: %d", code)
	}
	for _, args := range [][]string{{"keys", "create", "--role", "owner", "--name", "x"}, {"keys", "create", "--role", "admin"}, {"keys", "revoke", "nobody"}, {"keys"}} {
		if err := run(context.Background(), args, getenv, io.Discard, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

// TestImportCommand: an export imported again changes nothing; an edited
// export updates what changed; a file with a bad record writes nothing and
// lists the problem by line.
func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	getenv := func(k string) string { return map[string]string{"DATA_DIR": dir}[k] }
	ctx := context.Background()
	if err := run(ctx, []string{"seed"}, getenv, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "activities.ndjson")
	if err := run(ctx, []string{"export", "activities", "--format", "ndjson", "--edition", "2021", "--output", file}, getenv, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) < 5 {
		t.Fatalf("export of 2021 has %d lines", len(lines))
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"import", file}, getenv, &out, io.Discard); err != nil {
		t.Fatalf("import of an export: %v\n%s", err, out.String())
	}
	if want := fmt.Sprintf("imported %d records: 0 created, 0 updated, %d unchanged", len(lines), len(lines)); !strings.Contains(out.String(), want) {
		t.Errorf("re-import: %q, want %q", out.String(), want)
	}

	lines[0] = strings.Replace(lines[0], `"title_nl":"`, `"title_nl":"Herzien: `, 1)
	lines = append(lines, `{"slug":"kapot","edition":2021,"title_nl":"Kapot","region":"atlantis"}`)
	bad := filepath.Join(t.TempDir(), "activities.ndjson")
	os.WriteFile(bad, []byte(strings.Join(lines, "\n")), 0o644)
	out.Reset()
	err = run(ctx, []string{"import", bad}, getenv, &out, io.Discard)
	if err == nil || !strings.Contains(out.String(), fmt.Sprintf("line %d: region:", len(lines))) {
		t.Fatalf("a bad file: %v\n%s", err, out.String())
	}
	good := filepath.Join(t.TempDir(), "activities.ndjson")
	os.WriteFile(good, []byte(strings.Join(lines[:len(lines)-1], "\n")), 0o644)
	out.Reset()
	if err := run(ctx, []string{"import", good}, getenv, &out, io.Discard); err != nil || !strings.Contains(out.String(), "1 updated") {
		t.Fatalf("an edited export: %v %s", err, out.String())
	}
}

func TestQueriesRegisterCommand(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(t.TempDir(), "route.graphql")
	doc := "query Route { edition(year: 2023) { legs { order } } }\n"
	os.WriteFile(file, []byte(doc), 0o644)
	getenv := func(k string) string { return map[string]string{"DATA_DIR": dir}[k] }
	var out bytes.Buffer
	if err := run(context.Background(), []string{"queries", "register", file}, getenv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(doc))
	if !strings.HasPrefix(out.String(), hex.EncodeToString(sum[:])) {
		t.Errorf("register printed %q", out.String())
	}
	cfg := testConfig(t, dir)
	cfg.PersistedOnly = true
	m := app.New(cfg)
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	post := func(q string) string {
		b, _ := json.Marshal(map[string]string{"query": q})
		res, err := http.Post("http://"+m.Addr()+"/query", "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return string(body)
	}
	if body := post(doc); !strings.Contains(body, `"legs"`) {
		t.Errorf("a registered query in allowlist mode: %s", body)
	}
	if body := post("{ regions { slug } }"); !strings.Contains(body, "PERSISTED_QUERY_NOT_ALLOWED") {
		t.Errorf("an unregistered query in allowlist mode: %s", body)
	}
}

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// buildBinary builds the real binary once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "estafette-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "estafette")
		build := exec.Command("go", "build", "-o", binPath, ".")
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := build.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// startBinary starts the binary with env and returns its address once it
// serves.
func startBinary(t *testing.T, bin string, env ...string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin)
	cmd.Env = append(append(os.Environ(), "PORT=0"), env...)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var rec struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Msg == "serving" {
				addr <- "127.0.0.1:" + rec.Addr[strings.LastIndex(rec.Addr, ":")+1:]
			}
		}
	}()
	select {
	case a := <-addr:
		return cmd, a
	case <-time.After(15 * time.Second):
		t.Fatal("the binary did not start serving")
	}
	return nil, ""
}

// TestWebhookSurvivesKill: a change whose webhook could not be delivered
// yet (the receiver is down) is delivered after the server was killed with
// SIGKILL and started again; the receiver gets it once after dedup.
func TestWebhookSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	env := []string{"DATA_DIR=" + dir, "WEBHOOK_BASE_BACKOFF=2s", "WEBHOOK_POLL=100ms", "WEBHOOK_ALLOW_PRIVATE=true"}
	runCmd := func(args ...string) string {
		c := exec.Command(bin, args...)
		c.Env = append(os.Environ(), env...)
		out, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	runCmd("seed")
	keyOut := strings.Split(strings.TrimSpace(runCmd("keys", "create", "--role", "editor", "--name", "redactie")), "\n")
	key := keyOut[len(keyOut)-1]
	adminOut := strings.Split(strings.TrimSpace(runCmd("keys", "create", "--role", "admin", "--name", "beheer")), "\n")
	adminKey := adminOut[len(adminOut)-1]

	// A receiver address that nothing listens on yet.
	probe, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hookAddr := probe.Addr().String()
	probe.Close()
	const secret = "whsec_kill_test_secret"
	runCmd("webhooks", "add", "--url", "http://"+hookAddr+"/hook", "--events", "theme.*", "--secret", secret)

	srv, addr := startBinary(t, bin, env...)
	req, _ := http.NewRequest("POST", "http://"+addr+"/query", strings.NewReader(`{"query":"mutation { createTheme(input: {slug: \"na-de-crash\", name: {nl: \"Na de crash\"}}) { version } }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("write: %v %v", res, err)
	}
	res.Body.Close()
	// A first attempt fails, the receiver being down: wait until the
	// delivery log records its result. (The attempt count goes up when an
	// attempt claims the delivery, before it is sent: a kill then would
	// leave a claim that only expires after its lease of a minute. With a
	// backoff of 2 s the next claim is far off when the kill comes.)
	attempts := func() int {
		req, _ := http.NewRequest("POST", "http://"+addr+"/query", strings.NewReader(`{"query":"{ webhookDeliveries { attempts log { at } } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+adminKey)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var body struct {
			Data struct {
				WebhookDeliveries []struct {
					Attempts int
					Log      []struct{ At string }
				}
			}
		}
		if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, d := range body.Data.WebhookDeliveries {
			if len(d.Log) != d.Attempts {
				return 0 // an attempt is under way
			}
			n += len(d.Log)
		}
		return n
	}
	for deadline := time.Now().Add(15 * time.Second); attempts() == 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no delivery attempt within 15s")
		}
	}
	if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = srv.Wait()

	var mu sync.Mutex
	got := map[string]int{}
	ln, err := net.Listen("tcp", hookAddr)
	if err != nil {
		t.Skipf("the receiver port was taken meanwhile: %v", err)
	}
	receiver := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := webhooks.Verify(secret, r.Header.Get(webhooks.SignatureHeader), body, time.Minute, time.Now()); err != nil {
			t.Errorf("signature: %v", err)
		}
		mu.Lock()
		got[r.Header.Get("Idempotency-Key")+" "+r.Header.Get("Estafette-Event")]++
		mu.Unlock()
		w.WriteHeader(204)
	})}
	go receiver.Serve(ln)
	defer receiver.Close()

	startBinary(t, bin, env...)
	deadline := time.Now().Add(15 * time.Second)
	for {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the event did not arrive after the restart: %v", got)
		}
		time.Sleep(50 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	for k := range got {
		if !strings.HasSuffix(k, " theme.created") {
			t.Errorf("received %q", k)
		}
	}
}
