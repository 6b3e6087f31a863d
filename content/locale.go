package content

import (
	"context"
	"strings"
)

// Locale is a language the content is written in. Dutch is required on every
// text; English is optional and falls back to Dutch.
type Locale string

// The locales of the content.
const (
	NL Locale = "nl"
	EN Locale = "en"
)

// Locales lists the supported locales, Dutch first.
var Locales = []Locale{NL, EN}

// ParseLocale reads a locale code ("nl", "EN", "en-GB") and reports whether
// it is supported.
func ParseLocale(s string) (Locale, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i > 0 {
		s = s[:i]
	}
	switch Locale(s) {
	case NL, EN:
		return Locale(s), true
	}
	return "", false
}

// Text is a text in Dutch with an optional English translation.
type Text struct {
	NL string `json:"nl"`
	EN string `json:"en,omitempty"`
}

// NLText returns a Text with only Dutch.
func NLText(nl string) Text { return Text{NL: nl} }

// IsZero reports whether the text is absent.
func (t Text) IsZero() bool { return t.NL == "" && t.EN == "" }

// In returns the text in locale l, falling back to Dutch.
func (t Text) In(l Locale) string {
	if l == EN && t.EN != "" {
		return t.EN
	}
	return t.NL
}

// Has reports whether the text exists in locale l without falling back.
func (t Text) Has(l Locale) bool {
	switch l {
	case NL:
		return t.NL != ""
	case EN:
		return t.EN != ""
	}
	return false
}

// Ptr returns the text in locale l, or nil when the text is absent: an
// unknown fact stays null.
func (t Text) Ptr(l Locale) *string {
	if t.IsZero() {
		return nil
	}
	s := t.In(l)
	return &s
}

// String implements fmt.Stringer with the Dutch text.
func (t Text) String() string { return t.NL }

type localeKey struct{}

// WithLocale returns a context whose default locale is l.
func WithLocale(ctx context.Context, l Locale) context.Context {
	return context.WithValue(ctx, localeKey{}, l)
}

// LocaleFrom returns the locale of ctx, or Dutch.
func LocaleFrom(ctx context.Context) Locale {
	if l, ok := ctx.Value(localeKey{}).(Locale); ok {
		return l
	}
	return NL
}

// Pick returns the explicit locale when given, else the context's.
func Pick(ctx context.Context, explicit *Locale) Locale {
	if explicit != nil {
		return *explicit
	}
	return LocaleFrom(ctx)
}
