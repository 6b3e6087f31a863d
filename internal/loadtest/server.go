// Package loadtest is Estafette's load-test harness. It builds the real
// binary, seeds a temporary store (the real content plus synthetic
// activities), starts the server on loopback, fires requests at it at a
// fixed rate (open loop, latency measured from the intended send time, so
// a stalled server cannot hide its queue) or in a closed loop, and reports
// requests per second, latency percentiles, errors, store operations per
// request and the server's peak resident memory.
//
// bench/cmd/load is its command line; bench/RESULTS.md holds the figures
// it measured and the commands that reproduce them.
package loadtest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Build compiles the estafette binary of the module at root into dir and
// returns its path.
func Build(ctx context.Context, root, dir string) (string, error) {
	bin := filepath.Join(dir, "estafette")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
}

// ModuleRoot returns the directory of the go.mod above the working
// directory.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// Seed fills dataDir with the seed content and synthetic activities, as
// "estafette seed --synthetic N" does.
func Seed(ctx context.Context, bin, dataDir string, synthetic int) error {
	args := []string{"seed"}
	if synthetic > 0 {
		args = append(args, "--synthetic", strconv.Itoa(synthetic))
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "DATA_DIR="+dataDir, "LOG_LEVEL=warn")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("seed: %v\n%s", err, out)
	}
	return nil
}

// FreeAddr returns a free loopback address.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// Process is a running server process.
type Process struct {
	// URL is the base URL, such as http://127.0.0.1:41234.
	URL string
	// Ready is the time from the start of the process to its first
	// successful /readyz (or first answer of a process without one).
	Ready time.Duration
	cmd   *exec.Cmd
	log   *os.File
	done  chan error
}

// Start starts the estafette binary on a free loopback port over dataDir
// with the extra environment env (KEY=VALUE), and waits until /readyz
// answers 200. The rate limit is off and the log level warn unless env
// says otherwise; the server's log goes to a file in dataDir.
func Start(ctx context.Context, bin, dataDir string, env ...string) (*Process, error) {
	addr, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	_, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command(bin)
	cmd.Env = append(append(os.Environ(), "PORT="+port, "DATA_DIR="+dataDir, "RATE_LIMIT=off", "LOG_LEVEL=warn", "SEED=false"), env...)
	return start(ctx, cmd, "http://"+addr, "/readyz", filepath.Join(dataDir, "server.log"))
}

func start(ctx context.Context, cmd *exec.Cmd, url, probe, logPath string) (*Process, error) {
	log, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = log, log
	begin := time.Now()
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, err
	}
	p := &Process{URL: url, cmd: cmd, log: log, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait() }()
	client := &http.Client{Timeout: time.Second}
	deadline := time.After(60 * time.Second)
	for {
		res, err := client.Get(url + probe)
		if err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				p.Ready = time.Since(begin)
				return p, nil
			}
		}
		select {
		case err := <-p.done:
			log.Close()
			b, _ := os.ReadFile(logPath)
			return nil, fmt.Errorf("the server stopped before it was ready: %v\n%s", err, b)
		case <-deadline:
			p.Stop()
			return nil, errors.New("the server was not ready within 60 s")
		case <-ctx.Done():
			p.Stop()
			return nil, ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// Pid returns the process id of the server.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Memory returns the server's peak resident set (VmHWM) and its current
// one (VmRSS), in bytes, from /proc.
func (p *Process) Memory() (peak, current int64, err error) {
	return ProcMemory(p.Pid())
}

// ProcMemory reads VmHWM and VmRSS of a process from /proc/<pid>/status.
func ProcMemory(pid int) (peak, current int64, err error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		fields := strings.Fields(v)
		if len(fields) != 2 || fields[1] != "kB" {
			continue
		}
		n, _ := strconv.ParseInt(fields[0], 10, 64)
		switch k {
		case "VmHWM":
			peak = n * 1024
		case "VmRSS":
			current = n * 1024
		}
	}
	return peak, current, sc.Err()
}

// Metric returns the sum of the samples of a Prometheus metric on the
// server's /metrics whose line starts with name and contains every one of
// the label matchers (such as `operation="get"`).
func (p *Process) Metric(name string, labels ...string) (float64, error) {
	res, err := http.Get(p.URL + "/metrics")
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	return SumMetric(res.Body, name, labels...)
}

// SumMetric sums the samples of the metric name in a Prometheus text
// exposition whose labels contain every matcher.
func SumMetric(r io.Reader, name string, labels ...string) (float64, error) {
	sum := 0.0
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
lines:
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, name) || len(line) == len(name) || (line[len(name)] != '{' && line[len(name)] != ' ') {
			continue
		}
		for _, l := range labels {
			if !strings.Contains(line, l) {
				continue lines
			}
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			return 0, fmt.Errorf("metric line %q: %w", line, err)
		}
		sum += v
	}
	return sum, sc.Err()
}

// Stop sends SIGTERM and waits for the process to end (killing it after
// 15 s).
func (p *Process) Stop() {
	if p == nil || p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
	p.log.Close()
}
