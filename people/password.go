package people

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"estafette/content"
)

// Params are the argon2id parameters of a password hash. They are stored
// with every hash, so that a hash made with other parameters still
// verifies after they change.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	KeyLen  uint32 // bytes of the derived key
}

// DefaultParams are the parameters new hashes get: 32 MiB, 2 passes, 2
// lanes, a 32-byte key (a 16-byte random salt per password).
var DefaultParams = Params{Memory: 32 * 1024, Time: 2, Threads: 2, KeyLen: 32}

// MinPasswordLength is the least number of characters a password has.
const MinPasswordLength = 12

// MaxPasswordLength bounds a password (in bytes), so that hashing one
// costs what hashing any other does.
const MaxPasswordLength = 256

// hashing bounds the argon2id computations running at once, each of
// which takes DefaultParams.Memory: a burst of sign-ins waits its turn
// instead of taking all memory.
var hashing = make(chan struct{}, max(1, runtime.NumCPU()))

// HashPassword returns the argon2id hash of password with a new random
// salt, in the PHC string format: $argon2id$v=19$m=…,t=…,p=…$salt$key.
func HashPassword(password string) (string, error) {
	return hashWith(password, DefaultParams)
}

func hashWith(password string, p Params) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	hashing <- struct{}{}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	<-hashing
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// VerifyPassword reports whether password has the given hash, with the
// parameters the hash carries. A malformed hash never verifies.
func VerifyPassword(hash, password string) bool {
	p, salt, key, ok := parseHash(hash)
	if !ok || len(password) > MaxPasswordLength {
		return false
	}
	hashing <- struct{}{}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	<-hashing
	return subtle.ConstantTimeCompare(got, key) == 1
}

// parseHash reads a PHC argon2id string, refusing parameters out of the
// range this package ever writes (so a stored hash cannot make a
// verification take gigabytes).
func parseHash(hash string) (p Params, salt, key []byte, ok bool) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, false
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, false
	}
	if p.Memory < 8*1024 || p.Memory > 256*1024 || p.Time < 1 || p.Time > 10 || p.Threads < 1 || p.Threads > 16 {
		return p, nil, nil, false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	key, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) < 16 || len(key) > 64 {
		return p, nil, nil, false
	}
	p.KeyLen = uint32(len(key))
	return p, salt, key, true
}

// dummyHash is verified against when there is no person to check a
// password of, so that an unknown address takes as long as a wrong
// password.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("not a password anyone has")
	return h
})

// common is a short list of passwords of 12 characters or more that are
// among the first an attacker tries; CheckPassword refuses them (compared
// without case and without spaces).
var common = map[string]bool{}

func init() {
	for _, p := range []string{
		"123456789012", "1234567890123", "12345678901234", "123456789000", "111111111111", "000000000000",
		"123123123123", "abcdefghijkl", "abc123abc123", "qwertyuiopas", "qwertyuiop12", "qwertyuiop123",
		"1q2w3e4r5t6y", "1qaz2wsx3edc", "asdfghjklasd", "zxcvbnm12345", "password1234", "password12345",
		"password123!", "passwordpassword", "wachtwoord12", "wachtwoord123", "wachtwoord1234",
		"wachtwoord2024", "wachtwoord2025", "wachtwoord2026", "welkom123456", "welkomwelkom", "welkom2024!!",
		"iloveyou1234", "letmein12345", "adminadmin12", "administrator", "administrator1", "changeme1234",
		"sunshine1234", "football1234", "princess1234", "trustno1trustno1", "estafette123", "estafette2024",
		"estafette2025", "slimmezorg123", "slimmezorgestafette", "zomer2024zomer", "winter2024winter",
		"voorjaar2025", "hallohallo12", "geheimgeheim", "geheim123456", "ajaxamsterdam", "feyenoord1908",
	} {
		common[p] = true
	}
}

// Rule names a password rule a password breaks.
type Rule int

// The password rules.
const (
	RuleNone     Rule = iota // the password keeps every rule
	RuleNotText              // it is not valid UTF-8
	RuleTooShort             // fewer than MinPasswordLength characters
	RuleTooLong              // more than MaxPasswordLength bytes
	RuleRepeated             // one character repeated
	RuleCommon               // on the list of common passwords
)

// BrokenRule returns the first password rule password breaks, RuleNone
// when it keeps them all: at least MinPasswordLength characters, at most
// MaxPasswordLength bytes, not one character repeated, not on the list of
// common passwords (compared without case and spaces).
func BrokenRule(password string) Rule {
	switch {
	case !utf8.ValidString(password):
		return RuleNotText
	case utf8.RuneCountInString(password) < MinPasswordLength:
		return RuleTooShort
	case len(password) > MaxPasswordLength:
		return RuleTooLong
	}
	first, _ := utf8.DecodeRuneInString(password)
	if strings.Trim(password, string(first)) == "" {
		return RuleRepeated
	}
	if common[strings.ToLower(strings.ReplaceAll(password, " ", ""))] {
		return RuleCommon
	}
	return RuleNone
}

// CheckPassword applies the password rules (see BrokenRule). The error is
// EINVALID on the field "password", with a message for the person
// choosing it.
func CheckPassword(password string) error {
	switch BrokenRule(password) {
	case RuleNotText:
		return content.Invalidf("password", "the password contains characters that are not text")
	case RuleTooShort:
		return content.Invalidf("password", "a password needs at least %d characters; this one has %d", MinPasswordLength, utf8.RuneCountInString(password))
	case RuleTooLong:
		return content.Invalidf("password", "a password may have at most %d characters", MaxPasswordLength)
	case RuleRepeated:
		return content.Invalidf("password", "a password of one character repeated is too easy to guess")
	case RuleCommon:
		return content.Invalidf("password", "this password is one of the most used ones and easy to guess; choose another")
	}
	return nil
}
