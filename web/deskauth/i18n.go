package deskauth

import (
	"net/http"
	"time"

	"estafette/web/deskid"
)

// lang is the language of a page: ?lang=en or ?lang=nl, else the
// deskid.LangCookie cookie, else Dutch. A ?lang= sets the cookie, so the
// choice holds on the following pages.
func lang(w http.ResponseWriter, r *http.Request, secure bool) string {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "nl" {
		http.SetCookie(w, &http.Cookie{Name: deskid.LangCookie, Value: l, Path: "/desk", MaxAge: int((365 * 24 * time.Hour).Seconds()),
			HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
		return l
	}
	if c, err := r.Cookie(deskid.LangCookie); err == nil && c.Value == "en" {
		return "en"
	}
	return "nl"
}

// texts are the words of the sign-in pages, by language.
var texts = map[string]map[string]string{
	"nl": {
		"desk":            "Redactie Slimme Zorg Estafette",
		"signin.title":    "Aanmelden",
		"signin.intro":    "Meld u aan om de inhoud van de Slimme Zorg Estafette te beheren.",
		"email":           "E-mailadres",
		"password":        "Wachtwoord",
		"signin.submit":   "Aanmelden",
		"signin.or":       "Of",
		"signin.oidc":     "Aanmelden met uw organisatieaccount",
		"signin.wrong":    "Het e-mailadres of het wachtwoord klopt niet.",
		"signin.missing":  "Vul uw e-mailadres en uw wachtwoord in.",
		"signin.limited":  "Te veel pogingen om aan te melden. Probeer het over %d minuten opnieuw.",
		"signin.limited1": "Te veel pogingen om aan te melden. Probeer het over een minuut opnieuw.",
		"signin.expired":  "Het formulier was verlopen. Probeer het nog eens.",
		"signin.out":      "U bent afgemeld.",
		"signin.again":    "Uw sessie is verlopen of beëindigd. Meld u opnieuw aan.",
		"error.title":     "Er ging iets mis",
		"error.retry":     "Er ging iets mis bij het aanmelden. Probeer het later nog eens.",
		"invite.title":    "Wachtwoord instellen",
		"invite.intro":    "Welkom, %s. Kies een wachtwoord om u voortaan mee aan te melden.",
		"invite.rules":    "Minstens 12 tekens. Een zin van een paar woorden is sterk en goed te onthouden.",
		"invite.new":      "Nieuw wachtwoord",
		"invite.repeat":   "Herhaal het wachtwoord",
		"invite.submit":   "Wachtwoord instellen en aanmelden",
		"invite.gone":     "Deze uitnodiging is onbekend, al gebruikt of verlopen. Vraag een beheerder om een nieuwe.",
		"invite.differ":   "De twee wachtwoorden zijn niet gelijk.",
		"rule.short":      "Het wachtwoord moet minstens 12 tekens hebben.",
		"rule.long":       "Het wachtwoord mag hoogstens 256 tekens hebben.",
		"rule.repeated":   "Een wachtwoord van één herhaald teken is te makkelijk te raden.",
		"rule.common":     "Dit wachtwoord is een van de meest gebruikte en daardoor makkelijk te raden. Kies een ander.",
		"rule.text":       "Het wachtwoord bevat tekens die geen tekst zijn.",
		"oidc.stale":      "Het aanmelden duurde te lang of begon in een ander venster. Probeer het opnieuw.",
		"oidc.refused":    "Uw organisatie heeft het aanmelden niet bevestigd.",
		"oidc.unverified": "Uw organisatie heeft uw e-mailadres niet bevestigd, dus kunt u zich zo niet aanmelden.",
		"oidc.unknown":    "Er is geen account voor uw e-mailadres. Vraag een beheerder om u toe te voegen.",
		"oidc.disabled":   "Uw account is uitgeschakeld. Vraag een beheerder om het weer aan te zetten.",
		"forbidden.title": "Verzoek geweigerd",
		"forbidden.cross": "Dit verzoek kwam van een andere website en is daarom geweigerd.",
		"forbidden.csrf":  "Het formulier was verlopen of kwam niet van deze pagina. Laad de pagina opnieuw en probeer het nog eens.",
		"unauth.title":    "Niet aangemeld",
		"unauth.text":     "Meld u eerst aan.",
		"signin.link":     "Naar de aanmeldpagina",
		"other.lang":      "English",
		"other.code":      "en",
		"welcome.title":   "Welkom, %s",
		"welcome.text":    "U bent aangemeld als %s. Hier komt de redactie.",
		"signout":         "Afmelden",
		"role.reader":     "lezer",
		"role.editor":     "redacteur",
		"role.admin":      "beheerder",
	},
	"en": {
		"desk":            "Slimme Zorg Estafette desk",
		"signin.title":    "Sign in",
		"signin.intro":    "Sign in to manage the content of the Slimme Zorg Estafette.",
		"email":           "Email address",
		"password":        "Password",
		"signin.submit":   "Sign in",
		"signin.or":       "Or",
		"signin.oidc":     "Sign in with your organisation account",
		"signin.wrong":    "The email address or the password is not right.",
		"signin.missing":  "Fill in your email address and your password.",
		"signin.limited":  "Too many attempts to sign in. Try again in %d minutes.",
		"signin.limited1": "Too many attempts to sign in. Try again in a minute.",
		"signin.expired":  "The form had expired. Please try again.",
		"signin.out":      "You are signed out.",
		"signin.again":    "Your session expired or ended. Please sign in again.",
		"error.title":     "Something went wrong",
		"error.retry":     "Something went wrong while signing in. Please try again later.",
		"invite.title":    "Set your password",
		"invite.intro":    "Welcome, %s. Choose the password you will sign in with.",
		"invite.rules":    "At least 12 characters. A sentence of a few words is strong and easy to remember.",
		"invite.new":      "New password",
		"invite.repeat":   "Repeat the password",
		"invite.submit":   "Set password and sign in",
		"invite.gone":     "This invitation is unknown, used already or expired. Ask an admin for a new one.",
		"invite.differ":   "The two passwords are not the same.",
		"rule.short":      "The password needs at least 12 characters.",
		"rule.long":       "The password may have at most 256 characters.",
		"rule.repeated":   "A password of one character repeated is too easy to guess.",
		"rule.common":     "This password is one of the most used ones and easy to guess. Choose another.",
		"rule.text":       "The password contains characters that are not text.",
		"oidc.stale":      "Signing in took too long or started in another window. Please try again.",
		"oidc.refused":    "Your organisation did not confirm the sign-in.",
		"oidc.unverified": "Your organisation has not verified your email address, so you cannot sign in this way.",
		"oidc.unknown":    "There is no account for your email address. Ask an admin to add you.",
		"oidc.disabled":   "Your account is disabled. Ask an admin to enable it again.",
		"forbidden.title": "Request refused",
		"forbidden.cross": "This request came from another website and was refused.",
		"forbidden.csrf":  "The form had expired or did not come from this page. Reload the page and try again.",
		"unauth.title":    "Not signed in",
		"unauth.text":     "Please sign in first.",
		"signin.link":     "To the sign-in page",
		"other.lang":      "Nederlands",
		"other.code":      "nl",
		"welcome.title":   "Welcome, %s",
		"welcome.text":    "You are signed in as %s. The desk comes here.",
		"signout":         "Sign out",
		"role.reader":     "reader",
		"role.editor":     "editor",
		"role.admin":      "admin",
	},
}
