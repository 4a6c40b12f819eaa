package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/engine/replay"
)

// fortnightSeeds are the generated fortnights the story is scored
// on. The detector's rules were settled looking at seeds 13 and 29 (the
// fortnights of TestReplayFortnightEpisodes) and at tuneSeeds; none of
// these was looked at before the first figures in docs/alerts.md were
// taken. Seeds 101-124 were then looked at while starting the weekly terms
// from the first week and giving the count test the usual share; 125-136
// were scored once after that (EARSHOT_FORTNIGHT_SEEDS lists them).
var fortnightSeeds = []uint64{101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112}

// tuneSeeds are the fortnights the rules may be looked at and tried on
// (EARSHOT_FORTNIGHT_SEEDS=tune).
var tuneSeeds = []uint64{1, 2, 3, 4, 5, 6}

// seedFortnight places the story by the seed: a launch on day 9 between
// 10:00 and 16:00, a night outage on day 10 or 11 between 00:00 and
// 04:00, a daytime outage on day 13 between 09:00 and 16:00.
func seedFortnight(seed uint64) fortnight {
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	at := func(day, fromHour, hours int) time.Time {
		return replayDay0.Add(time.Duration(day)*24*time.Hour + time.Duration(fromHour)*time.Hour +
			time.Duration(r.IntN(hours*12))*5*time.Minute)
	}
	launch := at(8, 10, 6)
	night := at(9+r.IntN(2), 0, 4)
	day := at(12, 9, 7)
	return fortnightAt(launch, night, day, seed)
}

// fortnightScore is what replay told about one fortnight.
type fortnightScore struct {
	seed                   uint64
	dayLatency, nightLate  time.Duration // first message after the first complaints; -1: none
	dayConvs, nightConvs   int           // new conversations within 8 h of each outage
	dayLinked, nightLinked bool
	nightUnreported        bool // the night outage's first message is a possible unreported incident
	conversations          int
	messages               int
	launchCrisis           bool
	// story counts the messages of conversations begun within a true
	// episode (to 6 hours after it); other lists what the rest said.
	story int
	other []string
}

func scoreFortnight(t *testing.T, f fortnight, lines []replay.Line) fortnightScore {
	s := fortnightScore{seed: f.seed, messages: len(lines), dayLatency: -1, nightLate: -1}
	at := func(l replay.Line) time.Time {
		v, err := time.Parse(time.RFC3339, l.At)
		if err != nil {
			t.Fatalf("at %q: %v", l.At, err)
		}
		return v
	}
	inStory := map[string]bool{}
	for _, l := range lines {
		a := at(l)
		if !l.Update {
			s.conversations++
			for _, w := range [][2]time.Time{{f.launch, f.launch.Add(4 * time.Hour)}, {f.night, f.night.Add(100 * time.Minute)},
				{f.day, f.day.Add(100 * time.Minute)}} {
				if !a.Before(w[0]) && a.Before(w[1].Add(6*time.Hour)) {
					inStory[l.Episode] = true
				}
			}
		}
		if inStory[l.Episode] {
			s.story++
		} else {
			inc := ""
			if l.Incident != nil {
				inc = " " + *l.Incident
			}
			s.other = append(s.other, l.Kind+" "+l.Metric+inc)
		}
		if !a.Before(f.launch) && a.Before(f.launch.Add(8*time.Hour)) && (l.Kind == "unreported_incident" || l.Incident != nil) {
			s.launchCrisis = true
		}
		for _, o := range []struct {
			start   time.Time
			inc     string
			latency *time.Duration
			convs   *int
			linked  *bool
			night   bool
		}{
			{f.day, f.dayInc.ID, &s.dayLatency, &s.dayConvs, &s.dayLinked, false},
			{f.night, f.nightInc.ID, &s.nightLate, &s.nightConvs, &s.nightLinked, true},
		} {
			if a.Before(o.start) || !a.Before(o.start.Add(8*time.Hour)) {
				continue
			}
			if !l.Update {
				*o.convs++
				if *o.latency < 0 {
					*o.latency = a.Sub(o.start)
					if o.night {
						s.nightUnreported = l.Kind == "unreported_incident"
					}
				}
			}
			if l.Incident != nil && *l.Incident == o.inc {
				*o.linked = true
			}
		}
	}
	return s
}

