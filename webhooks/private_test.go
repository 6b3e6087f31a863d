package webhooks_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"estafette/content"
	"estafette/webhooks"
)

// fakeResolver answers from a map and never touches the network; a name
// that is not in it does not resolve.
type fakeResolver struct {
	mu    sync.Mutex
	names map[string][]string
}

func (f *fakeResolver) set(name string, addrs ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.names == nil {
		f.names = map[string][]string{}
	}
	f.names[name] = addrs
}

func (f *fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	addrs, ok := f.names[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	var out []netip.Addr
	for _, a := range addrs {
		out = append(out, netip.MustParseAddr(a))
	}
	return out, nil
}

// Registration refuses every internal address, in every spelling, and
// every name that resolves to one, without saying which address; it
// accepts public addresses and names, and needs no network for either.
func TestRegistrationRefusesPrivateAddresses(t *testing.T) {
	res := &fakeResolver{}
	res.set("hooks.example.org", "93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c")
	res.set("intranet.example.org", "10.20.30.40")
	res.set("mixed.example.org", "93.184.215.14", "192.168.1.7")
	res.set("metadata.example.org", "169.254.169.254")
	res.set("v6only.example.org", "fd12:3456::1")
	e := newEnv(t, webhooks.Options{Resolver: res})
	for _, c := range []struct{ url, why string }{
		{"http://127.0.0.1/hook", "loopback"},
		{"http://127.8.9.10:8080/hook", "loopback"},
		{"http://2130706433/hook", "loopback"},
		{"http://0177.0.0.1/hook", "loopback"},
		{"http://0x7f.1/hook", "loopback"},
		{"http://0x7f000001/hook", "loopback"},
		{"http://127.1/hook", "loopback"},
		{"http://127.0.0.1./hook", "loopback"},
		{"http://[::ffff:127.0.0.1]/hook", "loopback"},
		{"http://[::ffff:7f00:1]/hook", "loopback"},
		{"http://[::1]:8080/hook", "loopback"},
		{"http://localhost:8080/hook", "loopback"},
		{"http://LOCALHOST./hook", "loopback"},
		{"http://api.localhost/hook", "loopback"},
		{"http://10.0.0.1/hook", "private"},
		{"http://172.16.0.1/hook", "private"},
		{"http://172.31.255.255/hook", "private"},
		{"http://192.168.1.1/hook", "private"},
		{"http://0xc0.0xa8.1.1/hook", "private"},
		{"http://169.254.169.254/latest/meta-data/", "link-local"},
		{"http://169.254.1.1/hook", "link-local"},
		{"http://[fc00::1]/hook", "private"},
		{"http://[fd00:ec2::254]/hook", "private"},
		{"http://[fe80::1]/hook", "link-local"},
		{"http://[fe80::1%25eth0]/hook", "link-local"},
		{"http://0.0.0.0/hook", "unspecified"},
		{"http://0/hook", "unspecified"},
		{"http://[::]/hook", "unspecified"},
		{"http://100.64.0.1/hook", "reserved"},
		{"http://100.100.100.200/hook", "reserved"},
		{"http://[64:ff9b::a00:1]/hook", "private"},
		{"http://224.0.0.1/hook", "multicast"},
		{"http://255.255.255.255/hook", "reserved"},
		{"http://intranet.example.org/hook", "resolves to a private address"},
		{"http://mixed.example.org/hook", "resolves to a private address"},
		{"http://metadata.example.org/hook", "resolves to a private address"},
		{"http://v6only.example.org/hook", "resolves to a private address"},
		{"http://nowhere.example.org/hook", "does not resolve"},
		{"http://256.0.0.1/hook", "not a valid address"},
		{"http://1.2.3.4.5/hook", "not a valid address"},
		{"gopher://93.184.215.14/hook", "not an http(s) URL"},
		{"file:///etc/passwd", "not an http(s) URL"},
	} {
		_, err := e.hooks.Add(e.admin, c.url, []string{"*"}, "", "")
		if content.ErrorCode(err) != content.EINVALID || content.ErrorField(err) != "url" {
			t.Errorf("%s: %v, want BAD_USER_INPUT on url", c.url, err)
			continue
		}
		msg := content.ErrorMessage(err)
		if !strings.Contains(msg, c.why) {
			t.Errorf("%s: %q does not say %q", c.url, msg, c.why)
		}
		for _, secret := range []string{"10.20.30.40", "192.168.1.7", "169.254.169.254", "fd12"} {
			if strings.Contains(c.url, ".example.org") && strings.Contains(msg, secret) {
				t.Errorf("%s: %q reveals the address it resolves to", c.url, msg)
			}
		}
	}
	for _, ok := range []string{
		"https://93.184.215.14/hook",
		"http://93.184.215.14:8080/hook",
		"https://hooks.example.org/estafette",
		"https://HOOKS.example.org./estafette",
		"https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/hook",
		"https://[::ffff:93.184.215.14]/hook",
	} {
		if strings.Contains(ok, "HOOKS") {
			res.set("HOOKS.example.org.", "93.184.215.14")
		}
		if _, err := e.hooks.Add(e.admin, ok, []string{"*"}, "", ""); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	// A public address in another spelling is refused too, with the
	// spelling to use: resolvers disagree on these forms.
	if _, err := e.hooks.Add(e.admin, "http://1572394766/hook", []string{"*"}, "", ""); content.ErrorCode(err) != content.EINVALID ||
		!strings.Contains(content.ErrorMessage(err), "93.184.215.14") {
		t.Errorf("a decimal public address: %v", err)
	}
	// Development and tests may allow them.
	dev := newEnv(t, webhooks.Options{AllowPrivate: true, Resolver: res})
	for _, u := range []string{"http://127.0.0.1:8080/hook", "http://localhost/hook", "http://intranet.example.org/hook"} {
		if _, err := dev.hooks.Add(dev.admin, u, []string{"*"}, "", ""); err != nil {
			t.Errorf("AllowPrivate: %s: %v", u, err)
		}
	}
}

// The dialer's Control function refuses every internal address it is
// about to connect to, whatever name or redirect led there.
func TestDialControl(t *testing.T) {
	for _, a := range []string{
		"127.0.0.1:80", "127.255.0.1:443", "[::1]:80", "[::ffff:127.0.0.1]:80", "10.1.2.3:6379",
		"172.16.5.4:80", "192.168.0.1:80", "169.254.169.254:80", "[fe80::1%lo]:80", "[fe80::1]:80",
		"[fc00::1]:80", "[fd00:ec2::254]:80", "0.0.0.0:80", "[::]:80", "100.64.0.1:80",
		"[64:ff9b::7f00:1]:80", "[2002:7f00:1::1]:80", "not-an-address:80",
	} {
		if err := webhooks.DialControl("tcp", a, nil); err == nil {
			t.Errorf("%s: allowed", a)
		}
	}
	for _, a := range []string{"93.184.215.14:443", "8.8.8.8:80", "[2606:2800:21f:cb07:6820:80da:af6b:8b2c]:443", "[::ffff:93.184.215.14]:80"} {
		if err := webhooks.DialControl("tcp", a, nil); err != nil {
			t.Errorf("%s: %v", a, err)
		}
	}
}

// attempts waits until the delivery to ep has n attempts and returns it.
func (e *env) attempts(t *testing.T, ep *webhooks.Endpoint, n int) *webhooks.Delivery {
	t.Helper()
	var d *webhooks.Delivery
	waitFor(t, "an attempt", 10*time.Second, func() bool {
		ds, _ := e.hooks.Deliveries(e.admin, webhooks.DeliveryFilter{EndpointID: ep.ID}, 10)
		if len(ds) > 0 && len(ds[0].Log) >= n {
			d = ds[0]
			return true
		}
		return false
	})
	return d
}

// A name that resolved to a public address at registration and resolves to
// loopback when the delivery is sent (DNS rebinding) is refused at connect
// time: the receiver never hears of it, and the log says why in plain
// words.
func TestRebindingRefusedAtConnect(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	res := &fakeResolver{}
	res.set("rebind.example.org", "93.184.215.14")
	e := newEnv(t, webhooks.Options{Resolver: res, Poll: 20 * time.Millisecond, BaseBackoff: time.Hour})
	ep, err := e.hooks.Add(e.admin, "http://rebind.example.org:"+strconv.Itoa(port)+"/hook", []string{"theme.created"}, "", "")
	if err != nil {
		t.Fatal(err)
	}
	res.set("rebind.example.org", "127.0.0.1") // the attacker's DNS changes its answer
	if _, err := content.Create(e.editor, e.cat, newTheme("rebind")); err != nil {
		t.Fatal(err)
	}
	e.run(t)
	d := e.attempts(t, ep, 1)
	if got := d.Log[0].Error; got != "refused: the address is in a private network" {
		t.Errorf("log says %q", got)
	}
	if d.State != webhooks.StatePending || d.Log[0].Status != 0 {
		t.Errorf("delivery %+v", d)
	}
	if hits.Load() != 0 {
		t.Errorf("the loopback receiver got %d requests", hits.Load())
	}
}

// An endpoint on loopback that got into the store while private addresses
// were allowed (or by any other way past registration) is refused when
// the dispatcher connects with them disallowed.
func TestLoopbackRefusedAtConnect(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	dev := newEnv(t, webhooks.Options{AllowPrivate: true})
	ep, err := dev.hooks.Add(dev.admin, srv.URL+"/hook", []string{"theme.created"}, "", "")
	if err != nil {
		t.Fatal(err)
	}
	// The same store, served with the check on.
	e := &env{cat: dev.cat, store: dev.store, editor: dev.editor, admin: dev.admin,
		hooks: webhooks.New(dev.store, webhooks.Options{Poll: 20 * time.Millisecond, BaseBackoff: time.Hour})}
	if _, err := content.Create(e.editor, e.cat, newTheme("loopback")); err != nil {
		t.Fatal(err)
	}
	e.run(t)
	d := e.attempts(t, ep, 1)
	if got := d.Log[0].Error; got != "refused: the address is in a private network" {
		t.Errorf("log says %q", got)
	}
	if hits.Load() != 0 {
		t.Errorf("the loopback receiver got %d requests", hits.Load())
	}
}

// A failed connection is logged in words that do not tell a closed port
// from a filtered one or a receiver that hangs; a redirect is not
// followed.
func TestFailuresInPlainWords(t *testing.T) {
	e := newEnv(t, webhooks.Options{AllowPrivate: true, Poll: 20 * time.Millisecond, BaseBackoff: time.Hour, Timeout: 300 * time.Millisecond})
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedURL := "http://" + closed.Addr().String() + "/hook"
	closed.Close()
	var followed atomic.Int64
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { followed.Add(1) }))
	t.Cleanup(target.Close)
	redirect := httptest.NewServer(http.RedirectHandler(target.URL, http.StatusFound))
	t.Cleanup(redirect.Close)
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(hang.Close)
	t.Cleanup(func() { close(release) })

	add := func(u string) *webhooks.Endpoint {
		ep, err := e.hooks.Add(e.admin, u, []string{"theme.created"}, "", "")
		if err != nil {
			t.Fatal(err)
		}
		return ep
	}
	epClosed, epRedirect, epHang := add(closedURL), add(redirect.URL+"/hook"), add(hang.URL+"/hook")
	if _, err := content.Create(e.editor, e.cat, newTheme("plain")); err != nil {
		t.Fatal(err)
	}
	e.run(t)
	wantNoAnswer := "could not connect, or no answer within 300ms"
	if got := e.attempts(t, epClosed, 1).Log[0].Error; got != wantNoAnswer {
		t.Errorf("closed port: %q", got)
	}
	if got := e.attempts(t, epHang, 1).Log[0].Error; got != wantNoAnswer {
		t.Errorf("hanging receiver: %q", got)
	}
	d := e.attempts(t, epRedirect, 1)
	if got := d.Log[0].Error; d.Log[0].Status != http.StatusFound || !strings.Contains(got, "redirects are not followed") {
		t.Errorf("redirect: %d %q", d.Log[0].Status, got)
	}
	if followed.Load() != 0 {
		t.Errorf("the redirect was followed")
	}
}

