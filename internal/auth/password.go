package auth

import (
	"errors"
	"fmt"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// bcryptCost is the work factor of new password hashes; tests lower it.
var bcryptCost = 12

// Password length bounds, in bytes: bcrypt reads at most 72.
const (
	MinPassword = 10
	MaxPassword = 72
)

// CheckPasswordRules returns an error saying what is wrong with a new
// password, or nil.
func CheckPasswordRules(pw string) error {
	switch {
	case !utf8.ValidString(pw):
		return errors.New("the password is not valid UTF-8")
	case len(pw) < MinPassword:
		return fmt.Errorf("the password is too short: give at least %d characters", MinPassword)
	case len(pw) > MaxPassword:
		return fmt.Errorf("the password is too long: give at most %d bytes", MaxPassword)
	}
	return nil
}

// HashPassword returns the bcrypt hash of pw, after CheckPasswordRules
// (whose error is ErrRefused).
func HashPassword(pw string) (string, error) {
	if err := CheckPasswordRules(pw); err != nil {
		return "", refuse(err)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcryptCost)
	if err != nil {
		return "", fmt.Errorf("hashing the password: %w", err)
	}
	return string(h), nil
}

// dummyHash is compared against when a sign-in names no user, so that an
// unknown name takes as long to refuse as a wrong password.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("no such user, no such password"), bcryptCost)
	return h
})

// passwordMatches reports whether pw is the password of hash; an empty
// hash (an account without a password) matches nothing.
func passwordMatches(hash, pw string) bool {
	if hash == "" {
		_ = bcrypt.CompareHashAndPassword(dummyHash(), []byte(pw))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}
