// Package submissions lets the public propose activities for an edition
// and lets editors moderate them.
//
// A proposal is made anonymously (Propose) for an edition that is open for
// proposals (content.Edition.AcceptsProposals) and a region's week of it.
// It is stored unconfirmed, together with a mail to its contact holding a
// link with a secret token (only the token's SHA-256 hash is kept); an
// unconfirmed proposal expires after ConfirmWithin (Expire, run by the
// program's loops). Confirming (Confirm) puts it in the moderation queue.
// The same token lets the organiser read the proposal (ByToken), change it
// until it is decided (Update) and withdraw it (Withdraw), which erases the
// contact's data and the mails to them.
//
// Editors (the editor role) list the queue (List), approve a proposal
// (Approve: the activity is created through the content.Catalog as a
// draft or published, with the proposal as its source), reject it or ask
// for changes, each with a reason. Every decision is in the audit log,
// fires a change event (content.ProposalChangeTypes) to the webhooks, and
// mails the organiser, all in one Apply with the decision.
//
// The contact's name, email address and phone number are the only personal
// data of a proposal. They are never in change events, audit entries or
// the activity; Proposal.Contact is filled only for editors and for the
// holder of the token, and it is erased RetainContact after the edition's
// end (EraseContacts).
//
// Abuse: a honeypot field, a minimum fill time through a signed form
// token (FormToken), a rate limit per client address and per email
// address, at most MaxOpen open proposals per email address, and the size
// limits and sanitising of all content (content.Catalog.Validate on the
// activity the proposal would become).
package submissions

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"estafette/content"
	"estafette/events"
	"estafette/mail"
	"estafette/web/ratelimit"
)

// State is where a proposal stands.
type State string

// The states of a proposal.
const (
	StateUnconfirmed      State = "unconfirmed"       // waiting for its contact to confirm
	StatePending          State = "pending"           // confirmed: in the moderation queue
	StateChangesRequested State = "changes_requested" // sent back to the organiser with a reason
	StateApproved         State = "approved"          // became an activity
	StateRejected         State = "rejected"          // refused with a reason
	StateWithdrawn        State = "withdrawn"         // withdrawn by its organiser
)

// States lists every State.
var States = []State{StateUnconfirmed, StatePending, StateChangesRequested, StateApproved, StateRejected, StateWithdrawn}

// open reports whether a proposal in state s counts towards MaxOpen and
// may still be changed by its organiser.
func (s State) open() bool {
	return s == StateUnconfirmed || s == StatePending || s == StateChangesRequested
}

// Limits of a proposal besides those of content.
const (
	ConfirmWithin   = 48 * time.Hour // an unconfirmed proposal expires after this
	MaxOpen         = 5              // open proposals per email address
	MaxCoOrganisers = 10
	MaxReason       = 2000
	MinFill         = 3 * time.Second // the least time a person takes to fill in the form
	MaxFill         = 24 * time.Hour  // a form token older than this is refused
)

// Contact is the person who proposed an activity: personal data, for
// editors and the proposal's organiser only.
type Contact struct {
	Name  string  `json:"name"`
	Email string  `json:"email"`
	Phone *string `json:"phone,omitempty"`
}

// Input is what the public fills in.
type Input struct {
	EditionID       string             `json:"edition"`
	RegionID        string             `json:"region"` // the region whose week it is
	Title           content.Text       `json:"title"`
	Summary         content.Text       `json:"summary"`
	Date            content.Date       `json:"date"`      // within the region's week
	StartTime       string             `json:"startTime"` // HH:MM in Europe/Amsterdam
	EndTime         string             `json:"endTime"`   // HH:MM, after the start
	Mode            content.Mode       `json:"mode"`
	VenueName       *string            `json:"venueName,omitempty"`
	City            *string            `json:"city,omitempty"`
	ProvinceSlug    string             `json:"province,omitempty"` // a province of the region
	Format          *content.Format    `json:"format,omitempty"`
	ThemeIDs        []string           `json:"themes"`
	Audiences       []content.Audience `json:"audiences"`
	Interactive     *bool              `json:"interactive,omitempty"`
	CoOrganisers    []string           `json:"coOrganisers"`
	RegistrationURL *string            `json:"registrationUrl,omitempty"`
	Organisation    string             `json:"organisation"`
	Contact         Contact            `json:"contact"`
	Consent         bool               `json:"consent"`
}

