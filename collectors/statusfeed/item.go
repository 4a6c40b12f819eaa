package statusfeed

import (
	"crypto/sha256"
	"encoding/hex"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/internal/clip"
)

// Bounds on what a feed may put in an incident.
const (
	maxTitle   = 1 << 10
	maxBody    = 16 << 10
	maxUpdates = 200
)

// update is one update as the item's text gives it.
type update struct {
	at     time.Time
	word   string // the status word, lower case
	body   []string
	hasWhy bool // a "Status - body" line was seen
}

// incident turns a feed item into an incident; ok is false for scheduled
// maintenance and for items with neither an ID nor any text.
func (c *Collector) incident(it *gofeed.Item) (earshot.Incident, bool) {
	link := c.resolve(clean(it.Link))
	native := link
	if native == "" {
		native = strings.TrimSpace(clean(it.GUID))
	}
	ref := itemTime(it)
	text := textOf(pick(it))
	title := clip.String(clean(it.Title), maxTitle, clip.Trim|clip.Ellipsis)
	if native == "" {
		if title == "" && text == "" {
			return earshot.Incident{}, false
		}
		sum := sha256.Sum256([]byte(title + "\x00" + ref.Format(time.RFC3339)))
		native = "sha256:" + hex.EncodeToString(sum[:16])
	}
	if strings.Contains(link, "/maintenances/") {
		return earshot.Incident{}, false
	}

	ups := parseUpdates(text, ref)
	if len(ups) > 0 && maintenance[ups[len(ups)-1].word] {
		return earshot.Incident{}, false // oldest first after parseUpdates
	}
	if ref.IsZero() && (len(ups) == 0 || slices.ContainsFunc(ups, func(u update) bool { return u.at.IsZero() })) {
		// Dated from nothing, it would start anew at every poll.
		c.Deps.Log.Debug("skipping a feed item with no date", "item", native)
		return earshot.Incident{}, false
	}
	inc := earshot.Incident{
		ID:       earshot.PostID(c.Cfg.Source, native),
		Source:   c.Cfg.Source,
		Title:    title,
		URL:      link,
		Services: slices.Clone(c.Cfg.Services),
	}
	if len(ups) == 0 {
		inc, _ = inc.Merge(earshot.IncidentUpdate{At: ref, Status: earshot.Investigating, Body: clip.String(text, maxBody, clip.Trim|clip.Ellipsis)})
	}
	// parseUpdates returns the feed's order, newest first; merge oldest
	// first so that "Update" takes the status before it.
	status := earshot.Investigating
	for i := len(ups) - 1; i >= 0; i-- {
		u := ups[i]
		if s, ok := statusWords[u.word]; ok {
			status = s
		}
		at := u.at
		if at.IsZero() {
			at = ref
		}
		inc, _ = inc.Merge(earshot.IncidentUpdate{At: at, Status: status, Body: clip.String(strings.Join(u.body, "\n"), maxBody, clip.Trim|clip.Ellipsis)})
	}
	if ref.After(inc.UpdatedAt) {
		inc.UpdatedAt = ref
	}
	if it.UpdatedParsed != nil && it.UpdatedParsed.After(inc.UpdatedAt) {
		inc.UpdatedAt = it.UpdatedParsed.UTC()
	}
	return inc, true
}

// statusWords maps the words feeds use to statuses; "update" is not here:
// it keeps the status before it.
var statusWords = map[string]earshot.IncidentStatus{
	"investigating": earshot.Investigating,
	"identified":    earshot.Identified,
	"monitoring":    earshot.Monitoring,
	"resolved":      earshot.Resolved,
	"postmortem":    earshot.Resolved,
	"in progress":   earshot.Identified,
	"verifying":     earshot.Monitoring,
	"completed":     earshot.Resolved,
	"scheduled":     earshot.Investigating,
}

// maintenance holds the words of scheduled maintenance's first update.
var maintenance = map[string]bool{"scheduled": true, "in progress": true, "verifying": true, "completed": true}

var (
	statusLine = regexp.MustCompile(`(?i)^(investigating|identified|monitoring|resolved|update|postmortem|scheduled|in progress|verifying|completed)\s*[-–—:]\s*(.*)$`)
	dateLine   = regexp.MustCompile(`^([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2})(?:,?\s+(\d{4}))?(?:\s*[,-]\s*|\s+)(\d{1,2}):(\d{2})(?:\s*([AaPp][Mm]))?(?:\s+([A-Za-z]{1,5}|[+-]\d{2}:?\d{2}))?$`)
)

// parseUpdates reads the updates in text, in the order written. ref is the
// item's time, for years and zones the text leaves out.
func parseUpdates(text string, ref time.Time) []update {
	var ups []update
	var cur *update
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if at, ok := parseDate(line, ref); ok {
			ups = append(ups, update{at: at})
			cur = &ups[len(ups)-1]
			continue
		}
		if m := statusLine.FindStringSubmatch(line); m != nil && (cur == nil || !cur.hasWhy) {
			if cur == nil {
				ups = append(ups, update{})
				cur = &ups[len(ups)-1]
			}
			cur.word, cur.hasWhy = strings.ToLower(m[1]), true
			if m[2] != "" {
				cur.body = append(cur.body, m[2])
			}
			continue
		}
		if cur != nil && cur.hasWhy {
			cur.body = append(cur.body, line)
		}
	}
	// Dates with no status after them are not updates.
	ups = slices.DeleteFunc(ups, func(u update) bool { return !u.hasWhy })
	if len(ups) > maxUpdates {
		ups = ups[:maxUpdates]
	}
	return ups
}