// A receiver that hangs does not hold up a healthy one: the healthy
// endpoint gets every event while the slow one still holds its first
// requests, and the slow one never has more than PerEndpoint at once.
func TestSlowReceiverDoesNotHoldUpOthers(t *testing.T) {
	e := newEnv(t, webhooks.Options{AllowPrivate: true, Poll: 20 * time.Millisecond, Timeout: time.Minute, Parallel: 4, PerEndpoint: 2})
	release := make(chan struct{})
	var inFlight, most, served atomic.Int64
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
		served.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(release) })
	slowEP, err := e.hooks.Add(e.admin, slow.URL+"/hook", []string{"theme.created"}, "", "")
	if err != nil {
		t.Fatal(err)
	}
	healthy := &receiver{t: t, got: map[string]int{}}
	e.endpoint(t, healthy, "theme.created")
	another := &receiver{t: t, got: map[string]int{}}
	e.endpoint(t, another, "theme.created")
	e.run(t)
	const n = 30
	for i := range n {
		if _, err := content.Create(e.editor, e.cat, newTheme("traag-"+strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "the healthy endpoints' events", 20*time.Second, func() bool {
		return healthy.distinct() == n && another.distinct() == n
	})
	if served.Load() != 0 || inFlight.Load() == 0 {
		t.Fatalf("the slow receiver is not hanging: %d served, %d in flight", served.Load(), inFlight.Load())
	}
	if m := most.Load(); m > 2 {
		t.Errorf("the slow endpoint had %d deliveries at once, more than PerEndpoint", m)
	}
	pending, _, err := e.hooks.Counts(e.admin, slowEP.ID)
	if err != nil || pending != n {
		t.Errorf("slow endpoint: %d pending (%v), want %d", pending, err, n)
	}
}

// An attempt that takes longer than Timeout fails and is retried.
func TestAttemptTimeout(t *testing.T) {
	e := newEnv(t, webhooks.Options{AllowPrivate: true, Poll: 20 * time.Millisecond, Timeout: 100 * time.Millisecond,
		BaseBackoff: 10 * time.Millisecond, MaxBackoff: 20 * time.Millisecond})
	var calls atomic.Int64
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			select { // the first attempt hangs
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	ep, err := e.hooks.Add(e.admin, srv.URL, []string{"theme.created"}, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := content.Create(e.editor, e.cat, newTheme("te-laat")); err != nil {
		t.Fatal(err)
	}
	e.run(t)
	var d *webhooks.Delivery
	waitFor(t, "the retry", 10*time.Second, func() bool {
		ds, _ := e.hooks.Deliveries(e.admin, webhooks.DeliveryFilter{EndpointID: ep.ID}, 1)
		if len(ds) == 1 && ds[0].State == webhooks.StateDelivered {
			d = ds[0]
			return true
		}
		return false
	})
	if len(d.Log) != 2 || d.Log[0].Error != "could not connect, or no answer within 100ms" || d.Log[1].Status != http.StatusNoContent {
		t.Errorf("log %+v", d.Log)
	}
	if ms := d.Log[0].DurationMs; ms < 100 || ms > 5000 {
		t.Errorf("the first attempt took %d ms", ms)
	}
}

// Two replicas over one store, each with its lanes, send every delivery
// exactly once: the versioned claim still decides who sends it.
func TestReplicasSendOnce(t *testing.T) {
	opts := webhooks.Options{AllowPrivate: true, Poll: 10 * time.Millisecond}
	e := newEnv(t, opts)
	rcs := []*receiver{{t: t, got: map[string]int{}}, {t: t, got: map[string]int{}}}
	for _, rc := range rcs {
		e.endpoint(t, rc, "theme.created")
	}
	other := &env{hooks: webhooks.New(e.store, opts)}
	e.run(t)
	other.run(t)
	const n = 40
	for i := range n {
		if _, err := content.Create(e.editor, e.cat, newTheme("twee-"+strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
		other.hooks.Poke()
	}
	waitFor(t, "every event at both endpoints", 20*time.Second, func() bool { return rcs[0].distinct() == n && rcs[1].distinct() == n })
	waitFor(t, "every delivery recorded", 10*time.Second, func() bool {
		ds, _ := e.hooks.Deliveries(e.admin, webhooks.DeliveryFilter{State: webhooks.StateDelivered}, 2*n+1)
		return len(ds) == 2*n
	})
	for i, rc := range rcs {
		rc.mu.Lock()
		for id, k := range rc.got {
			if k != 1 {
				t.Errorf("receiver %d got event %s %d times", i, id, k)
			}
		}
		rc.mu.Unlock()
	}
}
