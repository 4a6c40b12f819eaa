package htmltext

import (
	"html"
	"strings"
	"unicode/utf8"
)

// Text turns markup into plain text: tags dropped (block-level ones
// leave a space), the contents of script, style and similar elements
// dropped, comments dropped, entities decoded. Text without '<' or '&' is
// returned as is. A lone '<' that starts no tag ("3 < 4") is kept.
func Text(s string) string {
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
