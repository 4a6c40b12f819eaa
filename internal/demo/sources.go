package demo

import (
	"fmt"
	"html"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot"
)

// sourceSpec describes one source: its share of the conversation, its
// audience and how long collection lags behind.
type sourceSpec struct {
	name string
	// share is the source's part of everyday chatter; outage its part of
	// complaints during incidents (people shout where support listens).
	share, outage float64
	authors       int
	// social sources have @handles, replies, hashtags and followers.
	social   bool
	lagMin   time.Duration
	lagRange time.Duration
}

var sourceSpecs = []sourceSpec{
	{name: "twitter", share: 0.40, outage: 0.48, authors: 1600, social: true, lagMin: 30 * time.Second, lagRange: 150 * time.Second},
	{name: "mastodon", share: 0.12, outage: 0.10, authors: 450, social: true, lagMin: time.Minute, lagRange: 4 * time.Minute},
	{name: "bluesky", share: 0.15, outage: 0.13, authors: 650, social: true, lagMin: 30 * time.Second, lagRange: 90 * time.Second},
	{name: "reddit", share: 0.15, outage: 0.15, authors: 700, lagMin: 2 * time.Minute, lagRange: 13 * time.Minute},
	{name: "hackernews", share: 0.08, outage: 0.10, authors: 400, lagMin: time.Minute, lagRange: 9 * time.Minute},
	{name: "rss", share: 0.10, outage: 0.04, authors: 300, lagMin: 10 * time.Minute, lagRange: 50 * time.Minute},
}

func sourceIndex(name string) int {
	for i, s := range sourceSpecs {
		if s.name == name {
			return i
		}
	}
	panic("demo: unknown source " + name)
}

func (g *gen) pickSource(incident bool) int {
	x := g.rng.Float64()
	for i, s := range sourceSpecs {
		w := s.share
		if incident {
			w = s.outage
		}
		if x < w {
			return i
		}
		x -= w
	}
	return 0
}

// pool is one source's authors. Some post far more than others: author i
// is picked with weight 1/(i+10)^0.7. High-reach accounts sit at the end
// with a small weight and are also picked by hand for the outage.
type pool struct {
	authors []earshot.Author
	cum     []float64
	stars   []int
	next    int
}

func (p *pool) pick(r *rand.Rand) earshot.Author {
	x := r.Float64() * p.cum[len(p.cum)-1]
	i, _ := slices.BinarySearch(p.cum, x)
	return p.authors[min(i, len(p.authors)-1)]
}

// nextStar returns the high-reach accounts in turn.
func (p *pool) nextStar() int {
	i := p.stars[p.next%len(p.stars)]
	p.next++
	return i
}

var stars = map[string][]earshot.Author{
	"twitter": {
		{Handle: "cloudoutagewatch", Name: "Cloud Outage Watch", Followers: 96_400},
		{Handle: "priyaraman_tech", Name: "Priya Raman", Followers: 482_000},
		{Handle: "devopsdigest", Name: "The DevOps Digest", Followers: 212_000},
	},
	"mastodon": {{Handle: "lenavogel@hachyderm.example", Name: "Lena Vogel", Followers: 38_200}},
	"bluesky":  {{Handle: "samokafor.bsky.example", Name: "Sam Okafor", Followers: 61_800}},
}

var mastodonInstances = []string{"mastodon.example", "fosstodon.example", "hachyderm.example", "social.example"}

func (g *gen) makePools() {
	for _, spec := range sourceSpecs {
		p := &pool{}
		handles := map[string]bool{}
		ids := map[string]bool{}
		for i := range spec.authors {
			a := g.newAuthor(spec, handles, ids)
			p.authors = append(p.authors, a)
			w := 1 / math.Pow(float64(i+10), 0.7)
			if len(p.cum) > 0 {
				w += p.cum[len(p.cum)-1]
			}
			p.cum = append(p.cum, w)
		}
		for _, s := range stars[spec.name] {
			s.ID = g.authorID(spec.name, s.Handle, ids)
			p.stars = append(p.stars, len(p.authors))
			p.authors = append(p.authors, s)
			p.cum = append(p.cum, p.cum[len(p.cum)-1]+0.002)
		}
		g.pools = append(g.pools, p)
	}
}

