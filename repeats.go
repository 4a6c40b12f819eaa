package earshot

import (
	"strings"
	"unicode"
)

// Repeated is a post shown once for itself and the copies of it that
// followed: retweets, quotes and pasted complaints.
type Repeated struct {
	Post    Post
	Repeats int // later posts with the same text
}

// DistinctTexts keeps the first n posts with distinct texts, in order, and
// counts the later repeats of each kept one (repeats of a post not kept are
// dropped). Texts compare by TextKey.
func DistinctTexts(posts []Post, n int) []Repeated {
	var out []Repeated
	index := map[string]int{}
	for _, p := range posts {
		key := TextKey(p.Text)
		if i, ok := index[key]; ok {
			out[i].Repeats++
			continue
		}
		if len(out) == n {
			continue // still count repeats of those kept
		}
		index[key] = len(out)
		out = append(out, Repeated{Post: p})
	}
	return out
}

// TextKey is a text reduced to its words, to tell copies apart from new
// posts: lower case, without mentions, links, "RT" and the punctuation
// around words.
func TextKey(text string) string {
	var b strings.Builder
	for _, f := range strings.Fields(strings.ToLower(text)) {
		if strings.HasPrefix(f, "@") || strings.HasPrefix(f, "http://") || strings.HasPrefix(f, "https://") || f == "rt" {
			continue
		}
		f = strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if f != "" {
			b.WriteString(f)
			b.WriteByte(' ')
		}
	}
	return b.String()
}
