package earshot_test

import (
	"errors"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

// The support page's moves: notes alone, reassigning, the contact channel
// and the dismiss reason end up in the trail.
func TestFollowUpNotesChannelsReasons(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	f := earshot.FollowUp{ID: "f1", State: earshot.FollowUpOpen}
	step := func(tr earshot.Transition, state earshot.FollowUpState, assignee, text string) {
		t.Helper()
		tr.At, tr.Actor = at, "sue"
		got, err := f.Apply(tr)
		if err != nil {
			t.Fatalf("Apply(%+v): %v", tr, err)
		}
		last := got.Notes[len(got.Notes)-1]
		if got.State != state || got.Assignee != assignee || last.Text != text || last.Author != "sue" || len(got.Notes) != len(f.Notes)+1 {
			t.Fatalf("Apply(%+v) = state %s, assignee %q, last note %+v; want %s, %q, %q by sue", tr, got.State, got.Assignee, last, state, assignee, text)
		}
		f = got
	}
	step(earshot.Transition{Note: "  looks like a reseller"}, earshot.FollowUpOpen, "", "  looks like a reseller")
	step(earshot.Transition{To: earshot.FollowUpAssigned, Assignee: "sam"}, earshot.FollowUpAssigned, "sam", "state → assigned")
	step(earshot.Transition{To: earshot.FollowUpAssigned, Assignee: "kim", Note: "sam is off"}, earshot.FollowUpAssigned, "kim", "reassigned to kim (was sam): sam is off")
	step(earshot.Transition{To: earshot.FollowUpContacted, Channel: "phone", Note: "called"}, earshot.FollowUpContacted, "kim", "state → contacted by phone: called")
	step(earshot.Transition{To: earshot.FollowUpDismissed, Reason: "not a customer"}, earshot.FollowUpDismissed, "kim", "state → dismissed (reason: not a customer)")
	step(earshot.Transition{Note: "they wrote back, all good"}, earshot.FollowUpDismissed, "kim", "they wrote back, all good")

	for _, tr := range []earshot.Transition{
		{},                             // a note without text
		{To: earshot.FollowUpResolved}, // final
		{To: earshot.FollowUpAssigned, Assignee: "kim"}, // final, even to reassign
	} {
		if _, err := f.Apply(tr); !errors.Is(err, earshot.ErrInvalidTransition) {
			t.Errorf("Apply(%+v) on a dismissed follow-up: err %v, want ErrInvalidTransition", tr, err)
		}
	}
	assigned := earshot.FollowUp{ID: "f2", State: earshot.FollowUpAssigned, Assignee: "kim"}
	if _, err := assigned.Apply(earshot.Transition{To: earshot.FollowUpAssigned, Assignee: "kim"}); !errors.Is(err, earshot.ErrInvalidTransition) {
		t.Errorf("assigning to the same assignee again: err %v, want ErrInvalidTransition", err)
	}
}
