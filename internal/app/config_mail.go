package app

import (
	"fmt"
	"strings"

	"estafette/mail"
)

// readMail reads SMTP_URL and MAIL_FROM. Without SMTP_URL no mail is
// sent: mails stay in the outbox, where the desk lists them. With it,
// MAIL_FROM is needed, and both are checked now (a mail server that
// cannot be reached is not: that is retried per mail).
func readMail(c *Config, getenv func(string) string) error {
	c.SMTPURL = strings.TrimSpace(getenv("SMTP_URL"))
	c.MailFrom = strings.TrimSpace(getenv("MAIL_FROM"))
	if c.SMTPURL == "" {
		return nil
	}
	if c.MailFrom == "" {
		return fmt.Errorf("MAIL_FROM is needed with SMTP_URL: the sender of the mails, such as \"Slimme Zorg Estafette <noreply@slimmezorgestafette.nl>\"")
	}
	_, err := mail.NewSMTP(c.SMTPURL, c.MailFrom) // its errors name the variable, never the password
	return err
}

// mailSender returns the sender of the configuration: nil without
// SMTP_URL.
func (c Config) mailSender() (mail.Sender, error) {
	if c.SMTPURL == "" {
		return nil, nil
	}
	return mail.NewSMTP(c.SMTPURL, c.MailFrom)
}