func (g *gen) newAuthor(spec sourceSpec, handles, ids map[string]bool) earshot.Author {
	first, last := pick(g.rng, firstNames), pick(g.rng, lastNames)
	a := earshot.Author{Name: first + " " + last}
	f, l := strings.ToLower(first), strings.ToLower(last)
	var h string
	for h == "" || handles[h] {
		switch g.rng.IntN(6) {
		case 0:
			h = f + l
		case 1:
			h = f + "_" + l
		case 2:
			h = f + l[:1] + strconv.Itoa(10+g.rng.IntN(90))
		case 3:
			h = f + "_" + pick(g.rng, handleSuffixes)
		case 4:
			h = f[:1] + l
		default:
			h = l + f[:1] + strconv.Itoa(g.rng.IntN(1000))
		}
		if handles[h] {
			h += strconv.Itoa(g.rng.IntN(100))
		}
	}
	handles[h] = true
	switch spec.name {
	case "mastodon":
		h += "@" + pick(g.rng, mastodonInstances)
	case "bluesky":
		h = strings.ReplaceAll(h, "_", "") + ".bsky.example"
	case "reddit":
		if g.rng.IntN(3) == 0 {
			a.Name = ""
		}
	case "rss":
		h = "" // blog commenters leave a name, not a handle
	}
	a.Handle = h
	a.ID = g.authorID(spec.name, h, ids)
	if spec.social {
		// Pareto: most accounts have a few hundred followers at most, a
		// few have tens of thousands.
		a.Followers = int64(min(150_000, 12/math.Pow(1-g.rng.Float64(), 1/1.15)))
	}
	return a
}

// authorID makes an ID shaped like the source's own.
func (g *gen) authorID(source, handle string, ids map[string]bool) string {
	for {
		var id string
		switch source {
		case "twitter", "mastodon":
			id = strconv.FormatUint(100_000_000+g.rng.Uint64N(1_600_000_000_000_000_000), 10)
		case "bluesky":
			id = "did:plc:" + base32(g.rng.Uint64(), 12) + base32(g.rng.Uint64(), 12)
		case "reddit":
			id = "t2_" + strconv.FormatUint(g.rng.Uint64N(1<<40), 36)
		case "hackernews":
			id = handle
		default:
			id = fmt.Sprintf("c-%08x", g.rng.Uint32())
		}
		if !ids[id] {
			ids[id] = true
			return id
		}
		if source == "hackernews" {
			panic("demo: duplicate hackernews handle " + handle)
		}
	}
}

func base32(v uint64, n int) string {
	const alphabet = "234567abcdefghijklmnopqrstuvwxyz"
	b := make([]byte, n)
	for i := n - 1; i >= 0; i-- {
		b[i] = alphabet[v&31]
		v >>= 5
	}
	return string(b)
}

// dress fills a draft's text from a template and shapes it the way the
// draft's source would: handles and hashtags on social sources, a little
// HTML in blog comments.
func (g *gen) dress(d *draft, tpl string) {
	spec := sourceSpecs[d.src]
	text := g.render(tpl, spec.social)
	d.kind = earshot.KindPost
	switch spec.name {
	case "twitter", "mastodon", "bluesky":
		if g.rng.IntN(4) == 0 {
			d.kind = earshot.KindReply
			if !strings.Contains(text, "@acme") {
				text = "@acmecloud " + text
			}
		}
		if g.rng.IntN(8) == 0 && !strings.Contains(text, "#") {
			text += " " + pick(g.rng, hashtags)
		}
	case "reddit":
		if g.rng.IntN(4) != 0 {
			d.kind = earshot.KindComment
		}
	case "hackernews":
		if g.rng.IntN(8) != 0 {
			d.kind = earshot.KindComment
		}
	case "rss":
		d.kind = earshot.KindComment
		text = "<p>" + html.EscapeString(text) + "</p>"
		switch g.rng.IntN(6) {
		case 0:
			text += "<p>Cheers &amp; keep it up,<br>" + html.EscapeString(d.author.Name) + "</p>"
		case 1:
			d.kind = earshot.KindArticle
			text = "<h2>Notes from a week with Acme Cloud</h2>\n" + text + "\n<p>More in the next post &mdash; stay tuned.</p>"
		}
	}
	d.text = text
}

