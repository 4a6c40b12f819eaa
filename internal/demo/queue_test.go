package demo

import (
	"io"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/followup"
	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/store/memstore"
)

// perDay is what three people can work in a day: 40 follow-ups each.
const perDay = 3 * 40

// TestDemoQueueWorkable: over the default two weeks with the default
// flagger, no day opens more follow-ups than three people can work, every
// repeat complainer of the outage (the generator's truth: customers still
// unhappy days after) is flagged, news accounts are held out with their
// signals, and imported customers carry their customer.
func TestDemoQueueWorkable(t *testing.T) {
	if testing.Short() {
		t.Skip("populating the demo is not short")
	}
	s, origins := generate(Options{Seed: 1})
	st := memstore.New()
	scorer, err := sentiment.New()
	if err != nil {
		t.Fatal(err)
	}
	f, err := followup.New(st, followup.DefaultConfig(), followup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := Populate(t.Context(), st, s, Run{End: DefaultEnd, Days: 14, Scorer: scorer, Flagger: f, Progress: io.Discard, Log: slog.New(slog.DiscardHandler)}); err != nil {
		t.Fatal(err)
	}
	fus, err := st.FollowUps(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	byDay := map[string]int{}
	flagged := map[string]earshot.FollowUp{}
	customers := 0
	for _, fu := range fus {
		byDay[fu.CreatedAt.Format("2006-01-02")]++
		flagged[fu.Source+"/"+fu.Author.ID] = fu
		if !fu.Customer.IsZero() {
			customers++
		}
		if strings.EqualFold(fu.Author.Handle, "acmecloud") || strings.EqualFold(fu.Author.Handle, "acmepay") {
			t.Errorf("the brand's own account is flagged: %+v", fu)
		}
	}
	busiest := 0
	for _, day := range slices.Sorted(maps.Keys(byDay)) {
		t.Logf("%s: %d follow-ups opened", day, byDay[day])
		busiest = max(busiest, byDay[day])
	}
	t.Logf("%d follow-ups in 14 days (%.1f a day), busiest day %d; %d carry an imported customer", len(fus), float64(len(fus))/14, busiest, customers)
	if busiest > perDay {
		t.Errorf("the busiest day opens %d follow-ups, more than three people work in a day (%d)", busiest, perDay)
	}
	if customers == 0 {
		t.Error("no follow-up carries an imported customer")
	}

	outage, repeat := map[string]bool{}, map[string]bool{}
	for i, p := range s.Posts {
		switch origins[i] {
		case fromOutage:
			outage[p.Source+"/"+p.Author.ID] = true
		case fromRepeat:
			repeat[p.Source+"/"+p.Author.ID] = true
		}
	}
	count := func(set map[string]bool) int {
		n := 0
		for k := range set {
			if _, ok := flagged[k]; ok {
				n++
			}
		}
		return n
	}
	t.Logf("repeat complainers flagged: %d of %d; authors of one outage complaint flagged: %d of %d", count(repeat), len(repeat), count(outage), len(outage))
	if count(repeat) != len(repeat) {
		t.Errorf("%d of %d repeat complainers flagged, want every one", count(repeat), len(repeat))
	}

	held := map[string]followup.Held{}
	for _, h := range f.Held() {
		held[h.Author.Handle] = h
	}
	for _, news := range []string{"cloudoutagewatch", "devopsdigest"} {
		h, ok := held[news]
		if !ok || !strings.HasPrefix(h.Reason, "held out: likely media (signals: name says ") {
			t.Errorf("%s: held %+v, want held out as likely media", news, h)
		}
		for _, fu := range fus {
			if fu.Author.Handle == news {
				t.Errorf("%s is flagged: %+v", news, fu)
			}
		}
	}
	for _, person := range []string{"priyaraman_tech", "lenavogel@hachyderm.example", "samokafor.bsky.example"} {
		if _, ok := held[person]; ok {
			t.Errorf("%s, a person, is held out: %+v", person, held[person])
		}
	}
}