// Guard is what the form sends besides the proposal, to tell people from
// machines.
type Guard struct {
	Client    string // the client address (ratelimit.Client); "" skips the limit per address
	Honeypot  string // a field people do not see; must stay empty
	FormToken string // FormToken when the form was shown
}

// Proposal is a stored proposal.
type Proposal struct {
	ID    string `json:"id"`
	State State  `json:"state"`
	Input
	// Reason is the editor's reason of a rejection or request for changes.
	Reason      string     `json:"reason,omitempty"`
	ActivityID  string     `json:"activity,omitempty"` // the activity an approval created
	CreatedAt   time.Time  `json:"createdAt"`
	UpdatedAt   time.Time  `json:"updatedAt"`
	ConfirmedAt *time.Time `json:"confirmedAt,omitempty"`
	DecidedAt   *time.Time `json:"decidedAt,omitempty"`
	DecidedBy   string     `json:"decidedBy,omitempty"`
	// ContactErased is set once the contact's data is erased (withdrawal,
	// retention).
	ContactErased bool  `json:"contactErased,omitempty"`
	Version       int64 `json:"version"`
}

// stored is a proposal as the store keeps it.
type stored struct {
	Proposal
	TokenHash string `json:"tokenHash"`
}

// Options configure Submissions.
type Options struct {
	// Secret signs the form tokens; every replica needs the same. Empty:
	// a random secret of this process.
	Secret []byte
	// BaseURL is the public address the links in mails start with.
	BaseURL string
	// Mail is the outbox the mails to organisers go into, each in the
	// Apply of its decision (mail.Enqueue); nil sends no mail.
	Mail *mail.Outbox
	// Fanout turns a change event into webhook deliveries
	// (webhooks.Fanout); nil makes only the event.
	Fanout func(ctx context.Context, e events.Event) ([]content.Doc, error)
	// RetainContact is how long after an edition's end the contacts of its
	// proposals are kept (PROPOSAL_CONTACT_RETENTION; default 90 days).
	RetainContact time.Duration
	// PerAddress and PerEmail limit how often one client address and one
	// email address may propose (defaults: 5 at once, then one per 10
	// minutes).
	PerAddress, PerEmail ratelimit.Config
}

// Submissions manages the proposals in a store.
type Submissions struct {
	catalog   *content.Catalog
	store     content.Store
	opts      Options
	byAddress *ratelimit.Limiter
	byEmail   *ratelimit.Limiter
	now       func() time.Time
}

// New returns the manager of the proposals in the catalog's store.
func New(catalog *content.Catalog, opts Options) *Submissions {
	if len(opts.Secret) == 0 {
		opts.Secret = make([]byte, 32)
		if _, err := rand.Read(opts.Secret); err != nil {
			panic(err)
		}
	}
	if opts.RetainContact <= 0 {
		opts.RetainContact = 90 * 24 * time.Hour
	}
	def := ratelimit.Config{PerSecond: 1.0 / 600, Burst: 5}
	if opts.PerAddress.PerSecond <= 0 {
		opts.PerAddress = def
	}
	if opts.PerEmail.PerSecond <= 0 {
		opts.PerEmail = def
	}
	return &Submissions{catalog: catalog, store: catalog.Store(), opts: opts,
		byAddress: ratelimit.New(opts.PerAddress), byEmail: ratelimit.New(opts.PerEmail), now: catalog.Now}
}

// SetClock makes s read the time from now (tests move it forward).
func (s *Submissions) SetClock(now func() time.Time) { s.now = now }

// Link returns the organiser's link of a token.
func (s *Submissions) Link(token string) string {
	return strings.TrimSuffix(s.opts.BaseURL, "/") + "/aanmelden/" + token
}

