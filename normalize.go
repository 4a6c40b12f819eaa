package earshot

import (
	"html"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/earshot/earshot/internal/clip"
)

// Bounds applied by Normalize to fields other than the text.
const (
	maxIDBytes    = 512
	maxURLBytes   = 2048
	maxNameBytes  = 256
	maxLangBytes  = 35
	truncatedMark = "…"
)

// Normalize cleans a post as collected into the form Earshot stores: valid
// UTF-8 everywhere, markup turned into plain text, white space folded, the
// text cut to maxText bytes (0: no limit) at a character boundary, times in
// UTC with a missing creation time taken from the collection time. It does
// not judge the post; see Validate.
func Normalize(p Post, maxText int) Post {
	p.ID = clip.String(cleanString(p.ID), maxIDBytes)
	p.Source = clip.String(strings.ToLower(cleanString(p.Source)), maxNameBytes)
	p.URL = clip.String(cleanString(p.URL), maxURLBytes)
	p.Lang = clip.String(cleanString(p.Lang), maxLangBytes)
	p.AppVersion = clip.String(cleanString(p.AppVersion), maxLangBytes)
	p.Author.ID = clip.String(cleanString(p.Author.ID), maxNameBytes)
	p.Author.Handle = clip.String(strings.TrimPrefix(cleanString(p.Author.Handle), "@"), maxNameBytes)
	p.Author.Name = clip.String(foldSpace(cleanString(p.Author.Name)), maxNameBytes)
	if p.Author.Followers < 0 {
		p.Author.Followers = 0
	}
	if p.Kind == "" {
		p.Kind = KindPost
	}
	p.Text = foldSpace(htmlToText(cleanString(p.Text)))
	if maxText > 0 && len(p.Text) > maxText {
		p.Text = clip.String(p.Text, maxText-len(truncatedMark)) + truncatedMark
	}
	p.CollectedAt = p.CollectedAt.UTC()
	if p.CreatedAt.IsZero() {
		p.CreatedAt = p.CollectedAt
	}
	p.CreatedAt = p.CreatedAt.UTC()
	return p
}

// Validate reports why a normalized post cannot be stored, or nil.
func Validate(p Post) error {
	switch {
	case p.ID == "":
		return errorf("post has no id")
	case p.Source == "":
		return errorf("post %q has no source", p.ID)
	case !p.Kind.Valid():
		return errorf("post %q has unknown kind %q", p.ID, p.Kind)
	case p.CreatedAt.IsZero():
		return errorf("post %q has no creation time", p.ID)
	case p.CreatedAt.Year() < 1990 || p.CreatedAt.After(p.CollectedAt.Add(24*time.Hour)):
		return errorf("post %q has an implausible creation time %s", p.ID, p.CreatedAt.Format(time.RFC3339))
	}
	return nil
}

// cleanString replaces invalid UTF-8 with U+FFFD and drops control
// characters other than tab and newline.
func cleanString(s string) string {
	if utf8.ValidString(s) && strings.IndexFunc(s, isStrayControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isStrayControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

func isStrayControl(r rune) bool { return r != '\n' && r != '\t' && unicode.IsControl(r) }

// foldSpace trims s and folds every run of white space into one space.
func foldSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// htmlToText turns markup into plain text: tags dropped (block-level ones
// leave a space), the contents of script, style and similar elements
// dropped, comments dropped, entities decoded. Text without '<' or '&' is
// returned as is. A lone '<' that starts no tag ("3 < 4") is kept.
func htmlToText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c != '<' {
			j := strings.IndexByte(s[i:], '<')
			if j < 0 {
				j = len(s) - i
			}
			b.WriteString(html.UnescapeString(s[i : i+j]))
			i += j
			continue
		}
		rest := s[i:]
		switch {
		case strings.HasPrefix(rest, "<!--"):
			end := strings.Index(rest[4:], "-->")
			if end < 0 {
				return b.String()
			}
			i += 4 + end + 3
			continue
		case len(rest) > 1 && (isASCIILetter(rest[1]) || rest[1] == '/' || rest[1] == '!' || rest[1] == '?'):
		default:
			b.WriteByte('<')
			i++
			continue
		}
		end := tagEnd(rest)
		if end < 0 {
			// An unterminated tag: drop the rest rather than show markup.
			return b.String()
		}
		name := tagName(rest[:end])
		i += end + 1
		if skipContent[name] && !strings.HasPrefix(rest, "</") {
			closing := "</" + name
			k := indexFold(s[i:], closing)
			if k < 0 {
				return b.String()
			}
			i += k
			continue
		}
		if blockTags[name] {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// tagEnd finds the '>' closing the tag that s starts with, skipping quoted
// attribute values.
func tagEnd(s string) int {
	var quote byte
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i
		}
	}
	return -1
}

func tagName(tag string) string {
	tag = strings.TrimLeft(tag, "</!?")
	end := strings.IndexFunc(tag, func(r rune) bool { return !(r < utf8.RuneSelf && (isASCIILetter(byte(r)) || (r >= '0' && r <= '9'))) })
	if end >= 0 {
		tag = tag[:end]
	}
	return strings.ToLower(tag)
}

func isASCIILetter(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }

func indexFold(s, sub string) int {
	n := len(sub)
	for i := 0; i+n <= len(s); i++ {
		if strings.EqualFold(s[i:i+n], sub) {
			return i
		}
	}
	return -1
}

var skipContent = map[string]bool{"script": true, "style": true, "noscript": true, "template": true, "iframe": true, "object": true, "svg": true, "head": true, "title": false}

var blockTags = map[string]bool{
	"br": true, "p": true, "div": true, "li": true, "ul": true, "ol": true, "tr": true, "td": true, "th": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "blockquote": true, "pre": true,
	"hr": true, "section": true, "article": true, "header": true, "footer": true, "table": true, "img": true,
}
