package auth

import (
	"fmt"
	"os"
	"strings"
)

// Secret is a credential in the configuration (a collector's, an
// endpoint's). Write it as "env:NAME" to read the environment variable
// NAME, or "file:/path" to read a file (trailing white space dropped); any
// other value is the secret itself, which keeps it in the config file and
// is best avoided. A Secret
// prints as "[redacted]" so it never reaches a log or an error by accident.
type Secret string

// String hides the secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// GoString hides the secret from %#v too.
func (s Secret) GoString() string { return `"` + s.String() + `"` }

// Resolve returns the secret's value. getenv nil means os.Getenv. An unset
// variable or an unreadable file is an error naming the variable or file,
// never the value.
func (s Secret) Resolve(getenv func(string) string) (string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	v := string(s)
	switch {
	case strings.HasPrefix(v, "env:"):
		name := strings.TrimPrefix(v, "env:")
		val := getenv(name)
		if val == "" {
			return "", fmt.Errorf("environment variable %s is not set", name)
		}
		return val, nil
	case strings.HasPrefix(v, "file:"):
		path := strings.TrimPrefix(v, "file:")
		b, err := os.ReadFile(path)
		if err != nil {
			return "", fmt.Errorf("reading secret file: %w", err)
		}
		val := strings.TrimSpace(string(b))
		if val == "" {
			return "", fmt.Errorf("secret file %s is empty", path)
		}
		return val, nil
	}
	return v, nil
}
