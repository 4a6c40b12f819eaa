package followup

import (
	"cmp"
	"context"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/earshot/earshot"
)

// AccountLister is what the Flagger reads imported accounts from; a
// store that has it (every earshot.Store does) gives the flagger its
// customers and marked accounts.
type AccountLister interface {
	SocialAccounts(ctx context.Context) ([]earshot.SocialAccount, error)
}

// Held is an author held out of the queue: an account marked as not a
// customer, or one that looks like media or a bot, with the signals that
// say so.
type Held struct {
	Source string         `json:"source"`
	Author earshot.Author `json:"author"`
	// Kind is what the author was taken for: media, bot, competitor or
	// brand.
	Kind earshot.AccountKind `json:"kind"`
	// Marked is true when an imported account says so; false when the
	// signals do.
	Marked  bool     `json:"marked"`
	Signals []string `json:"signals"`
	// Posts counts the author's negative posts that were not flagged.
	Posts int `json:"posts"`
	// Reason says it in one line: "held out: likely media (signals: ...)".
	Reason string `json:"reason"`
}

// directory is the imported accounts, by source and handle key.
type directory map[string]earshot.SocialAccount

func dirKey(source, handle string) string { return source + "\x00" + earshot.HandleKey(handle) }

func (f *Flagger) loadDirectory(ctx context.Context) (directory, error) {
	al, ok := f.store.(AccountLister)
	if !ok {
		return nil, nil
	}
	accounts, err := al.SocialAccounts(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading accounts: %w", err)
	}
	d := make(directory, len(accounts))
	for _, a := range accounts {
		d[dirKey(a.Source, a.Handle)] = a
	}
	return d, nil
}

// lookup returns the imported account of an author, matched by handle.
func (d directory) lookup(source string, a earshot.Author) (earshot.SocialAccount, bool) {
	if a.Handle == "" {
		return earshot.SocialAccount{}, false
	}
	acc, ok := d[dirKey(source, a.Handle)]
	return acc, ok
}

// seen is what the Flagger keeps of any post of an author (negative or
// not) for the media and bot signals.
type seen struct {
	at      time.Time
	text    uint64 // hash of the text, lower-cased, spaces folded
	link    bool   // a link and little else
	article bool
}

// note records p in the author's activity.
func (f *Flagger) note(p earshot.Post) {
	if p.FromBrand || p.Author.ID == "" {
		return
	}
	c := customer{p.Source, p.Author.ID}
	byID := f.activity[c]
	if byID == nil {
		byID = map[string]seen{}
		f.activity[c] = byID
	}
	byID[p.ID] = seen{at: p.CreatedAt, text: textHash(p.Text), link: linkOnly(p.Text), article: p.Kind == earshot.KindArticle}
}

func textHash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(strings.Join(strings.Fields(strings.ToLower(s)), " ")))
	return h.Sum64()
}

// linkOnly reports whether text is a link with at most a few words.
func linkOnly(text string) bool {
	words := strings.Fields(text)
	links := 0
	for _, w := range words {
		if strings.HasPrefix(w, "http://") || strings.HasPrefix(w, "https://") {
			links++
		}
	}
	return links > 0 && len(words)-links <= 3
}

// nameWords are words in a handle or display name that accounts of news,
// status and alert feeds use, and bots, and people seldom do.
var nameWords = []string{"news", "watch", "alert", "alerts", "status", "outage", "outages", "digest", "feed",
	"updates", "headlines", "monitor", "tracker", "bot", "daily", "wire", "report", "radar", "downdetector"}

// mediaName returns the name words in the author's handle or name: whole
// words of the name; in the handle, whole words or, for words of 5 letters
// or more, any part (handles run words together: cloudoutagewatch).
func mediaName(a earshot.Author) []string {
	var found []string
	split := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	}
	nameToks := split(a.Name)
	handle := strings.ToLower(a.Handle)
	if i := strings.IndexAny(handle, "@"); i > 0 {
		handle = handle[:i] // lena@hachyderm.example: the instance is not the name
	}
	handleToks := split(handle)
	for _, w := range nameWords {
		switch {
		case slices.Contains(nameToks, w), slices.Contains(handleToks, w):
			found = append(found, w)
		case len(w) >= 5 && strings.Contains(handle, w):
			found = append(found, w)
		case w == "bot" && (strings.HasSuffix(handle, "bot") || strings.HasSuffix(handle, "_bot")):
			found = append(found, w)
		}
	}
	return found
}

