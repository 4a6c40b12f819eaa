package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

func followUp(id string, priority int, state earshot.FollowUpState, created time.Time) earshot.FollowUp {
	f := earshot.FollowUp{
		ID:        id,
		Source:    "twitter",
		Author:    earshot.Author{ID: "a-" + id, Handle: "h_" + id, Name: "Customer " + id, Followers: 42},
		PostIDs:   []string{"twitter:" + id},
		Reason:    "angry about the outage",
		Priority:  priority,
		State:     state,
		CreatedAt: created,
		UpdatedAt: created,
	}
	if state != earshot.FollowUpOpen {
		f.Assignee = "sam"
	}
	return f
}

func saveFollowUp(t *testing.T, st earshot.Store, f earshot.FollowUp) {
	t.Helper()
	must(t, st.SaveFollowUp(t.Context(), f), "SaveFollowUp(%s)", f.ID)
}

func getFollowUp(t *testing.T, st earshot.Store, id string) earshot.FollowUp {
	t.Helper()
	return got(st.FollowUp(t.Context(), id)).or(t, "FollowUp(%q)", id)
}

// testFollowUpRoundTrip: a follow-up comes back as saved (post IDs, notes,
// a due date or none); saving the same ID replaces it; a missing ID is
// ErrNotFound.
func testFollowUpRoundTrip(t *testing.T, st earshot.Store) {
	ctx := t.Context()
	_, err := st.FollowUp(ctx, "f-nope")
	wantNotFound(t, "FollowUp on an empty store", err)

	full := earshot.FollowUp{
		ID:         "fu-1",
		Source:     "twitter",
		Author:     earshot.Author{ID: "9912", Handle: "zoë", Name: "Zoë 🦊", Followers: 12000},
		Customer:   earshot.Customer{ID: "crm-0042", Name: "Zoë's \"Bakery\" Ltd", Tier: "enterprise"},
		PostIDs:    []string{"twitter:1", "twitter:2", "twitter:3"},
		Reason:     "Threatens to cancel: \"third outage this month\"",
		Priority:   1,
		State:      earshot.FollowUpAssigned,
		Assignee:   "sam@example.com",
		IncidentID: "statuspage:inc-42",
		Notes: []earshot.Note{
			{At: Base.Add(time.Minute), Author: "earshot", Text: "flagged: 3 negative posts in 1h"},
			{At: Base.Add(2*time.Minute + 300*time.Millisecond), Author: "lead", Text: "state → assigned: VIP"},
		},
		Due:       Base.Add(4*time.Hour + 500*time.Millisecond),
		CreatedAt: Base.Add(time.Minute),
		UpdatedAt: Base.Add(2*time.Minute + 300*time.Millisecond),
	}
	bare := earshot.FollowUp{ID: "fu-2", Source: "rss", Author: earshot.Author{ID: "x"}, Priority: 3, State: earshot.FollowUpOpen, CreatedAt: Base}
	saveFollowUp(t, st, full)
	saveFollowUp(t, st, bare)
	checkFollowUp(t, getFollowUp(t, st, full.ID), full)
	checkFollowUp(t, getFollowUp(t, st, bare.ID), bare)

	changed := full
	changed.PostIDs = []string{"twitter:1"}
	changed.Notes = nil
	changed.Customer = earshot.Customer{}
	changed.Due = time.Time{}
	changed.Priority = 2
	changed.State = earshot.FollowUpContacted
	changed.UpdatedAt = Base.Add(time.Hour)
	saveFollowUp(t, st, changed)
	checkFollowUp(t, getFollowUp(t, st, full.ID), changed)

	dued := bare
	dued.Due = Base.Add(day)
	saveFollowUp(t, st, dued)
	checkFollowUp(t, getFollowUp(t, st, bare.ID), dued)

	all, err := st.FollowUps(ctx)
	if err != nil {
		t.Fatalf("FollowUps: %v", err)
	}
	if len(all) != 2 {
		t.Fatalf("FollowUps after replacing: got %d, want 2", len(all))
	}
	checkFollowUp(t, all[0], changed)
	checkFollowUp(t, all[1], dued)
}

