package replay

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts/notify"
)

// truthEpisode is a line of --truth: something that happened, which
// alerts should (an outage) or may (a launch) tell about.
type truthEpisode struct {
	Start string `json:"start"`
	End   string `json:"end"`
	Kind  string `json:"kind"`
	// Watch, when set, is the watch it happened to; empty means any.
	Watch string `json:"watch,omitempty"`

	start, end time.Time
	// what replay sent about it
	first    time.Time
	firstMsg string
	convs    map[string]bool
	messages int
	crisis   bool
}

// truthTail is how long after a true episode ends messages still count
// as about it (the tail of upset posts, the resolve message).
const truthTail = 6 * time.Hour

// Truth scores replay's messages against what really happened (--truth).
type Truth struct {
	eps []*truthEpisode
	// convs maps each conversation to whether its first message fell
	// within a true episode.
	convs    map[string]bool
	order    []string
	messages int
	outside  int
}

// ReadTruth reads --truth: one true episode a line, {"start","end","kind"}
// and an optional "watch". Any bad line is bad input.
func ReadTruth(path string) (*Truth, error) {
	if path == "" {
		return nil, nil
	}
	rt := &Truth{convs: map[string]bool{}}
	err := eachJSONLine(path, `an episode {"start","end","kind"}`, func(_ int, dec func(any) error, bad func(string, ...any) error) error {
		var te truthEpisode
		if err := dec(&te); err != nil {
			return err
		}
		var err error
		if te.start, err = time.Parse(time.RFC3339, te.Start); err != nil {
			return bad("start %q is not an RFC 3339 time", te.Start)
		}
		if te.end, err = time.Parse(time.RFC3339, te.End); err != nil {
			return bad("end %q is not an RFC 3339 time", te.End)
		}
		if !te.end.After(te.start) {
			return bad("end is not after start")
		}
		if strings.TrimSpace(te.Kind) == "" {
			return bad("missing kind (outage, launch, ...)")
		}
		te.convs = map[string]bool{}
		rt.eps = append(rt.eps, &te)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(rt.eps) == 0 {
		return nil, badf("%s: no episode", path)
	}
	slices.SortStableFunc(rt.eps, func(a, b *truthEpisode) int { return a.start.Compare(b.start) })
	return rt, nil
}

// crisisKind says whether a true episode's kind is trouble customers have
// (an outage, an incident), whose messages may be critical.
func crisisKind(kind string) bool {
	switch kind {
	case "outage", "incident", "crisis":
		return true
	}
	return false
}

// add counts one message.
func (rt *Truth) add(l Line, n earshot.Notification) {
	rt.messages++
	at := n.At
	var in *truthEpisode
	for _, te := range rt.eps {
		if at.Before(te.start) || at.After(te.end.Add(truthTail)) || (te.Watch != "" && te.Watch != l.Watch) {
			continue
		}
		in = te
		break
	}
	if _, seen := rt.convs[l.Episode]; !seen {
		rt.order = append(rt.order, l.Episode)
		rt.convs[l.Episode] = in != nil
	}
	if in == nil {
		rt.outside++
		return
	}
	in.messages++
	in.convs[l.Episode] = true
	if in.first.IsZero() {
		in.first, in.firstMsg = at, l.Kind
	}
	for _, a := range n.Alerts {
		if !notify.Resolved(a, at) && (a.Kind == earshot.AlertUnreported || a.Severity == "critical") {
			in.crisis = true
		}
	}
}

// Report writes the scores: per true episode the latency of its first
// message, its conversations and messages, and whether any message called
// it a crisis; then precision (conversations that began within a true
// episode) and messages per true episode.
func (rt *Truth) Report(w io.Writer) {
	found, msgs := 0, 0
	for _, te := range rt.eps {
		if te.first.IsZero() {
			fmt.Fprintf(w, "truth: %s %s–%s: no message\n", te.Kind, te.Start, te.End)
			continue
		}
		found++
		msgs += te.messages
		crisis := "no crisis"
		if te.crisis {
			crisis = "called a crisis"
		}
		fmt.Fprintf(w, "truth: %s %s–%s: first message %s after it began (%s), %d conversation(s), %d message(s), %s\n",
			te.Kind, te.Start, te.End, te.first.Sub(te.start), te.firstMsg, len(te.convs), te.messages, crisis)
	}
	good := 0
	for _, id := range rt.order {
		if rt.convs[id] {
			good++
		}
	}
	precision := 0.0
	if len(rt.order) > 0 {
		precision = float64(good) / float64(len(rt.order))
	}
	perEp := 0.0
	if found > 0 {
		perEp = float64(msgs) / float64(found)
	}
	fmt.Fprintf(w, "truth: %d of %d episodes told; precision %.2f (%d of %d conversations began within one); %.1f messages per episode told; %d of %d messages outside any\n",
		found, len(rt.eps), precision, good, len(rt.order), perEp, rt.outside, rt.messages)
}