func latency(d time.Duration) string {
	if d < 0 {
		return "none"
	}
	return strconv.FormatFloat(d.Minutes(), 'f', -1, 64) + " min"
}

// TestReplayFortnightSeeds replays the story (a launch, a night
// outage reported 50 minutes late, a day outage whose incident opens 12
// minutes in) on a dozen generated fortnights (fortnightSeeds says which
// were looked at while tuning), and checks the conditions on every
// one: each outage told within 15 minutes of its first complaints, in
// exactly one conversation, linked to its incident, the night one first as
// a possible unreported incident; the launch never a crisis; at most 10
// messages in the 14 days, and anything told outside the story a plain
// volume spike. It logs a row per fortnight (the figures in
// docs/alerts.md).
// EARSHOT_FORTNIGHT_SEEDS lists other seeds ("1,2,3"), or "tune".
func TestReplayFortnightSeeds(t *testing.T) {
	if testing.Short() {
		t.Skip("a dozen fortnights are not short")
	}
	seeds := fortnightSeeds
	switch v := os.Getenv("EARSHOT_FORTNIGHT_SEEDS"); v {
	case "":
	case "tune":
		seeds = tuneSeeds
	default:
		seeds = nil
		for _, f := range strings.Split(v, ",") {
			n, err := strconv.ParseUint(strings.TrimSpace(f), 10, 64)
			if err != nil {
				t.Fatalf("EARSHOT_FORTNIGHT_SEEDS: %v", err)
			}
			seeds = append(seeds, n)
		}
	}
	var rows []string
	for _, seed := range seeds {
		f := seedFortnight(seed)
		pp, ip := f.files(t)
		lines, out := replayed(t, "--posts", pp, "--incidents", ip)
		s := scoreFortnight(t, f, lines)
		if s.messages > 8 {
			t.Logf("seed %d: launch %s, night outage %s, day outage %s:\n%s", seed, f.launch.Format(time.RFC3339),
				f.night.Format(time.RFC3339), f.day.Format(time.RFC3339), out)
		}
		rows = append(rows, fmt.Sprintf("| %d | %s | %s | %d | %d | %d | %d | %d | %v |", seed,
			latency(s.dayLatency), latency(s.nightLate), s.dayConvs, s.nightConvs, s.conversations, s.story, s.messages, s.launchCrisis))
		fail := func(format string, args ...any) {
			t.Errorf("seed %d: "+format, append([]any{seed}, args...)...)
		}
		for _, o := range []struct {
			name    string
			latency time.Duration
			convs   int
			linked  bool
		}{{"day", s.dayLatency, s.dayConvs, s.dayLinked}, {"night", s.nightLate, s.nightConvs, s.nightLinked}} {
			if o.latency < 0 || o.latency > 15*time.Minute {
				fail("%s outage: first message %s after the first complaints, want at most 15m", o.name, latency(o.latency))
			}
			if o.convs != 1 {
				fail("%s outage: %d new conversations, want 1", o.name, o.convs)
			}
			if !o.linked {
				fail("%s outage: never linked to its incident", o.name)
			}
		}
		if s.nightLate >= 0 && !s.nightUnreported {
			fail("night outage: the first message is not a possible unreported incident")
		}
		if s.launchCrisis {
			fail("the launch was called a crisis")
		}
		// The issue asks for at most 10 messages in the 14 days, updates
		// included. What is told outside the story (before the weekly
		// terms started from the first week: neutral volume bumps on the
		// second Monday) counts toward them, and is never trouble: no
		// negative metric, no possible unreported incident, no incident.
		if s.messages > 10 {
			fail("%d messages in 14 days (%d about the story), want at most 10", s.messages, s.story)
		}
		for _, o := range s.other {
			if o != "spike volume" && o != "resolved volume" {
				fail("outside the story: %s, want at most a plain volume spike", o)
			}
		}
	}
	t.Logf("\n| seed | day outage, first message | night outage | day conversations | night conversations | conversations | messages about the story | messages | launch a crisis |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n%s",
		strings.Join(rows, "\n"))
}