// FormToken returns the token a form carries from when it is shown: the
// time, signed, so that a proposal sent sooner than MinFill after it is
// refused.
func (s *Submissions) FormToken() string {
	t := strconv.FormatInt(s.now().UnixMilli(), 10)
	return t + "." + s.sign(t)
}

func (s *Submissions) sign(v string) string {
	m := hmac.New(sha256.New, s.opts.Secret)
	m.Write([]byte("form:" + v))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (s *Submissions) checkForm(token string) error {
	t, sig, ok := strings.Cut(token, ".")
	ms, err := strconv.ParseInt(t, 10, 64)
	if !ok || err != nil || !hmac.Equal([]byte(sig), []byte(s.sign(t))) {
		return content.Invalidf("formToken", "the form is not one this site showed; reload the form and fill it in again")
	}
	age := s.now().Sub(time.UnixMilli(ms))
	if age < MinFill {
		return content.Invalidf("formToken", "the form was sent too quickly; take a moment to check it and send it again")
	}
	if age > MaxFill {
		return content.Invalidf("formToken", "the form was shown more than a day ago; reload it and fill it in again")
	}
	return nil
}

// Propose stores a new unconfirmed proposal and mails its contact the
// link to confirm it, in one Apply. It needs no API key. Bad input gives
// EINVALID (content.Problems naming the fields); a client or email address
// that proposes too often gives ELIMITED.
func (s *Submissions) Propose(ctx context.Context, in Input, g Guard) (*Proposal, error) {
	if strings.TrimSpace(g.Honeypot) != "" {
		return nil, content.Invalidf("website", "leave this field empty")
	}
	if err := s.checkForm(g.FormToken); err != nil {
		return nil, err
	}
	if g.Client != "" && !s.byAddress.Allow("addr:"+g.Client) {
		return nil, content.Errorf(content.ELIMITED, "too many proposals from this address; try again later")
	}
	if err := s.check(ctx, &in, true); err != nil {
		return nil, err
	}
	if !s.byEmail.Allow("email:" + in.Contact.Email) {
		return nil, content.Errorf(content.ELIMITED, "too many proposals for this email address; try again later")
	}
	n, err := s.store.Count(ctx, KindProposal, content.And(content.Eq("email", in.Contact.Email),
		content.In("state", string(StateUnconfirmed), string(StatePending), string(StateChangesRequested))))
	if err != nil {
		return nil, err
	}
	if n >= MaxOpen {
		return nil, content.Errorf(content.ELIMITED, "this email address has %d open proposals already, the most there may be; wait for a decision or withdraw one", MaxOpen)
	}
	token, hash, err := newToken()
	if err != nil {
		return nil, err
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	p := &stored{Proposal: Proposal{ID: content.NewID(), State: StateUnconfirmed, Input: in, CreatedAt: now, UpdatedAt: now, Version: 1}, TokenHash: hash}
	writes, err := s.writes(ctx, p, "", "propose", "", now, &mail.Message{To: in.Contact.Email, Key: "proposal/" + p.ID + "/confirm",
		Subject: "Bevestig je aanmelding: " + in.Title.NL,
		Text: fmt.Sprintf("Dank je voor je aanmelding van %q.\n\nBevestig binnen 48 uur via deze link, anders vervalt de aanmelding:\n%s\n\n"+
			"Via dezelfde link zie je de stand van je aanmelding, pas je haar aan en trek je haar in.\n\n"+
			"Confirm your proposal within 48 hours through the link above.\n", in.Title.NL, s.Link(token))})
	if err != nil {
		return nil, err
	}
	if err := s.store.Apply(ctx, writes...); err != nil {
		return nil, err
	}
	s.kick()
	out := p.Proposal
	return &out, nil
}

// writes returns the writes of a proposal's new version: the proposal
// (expected at version expect; "" for a new one), its audit entry, its
// change event (typ, "" for none) and a mail (nil for none).
func (s *Submissions) writes(ctx context.Context, p *stored, expect, action, typ string, now time.Time, m *mail.Message) ([]content.Write, error) {
	doc, err := encode(p)
	if err != nil {
		return nil, err
	}
	audit, err := content.AuditDoc(actorCtx(ctx), now, action, KindProposal, p.ID, p.Title.NL)
	if err != nil {
		return nil, err
	}
	also := []content.Doc{audit}
	if typ != "" {
		docs, err := s.event(ctx, p, typ, now)
		if err != nil {
			return nil, err
		}
		also = append(also, docs...)
	}
	writes := []content.Write{{Doc: doc, Expect: expect, Also: also}}
	if m != nil && s.opts.Mail != nil && m.To != "" {
		w, err := mail.Enqueue(*m, now)
		if err != nil {
			return nil, err
		}
		writes = append(writes, w)
	}
	return writes, nil
}

// kick tells the outbox to send what was just enqueued.
func (s *Submissions) kick() {
	if s.opts.Mail != nil {
		s.opts.Mail.Kick()
	}
}

// event returns the documents of a change event of p: the event and its
// webhook deliveries. The event names the proposal only (no contact data).
func (s *Submissions) event(ctx context.Context, p *stored, typ string, now time.Time) ([]content.Doc, error) {
	e := events.Event{ID: content.OrderedID(now), Type: typ, CreatedAt: now, Data: events.Data{
		RecordType: string(KindProposal), RecordID: GlobalID(p.ID), Version: p.Version,
		Status: string(p.State), Actor: content.ViewerFrom(actorCtx(ctx)).Actor, SurrogateKeys: []string{}}}
	d, err := e.Doc()
	if err != nil {
		return nil, err
	}
	docs := []content.Doc{d}
	if s.opts.Fanout != nil {
		more, err := s.opts.Fanout(ctx, e)
		if err != nil {
			return nil, err
		}
		docs = append(docs, more...)
	}
	return docs, nil
}

// Organiser is the audit log's name of what an organiser does through
// their link: never the contact's own name.
const Organiser = "organiser (link)"

// actorCtx names anonymous callers Organiser in the audit log.
func actorCtx(ctx context.Context) context.Context {
	v := content.ViewerFrom(ctx)
	if v.Actor == "" {
		v.Actor = Organiser
		return content.WithViewer(ctx, v)
	}
	return ctx
}

// check cleans and validates a proposal's input. With fresh (a new
// proposal), the contact and consent are checked and the edition must be
// open for proposals; a change keeps the contact, and may be made after
// the period (an editor may ask for it).
func (s *Submissions) check(ctx context.Context, in *Input, fresh bool) error {
	var ps content.Problems
	add := func(field, format string, args ...any) { ps = append(ps, content.Invalidf(field, format, args...)) }
	in.Title.NL, in.Title.EN = strings.TrimSpace(in.Title.NL), strings.TrimSpace(in.Title.EN)
	in.Summary.NL, in.Summary.EN = strings.TrimSpace(in.Summary.NL), strings.TrimSpace(in.Summary.EN)
	in.Organisation = strings.Join(strings.Fields(in.Organisation), " ")
	if in.Organisation == "" || utf8.RuneCountInString(in.Organisation) > content.MaxNameLength {
		add("organisation", "the organising organisation needs a name of 1 to %d characters", content.MaxNameLength)
	}
	if !slices.Contains(content.Modes, in.Mode) {
		add("mode", "choose onsite, online or hybrid")
	}
	if in.Mode != content.ModeOnline && (in.City == nil || strings.TrimSpace(*in.City) == "" || in.ProvinceSlug == "") {
		add("venue", "an activity on site needs a city and a province")
	}
	if len(in.CoOrganisers) > MaxCoOrganisers {
		add("coOrganisers", "at most %d co-organisers", MaxCoOrganisers)
	}
	for i, c := range in.CoOrganisers {
		c = strings.Join(strings.Fields(c), " ")
		in.CoOrganisers[i] = c
		if c == "" || utf8.RuneCountInString(c) > content.MaxNameLength || !line(c) {
			add(fmt.Sprintf("coOrganisers[%d]", i), "a co-organiser is a name of 1 to %d characters on one line", content.MaxNameLength)
		}
	}
	if fresh {
		in.Contact.Name = strings.Join(strings.Fields(in.Contact.Name), " ")
		if in.Contact.Name == "" || utf8.RuneCountInString(in.Contact.Name) > 100 || !line(in.Contact.Name) {
			add("contact.name", "the contact person needs a name of 1 to 100 characters")
		}
		if e, err := normalizeEmail(in.Contact.Email); err != nil {
			add("contact.email", "%q is not an email address such as naam@voorbeeld.nl", in.Contact.Email)
		} else {
			in.Contact.Email = e
		}
		if in.Contact.Phone != nil {
			ph := strings.TrimSpace(*in.Contact.Phone)
			if ph == "" {
				in.Contact.Phone = nil
			} else if len(ph) > 30 || strings.IndexFunc(ph, func(r rune) bool { return !strings.ContainsRune("0123456789+-() ", r) }) >= 0 {
				add("contact.phone", "a phone number has digits, spaces and + - ( ) only, at most 30")
			} else {
				in.Contact.Phone = &ph
			}
		}
		if !in.Consent {
			add("consent", "we may only keep your name, email address and phone number with your consent")
		}
	}
	start, end, err := s.times(in)
	if err != nil {
		ps = append(ps, err.(*content.Error))
	}
	// The edition: open for proposals, with a week of the region, the day
	// within it and the province within the region.
	var edition *content.Edition
	if in.EditionID == "" {
		add("edition", "choose the edition")
	} else if e, err := content.GetOne[content.Edition](ctx, s.catalog, in.EditionID); err != nil || e == nil {
		if err != nil && content.ErrorCode(err) != content.ENOTFOUND {
			return err
		}
		add("edition", "there is no edition %q", in.EditionID)
	} else {
		edition = e
	}
	if edition != nil {
		if fresh && !edition.AcceptsProposals(s.now()) {
			add("edition", "the edition %d does not take proposals now", edition.Year)
		}
		var leg *content.Leg
		for _, l := range edition.Legs {
			if l.RegionID == in.RegionID {
				leg = l
			}
		}
		if leg == nil {
			add("region", "the region has no week in the edition %d", edition.Year)
		} else {
			if leg.StartsOn != nil && leg.EndsOn != nil && !in.Date.IsZero() && (in.Date.Before(*leg.StartsOn) || leg.EndsOn.Before(in.Date)) {
				add("date", "%s is outside the region's week (%s to %s)", in.Date, leg.StartsOn, leg.EndsOn)
			}
			if in.ProvinceSlug != "" {
				r, err := content.GetOne[content.Region](ctx, s.catalog, in.RegionID)
				if err != nil && content.ErrorCode(err) != content.ENOTFOUND {
					return err
				}
				if r == nil || !slices.ContainsFunc(r.Provinces, func(p *content.Province) bool { return p.Slug == in.ProvinceSlug }) {
					add("venue.province", "the province %q is not in the region whose week it is", in.ProvinceSlug)
				}
			}
		}
	}
	// The rules of all content: sizes, characters, URLs, references.
	// The slug is the program's, not the organiser's (see Approve).
	if err := s.catalog.Validate(ctx, s.activity(in, start, end)); err != nil {
		var cps content.Problems
		if asProblems(err, &cps) {
			for _, p := range cps {
				if p.Field != "slug" {
					ps = append(ps, p)
				}
			}
		} else {
			return err
		}
	}
	if len(ps) > 0 {
		return ps
	}
	return nil
}

func asProblems(err error, out *content.Problems) bool {
	switch e := err.(type) {
	case content.Problems:
		*out = e
		return true
	case *content.Error:
		if e.Code == content.EINVALID {
			*out = content.Problems{e}
			return true
		}
	}
	return false
}

// times returns the start and end of the proposed activity.
func (s *Submissions) times(in *Input) (time.Time, time.Time, error) {
	if in.Date.IsZero() {
		return time.Time{}, time.Time{}, content.Invalidf("date", "choose the day")
	}
	at := func(field, hm string) (time.Time, error) {
		t, err := time.Parse("15:04", strings.TrimSpace(hm))
		if err != nil {
			return time.Time{}, content.Invalidf(field, "%q is not a time such as 14:30", hm)
		}
		return time.Date(in.Date.Year, in.Date.Month, in.Date.Day, t.Hour(), t.Minute(), 0, 0, content.Amsterdam), nil
	}
	start, err := at("startTime", in.StartTime)
	if err != nil {
		return start, start, err
	}
	end, err := at("endTime", in.EndTime)
	if err != nil {
		return start, end, err
	}
	if !end.After(start) {
		return start, end, content.Invalidf("endTime", "the end is not after the start")
	}
	return start, end, nil
}

// activity returns the activity a proposal becomes (without organisers).
func (s *Submissions) activity(in *Input, start, end time.Time) *content.Activity {
	a := &content.Activity{EditionID: in.EditionID, RegionID: in.RegionID, Title: in.Title, Summary: in.Summary,
		Format: in.Format, Audiences: in.Audiences, ThemeIDs: in.ThemeIDs, RegistrationURL: in.RegistrationURL,
		Interactive: in.Interactive, OrganizerIDs: []string{}}
	if a.Audiences == nil {
		a.Audiences = []content.Audience{}
	}
	if a.ThemeIDs == nil {
		a.ThemeIDs = []string{}
	}
	if slices.Contains(content.Modes, in.Mode) {
		m := in.Mode
		a.Mode = &m
	}
	if !start.IsZero() && !end.IsZero() {
		a.StartsAt, a.EndsAt = &start, &end
		d := content.DateOf(start.In(content.Amsterdam))
		a.StartsOn, a.EndsOn = &d, &d
	}
	if in.VenueName != nil || in.City != nil || in.ProvinceSlug != "" {
		a.Venue = &content.Venue{Name: in.VenueName, City: in.City, ProvinceSlug: in.ProvinceSlug}
	}
	return a
}

// Slug returns the slug of the activity and organisation a proposal
// becomes: its text in lower case ASCII with hyphens, at most 80
// characters, and the start of the proposal's id, so that it is unique.
func Slug(text, id string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFD.String(strings.ToLower(text)) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r):
		default:
			hyphen = true
		}
		if b.Len() >= 80 {
			break
		}
	}
	out := strings.Trim(b.String(), "-")
	if out == "" {
		out = "voorstel"
	}
	return out + "-" + id[:min(6, len(id))]
}

