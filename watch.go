package earshot

import (
	"strings"
	"unicode"
	"unicode/utf8"
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
	include []string // lowercase phrases, single-spaced; handles with "@"
	exclude []string
}

// NewMatcher compiles watches into a Matcher. Terms and keywords match as
// whole words (or phrases), case-insensitively; handles match with or without
// a leading "@" in the watch and always with one in the text.
func NewMatcher(watches []Watch) *Matcher {
	m := &Matcher{}
	for _, w := range watches {
		cw := compiledWatch{name: w.Name}
		for _, t := range append(append([]string(nil), w.Terms...), w.Keywords...) {
			if t = phrase(t); t != "" {
				cw.include = append(cw.include, t)
			}
		}
		for _, h := range w.Handles {
			if h = strings.TrimPrefix(phrase(h), "@"); h != "" {
				cw.include = append(cw.include, "@"+h)
			}
		}
		for _, e := range w.Exclude {
			if e = phrase(e); e != "" {
				cw.exclude = append(cw.exclude, e)
			}
		}
		if len(cw.include) > 0 {
			m.watches = append(m.watches, cw)
		}
	}
	return m
}

// phrase lowercases s and folds its white space to single spaces.
func phrase(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

// Match returns the names of the watches text mentions, in watch order.
func (m *Matcher) Match(text string) []string {
	if len(m.watches) == 0 {
		return nil
	}
	lower := strings.ToLower(text)
	if strings.ContainsAny(lower, "\t\n\r\v\f") || strings.Contains(lower, "  ") {
		lower = phrase(lower)
	}
	var names []string
	for _, w := range m.watches {
		if containsAny(lower, w.include) && !containsAny(lower, w.exclude) {
			names = append(names, w.name)
		}
	}
	return names
}

// containsAny reports whether text holds one of phrases as a whole word:
// not preceded or followed by a letter, digit or underscore. A phrase may
// start or end with a non-word character ("#acmedown", "acme.com").
func containsAny(text string, phrases []string) bool {
	for _, p := range phrases {
		for from := 0; ; {
			i := strings.Index(text[from:], p)
			if i < 0 {
				break
			}
			i += from
			end := i + len(p)
			if !wordBefore(text, i) && !wordAfter(text, end) {
				return true
			}
			_, size := utf8.DecodeRuneInString(text[i:])
			from = i + size
		}
	}
	return false
}

func wordBefore(s string, i int) bool {
	if i == 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return isWordRune(r)
}

func wordAfter(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return isWordRune(r)
}

func isWordRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// Len returns the number of watches that can match anything.
func (m *Matcher) Len() int { return len(m.watches) }
