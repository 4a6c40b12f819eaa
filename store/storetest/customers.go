package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/earshot/earshot"
)

func socialAccounts(t *testing.T, st earshot.Store) []earshot.SocialAccount {
	t.Helper()
	return got(st.SocialAccounts(t.Context())).or(t, "SocialAccounts")
}

func diffSocialAccount(got, want earshot.SocialAccount) diffs {
	var d diffs
	d.str("Source", got.Source, want.Source)
	d.str("Handle", got.Handle, want.Handle)
	d.str("Kind", string(got.Kind), string(want.Kind))
	d.str("CustomerID", got.CustomerID, want.CustomerID)
	d.str("Name", got.Name, want.Name)
	d.str("Tier", got.Tier, want.Tier)
	d.str("Owner", got.Owner, want.Owner)
	d.time("UpdatedAt", got.UpdatedAt, want.UpdatedAt)
	return d
}

func checkSocialAccounts(t *testing.T, what string, got, want []earshot.SocialAccount) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: got %d accounts %v, want %d %v", what, len(got), got, len(want), want)
		return
	}
	for i := range want {
		diffSocialAccount(got[i], want[i]).report(t, what+": account "+want[i].Source+"/"+want[i].Handle)
	}
}

// testSocialAccountsRoundTrip: accounts come back as saved, by source then
// handle key; saving the same source and handle (whatever its case or a
// leading "@") replaces the account, the later of two in one call winning.
func testSocialAccountsRoundTrip(t *testing.T, st earshot.Store) {
	ctx := t.Context()
	if got := socialAccounts(t, st); len(got) != 0 {
		t.Errorf("SocialAccounts on an empty store: got %v, want none", got)
	}
	zoe := earshot.SocialAccount{Source: "twitter", Handle: "Zoë_B", Kind: earshot.AccountCustomer, CustomerID: "crm-1",
		Name: "Zoë's \"Bakery\"", Tier: "enterprise", Owner: "sam@example.com", UpdatedAt: Base.Add(123 * time.Millisecond)}
	news := earshot.SocialAccount{Source: "twitter", Handle: "cloudoutagewatch", Kind: earshot.AccountMedia, UpdatedAt: Base}
	masto := earshot.SocialAccount{Source: "mastodon", Handle: "lena@hachyderm.example", Kind: earshot.AccountCustomer, Name: "Lena", UpdatedAt: Base}
	bot := earshot.SocialAccount{Source: "twitter", Handle: "acmebot", Kind: earshot.AccountBot, UpdatedAt: Base}
	if err := st.SaveSocialAccounts(ctx, []earshot.SocialAccount{zoe, news, masto, bot}); err != nil {
		t.Fatalf("SaveSocialAccounts: %v", err)
	}
	checkSocialAccounts(t, "SocialAccounts", socialAccounts(t, st), []earshot.SocialAccount{masto, bot, news, zoe})

	// The same handle, another spelling: replaced, not added; the later
	// of two in one call wins.
	first := zoe
	first.Handle, first.Tier = "@zoë_b", "business"
	second := first
	second.Handle, second.Tier, second.Owner, second.UpdatedAt = "ZOË_B", "standard", "", Base.Add(time.Hour)
	if err := st.SaveSocialAccounts(ctx, []earshot.SocialAccount{first, second}); err != nil {
		t.Fatalf("SaveSocialAccounts again: %v", err)
	}
	checkSocialAccounts(t, "SocialAccounts after replacing", socialAccounts(t, st), []earshot.SocialAccount{masto, bot, news, second})
	if err := st.SaveSocialAccounts(ctx, nil); err != nil {
		t.Errorf("SaveSocialAccounts(nil): %v", err)
	}
}

