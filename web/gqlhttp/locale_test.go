package gqlhttp

import (
	"testing"

	"estafette/content"
)

func TestAcceptLanguage(t *testing.T) {
	for in, want := range map[string]content.Locale{
		"":                          content.NL,
		"en":                        content.EN,
		"EN":                        content.EN,
		"en-GB,en;q=0.9":            content.EN,
		"en_GB":                     content.EN,
		"nl;q=0.8, en;q=0.9":        content.EN,
		"nl-BE;q=0.5, en-US;q=0.4":  content.NL,
		"de-DE, fr":                 content.NL,
		"de-DE, en;q=0.2":           content.EN,
		"fr;q=1, nl-BE;q=0.5, en;q": content.NL,
		"en;q, nl;q=0.1":            content.NL,
		"!!, en;q=0.3":              content.EN,
		"en, nl":                    content.EN,
		"nl, en":                    content.NL,
		"af, en;q=0.5":              content.EN,
		"*":                         content.NL,
		"*, en;q=0.5":               content.EN,
		"en;q=0":                    content.NL,
	} {
		if got := AcceptLanguage(in); got != want {
			t.Errorf("AcceptLanguage(%q) = %q, want %q", in, got, want)
		}
	}
}