func (g *gen) render(tpl string, social bool) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tpl, '{')
		j := strings.IndexByte(tpl, '}')
		if i < 0 || j < i {
			b.WriteString(tpl)
			return b.String()
		}
		b.WriteString(tpl[:i])
		switch tpl[i+1 : j] {
		case "b":
			b.WriteString(g.brand(social, b.Len() == 0))
		case "svc":
			b.WriteString(pick(g.rng, services))
		case "feat":
			b.WriteString(pick(g.rng, features))
		case "comp":
			b.WriteString(pick(g.rng, competitors))
		default:
			b.WriteString(tpl[i : j+1])
		}
		tpl = tpl[j+1:]
	}
}

func (g *gen) brand(social, first bool) string {
	x := g.rng.Float64()
	switch {
	case social && !first && x < 0.3:
		return "@acmecloud"
	case x < 0.7:
		return "Acme Cloud"
	default:
		return "Acme"
	}
}

// finish puts the drafts in time order and gives each post its ID, URL
// and collection time.
func (g *gen) finish() ([]earshot.Post, []origin) {
	slices.SortStableFunc(g.drafts, func(a, b draft) int { return a.at.Compare(b.at) })
	posts := make([]earshot.Post, 0, len(g.drafts))
	origins := make([]origin, 0, len(g.drafts))
	seq := make([]uint64, len(sourceSpecs))
	for _, d := range g.drafts {
		spec := sourceSpecs[d.src]
		seq[d.src]++
		n := seq[d.src]
		native, url := g.locate(spec.name, d, n)
		if d.url != "" {
			url = d.url
		}
		collected := d.at.Add(spec.lagMin + time.Duration(g.rng.Int64N(int64(spec.lagRange))))
		if collected.After(g.end) {
			collected = g.end
		}
		posts = append(posts, earshot.Post{
			ID:          earshot.PostID(spec.name, native),
			Source:      spec.name,
			Kind:        d.kind,
			URL:         url,
			Author:      d.author,
			Text:        d.text,
			Lang:        "en",
			CreatedAt:   d.at,
			CollectedAt: collected,
		})
		origins = append(origins, d.origin)
	}
	return posts, origins
}

// locate returns a post's native ID and URL, shaped like the source's own
// but always on a reserved .example host.
func (g *gen) locate(source string, d draft, n uint64) (native, url string) {
	ms := uint64(d.at.UnixMilli())
	switch source {
	case "twitter":
		native = strconv.FormatUint((ms-1288834974657)<<22|n&0x3fffff, 10)
		return native, "https://twitter.example/" + d.author.Handle + "/status/" + native
	case "mastodon":
		native = strconv.FormatUint(ms<<16|n&0xffff, 10)
		user, host, _ := strings.Cut(d.author.Handle, "@")
		if host == "" {
			host = "mastodon.example"
		}
		return native, "https://" + host + "/@" + user + "/" + native
	case "bluesky":
		native = base32(uint64(d.at.UnixMicro())<<10|n&1023, 13)
		return native, "https://bsky.example/profile/" + d.author.Handle + "/post/" + native
	case "reddit":
		native = strconv.FormatUint(1_900_000_000+n*7, 36)
		prefix := "t1_"
		if d.kind == earshot.KindPost {
			prefix = "t3_"
		}
		return prefix + native, "https://reddit.example/r/" + pick(g.rng, subreddits) + "/comments/" + native + "/"
	case "hackernews":
		native = strconv.FormatUint(43_000_000+n*3, 10)
		return native, "https://news.example/item?id=" + native
	default:
		if d.kind == earshot.KindArticle {
			native = fmt.Sprintf("article-%d", n)
			return native, fmt.Sprintf("https://blogs.example/%s/notes-%d", d.author.ID, n)
		}
		slug := pick(g.rng, blogPosts)
		native = fmt.Sprintf("%s#comment-%d", slug, n)
		return native, "https://blog.acme.example/" + slug + "/#comment-" + strconv.FormatUint(n, 10)
	}
}