// likely returns what an author looks like (media or bot) and the signals
// that say so, or "" when they look like a person. The name and reach are
// weak signals and hold an author only together; any other holds alone:
//
//   - name: words like news, watch, alerts, status, outage, bot, digest in
//     the handle or display name;
//   - reach: Config.HighReach followers or more, broadcasting rather than
//     conversing (a signal only beside another);
//   - rate: Config.BotRate posts a day or more over the Window;
//   - links: most posts are a link and little else (3 posts or more);
//   - repeats: the same text posted 3 times or more;
//   - articles: the author writes articles (Post.Kind article).
func (f *Flagger) likely(c customer, a earshot.Author) (earshot.AccountKind, []string) {
	posts := f.activity[c]
	var signals []string
	bot, media := false, false
	if words := mediaName(a); len(words) > 0 {
		signals = append(signals, "name says "+strings.Join(words, ", "))
		if slices.Contains(words, "bot") {
			bot = true
		} else {
			media = true
		}
	}
	articles, links := 0, 0
	texts := map[uint64]int{}
	var first, last time.Time
	for _, s := range posts {
		if s.article {
			articles++
		}
		if s.link {
			links++
		}
		texts[s.text]++
		if first.IsZero() || s.at.Before(first) {
			first = s.at
		}
		if s.at.After(last) {
			last = s.at
		}
	}
	n := len(posts)
	if articles > 0 {
		signals = append(signals, fmt.Sprintf("%d article(s)", articles))
		media = true
	}
	days := max(1, f.cfg.Window.Hours()/24)
	if rate := float64(n) / days; rate >= f.cfg.BotRate {
		signals = append(signals, fmt.Sprintf("%.0f posts a day", rate))
		bot = true
	}
	if n >= 3 && links*5 >= n*4 {
		signals = append(signals, fmt.Sprintf("%d of %d posts just a link", links, n))
		media = true
	}
	if most := slices.Max(append(slices.Collect(maps.Values(texts)), 0)); most >= 3 {
		signals = append(signals, fmt.Sprintf("the same text %d times", most))
		bot = true
	}
	if a.Followers >= f.cfg.HighReach && len(signals) > 0 {
		signals = append(signals, humanCount(a.Followers)+" followers")
	}
	// The name and reach are weak signals (people have them too): one of
	// them alone holds no one. Any other signal is enough on its own.
	if len(signals) < 2 && !bot && articles == 0 && !(n >= 3 && links*5 >= n*4) {
		return "", nil
	}
	if bot && !media {
		return earshot.AccountBot, signals
	}
	return earshot.AccountMedia, signals
}

// hold records that c was held out.
func (f *Flagger) hold(c customer, a earshot.Author, kind earshot.AccountKind, marked bool, signals []string, posts int) {
	h := Held{Source: c.source, Author: a, Kind: kind, Marked: marked, Signals: signals, Posts: posts}
	if marked {
		h.Reason = fmt.Sprintf("held out: marked %s", kind)
	} else {
		h.Reason = fmt.Sprintf("held out: likely %s (signals: %s)", kind, strings.Join(signals, "; "))
	}
	f.held[c] = h
}

// Held returns the authors held out of the queue by the steps so far
// (since the last Replay), by source then author ID.
func (f *Flagger) Held() []Held {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := slices.Collect(maps.Values(f.held))
	slices.SortFunc(out, func(a, b Held) int {
		return cmp.Or(strings.Compare(a.Source, b.Source), strings.Compare(a.Author.ID, b.Author.ID))
	})
	return out
}

// tierPoints returns the points the customer's tier adds.
func (f *Flagger) tierPoints(c earshot.Customer) int {
	if c.Tier == "" {
		return 0
	}
	for tier, pts := range f.cfg.Tiers {
		if strings.EqualFold(tier, c.Tier) {
			return pts
		}
	}
	return 0
}
