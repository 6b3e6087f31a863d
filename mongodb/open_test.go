package mongodb

import (
	"context"
	"estafette/internal/collections"
	"net"
	"strings"
	"testing"
	"time"
)

// closedPort returns a loopback address where nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func checkReachError(t *testing.T, err error, host string, forbidden ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if want := "cannot reach MongoDB at " + host + ": "; !strings.HasPrefix(msg, want) {
		t.Errorf("error %q does not start with %q", msg, want)
	}
	if strings.ContainsAny(msg, "\n\r") {
		t.Errorf("error is not one line: %q", msg)
	}
	for _, f := range forbidden {
		if strings.Contains(msg, f) {
			t.Errorf("error %q contains %q", msg, f)
		}
	}
	t.Logf("error: %s", msg)
}

func TestOpenUnreachable(t *testing.T) {
	addr := closedPort(t)
	const timeout = 700 * time.Millisecond
	start := time.Now()
	s, err := Open(context.Background(), "mongodb://estafette:s3cret@"+addr+"/?authSource=admin", "x", collections.All(), Options{ConnectTimeout: timeout})
	took := time.Since(start)
	if s != nil {
		s.Close()
	}
	checkReachError(t, err, addr, "s3cret", "estafette:")
	if !strings.Contains(err.Error(), "refused") {
		t.Errorf("error %q does not say the connection was refused", err)
	}
	if took > 3*timeout {
		t.Errorf("Open took %v with a connect timeout of %v", took, timeout)
	}
}

func TestOpenMalformedURI(t *testing.T) {
	for _, tc := range []struct{ uri, host string }{
		{"mongodb://admin:pa55word@localhost:notaport/db", "localhost:notaport"},
		{"postgres://db.example:5432/x", "db.example:5432"},
		{"mongodb://", "(no host in the URI)"},
		{"mongodb://127.0.0.1:27017/?maxPoolSize=many", "127.0.0.1:27017"},
		{"mongodb+srv://u:pa55word@cluster0.example.invalid:27017/", "cluster0.example.invalid:27017"},
	} {
		t.Run(tc.uri, func(t *testing.T) {
			start := time.Now()
			s, err := Open(context.Background(), tc.uri, "", collections.All(), Options{ConnectTimeout: time.Second})
			if s != nil {
				s.Close()
			}
			checkReachError(t, err, tc.host, "pa55word")
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("Open took %v", took)
			}
		})
	}
}

func TestHosts(t *testing.T) {
	for uri, want := range map[string]string{
		"mongodb://localhost":                                      "localhost",
		"mongodb://a:1,b:2,c:3/?replicaSet=rs0":                    "a:1,b:2,c:3",
		"mongodb://user:p@ss@host:27017/db?tls=true":               "host:27017",
		"mongodb+srv://user:pw@cluster0.abcde.mongodb.net/?retryW": "cluster0.abcde.mongodb.net",
		"mongodb://[::1]:27017":                                    "[::1]:27017",
	} {
		if got := Hosts(uri); got != want {
			t.Errorf("Hosts(%q) = %q, want %q", uri, got, want)
		}
	}
}

func TestOptionsFromEnv(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	o, err := OptionsFromEnv(env())
	if err != nil || o.ConnectTimeout != 0 || o.MaxPoolSize != 0 || o.NoTransactions {
		t.Errorf("defaults: %+v, %v", o, err)
	}
	o, err = OptionsFromEnv(env("MONGODB_CONNECT_TIMEOUT", "2s", "MONGODB_MAX_POOL_SIZE", "50", "MONGODB_TRANSACTIONS", "false"))
	if err != nil || o.ConnectTimeout != 2*time.Second || o.MaxPoolSize != 50 || !o.NoTransactions {
		t.Errorf("set: %+v, %v", o, err)
	}
	if o, err := OptionsFromEnv(env("MONGODB_CONNECT_TIMEOUT", "1.5")); err != nil || o.ConnectTimeout != 1500*time.Millisecond {
		t.Errorf("seconds: %+v, %v", o, err)
	}
	for _, bad := range [][]string{
		{"MONGODB_CONNECT_TIMEOUT", "soon"}, {"MONGODB_CONNECT_TIMEOUT", "-1s"},
		{"MONGODB_MAX_POOL_SIZE", "0"}, {"MONGODB_MAX_POOL_SIZE", "lots"}, {"MONGODB_TRANSACTIONS", "maybe"},
	} {
		if _, err := OptionsFromEnv(env(bad...)); err == nil || !strings.Contains(err.Error(), bad[0]) {
			t.Errorf("%s=%s: %v", bad[0], bad[1], err)
		}
	}
}
