package earshot

import (
	"regexp"
	"strings"
)

// Watch is a brand or product to listen for.
type Watch struct {
	// Name identifies the watch; posts carry it in Post.Watches.
	Name string `json:"name" yaml:"name"`
	// Terms are the names people use for it ("Acme", "Acme Cloud"); a post
	// mentioning any of them, as whole words in any case, matches.
	Terms []string `json:"terms,omitempty" yaml:"terms"`
	// Keywords are further words or phrases that match, such as a product
	// name or a hashtag ("#acmedown").
	Keywords []string `json:"keywords,omitempty" yaml:"keywords"`
	// Handles are the brand's own accounts; "@handle" in a post matches.
	Handles []string `json:"handles,omitempty" yaml:"handles"`
	// Exclude lists words or phrases that veto a match ("acme anvil").
	Exclude []string `json:"exclude,omitempty" yaml:"exclude"`
	// Services are the services this watch maps to, for linking spikes to
	// incidents that name them.
	Services []string `json:"services,omitempty" yaml:"services"`
}

// Matcher finds which watches a text mentions. It is safe for concurrent use.
type Matcher struct {
	watches []compiledWatch
}

type compiledWatch struct {
	name    string
	include *regexp.Regexp
	exclude *regexp.Regexp
}

// NewMatcher compiles watches into a Matcher. Terms and keywords match as
// whole words (or phrases), case-insensitively; handles match with or without
// a leading "@" in the watch and always with one in the text.
func NewMatcher(watches []Watch) *Matcher {
	m := &Matcher{}
	for _, w := range watches {
		var inc []string
		for _, t := range append(append([]string(nil), w.Terms...), w.Keywords...) {
			if t = strings.TrimSpace(t); t != "" {
				inc = append(inc, wordPattern(t))
			}
		}
		for _, h := range w.Handles {
			h = strings.TrimPrefix(strings.TrimSpace(h), "@")
			if h != "" {
				inc = append(inc, `@`+regexp.QuoteMeta(h)+`\b`)
			}
		}
		if len(inc) == 0 {
			continue
		}
		cw := compiledWatch{name: w.Name, include: regexp.MustCompile(`(?i)(?:` + strings.Join(inc, "|") + `)`)}
		var exc []string
		for _, e := range w.Exclude {
			if e = strings.TrimSpace(e); e != "" {
				exc = append(exc, wordPattern(e))
			}
		}
		if len(exc) > 0 {
			cw.exclude = regexp.MustCompile(`(?i)(?:` + strings.Join(exc, "|") + `)`)
		}
		m.watches = append(m.watches, cw)
	}
	return m
}

// wordPattern matches phrase as a whole word: not preceded or followed by a
// letter, digit or underscore. Phrases may start or end with a non-word
// character ("#acmedown", "acme.com"), so boundaries are written out rather
// than left to \b, which would demand a word character there.
func wordPattern(phrase string) string {
	fields := strings.Fields(phrase)
	for i, f := range fields {
		fields[i] = regexp.QuoteMeta(f)
	}
	return `(?:^|[^\pL\pN_])` + strings.Join(fields, `\s+`) + `(?:$|[^\pL\pN_])`
}

// Match returns the names of the watches text mentions, in watch order.
func (m *Matcher) Match(text string) []string {
	var names []string
	for _, w := range m.watches {
		if !w.include.MatchString(text) {
			continue
		}
		if w.exclude != nil && w.exclude.MatchString(text) {
			continue
		}
		names = append(names, w.name)
	}
	return names
}

// Len returns the number of watches that can match anything.
func (m *Matcher) Len() int { return len(m.watches) }