// testFollowUpOrdering: FollowUps filters by any of the given states (all
// when none) and orders by priority, then CreatedAt.
func testFollowUpOrdering(t *testing.T, st earshot.Store) {
	ctx := t.Context()
	f1 := followUp("f1", 2, earshot.FollowUpOpen, Base)
	f2 := followUp("f2", 1, earshot.FollowUpOpen, Base.Add(time.Minute))
	f3 := followUp("f3", 1, earshot.FollowUpAssigned, Base)
	f4 := followUp("f4", 3, earshot.FollowUpResolved, Base.Add(-time.Hour))
	f5 := followUp("f5", 2, earshot.FollowUpDismissed, Base.Add(-5*time.Minute))
	f6 := followUp("f6", 2, earshot.FollowUpContacted, Base.Add(time.Millisecond))
	for _, f := range []earshot.FollowUp{f4, f1, f6, f2, f5, f3} {
		saveFollowUp(t, st, f)
	}
	for _, tc := range []struct {
		states []earshot.FollowUpState
		want   []string
	}{
		{nil, []string{"f3", "f2", "f5", "f1", "f6", "f4"}},
		{[]earshot.FollowUpState{earshot.FollowUpOpen}, []string{"f2", "f1"}},
		{[]earshot.FollowUpState{earshot.FollowUpAssigned, earshot.FollowUpOpen}, []string{"f3", "f2", "f1"}},
		{[]earshot.FollowUpState{earshot.FollowUpResolved, earshot.FollowUpDismissed}, []string{"f5", "f4"}},
		{[]earshot.FollowUpState{earshot.FollowUpContacted}, []string{"f6"}},
		{[]earshot.FollowUpState{earshot.FollowUpOpen, earshot.FollowUpOpen}, []string{"f2", "f1"}},
		{[]earshot.FollowUpState{"no-such-state"}, nil},
	} {
		got, err := st.FollowUps(ctx, tc.states...)
		if err != nil {
			t.Fatalf("FollowUps(%v): %v", tc.states, err)
		}
		var ids []string
		for _, f := range got {
			ids = append(ids, f.ID)
		}
		if !slices.Equal(ids, tc.want) {
			t.Errorf("FollowUps(%v): got %v, want %v", tc.states, ids, tc.want)
		}
	}
}

