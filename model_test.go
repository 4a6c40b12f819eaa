package earshot

import (
	"errors"
	"testing"
	"time"
)

func TestFollowUpTransitions(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	f := FollowUp{ID: "f1", State: FollowUpOpen}
	f, err := f.Apply(Transition{To: FollowUpAssigned, Assignee: "sam", Actor: "lead", At: at})
	if err != nil || f.State != FollowUpAssigned || f.Assignee != "sam" || len(f.Notes) != 1 || !f.UpdatedAt.Equal(at) {
		t.Fatalf("assign: %+v, %v", f, err)
	}
	f, err = f.Apply(Transition{To: FollowUpContacted, Actor: "sam", Note: "sent a DM", At: at.Add(time.Hour)})
	if err != nil || f.State != FollowUpContacted || f.Notes[1].Text != "state → contacted: sent a DM" {
		t.Fatalf("contact: %+v, %v", f, err)
	}
	f, err = f.Apply(Transition{To: FollowUpResolved, Actor: "sam", At: at.Add(2 * time.Hour)})
	if err != nil || f.State != FollowUpResolved {
		t.Fatalf("resolve: %+v, %v", f, err)
	}
	if _, err := f.Apply(Transition{To: FollowUpOpen}); !errors.Is(err, ErrInvalidTransition) {
		t.Errorf("reopening a resolved follow-up: err = %v", err)
	}
	if _, err := (FollowUp{State: FollowUpOpen}).Apply(Transition{To: FollowUpAssigned}); !errors.Is(err, ErrInvalidTransition) {
		t.Errorf("assigning to nobody: err = %v", err)
	}

	moves := []struct {
		from, to FollowUpState
		ok       bool
	}{
		{FollowUpOpen, FollowUpDismissed, true},
		{FollowUpOpen, FollowUpResolved, false},
		{FollowUpContacted, FollowUpAssigned, true},
		{FollowUpContacted, FollowUpOpen, false},
		{FollowUpDismissed, FollowUpOpen, false},
		{FollowUpAssigned, FollowUpAssigned, false},
		{FollowUpOpen, "bogus", false},
	}
	for _, m := range moves {
		if got := m.from.CanMoveTo(m.to); got != m.ok {
			t.Errorf("%s → %s allowed = %v, want %v", m.from, m.to, got, m.ok)
		}
	}
}

func TestIncidentActiveAt(t *testing.T) {
	start := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	open := Incident{StartedAt: start}
	closed := Incident{StartedAt: start, ResolvedAt: start.Add(time.Hour)}
	cases := []struct {
		name string
		inc  Incident
		at   time.Time
		want bool
	}{
		{"before start", open, start.Add(-time.Second), false},
		{"at start", open, start, true},
		{"open later", open, start.Add(100 * time.Hour), true},
		{"during", closed, start.Add(30 * time.Minute), true},
		{"at resolution", closed, start.Add(time.Hour), false},
	}
	for _, c := range cases {
		if got := c.inc.ActiveAt(c.at); got != c.want {
			t.Errorf("%s: ActiveAt = %v, want %v", c.name, got, c.want)
		}
	}
	if !closed.Overlaps(start.Add(-time.Hour), start.Add(time.Second)) || closed.Overlaps(start.Add(time.Hour), start.Add(2*time.Hour)) {
		t.Error("Overlaps boundaries wrong")
	}
	if !(Incident{}).Covers([]string{"api"}) || !(Incident{Services: []string{"api"}}).Covers([]string{"login", "api"}) || (Incident{Services: []string{"api"}}).Covers([]string{"login"}) {
		t.Error("Covers wrong")
	}
}

func TestIncidentScopedTo(t *testing.T) {
	plain := Incident{ID: "a", Services: []string{"api"}}
	got := plain.ScopedTo([]string{"acme"})
	if len(got.Watches) != 1 || got.Watches[0] != "acme" || len(plain.Watches) != 0 {
		t.Errorf("ScopedTo = %v (original %v), want [acme] on a copy", got.Watches, plain.Watches)
	}
	own := Incident{ID: "b", Watches: []string{"globex"}}
	if got := own.ScopedTo([]string{"acme"}); len(got.Watches) != 1 || got.Watches[0] != "globex" {
		t.Errorf("an incident naming its watches got %v", got.Watches)
	}
	if got := plain.ScopedTo(nil); len(got.Watches) != 0 {
		t.Errorf("no scope gave %v", got.Watches)
	}
}
