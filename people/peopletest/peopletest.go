// Package peopletest holds the tests of package people that every store
// must pass: the people tests run them on SQLite, the MongoDB tests on a
// server.
package peopletest

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"estafette/content"
	"estafette/people"
)

// clock is a time the test moves.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// admin is the context of an admin at the desk.
func admin() context.Context {
	return content.WithViewer(context.Background(), content.Viewer{Actor: "Beheerder", Role: content.RoleAdmin})
}

const password = "lange zinnen zijn sterk"

// replicas returns two managers over one store with one clock: what one
// replica writes, the other must see.
func replicas(store content.Store) (*people.People, *people.People, *clock) {
	c := &clock{t: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
	a, b := people.New(store), people.New(store)
	a.SetClock(c.now)
	b.SetClock(c.now)
	return a, b, c
}

// Run runs every test of the suite on store, which must hold the
// collections of package people and the audit log (and be empty of
// people named in the suite: each test uses addresses of its own).
func Run(t *testing.T, store content.Store) {
	t.Run("InvitationOnce", func(t *testing.T) { invitationOnce(t, store) })
	t.Run("InvitationExpires", func(t *testing.T) { invitationExpires(t, store) })
	t.Run("AcceptRace", func(t *testing.T) { acceptRace(t, store) })
	t.Run("EmailUnique", func(t *testing.T) { emailUnique(t, store) })
	t.Run("SessionIdle", func(t *testing.T) { sessionIdle(t, store) })
	t.Run("DisableEndsSessions", func(t *testing.T) { disableEndsSessions(t, store) })
	t.Run("SignInAnswers", func(t *testing.T) { signInAnswers(t, store) })
	t.Run("AdminOnly", func(t *testing.T) { adminOnly(t, store) })
	t.Run("Roles", func(t *testing.T) { roles(t, store) })
	t.Run("LastSeen", func(t *testing.T) { lastSeen(t, store) })
}

// lastSeen: the last request of a person's kept sessions, for admins
// only; nothing for someone without a session, or once disabled.
func lastSeen(t *testing.T, store content.Store) {
	a, b, c := replicas(store)
	gijs, err := a.Create(admin(), "gijs.laatst@example.nl", "Gijs", content.RoleEditor, password)
	if err != nil {
		t.Fatal(err)
	}
	hanna, err := a.Create(admin(), "hanna.laatst@example.nl", "Hanna", content.RoleReader, password)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.StartSession(context.Background(), gijs.ID); err != nil {
		t.Fatal(err)
	}
	token, _, err := a.StartSession(context.Background(), gijs.ID)
	if err != nil {
		t.Fatal(err)
	}
	c.add(5 * time.Minute)
	if _, _, err := b.Session(context.Background(), token); err != nil {
		t.Fatal(err)
	}
	seen, err := b.LastSeen(admin())
	if err != nil {
		t.Fatal(err)
	}
	if want := c.now().UTC().Truncate(time.Millisecond); !seen[gijs.ID].Equal(want) {
		t.Errorf("Gijs last seen %v, want %v (the later of his two sessions)", seen[gijs.ID], want)
	}
	if _, ok := seen[hanna.ID]; ok {
		t.Errorf("Hanna, who never signed in, was seen at %v", seen[hanna.ID])
	}
	editor := content.WithViewer(context.Background(), content.Viewer{Actor: "Gijs", Role: content.RoleEditor})
	if _, err := a.LastSeen(editor); code(err) != content.EFORBIDDEN {
		t.Errorf("an editor reads when people were last seen: %v", err)
	}
	if _, err := a.Disable(admin(), gijs.ID); err != nil {
		t.Fatal(err)
	}
	if seen, err := a.LastSeen(admin()); err != nil || !seen[gijs.ID].IsZero() {
		t.Errorf("a disabled person is still seen: %v %v", seen[gijs.ID], err)
	}
}

func code(err error) string { return content.ErrorCode(err) }

// invitationOnce: an invitation sets a password once; a password that
// breaks the rules uses nothing up; the write is audited under the person.
func invitationOnce(t *testing.T, store content.Store) {
	a, b, _ := replicas(store)
	p, token, err := a.Invite(admin(), " Anna@Example.NL ", "Anna de Vries", content.RoleEditor)
	if err != nil {
		t.Fatal(err)
	}
	if p.Email != "anna@example.nl" || p.Status != people.StatusInvited || p.HasPassword {
		t.Fatalf("invited: %+v", p)
	}
	if _, err := b.Authenticate(context.Background(), "anna@example.nl", password); code(err) != content.EUNAUTHORIZED {
		t.Fatalf("an invited person signs in before setting a password: %v", err)
	}
	if got, err := b.Invitation(context.Background(), token); err != nil || got.ID != p.ID {
		t.Fatalf("invitation on another replica: %+v %v", got, err)
	}
	if _, err := b.AcceptInvitation(context.Background(), token, "kort"); code(err) != content.EINVALID {
		t.Fatalf("a short password: %v", err)
	}
	got, err := b.AcceptInvitation(context.Background(), token, password)
	if err != nil || got.Status != people.StatusActive {
		t.Fatalf("accept: %+v %v", got, err)
	}
	if _, err := a.AcceptInvitation(context.Background(), token, "een ander lang wachtwoord"); code(err) != content.ENOTFOUND {
		t.Fatalf("an invitation used twice: %v", err)
	}
	if _, err := a.Invitation(context.Background(), token); code(err) != content.ENOTFOUND {
		t.Fatalf("a used invitation still shows: %v", err)
	}
	if signed, err := a.Authenticate(context.Background(), "ANNA@example.nl", password); err != nil || signed.ID != p.ID {
		t.Fatalf("sign in with the password set: %+v %v", signed, err)
	}
	entries := audit(t, store, p.ID)
	want := map[string]string{"invite": "Beheerder", "set-password": "Anna de Vries"}
	for action, actor := range want {
		found := false
		for _, e := range entries {
			found = found || (e.Action == action && e.Actor == actor)
		}
		if !found {
			t.Errorf("no audit entry %s by %s in %+v", action, actor, entries)
		}
	}
	for _, e := range entries {
		body, _ := json.Marshal(e)
		if json.Valid(body) && contains(string(body), "anna@example.nl") {
			t.Errorf("the audit log holds the email address: %s", body)
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// audit returns the audit entries of a record.
func audit(t *testing.T, store content.Store, id string) []content.AuditEntry {
	t.Helper()
	docs, err := store.Find(context.Background(), content.Query{Kind: content.KindAudit, Where: content.Eq("recordId", id),
		Sort: []content.SortKey{{Field: "at"}, {Field: "id"}}})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]content.AuditEntry, len(docs))
	for i, d := range docs {
		if err := json.Unmarshal(d.Body, &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// invitationExpires: a link works for 24 hours, not a moment longer; a
// new invitation works again.
func invitationExpires(t *testing.T, store content.Store) {
	a, b, c := replicas(store)
	p, token, err := a.Invite(admin(), "bram@example.nl", "Bram", content.RoleReader)
	if err != nil {
		t.Fatal(err)
	}
	c.add(people.InviteValidity - time.Second)
	if _, err := b.Invitation(context.Background(), token); err != nil {
		t.Fatalf("a second before it expires: %v", err)
	}
	c.add(time.Second)
	if _, err := b.AcceptInvitation(context.Background(), token, password); code(err) != content.ENOTFOUND {
		t.Fatalf("an expired invitation is accepted: %v", err)
	}
	again, err := a.NewInvitation(admin(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.AcceptInvitation(context.Background(), again, password); err != nil {
		t.Fatalf("a new invitation: %v", err)
	}
}

// acceptRace: of acceptances racing on one link, exactly one succeeds.
func acceptRace(t *testing.T, store content.Store) {
	a, b, _ := replicas(store)
	_, token, err := a.Invite(admin(), "cor@example.nl", "Cor", content.RoleEditor)
	if err != nil {
		t.Fatal(err)
	}
	var ok, refused atomic.Int32
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			m := a
			if i%2 == 1 {
				m = b
			}
			_, err := m.AcceptInvitation(context.Background(), token, password)
			switch code(err) {
			case "":
				ok.Add(1)
			case content.ENOTFOUND:
				refused.Add(1)
			default:
				t.Errorf("accept: %v", err)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 1 || refused.Load() != 3 {
		t.Fatalf("%d acceptances succeeded and %d were refused; want 1 and 3", ok.Load(), refused.Load())
	}
}

// emailUnique: one person per address, whatever its case; racing
// invitations of one address make one person.
func emailUnique(t *testing.T, store content.Store) {
	a, b, _ := replicas(store)
	if _, err := a.Create(admin(), "dirk@example.nl", "Dirk", content.RoleEditor, password); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.Invite(admin(), "DIRK@example.nl", "Dirk 2", content.RoleEditor); code(err) != content.ECONFLICT {
		t.Fatalf("a second person with one address: %v", err)
	}
	var ok atomic.Int32
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, _, err := a.Invite(admin(), "eva@example.nl", "Eva", content.RoleReader); err == nil {
				ok.Add(1)
			} else if code(err) != content.ECONFLICT {
				t.Errorf("invite: %v", err)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 1 {
		t.Fatalf("%d racing invitations of one address succeeded", ok.Load())
	}
	for _, bad := range []struct{ email, name string }{{"geen-adres", "X"}, {"a@b", "X"}, {"x@example.nl", " "}, {"y@example.nl", "a\u202eb"}} {
		if _, _, err := a.Invite(admin(), bad.email, bad.name, content.RoleReader); code(err) != content.EINVALID {
			t.Errorf("invite %q %q: %v", bad.email, bad.name, err)
		}
	}
}

// sessionIdle: a session lasts while it is used and ends after 12 hours
// without a request, on every replica.
func sessionIdle(t *testing.T, store content.Store) {
	a, b, c := replicas(store)
	p, err := a.Create(admin(), "fien@example.nl", "Fien", content.RoleEditor, password)
	if err != nil {
		t.Fatal(err)
	}
	token, sess, err := a.StartSession(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sess.CSRF == "" || sess.CSRF == token {
		t.Fatalf("session CSRF token %q", sess.CSRF)
	}
	for range 3 { // used every 11 hours: it lasts
		c.add(11 * time.Hour)
		s, who, err := b.Session(context.Background(), token)
		if err != nil || who.ID != p.ID || s.CSRF != sess.CSRF {
			t.Fatalf("a session in use ends: %+v %v", who, err)
		}
	}
	c.add(people.IdleTimeout - time.Second)
	if _, _, err := a.Session(context.Background(), token); err != nil {
		t.Fatalf("a second before it idles out: %v", err)
	}
	c.add(people.IdleTimeout)
	if _, _, err := b.Session(context.Background(), token); code(err) != content.EUNAUTHORIZED {
		t.Fatalf("a session idle for 12 h still works: %v", err)
	}
	if _, _, err := a.Session(context.Background(), token); code(err) != content.EUNAUTHORIZED {
		t.Fatalf("an idle session works on the other replica: %v", err)
	}
	// Sign-out ends a session at once.
	token, _, err = a.StartSession(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.EndSession(context.Background(), token); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Session(context.Background(), token); code(err) != content.EUNAUTHORIZED {
		t.Fatalf("a signed-out session works: %v", err)
	}
	if _, _, err := a.Session(context.Background(), "not-a-token"); code(err) != content.EUNAUTHORIZED {
		t.Fatalf("a malformed token: %v", err)
	}
}

// disableEndsSessions: disabling a person on one replica ends every
// session of the person at the next request on another, and enabling
// does not bring them back.
func disableEndsSessions(t *testing.T, store content.Store) {
	a, b, _ := replicas(store)
	p, err := a.Create(admin(), "gijs@example.nl", "Gijs", content.RoleEditor, password)
	if err != nil {
		t.Fatal(err)
	}
	t1, _, err := a.StartSession(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	t2, _, err := b.StartSession(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{t1, t2} {
		if _, _, err := a.Session(context.Background(), tok); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := b.Disable(admin(), p.ID); err != nil || got.Status != people.StatusDisabled {
		t.Fatalf("disable: %+v %v", got, err)
	}
	for _, tok := range []string{t1, t2} {
		if _, _, err := a.Session(context.Background(), tok); code(err) != content.EUNAUTHORIZED {
			t.Fatalf("a disabled person's session works: %v", err)
		}
	}
	if n, err := store.Count(context.Background(), people.KindSession, content.Eq("person", p.ID)); err != nil || n != 0 {
		t.Fatalf("%d sessions of a disabled person are stored (%v)", n, err)
	}
	if _, err := a.Authenticate(context.Background(), "gijs@example.nl", password); code(err) != content.EUNAUTHORIZED {
		t.Fatalf("a disabled person signs in: %v", err)
	}
	if _, _, err := a.StartSession(context.Background(), p.ID); code(err) != content.EUNAUTHORIZED {
		t.Fatalf("a session for a disabled person: %v", err)
	}
	if got, err := a.Enable(admin(), p.ID); err != nil || got.Status != people.StatusActive {
		t.Fatalf("enable: %+v %v", got, err)
	}
	if _, _, err := b.Session(context.Background(), t1); code(err) != content.EUNAUTHORIZED {
		t.Fatalf("enabling brings an old session back: %v", err)
	}
	if _, err := b.Authenticate(context.Background(), "gijs@example.nl", password); err != nil {
		t.Fatalf("an enabled person cannot sign in: %v", err)
	}
	actions := map[string]bool{}
	for _, e := range audit(t, store, p.ID) {
		actions[e.Action+" by "+e.Actor] = true
	}
	for _, want := range []string{"create by Beheerder", "disable by Beheerder", "enable by Beheerder"} {
		if !actions[want] {
			t.Errorf("no audit entry %q in %v", want, actions)
		}
	}
}

// signInAnswers: an unknown address, a wrong password and an invited
// person get one and the same answer.
func signInAnswers(t *testing.T, store content.Store) {
	a, _, _ := replicas(store)
	if _, err := a.Create(admin(), "hanna@example.nl", "Hanna", content.RoleReader, password); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Invite(admin(), "ids@example.nl", "Ids", content.RoleReader); err != nil {
		t.Fatal(err)
	}
	var first string
	for _, c := range []struct{ email, password string }{
		{"hanna@example.nl", "niet het wachtwoord"}, {"niemand@example.nl", password}, {"ids@example.nl", password}, {"geen adres", password},
	} {
		_, err := a.Authenticate(context.Background(), c.email, c.password)
		if code(err) != content.EUNAUTHORIZED {
			t.Fatalf("%s: %v", c.email, err)
		}
		if first == "" {
			first = err.Error()
		} else if err.Error() != first {
			t.Errorf("%s: %q differs from %q", c.email, err, first)
		}
	}
}

// adminOnly: managing people needs an admin; the others change nothing.
func adminOnly(t *testing.T, store content.Store) {
	a, _, _ := replicas(store)
	p, err := a.Create(admin(), "jan@example.nl", "Jan", content.RoleEditor, password)
	if err != nil {
		t.Fatal(err)
	}
	editor := content.WithViewer(context.Background(), content.Viewer{Actor: "Jan", Role: content.RoleEditor})
	for ctx, want := range map[context.Context]string{context.Background(): content.EUNAUTHORIZED, editor: content.EFORBIDDEN} {
		if _, err := a.List(ctx); code(err) != want {
			t.Errorf("list: %v", err)
		}
		if _, _, err := a.Invite(ctx, "kees@example.nl", "Kees", content.RoleAdmin); code(err) != want {
			t.Errorf("invite: %v", err)
		}
		if _, err := a.SetRole(ctx, p.ID, content.RoleAdmin); code(err) != want {
			t.Errorf("set role: %v", err)
		}
		if _, err := a.Disable(ctx, p.ID); code(err) != want {
			t.Errorf("disable: %v", err)
		}
		if _, err := a.Enable(ctx, p.ID); code(err) != want {
			t.Errorf("enable: %v", err)
		}
	}
	got, err := a.Get(admin(), p.ID)
	if err != nil || got.Role != content.RoleEditor || got.Status != people.StatusActive || got.Version != 1 {
		t.Fatalf("a refused change changed %+v (%v)", got, err)
	}
	if _, err := a.Find(admin(), "kees@example.nl"); code(err) != content.ENOTFOUND {
		t.Fatalf("a refused invitation made a person: %v", err)
	}
}

// roles: an admin changes roles; the last active admin stays one.
func roles(t *testing.T, store content.Store) {
	a, _, _ := replicas(store)
	ctx := admin()
	list, err := a.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list { // the suite's other people are no admins
		if p.Role == content.RoleAdmin && p.Status == people.StatusActive {
			t.Fatalf("an admin before the test: %+v", p)
		}
	}
	lies, err := a.Create(ctx, "lies@example.nl", "Lies", content.RoleEditor, password)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := a.SetRole(ctx, lies.ID, content.RoleAdmin); err != nil || got.Role != content.RoleAdmin || got.Version != 2 {
		t.Fatalf("set role: %+v %v", got, err)
	}
	if _, err := a.SetRole(ctx, lies.ID, "chef"); code(err) != content.EINVALID {
		t.Fatalf("an unknown role: %v", err)
	}
	if _, err := a.SetRole(ctx, lies.ID, content.RoleEditor); code(err) != content.ECONFLICT {
		t.Fatalf("the last admin became an editor: %v", err)
	}
	if _, err := a.Disable(ctx, lies.ID); code(err) != content.ECONFLICT {
		t.Fatalf("the last admin was disabled: %v", err)
	}
	mies, err := a.Create(ctx, "mies@example.nl", "Mies", content.RoleAdmin, password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Disable(ctx, lies.ID); err != nil {
		t.Fatalf("an admin with another one beside: %v", err)
	}
	if found, err := a.Find(ctx, "MIES@example.nl"); err != nil || found.ID != mies.ID {
		t.Fatalf("find by address: %+v %v", found, err)
	}
	list, err = a.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(list); i++ {
		if list[i-1].Name > list[i].Name && list[i-1].Name[0] >= 'A' && list[i].Name[0] >= 'A' {
			t.Errorf("list not by name: %q before %q", list[i-1].Name, list[i].Name)
		}
	}
}
