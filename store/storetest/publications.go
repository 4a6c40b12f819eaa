package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

// testPublications: publications read back whole (hostile text, every
// field), per incident, oldest first with ties by ID; a save of the same
// ID replaces it (pending, then published).
func testPublications(t *testing.T, st earshot.Store) {
	ctx := t.Context()
	if got, err := st.Publications(ctx, "inc-1"); err != nil || len(got) != 0 {
		t.Fatalf("Publications on an empty store: %v, %v; want none", got, err)
	}
	first := earshot.Publication{
		ID: "pub-b", IncidentID: "inc-1", Channel: "statuspage", Phase: "investigating",
		Text:  "We're looking into <script>alert('x')</script> “slow” logins — ünï \\ \"q\"",
		State: "published", By: "ana", RemoteID: "p0qjf3vz2lwp", URL: "https://status.acme.example/incidents/p0qjf3vz2lwp",
		CreatedAt: Base.Add(250 * time.Millisecond), PublishedAt: Base.Add(1500 * time.Millisecond),
	}
	tie := earshot.Publication{
		ID: "pub-a", IncidentID: "inc-1", Channel: "x", Phase: "investigating", Text: "short",
		State: "failed", By: "ana", Error: "x: 403 Forbidden: You are not permitted to perform this action.",
		CreatedAt: Base.Add(250 * time.Millisecond),
	}
	later := earshot.Publication{
		ID: "pub-c", IncidentID: "inc-1", Channel: "mastodon", Phase: "identified", Text: "update",
		State: "pending", By: "ben", ReplyTo: "109372843234", CreatedAt: Base.Add(time.Hour),
	}
	other := earshot.Publication{ID: "pub-d", IncidentID: "inc-2", Channel: "slack", Phase: "resolved", Text: "done",
		State: "published", By: "ana", CreatedAt: Base}
	for _, p := range []earshot.Publication{later, first, other, tie} {
		if err := st.SavePublication(ctx, p); err != nil {
			t.Fatalf("SavePublication(%s): %v", p.ID, err)
		}
	}
	checkPublications(t, st, "inc-1", tie, first, later)
	checkPublications(t, st, "inc-2", other)

	later.State, later.ApprovedBy, later.RemoteID, later.URL = "published", "carla", "109372843299", "https://social.example/@acme/109372843299"
	later.PublishedAt = Base.Add(2 * time.Hour)
	if err := st.SavePublication(ctx, later); err != nil {
		t.Fatalf("SavePublication again: %v", err)
	}
	checkPublications(t, st, "inc-1", tie, first, later)
	if got, err := st.Publications(ctx, "nope"); err != nil || len(got) != 0 {
		t.Errorf("Publications(unknown incident): %v, %v; want none", got, err)
	}
}

func checkPublications(t *testing.T, st earshot.PublicationStore, incident string, want ...earshot.Publication) {
	t.Helper()
	got, err := st.Publications(t.Context(), incident)
	if err != nil {
		t.Fatalf("Publications(%s): %v", incident, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Publications(%s):\n got %+v\nwant %+v", incident, got, want)
	}
}
