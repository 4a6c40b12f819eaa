package digest

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot"
)

// comparison names the comparison with the previous period in words.
func comparison(period time.Duration) string {
	switch period {
	case 24 * time.Hour:
		return "day on day"
	case 7 * 24 * time.Hour:
		return "week on week"
	}
	return "against the previous " + periodName(period)
}

// periodName is a period's length in words: "7 days", "12 hours".
func periodName(period time.Duration) string {
	if period%(24*time.Hour) == 0 {
		return plural(int64(period/(24*time.Hour)), "day")
	}
	if period%time.Hour == 0 {
		return plural(int64(period/time.Hour), "hour")
	}
	return period.String()
}

func plural(n int64, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return thousands(n) + " " + word + "s"
}

// thousands writes n with commas: 12,345.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func day(t time.Time) string { return t.UTC().Format("2 Jan") }

// percent is a share in whole percent: "31%".
func percent(share float64) string { return fmt.Sprintf("%.0f%%", 100*share) }

// relativeWords is a relative change in words: "rose 38%", "fell 5%",
// "held steady".
func relativeWords(c Change) string {
	p := math.Round(100 * c.Value)
	switch {
	case p > 0:
		return fmt.Sprintf("rose %.0f%%", p)
	case p < 0:
		return fmt.Sprintf("fell %.0f%%", -p)
	}
	return "held steady"
}

// pointsWords is a change of share in words: "up 12 points".
func pointsWords(c Change) string {
	p := math.Round(100 * c.Value)
	switch {
	case p > 0:
		return fmt.Sprintf("up %s", plural(int64(p), "point"))
	case p < 0:
		return fmt.Sprintf("down %s", plural(int64(-p), "point"))
	}
	return "unchanged"
}

// meanWords is a change of mean sentiment in words: "down 0.10".
func meanWords(c Change) string {
	v := math.Round(100*c.Value) / 100
	switch {
	case v > 0:
		return fmt.Sprintf("up %.2f", v)
	case v < 0:
		return fmt.Sprintf("down %.2f", -v)
	}
	return "unchanged"
}

// signed is a mean sentiment with its sign, a true minus when negative.
func signed(v float64) string {
	s := fmt.Sprintf("%+.2f", v)
	if s == "-0.00" || s == "+0.00" {
		return "0.00"
	}
	return strings.Replace(s, "-", "−", 1)
}

var severityRank = map[string]int{"critical": 4, "major": 3, "minor": 2, "none": 0}

// mainIncident is the incident that weighed most on the period: the one
// with the most linked spikes, then the most severe, then the longest.
func mainIncident(incs []Incident) (Incident, bool) {
	if len(incs) == 0 {
		return Incident{}, false
	}
	return slices.MaxFunc(incs, func(a, b Incident) int {
		return cmp.Or(cmp.Compare(len(a.Spikes), len(b.Spikes)), cmp.Compare(severityRank[a.Severity], severityRank[b.Severity]),
			cmp.Compare(a.Duration, b.Duration))
	}), true
}

// incidentName names an incident in a sentence: `the 22 Nov major
// incident "API errors"`.
func incidentName(inc Incident) string {
	kind := "incident"
	if inc.Severity != "" && inc.Severity != "none" {
		kind = inc.Severity + " incident"
	}
	return fmt.Sprintf("the %s %s %q", day(inc.StartedAt), kind, oneLine(inc.Title, 80))
}

// oneLine keeps s on one line, without control characters, at most n
// runes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == ' ' || r == '\u2028' || r == '\u2029'
	}), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// summarize writes the digest's paragraph.
func summarize(d Digest) string {
	var out []string
	say := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if d.Empty {
		say("No mentions, incidents or spikes were recorded in the %s from %s to %s.", periodName(d.Period), day(d.From), day(d.To.Add(-time.Nanosecond)))
	} else {
		main, hasMain := mainIncident(d.Incidents)
		driven := ""
		if hasMain && len(main.Spikes) > 0 && d.VolumeChange.Known && d.VolumeChange.Value > 0 {
			driven = ", driven by " + incidentName(main)
			hasMain = false // named already
		}
		switch {
		case d.VolumeChange.Known:
			say("Mentions %s %s (%s against %s)%s.", relativeWords(d.VolumeChange), comparison(d.Period),
				thousands(d.Current.Posts), thousands(d.Previous.Posts), driven)
		case d.Current.Posts > 0:
			say("There were %s in the last %s; the period before had none to compare with.", plural(d.Current.Posts, "mention"), periodName(d.Period))
		default:
			say("There were no mentions in the last %s.", periodName(d.Period))
		}
		if d.Current.Scored > 0 {
			neg := fmt.Sprintf("%s of mentions were negative", percent(d.Current.NegativeShare))
			if d.NegativeShareChange.Known {
				neg += " (" + pointsWords(d.NegativeShareChange) + ")"
			}
			mean := "mean sentiment was " + signed(d.Current.MeanSentiment)
			if d.MeanSentimentChange.Known {
				mean += " (" + meanWords(d.MeanSentimentChange) + ")"
			}
			say("%s and %s on a scale of −1 to +1.", neg, mean)
		}
		if n := len(d.Incidents); n > 0 {
			s := plural(int64(n), "incident") + " touched the period"
			if hasMain {
				s += "; the largest was " + incidentName(main)
			}
			say("%s.", s)
		}
		if n := len(d.Unexplained); n > 0 {
			verb := "spikes had"
			if n == 1 {
				verb = "spike had"
			}
			say("%d %s no known incident behind them: worth a look.", n, verb)
		}
		if len(d.Reasons) > 0 {
			r := d.Reasons[0]
			say("Most complaints were about %s (%s).", reasonName(r.Name), percent(r.Share))
		}
	}
	f := d.FollowUps
	if f.Opened > 0 || f.Resolved > 0 || f.Open > 0 {
		say("Support opened %s and resolved %d; %d %s still open.", plural(int64(f.Opened), "follow-up"), f.Resolved, f.Open, isAre(f.Open))
	}
	return strings.Join(out, " ")
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

var reasonNames = map[string]string{
	string(earshot.ReasonOutage):      "availability",
	string(earshot.ReasonPerformance): "performance",
	string(earshot.ReasonLogin):       "logging in",
	string(earshot.ReasonBilling):     "billing",
	string(earshot.ReasonSupport):     "support",
	string(earshot.ReasonSecurity):    "security",
	string(earshot.ReasonOther):       "other things",
}

// reasonName is a complaint reason in words.
func reasonName(r string) string {
	if n, ok := reasonNames[r]; ok {
		return n
	}
	return oneLine(r, 40)
}
