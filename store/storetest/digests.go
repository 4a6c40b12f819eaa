package storetest

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

// testDigestRoundTrip: a sent digest reads back whole (hostile text
// included), a save of the same ID replaces it, SentDigests lists newest
// first with ties by ID and honours the limit, and an unknown ID is
// ErrNotFound.
func testDigestRoundTrip(t *testing.T, st earshot.Store) {
	ds := st
	ctx := t.Context()
	if got, err := ds.SentDigests(ctx, 0); err != nil || len(got) != 0 {
		t.Fatalf("SentDigests on an empty store: %v, %v; want none", got, err)
	}
	if _, err := ds.SentDigest(ctx, "nope"); !errors.Is(err, earshot.ErrNotFound) {
		t.Errorf("SentDigest(unknown): %v, want ErrNotFound", err)
	}
	weekly := earshot.SentDigest{
		ID: "weekly@2026-03-02T08:00:00Z", Name: "weekly", From: Base.Add(-7 * 24 * time.Hour), To: Base,
		SentAt: Base.Add(3*time.Second + 250*time.Millisecond), Format: "html", Subject: "Acme — weekly “digest”",
		HTML:       "<p>Posts: 1 204 <script>alert('x')</script></p>",
		Markdown:   "# Acme\n\n* ünï 'q' \\ \"x\"\n",
		Recipients: []string{"ceo@acme.example", "slack:#exec"},
		Error:      "email: RCPT TO at smtp.example:25: 550 no such user",
	}
	daily := earshot.SentDigest{ID: "daily@b", Name: "daily", From: Base.Add(-24 * time.Hour), To: Base, SentAt: Base, Format: "md", OK: true}
	tie := earshot.SentDigest{ID: "daily@a", Name: "daily", From: Base.Add(-24 * time.Hour), To: Base, SentAt: Base, Format: "pdf", OK: true}
	for _, d := range []earshot.SentDigest{daily, weekly, tie} {
		if err := ds.SaveDigest(ctx, d); err != nil {
			t.Fatalf("SaveDigest(%s): %v", d.ID, err)
		}
	}
	got, err := ds.SentDigest(ctx, weekly.ID)
	if err != nil {
		t.Fatalf("SentDigest(%s): %v", weekly.ID, err)
	}
	if !reflect.DeepEqual(got, weekly) {
		t.Errorf("SentDigest round trip:\n got %+v\nwant %+v", got, weekly)
	}
	checkDigests(t, ds, 0, weekly, tie, daily)
	checkDigests(t, ds, 2, weekly, tie)

	weekly.OK, weekly.Error, weekly.SentAt = true, "", Base.Add(-time.Hour)
	weekly.Recipients = []string{"ceo@acme.example"}
	if err := ds.SaveDigest(ctx, weekly); err != nil {
		t.Fatalf("SaveDigest again: %v", err)
	}
	checkDigests(t, ds, 0, tie, daily, weekly)
}

func checkDigests(t *testing.T, ds earshot.DigestStore, limit int, want ...earshot.SentDigest) {
	t.Helper()
	got, err := ds.SentDigests(t.Context(), limit)
	if err != nil {
		t.Fatalf("SentDigests(%d): %v", limit, err)
	}
	if !reflect.DeepEqual(got, want) {
		var g, w []string
		for _, d := range got {
			g = append(g, d.ID)
		}
		for _, d := range want {
			w = append(w, d.ID)
		}
		t.Errorf("SentDigests(%d): got %v, want %v (or fields differ)", limit, g, w)
	}
}
