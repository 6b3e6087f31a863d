// Package submissionstest holds the tests of package submissions that
// every store must pass: the submissions tests run them on SQLite, the
// MongoDB tests on a server.
package submissionstest

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"estafette/content"
	"estafette/events"
	"estafette/mail"
	"estafette/submissions"
	"estafette/web/ratelimit"
)

// Clock is a time the test moves.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Add moves the clock forward.
func (c *Clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// Mails reads the mails of an outbox without a sender: they stay in it.
type Mails struct{ Outbox *mail.Outbox }

// To returns the mails to an address, the oldest first.
func (m *Mails) To(address string) []mail.Message {
	var out []mail.Message
	var after *string
	for {
		n := 100
		page, err := m.Outbox.List(context.Background(), "", content.PageArgs{First: &n, After: after})
		if err != nil {
			panic(err)
		}
		for _, x := range page.Items {
			if x.To == address {
				out = append(out, x.Message())
			}
		}
		if !page.HasNextPage {
			break
		}
		after = &page.Cursors[len(page.Cursors)-1]
	}
	return out
}

// has reports whether one of ms has sub in its subject or text.
func has(ms []mail.Message, sub string) bool {
	return slices.ContainsFunc(ms, func(m mail.Message) bool {
		return strings.Contains(m.Subject, sub) || strings.Contains(m.Text, sub)
	})
}

var linkPattern = regexp.MustCompile(`/aanmelden/([A-Za-z0-9_-]{43})`)

// Token returns the token of the last confirmation link mailed to address.
func (m *Mails) Token(t *testing.T, address string) string {
	t.Helper()
	ms := m.To(address)
	for i := len(ms) - 1; i >= 0; i-- {
		if g := linkPattern.FindStringSubmatch(ms[i].Text); g != nil {
			return g[1]
		}
	}
	t.Fatalf("no mail with a link to %s", address)
	return ""
}

// Fixture is what the suite's proposals are about.
type Fixture struct {
	Edition, North, South string // ids
	Week                  content.Date
}

// Editor is the context of an editor.
func Editor() context.Context {
	return content.WithViewer(context.Background(), content.Viewer{Actor: "Redactie", Role: content.RoleEditor, Drafts: true})
}

// Setup writes an edition of year open for proposals from the clock's
// time for 60 days, with a week for two regions, into the catalog.
func Setup(t *testing.T, cat *content.Catalog, year int, now time.Time) Fixture {
	t.Helper()
	ctx := Editor()
	north := &content.Region{Name: content.NLText(fmt.Sprintf("Noord %d", year)), Position: 1,
		Provinces: []*content.Province{{Slug: fmt.Sprintf("groningen-%d", year), Name: "Groningen"}}}
	north.Status, north.Slug = content.StatusPublished, fmt.Sprintf("noord-%d", year)
	south := &content.Region{Name: content.NLText(fmt.Sprintf("Zuid %d", year)), Position: 2,
		Provinces: []*content.Province{{Slug: fmt.Sprintf("limburg-%d", year), Name: "Limburg"}}}
	south.Status, south.Slug = content.StatusPublished, fmt.Sprintf("zuid-%d", year)
	for _, r := range []*content.Region{north, south} {
		if _, err := content.Create(ctx, cat, r); err != nil {
			t.Fatal(err)
		}
	}
	d := func(m time.Month, day int) *content.Date { x := content.D(year, m, day); return &x }
	from, until := now, now.Add(60*24*time.Hour)
	e := &content.Edition{Year: year, Name: content.NLText(fmt.Sprintf("Estafette %d", year)), StartsOn: d(3, 1), EndsOn: d(3, 31),
		Legs: []*content.Leg{{Order: 1, RegionID: north.ID, StartsOn: d(3, 9), EndsOn: d(3, 15)},
			{Order: 2, RegionID: south.ID, StartsOn: d(3, 16), EndsOn: d(3, 22)}},
		SubmissionsOpenFrom: &from, SubmissionsOpenUntil: &until}
	e.Status, e.Slug = content.StatusPublished, fmt.Sprint(year)
	if _, err := content.Create(ctx, cat, e); err != nil {
		t.Fatal(err)
	}
	return Fixture{Edition: e.ID, North: north.ID, South: south.ID, Week: *d(3, 10)}
}

// Input returns a good proposal for the north's week from email.
func (f Fixture) Input(email string) submissions.Input {
	city, venue, url := "Groningen", "Zorgcampus", "https://example.org/aanmelden"
	yes := true
	return submissions.Input{EditionID: f.Edition, RegionID: f.North,
		Title:   content.Text{NL: "Zorgrobots in de praktijk", EN: "Care robots in practice"},
		Summary: content.NLText("Zorgmedewerkers proberen samen zorgrobots uit."),
		Date:    f.Week, StartTime: "14:00", EndTime: "16:30", Mode: content.ModeOnsite,
		VenueName: &venue, City: &city, ProvinceSlug: "groningen-" + fmt.Sprint(f.Week.Year),
		Interactive: &yes, CoOrganisers: []string{"Hanzehogeschool"}, RegistrationURL: &url,
		Organisation: "Zorggroep Noord", Contact: submissions.Contact{Name: "Anna de Vries", Email: email}, Consent: true}
}

// Env is a Submissions on a store with its clock, mails and fixture.
type Env struct {
	S     *submissions.Submissions
	Cat   *content.Catalog
	Store content.Store
	Clock *Clock
	Mails *Mails
	F     Fixture
}

// Form returns a guard for a form shown MinFill ago from client.
func (e *Env) Form(client string) submissions.Guard {
	tok := e.S.FormToken()
	e.Clock.Add(submissions.MinFill)
	return submissions.Guard{Client: client, FormToken: tok}
}

// NewEnv returns an Env on store with an edition of year.
func NewEnv(t *testing.T, store content.Store, year int, opts submissions.Options) *Env {
	c := &Clock{t: time.Date(year, 1, 10, 9, 0, 0, 0, time.UTC)}
	cat := content.NewCatalog(store).WithClock(c.Now)
	cat.SetOutbox(events.Outbox{})
	m := &Mails{Outbox: mail.New(store, nil, mail.Options{Now: c.Now})}
	opts.Mail, opts.BaseURL = m.Outbox, "https://estafette.example"
	s := submissions.New(cat, opts)
	s.SetClock(c.Now)
	return &Env{S: s, Cat: cat, Store: store, Clock: c, Mails: m, F: Setup(t, cat, year, c.Now())}
}

// Run runs every test of the suite on store, which must hold the
// collections of package content, events and submissions. Each test uses
// an edition of a year of its own (2090 and on).
func Run(t *testing.T, store content.Store) {
	t.Run("Lifecycle", func(t *testing.T) { lifecycle(t, NewEnv(t, store, 2090, submissions.Options{})) })
	t.Run("Invalid", func(t *testing.T) { invalid(t, NewEnv(t, store, 2091, submissions.Options{})) })
	t.Run("Expiry", func(t *testing.T) { expiry(t, NewEnv(t, store, 2092, submissions.Options{})) })
	t.Run("OpenPerEmail", func(t *testing.T) { openPerEmail(t, store) })
	t.Run("ChangesAndWithdraw", func(t *testing.T) { changesAndWithdraw(t, NewEnv(t, store, 2094, submissions.Options{})) })
	t.Run("Retention", func(t *testing.T) { retention(t, NewEnv(t, store, 2095, submissions.Options{})) })
	t.Run("SpamWave", func(t *testing.T) { spamWave(t, NewEnv(t, store, 2096, submissions.Options{})) })
}

func code(t *testing.T, err error, want string) {
	t.Helper()
	if content.ErrorCode(err) != want {
		t.Fatalf("got %v (code %q), want code %q", err, content.ErrorCode(err), want)
	}
}

func pending(t *testing.T, e *Env) int {
	t.Helper()
	ps, _, err := e.S.List(Editor(), submissions.Filter{State: submissions.StatePending, EditionID: e.F.Edition}, 100, "")
	if err != nil {
		t.Fatal(err)
	}
	return len(ps)
}

// lifecycle: proposed, mailed, confirmed into the queue, approved into a
// published activity with its organisation; every step audited and an
// event without the contact; the organiser mailed.
func lifecycle(t *testing.T, e *Env) {
	ctx := context.Background()
	const email = "anna.levens@example.nl"
	p, err := e.S.Propose(ctx, e.F.Input(" Anna.Levens@Example.nl "), e.Form("203.0.113.1"))
	if err != nil {
		t.Fatal(err)
	}
	if p.State != submissions.StateUnconfirmed || p.Contact.Email != email {
		t.Fatalf("proposal %+v: want unconfirmed with the address in lower case", p)
	}
	if n := pending(t, e); n != 0 {
		t.Fatalf("%d proposals in the queue before confirming", n)
	}
	if _, _, err := e.S.List(ctx, submissions.Filter{}, 10, ""); content.ErrorCode(err) != content.EUNAUTHORIZED {
		t.Fatalf("anonymous list: %v", err)
	}
	token := e.Mails.Token(t, email)
	if got, err := e.S.ByToken(ctx, token); err != nil || got.ID != p.ID {
		t.Fatalf("by token: %v %v", got, err)
	}
	if _, err := e.S.ByToken(ctx, strings.Repeat("A", 43)); content.ErrorCode(err) != content.ENOTFOUND {
		t.Fatalf("unknown token: %v", err)
	}
	c, err := e.S.Confirm(ctx, token)
	if err != nil || c.State != submissions.StatePending {
		t.Fatalf("confirm: %+v %v", c, err)
	}
	if again, err := e.S.Confirm(ctx, token); err != nil || again.Version != c.Version {
		t.Fatalf("confirming twice changed the proposal: %+v %v", again, err)
	}
	if n := pending(t, e); n != 1 {
		t.Fatalf("%d proposals in the queue after confirming, want 1", n)
	}
	if _, err := e.S.Approve(ctx, p.ID, true, ""); content.ErrorCode(err) != content.EUNAUTHORIZED {
		t.Fatalf("anonymous approval: %v", err)
	}
	a, err := e.S.Approve(Editor(), p.ID, true, "")
	if err != nil || a.State != submissions.StateApproved || a.ActivityID == "" {
		t.Fatalf("approve: %+v %v", a, err)
	}
	if _, err := e.S.Approve(Editor(), p.ID, true, ""); content.ErrorCode(err) != content.ECONFLICT {
		t.Fatalf("approving twice: %v", err)
	}
	act, err := content.GetOne[content.Activity](ctx, e.Cat, a.ActivityID)
	if err != nil || act == nil {
		t.Fatalf("the published activity is not visible to the public: %v %v", act, err)
	}
	if act.Title.NL != "Zorgrobots in de praktijk" || len(act.OrganizerIDs) != 1 || len(act.Sources) != 1 || act.StartsAt == nil ||
		act.StartsAt.In(content.Amsterdam).Format("2006-01-02 15:04") != fmt.Sprintf("%s 14:00", e.F.Week) {
		t.Fatalf("activity %+v", act)
	}
	org, err := content.GetOne[content.Organization](Editor(), e.Cat, act.OrganizerIDs[0])
	if err != nil || org == nil || org.Name != "Zorggroep Noord" {
		t.Fatalf("organisation %+v %v", org, err)
	}
	body, _ := json.Marshal(act)
	if strings.Contains(string(body), email) || strings.Contains(string(body), "Anna de Vries") {
		t.Fatal("the activity carries the contact")
	}
	ms := e.Mails.To(email)
	if len(ms) != 2 || !has(ms, "is goedgekeurd") {
		t.Fatalf("mails %+v: want the confirmation and the approval", ms)
	}
	evs, err := e.Store.Find(ctx, content.Query{Kind: events.Kind, Where: content.Eq("recordKind", "proposal"), Sort: []content.SortKey{{Field: "at"}, {Field: "id"}}})
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, d := range evs {
		if strings.Contains(string(d.Body), email) {
			t.Fatalf("event %s carries the contact", d.Body)
		}
		var ev events.Event
		_ = json.Unmarshal(d.Body, &ev)
		if ev.Data.RecordID == submissions.GlobalID(p.ID) {
			types = append(types, ev.Type)
		}
	}
	if strings.Join(types, ",") != "proposal.received,proposal.approved" {
		t.Fatalf("events %v", types)
	}
	audit, err := e.Store.Find(ctx, content.Query{Kind: content.KindAudit, Where: content.Eq("recordId", p.ID), Sort: []content.SortKey{{Field: "id"}}})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, d := range audit {
		if strings.Contains(string(d.Body), email) {
			t.Fatalf("audit entry %s carries the contact", d.Body)
		}
		var en content.AuditEntry
		_ = json.Unmarshal(d.Body, &en)
		if en.RecordKind == submissions.KindProposal {
			actions = append(actions, en.Action)
		}
	}
	if strings.Join(actions, ",") != "propose,confirm,approve" {
		t.Fatalf("audit %v", actions)
	}
}

// invalid: each mistake is refused naming its field, and stores nothing.
func invalid(t *testing.T, e *Env) {
	ctx := context.Background()
	bad := []struct {
		field  string
		change func(in *submissions.Input, g *submissions.Guard)
	}{
		{"venue.province", func(in *submissions.Input, g *submissions.Guard) { in.ProvinceSlug = "limburg-2091" }},
		{"date", func(in *submissions.Input, g *submissions.Guard) { in.Date = content.D(2091, 3, 20) }},
		{"registrationUrl", func(in *submissions.Input, g *submissions.Guard) { u := "javascript:alert(1)"; in.RegistrationURL = &u }},
		{"consent", func(in *submissions.Input, g *submissions.Guard) { in.Consent = false }},
		{"title.nl", func(in *submissions.Input, g *submissions.Guard) { in.Title.NL = strings.Repeat("lang ", 100) }},
		{"title.nl", func(in *submissions.Input, g *submissions.Guard) { in.Title.NL = "Zorg\u202etxt.exe" }},
		{"summary.nl", func(in *submissions.Input, g *submissions.Guard) { in.Summary.NL = strings.Repeat("x", 2001) }},
		{"contact.email", func(in *submissions.Input, g *submissions.Guard) { in.Contact.Email = "geen adres" }},
		{"contact.phone", func(in *submissions.Input, g *submissions.Guard) { ph := "bel me <script>"; in.Contact.Phone = &ph }},
		{"endTime", func(in *submissions.Input, g *submissions.Guard) { in.EndTime = "13:00" }},
		{"startTime", func(in *submissions.Input, g *submissions.Guard) { in.StartTime = "25:00" }},
		{"mode", func(in *submissions.Input, g *submissions.Guard) { in.Mode = "elsewhere" }},
		{"region", func(in *submissions.Input, g *submissions.Guard) { in.RegionID = "nowhere" }},
		{"organisation", func(in *submissions.Input, g *submissions.Guard) { in.Organisation = " " }},
		{"coOrganisers[0]", func(in *submissions.Input, g *submissions.Guard) {
			in.CoOrganisers = []string{strings.Repeat("x", 201)}
		}},
		{"edition", func(in *submissions.Input, g *submissions.Guard) { in.EditionID = "nothing" }},
		{"website", func(in *submissions.Input, g *submissions.Guard) { g.Honeypot = "https://spam.example" }},
		{"formToken", func(in *submissions.Input, g *submissions.Guard) { g.FormToken = e.S.FormToken() }},
		{"formToken", func(in *submissions.Input, g *submissions.Guard) { g.FormToken = "1700000000000.forged" }},
	}
	for i, b := range bad {
		in := e.F.Input(fmt.Sprintf("fout%d@example.nl", i))
		g := e.Form(fmt.Sprintf("198.51.100.%d", i))
		b.change(&in, &g)
		_, err := e.S.Propose(ctx, in, g)
		if content.ErrorCode(err) != content.EINVALID {
			t.Fatalf("%s: got %v, want EINVALID", b.field, err)
		}
		var found bool
		var ps content.Problems
		if pp, ok := err.(content.Problems); ok {
			ps = pp
		} else {
			ps = content.Problems{err.(*content.Error)}
		}
		for _, p := range ps {
			found = found || p.Field == b.field
		}
		if !found {
			t.Fatalf("%s: the problems %v do not name the field", b.field, ps)
		}
	}
	n, err := e.Store.Count(ctx, submissions.KindProposal, content.Eq("edition", e.F.Edition))
	if err != nil || n != 0 {
		t.Fatalf("%d proposals stored from bad input (%v)", n, err)
	}
	// A closed edition takes none.
	e.Clock.Add(61 * 24 * time.Hour)
	if _, err := e.S.Propose(ctx, e.F.Input("laat@example.nl"), e.Form("192.0.2.9")); content.ErrorField(err) != "edition" {
		t.Fatalf("closed edition: %v", err)
	}
}

// expiry: an unconfirmed proposal can no longer be confirmed after 48
// hours, and the sweep deletes it; a confirmed one stays.
func expiry(t *testing.T, e *Env) {
	ctx := context.Background()
	if _, err := e.S.Propose(ctx, e.F.Input("vergeet@example.nl"), e.Form("192.0.2.1")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.S.Propose(ctx, e.F.Input("bevestigt@example.nl"), e.Form("192.0.2.2")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.S.Confirm(ctx, e.Mails.Token(t, "bevestigt@example.nl")); err != nil {
		t.Fatal(err)
	}
	if n, err := e.S.Expire(ctx); err != nil || n != 0 {
		t.Fatalf("expired %d (%v) too early", n, err)
	}
	e.Clock.Add(submissions.ConfirmWithin)
	code(t, func() error { _, err := e.S.Confirm(ctx, e.Mails.Token(t, "vergeet@example.nl")); return err }(), content.ENOTFOUND)
	if n, err := e.S.Expire(ctx); err != nil || n != 1 {
		t.Fatalf("expired %d (%v), want 1", n, err)
	}
	n, err := e.Store.Count(ctx, submissions.KindProposal, content.Eq("edition", e.F.Edition))
	if err != nil || n != 1 {
		t.Fatalf("%d proposals left (%v), want the confirmed one", n, err)
	}
}

// openPerEmail: the sixth open proposal of one address is refused, and a
// decided one makes room.
func openPerEmail(t *testing.T, store content.Store) {
	e := NewEnv(t, store, 2093, submissions.Options{PerEmail: perMany})
	ctx := context.Background()
	const email = "veel@example.nl"
	for i := range submissions.MaxOpen {
		if _, err := e.S.Propose(ctx, e.F.Input(email), e.Form(fmt.Sprintf("192.0.2.%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	_, err := e.S.Propose(ctx, e.F.Input(email), e.Form("192.0.2.100"))
	code(t, err, content.ELIMITED)
	c, err := e.S.Confirm(ctx, e.Mails.Token(t, email))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.S.Reject(Editor(), c.ID, "Dit past niet bij de estafette."); err != nil {
		t.Fatal(err)
	}
	if _, err := e.S.Propose(ctx, e.F.Input(email), e.Form("192.0.2.101")); err != nil {
		t.Fatalf("after a decision: %v", err)
	}
}

// changesAndWithdraw: asked for changes, the organiser edits through the
// link and the proposal returns to the queue; withdrawn, its contact and
// mails are erased and it can no longer change.
func changesAndWithdraw(t *testing.T, e *Env) {
	ctx := context.Background()
	const email = "wijzig@example.nl"
	p, err := e.S.Propose(ctx, e.F.Input(email), e.Form("192.0.2.50"))
	if err != nil {
		t.Fatal(err)
	}
	token := e.Mails.Token(t, email)
	if _, err := e.S.Confirm(ctx, token); err != nil {
		t.Fatal(err)
	}
	_, err = e.S.RequestChanges(Editor(), p.ID, "")
	code(t, err, content.EINVALID)
	if r, err := e.S.RequestChanges(Editor(), p.ID, "Noem de zaal."); err != nil || r.State != submissions.StateChangesRequested {
		t.Fatalf("request changes: %+v %v", r, err)
	}
	if ms := e.Mails.To(email); len(ms) != 2 || !has(ms, "Noem de zaal.") {
		t.Fatalf("mails %+v", ms)
	}
	in := e.F.Input("ander@example.nl")
	in.Title.NL = "Zorgrobots in de grote zaal"
	u, err := e.S.Update(ctx, token, in)
	if err != nil || u.State != submissions.StatePending || u.Title.NL != in.Title.NL || u.Contact.Email != email {
		t.Fatalf("update: %+v %v (the contact stays as confirmed)", u, err)
	}
	bad := in
	bad.ProvinceSlug = "limburg-2094"
	_, err = e.S.Update(ctx, token, bad)
	code(t, err, content.EINVALID)
	w, err := e.S.Withdraw(ctx, token)
	if err != nil || w.State != submissions.StateWithdrawn || w.Contact.Email != "" || !w.ContactErased {
		t.Fatalf("withdraw: %+v %v", w, err)
	}
	if ms := e.Mails.To(email); len(ms) != 0 {
		t.Fatalf("%d mails to %s kept after the withdrawal", len(ms), email)
	}
	_, err = e.S.Update(ctx, token, in)
	code(t, err, content.ECONFLICT)
	docs, err := e.Store.Get(ctx, submissions.KindProposal, []string{p.ID})
	if err != nil || strings.Contains(string(docs[p.ID].Body), email) || strings.Contains(string(docs[p.ID].Body), "Anna") {
		t.Fatalf("the stored proposal keeps the contact: %s %v", docs[p.ID].Body, err)
	}
}

// retention: the contacts of an edition's proposals are erased
// RetainContact after its end, not before.
func retention(t *testing.T, e *Env) {
	ctx := context.Background()
	p, err := e.S.Propose(ctx, e.F.Input("bewaar@example.nl"), e.Form("192.0.2.60"))
	if err != nil {
		t.Fatal(err)
	}
	e.Clock.t = time.Date(2095, 4, 1, 12, 0, 0, 0, time.UTC) // the edition ended 31 March
	if _, err := e.S.EraseContacts(ctx); err != nil {        // of earlier editions in the store
		t.Fatal(err)
	}
	if got, err := e.S.Get(Editor(), p.ID); err != nil || got.Contact.Email != "bewaar@example.nl" {
		t.Fatalf("right after the edition: %+v %v", got, err)
	}
	e.Clock.Add(90 * 24 * time.Hour)
	if n, err := e.S.EraseContacts(ctx); err != nil || n != 1 {
		t.Fatalf("erased %d (%v), want 1", n, err)
	}
	got, err := e.S.Get(Editor(), p.ID)
	if err != nil || got.Contact.Email != "" || !got.ContactErased {
		t.Fatalf("after retention: %+v %v", got, err)
	}
	if n, err := e.S.EraseContacts(ctx); err != nil || n != 0 {
		t.Fatalf("erased %d (%v) a second time", n, err)
	}
}

// spamWave: 1,000 proposals from 50 addresses store no more than the
// limit per address allows, and none reaches the moderation queue.
func spamWave(t *testing.T, e *Env) {
	ctx := context.Background()
	created := 0
	for i := range 1000 {
		g := e.S.FormToken()
		e.Clock.Add(time.Millisecond)
		guard := submissions.Guard{Client: fmt.Sprintf("203.0.113.%d", i%50), FormToken: g}
		if i%3 == 0 {
			e.Clock.Add(submissions.MinFill) // some wait long enough
		}
		if i%7 == 0 {
			guard.Honeypot = "http://spam.example"
		}
		if _, err := e.S.Propose(ctx, e.F.Input(fmt.Sprintf("spam%d@example.com", i%20)), guard); err == nil {
			created++
		} else if c := content.ErrorCode(err); c != content.EINVALID && c != content.ELIMITED {
			t.Fatalf("spam %d: %v", i, err)
		}
	}
	n, err := e.Store.Count(ctx, submissions.KindProposal, content.Eq("edition", e.F.Edition))
	if err != nil {
		t.Fatal(err)
	}
	if n != created || n > 50*5 || n > 20*submissions.MaxOpen || n == 0 {
		t.Fatalf("the wave stored %d proposals (%d accepted); the limits allow at most %d", n, created, 20*submissions.MaxOpen)
	}
	if q := pending(t, e); q != 0 {
		t.Fatalf("%d unconfirmed proposals reached the queue", q)
	}
	all, _, err := e.S.List(Editor(), submissions.Filter{EditionID: e.F.Edition}, 100, "")
	if err != nil || len(all) != 0 {
		t.Fatalf("the editors' list shows %d proposals of the wave (%v)", len(all), err)
	}
}

// perMany is a rate that does not limit the suite.
var perMany = ratelimit.Config{PerSecond: 1000, Burst: 1000}
