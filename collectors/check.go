package collectors

import (
	"net/url"
	"regexp"
	"strconv"
	"time"
)

// Check is one rule of a collector's configuration: the value of Key is
// wrong, for Problem, unless OK.
type Check struct {
	Key     string
	OK      bool
	Problem string
}

// Checks returns bad(key, problem) for the first of checks that fails, in
// their order, or nil when none does. bad is the collector's maker of a
// *ConfigError.
func Checks(bad func(key, problem string) error, checks ...Check) error {
	for _, c := range checks {
		if !c.OK {
			return bad(c.Key, c.Problem)
		}
	}
	return nil
}

// The checks most collectors share, worded alike.

// BackfillCheck checks that backfill is positive.
func BackfillCheck(d time.Duration) Check {
	return Check{"backfill", d > 0, "must be a positive duration such as 24h"}
}

// MaxPagesCheck checks that max_pages is positive.
func MaxPagesCheck(n int) Check { return Check{"max_pages", n > 0, "must be positive"} }

// MaxBytesCheck checks that max_bytes is positive.
func MaxBytesCheck(n int64) Check { return Check{"max_bytes", n > 0, "must be positive"} }

// TimeoutCheck checks that timeout is positive.
func TimeoutCheck(d time.Duration) Check {
	return Check{"timeout", d > 0, "must be a positive duration such as 30s"}
}

// BaseURLCheck checks that the URL s, under key, is a base URL (see
// ValidBaseURL).
func BaseURLCheck(key, s string) Check { return Check{key, ValidBaseURL(s), BaseURLProblem} }

// EveryCheck checks that ok holds for every value of key, a list; the
// problem names the first that fails: `"x" ` + problem.
func EveryCheck(key string, values []string, ok func(string) bool, problem string) Check {
	for _, v := range values {
		if !ok(v) {
			return Check{key, false, strconv.Quote(v) + " " + problem}
		}
	}
	return Check{Key: key, OK: true}
}

// ConfigProblem returns the maker of the *ConfigErrors of collector name
// of kind, for Checks and a Validate's own checks.
func ConfigProblem(kind, name string) func(key, problem string) error {
	return func(key, problem string) error {
		return &ConfigError{Kind: kind, Name: name, Key: key, Problem: problem}
	}
}

// WebURL reports whether u is an absolute http or https URL with a host.
func WebURL(u *url.URL) bool { return (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" }

// URLCheck checks that raw, the address under key, is there (required is
// the problem when it is empty) and is an absolute http(s) URL.
func URLCheck(key, raw, required string) Check {
	if raw == "" {
		return Check{key, false, required}
	}
	u, err := url.Parse(raw)
	return Check{key, err == nil && WebURL(u), "must be an absolute http(s) URL"}
}

var sourcePattern = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// SourceCheck checks that source, the name a collector's posts or
// incidents come from and the prefix of their IDs, is letters, digits,
// '.', '_' or '-'.
func SourceCheck(source string) Check {
	return Check{"source", sourcePattern.MatchString(source), "must be letters, digits, '.', '_' or '-'"}
}