// testEraseAuthorData: erasing an author removes their posts, their
// follow-ups and their sample posts in stored alerts (keeping the alerts
// and everyone else's posts), records an audit line with the counts and
// none of the content, and leaves nothing of the author for any query.
func testEraseAuthorData(t *testing.T, st earshot.Store) {
	ctx := t.Context()
	f := saveErasureFixture(t, st)
	at := Base.Add(24 * time.Hour)
	got, err := st.EraseAuthorData(ctx, earshot.Erasure{Source: "twitter", AuthorID: "u1", Actor: "ada", At: at})
	if err != nil {
		t.Fatalf("EraseAuthorData: %v", err)
	}
	if got.Posts != 2 || got.FollowUps != 2 || got.Alerts != 2 {
		t.Errorf("EraseAuthorData counts: got posts %d, follow-ups %d, alerts %d; want 2, 2, 2", got.Posts, got.FollowUps, got.Alerts)
	}
	if got.ID == "" || got.Actor != "ada" || !got.At.Equal(at) {
		t.Errorf("EraseAuthorData: got %+v, want an ID, actor ada, at %s", got, at)
	}
	f.wantAuthorGone(t, st)
	f.wantAlertsPruned(t, st)

	// The audit line keeps who, when, which author and counts, and none
	// of the content.
	lines, err := st.Erasures(ctx)
	if err != nil {
		t.Fatalf("Erasures: %v", err)
	}
	if len(lines) != 1 {
		t.Fatalf("Erasures: got %d lines, want 1", len(lines))
	}
	l := lines[0]
	if l.ID != got.ID || l.Source != "twitter" || l.AuthorID != "u1" || l.Actor != "ada" || !l.At.Equal(at) ||
		l.Posts != 2 || l.FollowUps != 2 || l.Alerts != 2 {
		t.Errorf("Erasures: got %+v, want %+v", l, got)
	}

	// Erasing again finds nothing, and is recorded too.
	again, err := st.EraseAuthorData(ctx, earshot.Erasure{Source: "twitter", AuthorID: "u1", Actor: "bob", At: at.Add(time.Hour)})
	if err != nil || again.Posts+again.FollowUps+again.Alerts != 0 {
		t.Errorf("EraseAuthorData again: got %+v, %v; want zero counts", again, err)
	}
	if lines, err := st.Erasures(ctx); err != nil || len(lines) != 2 || lines[1].Actor != "bob" {
		t.Errorf("Erasures after erasing twice: got %+v, %v; want ada's then bob's", lines, err)
	}
}

// erasureFixture is what testEraseAuthorData stores before erasing the
// twitter author u1: two of u1's posts (mine), a post of an author with the
// same ID on another source and one of another author; two follow-ups of
// u1's and one to keep; an alert sampling one of u1's posts and another,
// one sampling only u1's, one sampling none.
type erasureFixture struct {
	mine                     []earshot.Post
	sameIDElsewhere, other   earshot.Post
	fu, fu2, keep            earshot.FollowUp
	withMine, onlyMine, none earshot.Alert
}