func line(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) }) < 0
}

// normalizeEmail returns an address in lower case without spaces, or an
// error for something that is not an address.
func normalizeEmail(email string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(email))
	local, domain, ok := strings.Cut(e, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") || !strings.Contains(domain, ".") ||
		strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || len(e) > 254 ||
		strings.IndexFunc(e, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return "", content.Invalidf("email", "not an email address")
	}
	return e, nil
}

func encode(p *stored) (content.Doc, error) {
	body, err := json.Marshal(p)
	if err != nil {
		return content.Doc{}, err
	}
	f := content.Fields{"state": {string(p.State)}, "edition": {p.EditionID}, "region": {p.RegionID},
		"tokenHash": {p.TokenHash}, "createdAt": {content.TimeKey(p.CreatedAt)}, "contact": {"kept"},
		"email": {p.Contact.Email}, "version": {content.VersionKey(p.Version)}}
	if p.ContactErased {
		f["contact"], f["email"] = []string{"erased"}, nil
	}
	return content.Doc{Kind: KindProposal, ID: p.ID, Body: body, Fields: f}, nil
}

func decode(d content.Doc) (*stored, error) {
	var p stored
	if err := json.Unmarshal(d.Body, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// newToken returns a new random token (256 bits) and the hex SHA-256 hash
// it is stored under.
func newToken() (token, hash string, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", err
	}
	token = base64.RawURLEncoding.EncodeToString(b[:])
	return token, tokenHash(token), nil
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// Now returns s's current time.
func (s *Submissions) Now() time.Time { return s.now() }