// zones are the abbreviations status pages print, as offsets in seconds.
var zones = map[string]int{
	"UTC": 0, "GMT": 0, "Z": 0,
	"PST": -8 * 3600, "PDT": -7 * 3600, "MST": -7 * 3600, "MDT": -6 * 3600,
	"CST": -6 * 3600, "CDT": -5 * 3600, "EST": -5 * 3600, "EDT": -4 * 3600,
	"BST": 3600, "CET": 3600, "CEST": 2 * 3600, "EET": 2 * 3600, "EEST": 3 * 3600,
	"IST": 5*3600 + 1800, "JST": 9 * 3600, "AEST": 10 * 3600, "AEDT": 11 * 3600,
}

var months = map[string]time.Month{
	"jan": time.January, "feb": time.February, "mar": time.March, "apr": time.April,
	"may": time.May, "jun": time.June, "jul": time.July, "aug": time.August,
	"sep": time.September, "oct": time.October, "nov": time.November, "dec": time.December,
}

// parseDate reads a line such as "Mar 2, 10:14 UTC" or "May 13, 2017, 06:45
// PST". A missing year is the one that puts the time at or before ref (with
// two days' grace); an unknown zone is ref's.
func parseDate(line string, ref time.Time) (time.Time, bool) {
	m := dateLine.FindStringSubmatch(strings.Join(strings.Fields(line), " "))
	if m == nil {
		return time.Time{}, false
	}
	month, ok := months[strings.ToLower(m[1])]
	if !ok {
		return time.Time{}, false
	}
	day, _ := strconv.Atoi(m[2])
	hour, _ := strconv.Atoi(m[4])
	minute, _ := strconv.Atoi(m[5])
	switch strings.ToLower(m[6]) {
	case "pm":
		if hour < 12 {
			hour += 12
		}
	case "am":
		if hour == 12 {
			hour = 0
		}
	}
	if day < 1 || day > 31 || hour > 23 || minute > 59 {
		return time.Time{}, false
	}
	if ref.IsZero() {
		ref = time.Now().UTC()
	}
	loc := ref.Location()
	if z := m[7]; z != "" {
		if off, ok := zones[strings.ToUpper(z)]; ok {
			loc = time.FixedZone(strings.ToUpper(z), off)
		} else if off, ok := numericZone(z); ok {
			loc = time.FixedZone("", off)
		}
	}
	if m[3] != "" {
		year, _ := strconv.Atoi(m[3])
		return time.Date(year, month, day, hour, minute, 0, 0, loc).UTC(), true
	}
	t := time.Date(ref.In(loc).Year(), month, day, hour, minute, 0, 0, loc)
	if t.After(ref.Add(48 * time.Hour)) {
		t = t.AddDate(-1, 0, 0)
	}
	return t.UTC(), true
}

func numericZone(z string) (int, bool) {
	z = strings.ReplaceAll(z, ":", "")
	if len(z) != 5 {
		return 0, false
	}
	h, err1 := strconv.Atoi(z[1:3])
	mm, err2 := strconv.Atoi(z[3:])
	if err1 != nil || err2 != nil {
		return 0, false
	}
	off := h*3600 + mm*60
	if z[0] == '-' {
		off = -off
	}
	return off, true
}

// pick is the item's HTML: its content (Atom content, RSS content:encoded),
// else its description.
func pick(it *gofeed.Item) string {
	if s := strings.TrimSpace(it.Content); s != "" {
		return s
	}
	return it.Description
}

var (
	breaks = regexp.MustCompile(`(?i)<\s*(?:br|/p|p|/small|/div|div|li|/li|/h[1-6])(?:\s[^>]*)?/?\s*>`)
	tags   = regexp.MustCompile(`<[^>]*>`)
	spaces = regexp.MustCompile(`[ \t\r\f\v\x{00a0}]+`)
)

// textOf turns an item's HTML (or plain text) into lines of text.
func textOf(s string) string {
	s = clean(s)
	s = breaks.ReplaceAllString(s, "\n")
	s = tags.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.TrimSpace(spaces.ReplaceAllString(l, " ")); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// itemTime is when the item was published, else updated; zero if neither.
func itemTime(it *gofeed.Item) time.Time {
	switch {
	case it.PublishedParsed != nil:
		return *it.PublishedParsed
	case it.UpdatedParsed != nil:
		return *it.UpdatedParsed
	}
	return time.Time{}
}

// resolve makes a link absolute against the feed's URL and keeps it only
// if it is http or https.
func (c *Collector) resolve(link string) string {
	if link == "" {
		return ""
	}
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil {
		return ""
	}
	u = c.url.ResolveReference(u)
	if !collectors.WebURL(u) {
		return ""
	}
	return u.String()
}

func clean(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