func saveErasureFixture(t *testing.T, st earshot.Store) erasureFixture {
	t.Helper()
	var f erasureFixture
	gone := earshot.Author{ID: "u1", Handle: "secret_handle", Name: "Secret Name", Followers: 5}
	f.mine = []earshot.Post{
		NewPost("twitter", "m1", Base).AuthorFull(gone).Text("private words one").Score(-0.8).Post(),
		NewPost("twitter", "m2", Base.Add(time.Minute)).AuthorFull(gone).Text("private words two").Score(-0.7).Post(),
	}
	f.sameIDElsewhere = NewPost("mastodon", "o1", Base).Author("u1", 3).Text("not the same person").Score(-0.5).Post()
	f.other = NewPost("twitter", "o2", Base).Author("u2", 3).Text("someone else").Score(-0.5).Post()
	save(t, st, append(slices.Clone(f.mine), f.sameIDElsewhere, f.other)...)

	f.fu = followUp("fu-gone", 1, earshot.FollowUpOpen, Base)
	f.fu.Author, f.fu.PostIDs = gone, []string{f.mine[0].ID, f.mine[1].ID}
	f.fu2 = f.fu
	f.fu2.ID, f.fu2.State = "fu-gone-old", earshot.FollowUpResolved
	f.keep = followUp("fu-keep", 2, earshot.FollowUpOpen, Base)
	f.keep.Source, f.keep.Author = "mastodon", f.sameIDElsewhere.Author
	for _, fu := range []earshot.FollowUp{f.fu, f.fu2, f.keep} {
		saveFollowUp(t, st, fu)
	}

	f.withMine = alert("alert:a1", Base.Add(time.Hour))
	f.withMine.Why.Posts = []earshot.Post{f.mine[0], f.other}
	f.onlyMine = alert("alert:a2", Base.Add(2*time.Hour))
	f.onlyMine.Why.Posts = []earshot.Post{f.mine[1]}
	f.none = alert("alert:a3", Base.Add(3*time.Hour))
	f.none.Why.Posts = []earshot.Post{f.sameIDElsewhere}
	for _, a := range []earshot.Alert{f.withMine, f.onlyMine, f.none} {
		if err := st.SaveAlert(t.Context(), a); err != nil {
			t.Fatalf("SaveAlert: %v", err)
		}
	}
	return f
}

// wantAuthorGone checks that nothing of the erased author remains: not
// their posts, not their follow-ups.
func (f erasureFixture) wantAuthorGone(t *testing.T, st earshot.Store) {
	t.Helper()
	ctx := t.Context()
	for _, p := range f.mine {
		_, err := st.Post(ctx, p.ID)
		wantNotFound(t, "Post("+p.ID+") after erasing", err)
	}
	for _, id := range []string{f.fu.ID, f.fu2.ID} {
		_, err := st.FollowUp(ctx, id)
		wantNotFound(t, "FollowUp("+id+") after erasing", err)
	}
	all, err := st.FollowUps(ctx)
	if err != nil {
		t.Fatalf("FollowUps: %v", err)
	}
	if len(all) != 1 || all[0].ID != f.keep.ID {
		t.Errorf("FollowUps after erasing: got %v, want only %s", all, f.keep.ID)
	}
	lister := st.(earshot.PostLister)
	left, err := lister.Posts(ctx, earshot.PostQuery{From: Base.Add(-time.Hour), To: Base.Add(time.Hour), Limit: 100})
	if err != nil {
		t.Fatalf("Posts: %v", err)
	}
	for _, p := range left {
		if p.Source == "twitter" && p.Author.ID == "u1" {
			t.Errorf("Posts after erasing: still has %s", p.ID)
		}
	}
	if len(left) != 2 {
		t.Errorf("Posts after erasing: got %d, want the 2 of other authors", len(left))
	}
}

// wantAlertsPruned checks that the alerts stay, each without the erased
// author's sample posts and with its summary unchanged.
func (f erasureFixture) wantAlertsPruned(t *testing.T, st earshot.Store) {
	t.Helper()
	as := alerts(t, st, wide.From, wide.To)
	if len(as) != 3 {
		t.Fatalf("Alerts after erasing: got %d, want 3 (alerts stay, only the author's posts go)", len(as))
	}
	wantPosts := map[string][]string{f.withMine.ID: {f.other.ID}, f.onlyMine.ID: nil, f.none.ID: {f.sameIDElsewhere.ID}}
	for _, a := range as {
		var ids []string
		for _, p := range a.Why.Posts {
			ids = append(ids, p.ID)
			if p.Source == "twitter" && p.Author.ID == "u1" {
				t.Errorf("alert %s still holds a post of the erased author", a.ID)
			}
		}
		if !slices.Equal(ids, wantPosts[a.ID]) {
			t.Errorf("alert %s sample posts: got %v, want %v", a.ID, ids, wantPosts[a.ID])
		}
		if a.Summary != f.withMine.Summary {
			t.Errorf("alert %s summary changed: %q", a.ID, a.Summary)
		}
	}
}
