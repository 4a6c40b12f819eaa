package link

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/earshot/earshot"
)

// why answers "why is it spiking?" from a spike's evidence; the caller
// fills in Link.
func (l *Linker) why(ev *evidence) earshot.Why {
	sources := map[string]int{}
	for _, p := range ev.posts {
		sources[p.Source]++
	}
	return earshot.Why{
		Terms:   l.topTerms(ev.posts, ev.baseline),
		Reasons: countsOf(ev.reasons, ev.negatives),
		Sources: countsOf(sources, len(ev.posts)),
		Posts:   representative(ev.posts, ev.negative, 3),
	}
}

// countsOf turns counts into Counts with their share of total, largest
// first (ties by name).
func countsOf[K ~string](m map[K]int, total int) []earshot.Count {
	var out []earshot.Count
	for k, n := range m {
		if n <= 0 {
			continue
		}
		c := earshot.Count{Name: string(k), Count: n}
		if total > 0 {
			c.Share = round2(float64(n) / float64(total))
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b earshot.Count) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

// topTerms returns the terms most over-represented in posts against
// baseline. A term counts once per post (document frequency), words
// sharing a stem count together under their commonest form, and
//
//	lift = ((n + 1) / (N + 2)) / ((b + 1) / (B + 2))
//
// where n of the N spike posts and b of the B baseline posts use it: the
// ratio of Laplace-smoothed shares, so a word the baseline never used is
// not infinitely surprising, and a thin baseline pulls lifts towards 1.
// Terms need MinTermCount posts and MinLift, and are not the watches' own
// names; the top Terms by lift (then count, then term) are kept.
func (l *Linker) topTerms(posts, baseline []earshot.Post) []earshot.TermLift {
	if l.cfg.Terms == 0 || len(posts) == 0 {
		return nil
	}
	spike, surface := docFreq(posts)
	base, _ := docFreq(baseline)
	n, b := float64(len(posts)), float64(len(baseline))
	var out []earshot.TermLift
	for s, c := range spike {
		if c < l.cfg.MinTermCount || l.brand[s] {
			continue
		}
		lift := ((float64(c) + 1) / (n + 2)) / ((float64(base[s]) + 1) / (b + 2))
		if lift < l.cfg.MinLift {
			continue
		}
		out = append(out, earshot.TermLift{Term: commonest(surface[s]), Count: c, Lift: round2(lift)})
	}
	slices.SortFunc(out, func(a, b earshot.TermLift) int {
		if c := cmp.Compare(b.Lift, a.Lift); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return strings.Compare(a.Term, b.Term)
	})
	return out[:min(len(out), l.cfg.Terms)]
}

// docFreq counts the posts using each stem, and each stem's forms.
func docFreq(posts []earshot.Post) (map[string]int, map[string]map[string]int) {
	df := map[string]int{}
	forms := map[string]map[string]int{}
	for _, p := range posts {
		seen := map[string]bool{}
		for _, t := range terms(p.Text) {
			s := stem(t)
			if forms[s] == nil {
				forms[s] = map[string]int{}
			}
			forms[s][t]++
			if !seen[s] {
				seen[s] = true
				df[s]++
			}
		}
	}
	return df, forms
}

func commonest(forms map[string]int) string {
	return topKeys(forms, 1, nil)[0]
}

// maxPostText bounds the text of a representative post in an alert.
const maxPostText = 1000

// representative picks up to n posts that show what a spike is about: for
// a negative spike the most negative posts of the widest reach, otherwise
// the most positive; near-identical texts (retweets, copy-paste, bots)
// are shown once.
func representative(posts []earshot.Post, negative bool, n int) []earshot.Post {
	type cand struct {
		p    earshot.Post
		rank float64
		set  map[string]bool
	}
	var cs []cand
	for _, p := range posts {
		ts := terms(p.Text)
		if len(ts) == 0 {
			continue
		}
		polarity := p.Sentiment.Score
		if negative {
			polarity = -polarity
		}
		if math.IsNaN(polarity) {
			polarity = 0
		}
		// One unit of sentiment weighs as much as ten times the reach.
		rank := polarity + 0.1*math.Log10(1+float64(max(p.Author.Followers, 0)))
		cs = append(cs, cand{p: p, rank: rank, set: set(ts...)})
	}
	slices.SortStableFunc(cs, func(a, b cand) int {
		if c := cmp.Compare(b.rank, a.rank); c != 0 {
			return c
		}
		return strings.Compare(a.p.ID, b.p.ID)
	})
	var picked []cand
	for _, c := range cs {
		if len(picked) == n {
			break
		}
		if slices.ContainsFunc(picked, func(o cand) bool { return jaccard(o.set, c.set) >= 0.8 }) {
			continue
		}
		picked = append(picked, c)
	}
	out := make([]earshot.Post, len(picked))
	for i, c := range picked {
		p := c.p
		p.Text = boundText(p.Text, maxPostText)
		out[i] = p
	}
	return out
}

func jaccard(a, b map[string]bool) float64 {
	var both int
	for k := range a {
		if b[k] {
			both++
		}
	}
	union := len(a) + len(b) - both
	if union == 0 {
		return 1
	}
	return float64(both) / float64(union)
}

// boundText returns text as valid UTF-8 of at most n bytes, cut at a rune
// and marked with "…" when cut.
func boundText(text string, n int) string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	if len(text) <= n {
		return text
	}
	cut := n - len("…")
	for cut > 0 && !utf8RuneStart(text[cut]) {
		cut--
	}
	return text[:cut] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
