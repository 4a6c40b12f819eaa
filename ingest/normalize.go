package ingest

import (
	"github.com/earshot/earshot/internal/clip"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/htmltext"
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
// not judge the post; see earshot.Validate.
func Normalize(p earshot.Post, maxText int) earshot.Post {
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
		p.Kind = earshot.KindPost
	}
	p.Text = foldSpace(htmltext.Text(cleanString(p.Text)))
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
	if folded(s) {
		return s // most texts: no copy
	}
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

// folded reports whether foldSpace would return s as it is: no white space
// at either end, none but single spaces inside, no invalid UTF-8.
func folded(s string) bool {
	space := true // white space at the start is not folded
	for _, r := range s {
		isSpace := unicode.IsSpace(r)
		if isSpace && (r != ' ' || space) || r == utf8.RuneError {
			return false
		}
		space = isSpace
	}
	return !space || s == ""
}
