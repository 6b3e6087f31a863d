package gqlhttp

import (
	"cmp"
	"slices"
	"strings"

	"golang.org/x/text/language"

	"estafette/content"
)

// localeTags are the tags of content.Locales, in that order.
var localeTags = func() []language.Tag {
	tags := make([]language.Tag, len(content.Locales))
	for i, l := range content.Locales {
		tags[i] = language.MustParse(string(l))
	}
	return tags
}()

// locales matches a language tag against the locales of the content; a
// match's index is the locale's in content.Locales.
var locales = language.NewMatcher(localeTags)

// AcceptLanguage picks the locale of the content that an Accept-Language
// header value asks for: the supported one of the highest quality ("nl-BE"
// counts as Dutch, "en-GB" as English), or Dutch when it names none. Only a
// variant of Dutch or English itself counts: the matcher would also take a
// related language for Dutch (Afrikaans), which the content is not in.
//
// A malformed entry ("en;q", "!!") is ignored rather than spoiling the rest
// of the header, which is why each entry is parsed on its own; an entry of
// quality 0 ("en;q=0") is one the caller does not accept.
func AcceptLanguage(header string) content.Locale {
	type wanted struct {
		tag language.Tag
		q   float32
	}
	var all []wanted
	for entry := range strings.SplitSeq(header, ",") {
		tags, qs, err := language.ParseAcceptLanguage(entry)
		if err != nil || len(tags) != 1 {
			continue
		}
		all = append(all, wanted{tags[0], qs[0]})
	}
	// Highest quality first; of equal quality, the first given.
	slices.SortStableFunc(all, func(a, b wanted) int { return cmp.Compare(b.q, a.q) })
	for _, w := range all {
		_, i, conf := locales.Match(w.tag)
		if conf == language.No || !sameLanguage(w.tag, localeTags[i]) {
			continue
		}
		return content.Locales[i]
	}
	return content.NL
}

// sameLanguage reports whether two tags are of the same base language.
func sameLanguage(a, b language.Tag) bool {
	x, _ := a.Base()
	y, _ := b.Base()
	return x == y
}