// testFollowUpMoves: MoveFollowUp applies FollowUp.Apply and stores the
// result; a move Apply refuses returns an error wrapping
// ErrInvalidTransition and changes nothing; a missing ID is ErrNotFound.
func testFollowUpMoves(t *testing.T, st earshot.Store) {
	ctx := t.Context()
	f := followUp("m1", 1, earshot.FollowUpOpen, Base)
	f.Notes = []earshot.Note{{At: Base, Author: "earshot", Text: "flagged"}}
	saveFollowUp(t, st, f)

	want := f
	for i, tr := range []earshot.Transition{
		{To: earshot.FollowUpAssigned, Assignee: "sam", Actor: "lead", Note: "take it", At: Base.Add(10 * time.Minute)},
		{To: earshot.FollowUpContacted, Actor: "sam", Note: "DM sent 📨", At: Base.Add(20*time.Minute + 7*time.Millisecond)},
		{To: earshot.FollowUpAssigned, Assignee: "kim", Actor: "sam", At: Base.Add(30 * time.Minute)},
		{To: earshot.FollowUpResolved, Actor: "kim", Note: "refund issued", At: Base.Add(time.Hour)},
	} {
		var err error
		want, err = want.Apply(tr)
		if err != nil {
			t.Fatalf("storetest bug: Apply(%v): %v", tr, err)
		}
		got, err := st.MoveFollowUp(ctx, f.ID, tr)
		if err != nil {
			t.Fatalf("MoveFollowUp → %s: %v", tr.To, err)
		}
		checkFollowUp(t, got, want)
		checkFollowUp(t, getFollowUp(t, st, f.ID), want)
		if len(want.Notes) != len(f.Notes)+i+1 {
			t.Fatalf("storetest bug: %d notes after %d moves", len(want.Notes), i+1)
		}
	}
	if want.State != earshot.FollowUpResolved || want.Assignee != "kim" {
		t.Fatalf("storetest bug: ended %s with %q", want.State, want.Assignee)
	}

	fresh := followUp("m2", 2, earshot.FollowUpOpen, Base)
	saveFollowUp(t, st, fresh)
	for _, tc := range []struct {
		id string
		tr earshot.Transition
		is error
	}{
		{f.ID, earshot.Transition{To: earshot.FollowUpOpen, At: Base.Add(2 * time.Hour)}, earshot.ErrInvalidTransition},
		{f.ID, earshot.Transition{To: earshot.FollowUpDismissed, At: Base.Add(2 * time.Hour)}, earshot.ErrInvalidTransition},
		{fresh.ID, earshot.Transition{To: earshot.FollowUpResolved, Actor: "x", At: Base.Add(time.Hour)}, earshot.ErrInvalidTransition},
		{fresh.ID, earshot.Transition{To: earshot.FollowUpAssigned, Actor: "x", At: Base.Add(time.Hour)}, earshot.ErrInvalidTransition},
		{fresh.ID, earshot.Transition{To: earshot.FollowUpOpen, At: Base.Add(time.Hour)}, earshot.ErrInvalidTransition},
		{fresh.ID, earshot.Transition{To: "reopened", At: Base.Add(time.Hour)}, earshot.ErrInvalidTransition},
		{"m-nope", earshot.Transition{To: earshot.FollowUpAssigned, Assignee: "sam", At: Base}, earshot.ErrNotFound},
	} {
		_, err := st.MoveFollowUp(ctx, tc.id, tc.tr)
		if !errors.Is(err, tc.is) {
			t.Errorf("MoveFollowUp(%s → %s): got error %v, want one wrapping %v", tc.id, tc.tr.To, err, tc.is)
		}
	}
	checkFollowUp(t, getFollowUp(t, st, f.ID), want)
	checkFollowUp(t, getFollowUp(t, st, fresh.ID), fresh)
	_, err := st.FollowUp(ctx, "m-nope")
	wantNotFound(t, "FollowUp after moving a missing one", err)

	// Dismissing works from any state that is not final.
	dismissed, err := st.MoveFollowUp(ctx, fresh.ID, earshot.Transition{To: earshot.FollowUpDismissed, Actor: "bot", At: Base.Add(time.Hour)})
	if err != nil {
		t.Fatalf("MoveFollowUp → dismissed: %v", err)
	}
	if dismissed.State != earshot.FollowUpDismissed || len(dismissed.Notes) != 1 {
		t.Errorf("dismissed follow-up: state %s with %d notes, want dismissed with 1", dismissed.State, len(dismissed.Notes))
	}
}

// testCursors: a collector without a saved cursor has "", a saved cursor
// can be overwritten, and each collector has its own.
func testCursors(t *testing.T, st earshot.Store) {
	ctx := t.Context()
	get := func(collector, want string) {
		t.Helper()
		got, err := st.Cursor(ctx, collector)
		if err != nil {
			t.Fatalf("Cursor(%q): %v", collector, err)
		}
		if got != want {
			t.Errorf("Cursor(%q): got %q, want %q", collector, got, want)
		}
	}
	set := func(collector, cursor string) {
		t.Helper()
		if err := st.SetCursor(ctx, collector, cursor); err != nil {
			t.Fatalf("SetCursor(%q, %q): %v", collector, cursor, err)
		}
	}
	get("rss", "")
	set("rss", "etag:\"abc\"")
	get("rss", "etag:\"abc\"")
	get("twitter", "")
	set("twitter", "since_id=1893")
	set("rss", "https://example.com/feed?page=2&since=2026-03-02T10:00:00Z")
	get("rss", "https://example.com/feed?page=2&since=2026-03-02T10:00:00Z")
	get("twitter", "since_id=1893")
	set("twitter", "")
	get("twitter", "")
	get("rss", "https://example.com/feed?page=2&since=2026-03-02T10:00:00Z")
	get("rss/eu", "")
}
