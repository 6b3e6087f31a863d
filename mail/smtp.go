package mail

import (
	"context"
	"errors"
	"fmt"
	netmail "net/mail"
	"net/url"
	"strconv"

	gomail "github.com/wneessen/go-mail"
)

// smtpSender sends through an SMTP server with go-mail.
type smtpSender struct {
	host string
	opts []gomail.Option
	from string
}

// NewSMTP returns a Sender for the server at rawURL, with from (an
// address, optionally with a name: "Estafette <noreply@example.nl>") as
// the sender of every mail.
//
//   - smtp://user:pass@host:587 connects in plain and then demands
//     STARTTLS: a server that does not offer it gets no mail (and no
//     password). Without a port, 587.
//   - smtp://host:25?tls=opportunistic uses STARTTLS when the server
//     offers it, and goes on unencrypted when it does not.
//   - smtp://host:25?tls=none never encrypts (a relay on the same host,
//     or a test server on loopback); a password then goes in the clear
//     (AUTH PLAIN), which is what that setting asks for.
//   - smtps://user:pass@host:465 speaks TLS from the start. Without a
//     port, 465.
//
// With a user and password, the client authenticates with the strongest
// mechanism the server offers (go-mail's auto-discovery; over an
// encrypted connection only, with the tls settings other than none). Mails are plain
// text in UTF-8 (quoted-printable), with a Date and the given Message-ID.
func NewSMTP(rawURL, from string) (Sender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, errors.New("SMTP_URL is not a URL")
	}
	if u.Hostname() == "" {
		return nil, errors.New("SMTP_URL needs a host")
	}
	if _, err := netmail.ParseAddress(from); err != nil {
		return nil, fmt.Errorf("MAIL_FROM is not an email address: %v", err)
	}
	q := u.Query()
	var opts []gomail.Option
	port := 0
	if p := u.Port(); p != "" {
		port, err = strconv.Atoi(p)
		if err != nil || port <= 0 || port > 65535 {
			return nil, errors.New("SMTP_URL has a bad port")
		}
	}
	switch u.Scheme {
	case "smtp":
		if port == 0 {
			port = 587
		}
		switch q.Get("tls") {
		case "", "starttls", "mandatory":
			opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
		case "opportunistic":
			opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
		case "none":
			opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
		default:
			return nil, errors.New("SMTP_URL: tls is one of starttls (the default), opportunistic, none")
		}
	case "smtps":
		if port == 0 {
			port = 465
		}
		opts = append(opts, gomail.WithSSL())
	default:
		return nil, errors.New("SMTP_URL starts with smtp:// or smtps://")
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil && u.User.Username() != "" {
		pass, _ := u.User.Password()
		auth := gomail.SMTPAuthAutoDiscover
		if q.Get("tls") == "none" {
			auth = gomail.SMTPAuthPlainNoEnc // asked for: no TLS at all
		}
		opts = append(opts, gomail.WithSMTPAuth(auth),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	if h := q.Get("helo"); h != "" {
		opts = append(opts, gomail.WithHELO(h))
	}
	// A check of the options now, so that a bad configuration stops the
	// program at start rather than at the first mail.
	if _, err := gomail.NewClient(u.Hostname(), opts...); err != nil {
		return nil, fmt.Errorf("SMTP_URL: %v", err)
	}
	return &smtpSender{host: u.Hostname(), opts: opts, from: from}, nil
}

// Send implements Sender: one connection per mail.
func (s *smtpSender) Send(ctx context.Context, messageID string, m Message) error {
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	if err := msg.From(s.from); err != nil {
		return Permanent(fmt.Errorf("bad sender address: %v", err))
	}
	if err := msg.To(m.To); err != nil {
		return Permanent(fmt.Errorf("bad recipient address: %v", err))
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(messageID)
	msg.SetDate()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	c, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return err
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		// Only the server's refusal of this recipient or this mail is
		// final; a refused password or sender is the configuration's
		// fault, and is retried until it is fixed.
		var se *gomail.SendError
		if errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 && se.ErrorCode() < 600 &&
			(se.Reason == gomail.ErrSMTPRcptTo || se.Reason == gomail.ErrSMTPData || se.Reason == gomail.ErrSMTPDataClose) {
			return Permanent(err)
		}
		return err
	}
	return nil
}
