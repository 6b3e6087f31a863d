// Package mail sends the program's emails from an outbox in the store.
//
// A mail is a document of kind "mail", written by the same Apply as the
// decision it tells about (Enqueue returns that write), so that a decision
// is never committed without its mail and a mail never exists for a
// decision that was refused. The delivery loop (Outbox.Run) claims a due
// mail with a version-guarded write, so that of several replicas on one
// store only one sends it, sends it through a Sender (SMTP, see NewSMTP)
// and records the result. A failed attempt is retried with exponential
// backoff and jitter; after Options.MaxAttempts attempts, or at once when
// the server refuses the mail for good, the mail is "failed" and stays in
// the outbox for the desk.
//
// Delivery: a crash before the claim loses nothing (the mail is still
// pending); a crash after the claim and before the result is recorded
// leaves a claim that expires after Options.Lease, and the mail is sent
// again. That last window is the only way a mail can go out twice; every
// attempt carries the same Message-ID (derived from the mail's id), by
// which mail servers and clients recognise a repeat.
//
// Without a Sender (no SMTP_URL) nothing is sent: mails stay pending in
// the outbox, where the desk lists them, and go out once a Sender is
// configured.
//
// Privacy: a mail holds an address and a text for a person. The outbox
// never logs either; logs name a mail by its id and state only. The
// recipient is indexed by a hash of the address (for EraseTo), never by
// the address itself.
package mail

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	netmail "net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"estafette/content"
)

// Kind is the kind of the outbox documents.
const Kind content.Kind = "mail"

// Collections describes the outbox collection, with the indexes the
// delivery loop (due mails by state and next attempt), the desk (by state
// and age) and erasure (by recipient hash) read. Open a store with them
// (see estafette/internal/collections) before using an Outbox on it.
var Collections = []content.Collection{
	{Kind: Kind, Scalars: []string{"state", "nextKey", "createdKey", "rcpt", "version"},
		Indexes: [][]string{{"state", "nextKey"}, {"state", "createdKey"}, {"createdKey"}, {"rcpt"}}},
}

// The states of a mail.
const (
	// StatePending: waiting for its (next) attempt, or, without a
	// Sender, held in the outbox.
	StatePending = "pending"
	// StateSent: the mail server accepted it.
	StateSent = "sent"
	// StateFailed: every attempt failed, or the server refused it for
	// good; it is no longer retried.
	StateFailed = "failed"
)

// States lists the states of a mail.
var States = []string{StatePending, StateSent, StateFailed}

// The size limits of a message.
const (
	MaxAddress = 254     // bytes of the recipient's address
	MaxSubject = 200     // characters of the subject
	MaxText    = 100_000 // bytes of the text
	MaxKey     = 200     // bytes of the idempotency key
)

// Message is a plain-text mail to one recipient. Key is its idempotency
// key: messages with the same Key are one mail (the outbox document's id
// is derived from it), so a caller derives it from what the mail is about,
// such as "proposal/<id>/confirm/<version>".
type Message struct {
	To, Subject, Text string
	Key               string
}

// Mail is a message in the outbox, with its delivery state.
type Mail struct {
	ID        string `json:"id"`
	Key       string `json:"key"`
	To        string `json:"to"`
	Subject   string `json:"subject"`
	Text      string `json:"text"`
	MessageID string `json:"messageId"` // without angle brackets
	State     string `json:"state"`
	Attempts  int    `json:"attempts"`
	// NextAttemptAt is when a pending mail is due; while an attempt
	// runs, when its claim expires.
	NextAttemptAt time.Time  `json:"nextAttemptAt"`
	CreatedAt     time.Time  `json:"createdAt"`
	SentAt        *time.Time `json:"sentAt,omitempty"`
	// LastError is what the last failed attempt answered (for admins;
	// it may name the recipient, so it is never logged).
	LastError string `json:"lastError,omitempty"`
	Version   int64  `json:"version"`
}

// Message returns the message of the mail.
func (m *Mail) Message() Message {
	return Message{To: m.To, Subject: m.Subject, Text: m.Text, Key: m.Key}
}

// ID returns the id of the outbox document of the messages with key.
func ID(key string) string {
	h := sha256.Sum256([]byte(key))
	return "m" + hex.EncodeToString(h[:16])
}

// messageIDDomain is the right-hand side of every Message-ID; the
// left-hand side, the mail's id, makes it unique.
const messageIDDomain = "estafette.mail"

