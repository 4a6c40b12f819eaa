package alerts

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// MatchType is how a matcher compares a label's value.
type MatchType string

// Match types, as written in a matcher.
const (
	MatchEqual     MatchType = "="
	MatchNotEqual  MatchType = "!="
	MatchRegexp    MatchType = "=~"
	MatchNotRegexp MatchType = "!~"
)

// Matcher tests one label. A label an alert lacks has the value "".
type Matcher struct {
	Name  string
	Type  MatchType
	Value string
	re    *regexp.Regexp
}

// ParseMatcher reads a matcher written as in Alertmanager: a label name,
// an operator (=, !=, =~, !~) and a value, optionally double-quoted:
// severity="critical", watch=~"acme|acme-eu", kind!=resolved. Regular
// expressions are anchored: they match the whole value.
func ParseMatcher(s string) (*Matcher, error) {
	s = strings.TrimSpace(s)
	i := strings.IndexAny(s, "=!")
	if i <= 0 {
		return nil, fmt.Errorf("matcher %q: want label, operator (=, !=, =~, !~) and value", s)
	}
	name := strings.TrimSpace(s[:i])
	if !validLabel(name) {
		return nil, fmt.Errorf("matcher %q: invalid label name %q", s, name)
	}
	rest := s[i:]
	var t MatchType
	switch {
	case strings.HasPrefix(rest, "=~"):
		t = MatchRegexp
	case strings.HasPrefix(rest, "!~"):
		t = MatchNotRegexp
	case strings.HasPrefix(rest, "!="):
		t = MatchNotEqual
	case strings.HasPrefix(rest, "="):
		t = MatchEqual
	default:
		return nil, fmt.Errorf("matcher %q: unknown operator", s)
	}
	v := strings.TrimSpace(rest[len(t):])
	if strings.HasPrefix(v, `"`) {
		uq, err := strconv.Unquote(v)
		if err != nil {
			return nil, fmt.Errorf("matcher %q: bad quoted value: %v", s, err)
		}
		v = uq
	}
	return NewMatcher(name, t, v)
}

// NewMatcher returns a matcher; a regular expression must compile.
func NewMatcher(name string, t MatchType, value string) (*Matcher, error) {
	m := &Matcher{Name: name, Type: t, Value: value}
	switch t {
	case MatchEqual, MatchNotEqual:
	case MatchRegexp, MatchNotRegexp:
		re, err := regexp.Compile("^(?:" + value + ")$")
		if err != nil {
			return nil, fmt.Errorf("matcher %s%s%q: %v", name, t, value, err)
		}
		m.re = re
	default:
		return nil, fmt.Errorf("matcher %s: unknown operator %q", name, t)
	}
	return m, nil
}

// Matches reports whether labels satisfy m.
func (m *Matcher) Matches(labels map[string]string) bool {
	v := labels[m.Name]
	switch m.Type {
	case MatchEqual:
		return v == m.Value
	case MatchNotEqual:
		return v != m.Value
	case MatchRegexp:
		return m.re.MatchString(v)
	case MatchNotRegexp:
		return !m.re.MatchString(v)
	}
	return false
}

// String writes m back as it is parsed.
func (m *Matcher) String() string { return m.Name + string(m.Type) + strconv.Quote(m.Value) }

// Matchers match when every one does; none match everything.
type Matchers []*Matcher

// ParseMatchers parses each of ss; key names the config key in errors.
func ParseMatchers(key string, ss []string) (Matchers, error) {
	ms := make(Matchers, 0, len(ss))
	for i, s := range ss {
		m, err := ParseMatcher(s)
		if err != nil {
			return nil, fmt.Errorf("%s[%d]: %v", key, i, err)
		}
		ms = append(ms, m)
	}
	return ms, nil
}

// Matches reports whether labels satisfy every matcher.
func (ms Matchers) Matches(labels map[string]string) bool {
	for _, m := range ms {
		if !m.Matches(labels) {
			return false
		}
	}
	return true
}

func validLabel(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// labelString writes labels sorted, as {a="1",b="2"}.
func labelString(labels map[string]string) string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(k + "=" + strconv.Quote(labels[k]))
	}
	b.WriteByte('}')
	return b.String()
}
