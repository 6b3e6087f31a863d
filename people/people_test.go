package people_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"estafette/content"
	"estafette/people"
	"estafette/people/peopletest"
	"estafette/sqlite"
)

// TestConformance runs the store suite of package people on SQLite.
func TestConformance(t *testing.T) {
	s, err := sqlite.Open(context.Background(), t.TempDir(), slices.Concat(content.Collections, people.Collections))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	peopletest.Run(t, s)
}

// TestHash: a hash verifies its password only, carries its parameters
// and a salt of its own, and a damaged hash verifies nothing.
func TestHash(t *testing.T) {
	h1, err := people.HashPassword("correct paard batterij")
	if err != nil {
		t.Fatal(err)
	}
	h2, err := people.HashPassword("correct paard batterij")
	if err != nil {
		t.Fatal(err)
	}
	if h1 == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=32768,t=2,p=2$") {
		t.Fatalf("hash %q does not carry argon2id and its parameters", h1)
	}
	if !people.VerifyPassword(h1, "correct paard batterij") || !people.VerifyPassword(h2, "correct paard batterij") {
		t.Fatal("the password does not verify")
	}
	for _, wrong := range []string{"correct paard batterik", "", "Correct paard batterij"} {
		if people.VerifyPassword(h1, wrong) {
			t.Errorf("%q verifies", wrong)
		}
	}
	parts := strings.Split(h1, "$")
	other := strings.Replace(h1, "t=2", "t=3", 1) // other parameters: another key
	if people.VerifyPassword(other, "correct paard batterij") {
		t.Error("a hash verifies with parameters it was not made with")
	}
	for _, bad := range []string{"", "plain", strings.Join(parts[:5], "$"), strings.Replace(h1, "argon2id", "argon2i", 1),
		strings.Replace(h1, "m=32768", "m=4194304", 1), strings.Replace(h1, parts[4], "!!", 1)} {
		if people.VerifyPassword(bad, "correct paard batterij") {
			t.Errorf("damaged hash %q verifies", bad)
		}
	}
}

// TestPasswordRules: at least 12 characters, not one repeated, not a
// common password.
func TestPasswordRules(t *testing.T) {
	for pw, want := range map[string]people.Rule{
		"kort":                     people.RuleTooShort,
		"elf tekens!":              people.RuleTooShort,
		"ééééééééééé":              people.RuleTooShort, // 11 characters in 22 bytes
		"aaaaaaaaaaaaaaaa":         people.RuleRepeated,
		"Wachtwoord123":            people.RuleCommon,
		"password 1234":            people.RuleCommon,
		"123456789012":             people.RuleCommon,
		"\xff\xfe geen tekst hier": people.RuleNotText,
		strings.Repeat("ab", 129):  people.RuleTooLong,
		"twaalf tekens":            people.RuleNone,
		"paard batterij nietje":    people.RuleNone,
		"ééééééééééé1":             people.RuleNone,
	} {
		if got := people.BrokenRule(pw); got != want {
			t.Errorf("%q: rule %d, want %d", pw, got, want)
		}
		err := people.CheckPassword(pw)
		if (err == nil) != (want == people.RuleNone) {
			t.Errorf("%q: CheckPassword %v", pw, err)
		}
		if err != nil && (content.ErrorCode(err) != content.EINVALID || !strings.HasPrefix(err.Error(), "password: ")) {
			t.Errorf("%q: %v is not EINVALID on password", pw, err)
		}
	}
}