// MessageID returns the Message-ID (without angle brackets) of the mail
// with id: the same for every attempt.
func MessageID(id string) string { return id + "@" + messageIDDomain }

// rcptHash is the index value of a recipient: a hash of the address as
// it is compared (lower case), so the store's indexes hold no address.
func rcptHash(addr string) string {
	h := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(addr))))
	return hex.EncodeToString(h[:])
}

// Validate checks a message: a single real address (no display name),
// a subject and a text within their limits, a key. It returns EINVALID
// with the field for the first problem.
func (m Message) Validate() error {
	switch {
	case strings.TrimSpace(m.Key) == "":
		return content.Invalidf("key", "a mail needs a key")
	case len(m.Key) > MaxKey:
		return content.Invalidf("key", "a mail's key is at most %d bytes", MaxKey)
	case m.To == "":
		return content.Invalidf("to", "a mail needs a recipient")
	case len(m.To) > MaxAddress:
		return content.Invalidf("to", "an email address is at most %d characters", MaxAddress)
	}
	a, err := netmail.ParseAddress(m.To)
	if err != nil || a.Name != "" || a.Address != strings.TrimSpace(m.To) || !strings.Contains(a.Address[strings.LastIndex(a.Address, "@")+1:], ".") {
		return content.Invalidf("to", "this is not an email address")
	}
	switch {
	case strings.TrimSpace(m.Subject) == "":
		return content.Invalidf("subject", "a mail needs a subject")
	case !utf8.ValidString(m.Subject) || utf8.RuneCountInString(m.Subject) > MaxSubject:
		return content.Invalidf("subject", "a subject is at most %d characters of UTF-8", MaxSubject)
	case strings.ContainsAny(m.Subject, "\r\n"):
		return content.Invalidf("subject", "a subject is one line")
	case strings.TrimSpace(m.Text) == "":
		return content.Invalidf("text", "a mail needs a text")
	case !utf8.ValidString(m.Text) || len(m.Text) > MaxText:
		return content.Invalidf("text", "a text is at most %d bytes of UTF-8", MaxText)
	}
	return nil
}

// Enqueue validates m and returns the write that inserts it into the
// outbox as a pending mail, due at once, for the caller to apply together
// with its own writes in one Store.Apply: the mail is then committed with
// the caller's change, or not at all. Call Outbox.Kick after the Apply so
// that the loop sends it promptly.
//
// The write is an insert (it expects no document with the mail's id). A
// second Enqueue of the same Key therefore makes that Apply fail with
// ECONFLICT, and nothing of it is written: the outbox never replaces a
// mail, whatever state it is in. Callers whose change is itself guarded
// by a version (a decision on a proposal, say) and whose Key names that
// version never meet a duplicate; a caller that may repeat itself asks
// Outbox.Queued(key) first and leaves the write out when the mail exists;
// should another replica enqueue the same Key between that question and
// the Apply, the Apply fails with ECONFLICT and the caller's retry finds
// the mail queued. Outbox.Send does all that on its own.
func Enqueue(m Message, now time.Time) (content.Write, error) {
	if err := m.Validate(); err != nil {
		return content.Write{}, err
	}
	now = now.UTC().Truncate(time.Millisecond)
	id := ID(m.Key)
	ml := &Mail{ID: id, Key: m.Key, To: strings.TrimSpace(m.To), Subject: m.Subject, Text: m.Text,
		MessageID: MessageID(id), State: StatePending, NextAttemptAt: now, CreatedAt: now, Version: 1}
	doc, err := ml.doc()
	if err != nil {
		return content.Write{}, err
	}
	return content.Write{Doc: doc}, nil
}

func (m *Mail) doc() (content.Doc, error) {
	body, err := json.Marshal(m)
	if err != nil {
		return content.Doc{}, fmt.Errorf("mail: encode %s: %w", m.ID, err)
	}
	return content.Doc{Kind: Kind, ID: m.ID, Body: body, Fields: content.Fields{
		"state": {m.State}, "nextKey": {content.TimeKey(m.NextAttemptAt)}, "createdKey": {content.TimeKey(m.CreatedAt)},
		"rcpt": {rcptHash(m.To)}, "version": {content.VersionKey(m.Version)},
	}}, nil
}

func decode(doc content.Doc) (*Mail, error) {
	var m Mail
	if err := json.Unmarshal(doc.Body, &m); err != nil {
		return nil, fmt.Errorf("mail: decode %s: %w", doc.ID, err)
	}
	return &m, nil
}
