// Package redact hides secrets before text reaches errors and logs: known
// secrets in any text (Secrets), the parts of a URL that carry tokens
// (URL), the password of a store address (DSN). Each caller keeps the
// mark its messages have always shown.
package redact

import (
	"net/url"
	"sort"
	"strings"
)

// Secrets returns s with every occurrence of each non-empty secret
// replaced by mark. A secret containing another is replaced whole.
func Secrets(s, mark string, secrets ...string) string {
	// Longest first, so a secret containing another is replaced whole.
	ss := append([]string(nil), secrets...)
	sort.Slice(ss, func(i, j int) bool { return len(ss[i]) > len(ss[j]) })
	for _, sec := range ss {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, mark)
		}
	}
	return s
}

// Hide names the parts of a URL that URL hides; they combine with |.
type Hide uint8

const (
	// UserInfo drops the user name and password.
	UserInfo Hide = 1 << iota
	// Password shows a password as "xxxxx", keeping the user name.
	Password
	// QueryValues shows each query value as "REDACTED", keeping the names.
	QueryValues
	// Query shows the whole query as "REDACTED".
	Query
	// Fragment drops the fragment.
	Fragment
	// AllButHost keeps the scheme and the host alone, followed by
	// "/[redacted]" when the URL had anything else (a webhook's path is
	// its token). It overrides the others.
	AllButHost
)

// URL returns u as a string with the parts hide names hidden; u itself is
// left alone.
func URL(u *url.URL, hide Hide) string {
	if hide&AllButHost != 0 {
		s := u.Scheme + "://" + u.Host
		if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil || u.Fragment != "" {
			s += "/[redacted]"
		}
		return s
	}
	r := *u
	if hide&UserInfo != 0 {
		r.User = nil
	}
	if hide&Password != 0 && r.User != nil {
		if _, ok := r.User.Password(); ok {
			r.User = url.UserPassword(r.User.Username(), "xxxxx")
		}
	}
	if r.RawQuery != "" {
		switch {
		case hide&QueryValues != 0:
			q := r.Query()
			for k := range q {
				q[k] = []string{"REDACTED"}
			}
			r.RawQuery = q.Encode()
		case hide&Query != 0:
			r.RawQuery = "REDACTED"
		}
	}
	if hide&Fragment != 0 {
		r.Fragment = ""
	}
	return r.String()
}

// DSN hides the password in a store address, for logs and errors. An
// address that does not parse as a URL with user information loses
// everything before its last "@".
func DSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		if i := strings.LastIndex(dsn, "@"); i >= 0 {
			return "<redacted>" + dsn[i:]
		}
		return dsn
	}
	return URL(u, Password)
}
