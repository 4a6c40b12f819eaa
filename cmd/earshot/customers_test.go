package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/followup"
	"github.com/earshot/earshot/store/duckdb"
)

// TestFollowupsCustomersEraseCLI: accounts imported from a list with a bad
// line, flagging over stored posts as serve does (a customer flagged with
// their tier, a marked account and a likely news account held out), the
// queue listed with source, ID, handle and customer, then one author
// erased with nothing of them left and an audit line.
func TestFollowupsCustomersEraseCLI(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "q.duckdb")
	store := "duckdb://" + path
	cli := func(want int, args ...string) (string, string) {
		t.Helper()
		e, out, errb := testEnv("")
		if code := run(t.Context(), append(args, "--store", store), e); code != want {
			t.Fatalf("earshot %s: exit %d, want %d; stderr: %s", strings.Join(args, " "), code, want, errb)
		}
		return out.String(), errb.String()
	}

	now := time.Now().UTC()
	post := func(id, author, handle, name string, followers int64, ago time.Duration, score float64) earshot.Post {
		return earshot.Post{ID: "twitter:" + id, Source: "twitter", Kind: earshot.KindPost,
			Author: earshot.Author{ID: author, Handle: handle, Name: name, Followers: followers},
			Text:   "Acme is broken again " + id, CreatedAt: now.Add(-ago), CollectedAt: now.Add(-ago),
			Sentiment: earshot.Sentiment{Score: score, Label: earshot.Negative}}
	}
	posts := []earshot.Post{
		post("z1", "100", "zoe_b", "Zoë", 300, 5*time.Hour, -0.4),
		post("z2", "100", "zoe_b", "Zoë", 300, 4*time.Hour, -0.5),
		post("z3", "100", "zoe_b", "Zoë", 300, 3*time.Hour, -0.3),
		post("n1", "200", "cloudoutagewatch", "Cloud Outage Watch", 96_400, 2*time.Hour, -0.9),
		post("r1", "300", "rivalco", "Rival", 50, 3*time.Hour, -0.4),
		post("r2", "300", "rivalco", "Rival", 50, 2*time.Hour, -0.4),
		post("r3", "300", "rivalco", "Rival", 50, time.Hour, -0.4),
	}
	st, err := duckdb.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SavePosts(t.Context(), posts); err != nil {
		t.Fatal(err)
	}
	alert := earshot.Alert{ID: "alert:1", Kind: earshot.AlertSpike, Severity: "warning", Summary: "acme", At: now,
		Why: earshot.Why{Posts: []earshot.Post{posts[0], posts[3]}}}
	if err := st.SaveAlert(t.Context(), alert); err != nil {
		t.Fatal(err)
	}
	st.Close()

	list := filepath.Join(dir, "accounts.csv")
	if err := os.WriteFile(list, []byte("source,handle,kind,customer_id,name,tier,owner\n"+
		"twitter,@Zoe_B,customer,crm-9,Zoë's Bakery,enterprise,sam\n"+
		"twitter,rivalco,competitor,,,,\n"+
		"twitter,nobody,customer,,,,\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr := cli(2, "customers", "import", list)
	if !strings.Contains(out, "Imported 2 of 3 accounts") || !strings.Contains(stderr, "line 4: a customer needs a customer_id or a name") {
		t.Errorf("import: stdout %q stderr %q", out, stderr)
	}

	out, _ = cli(0, "followups", "flag", "--since", "24h", "--json")
	var rep followup.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("flag --json: %v\n%s", err, out)
	}
	if rep.Stats.Opened != 1 || len(rep.Flagged) != 1 || rep.Flagged[0].Author.ID != "100" || len(rep.Held) != 2 {
		t.Fatalf("flag: %+v", rep)
	}
	held := map[string]string{}
	for _, h := range rep.Held {
		held[h.Author.ID] = h.Reason
	}
	if held["300"] != "held out: marked competitor" || !strings.HasPrefix(held["200"], "held out: likely media (signals: name says watch, outage") {
		t.Errorf("held: %v", held)
	}
	// Flagging again opens nothing new.
	out, _ = cli(0, "followups", "flag", "--since", "24h", "--json")
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Stats.Opened != 0 || len(rep.Flagged) != 0 {
		t.Errorf("flag again: %v %+v", err, rep)
	}

	out, _ = cli(0, "followups", "list", "--state", "open", "--json")
	var fus []earshot.FollowUp
	if err := json.Unmarshal([]byte(out), &fus); err != nil || len(fus) != 1 {
		t.Fatalf("list: %v %s", err, out)
	}
	fu := fus[0]
	if fu.Source != "twitter" || fu.Author.ID != "100" || fu.Author.Handle != "zoe_b" ||
		fu.Customer != (earshot.Customer{ID: "crm-9", Name: "Zoë's Bakery", Tier: "enterprise"}) || fu.Priority != 3 {
		t.Errorf("listed %+v, want zoe_b as customer crm-9 at P3 (repeated + enterprise)", fu)
	}
	if out, _ := cli(0, "followups", "list"); !strings.Contains(out, "@zoe_b") || !strings.Contains(out, "Zoë's Bakery (enterprise)") {
		t.Errorf("list table:\n%s", out)
	}
	out, _ = cli(0, "followups", "list", "--held", "--json", "--since", "24h")
	var hs []followup.Held
	if err := json.Unmarshal([]byte(out), &hs); err != nil || len(hs) != 2 {
		t.Errorf("list --held: %v %s", err, out)
	}
	cli(2, "followups", "list", "--state", "waiting")
	cli(2, "followups", "flag", "--since", "yesterday")

	// Erase the customer: posts, follow-up and the alert's copy go.
	out, _ = cli(0, "erase", "--author", "twitter:100")
	if !strings.Contains(out, "Erased twitter:100: 3 posts, 1 follow-ups, sample posts cut from 1 alerts") {
		t.Errorf("erase: %q", out)
	}
	cli(2, "erase", "--author", "100")
	cli(2, "erase")
	st, err = duckdb.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, id := range []string{"twitter:z1", "twitter:z2", "twitter:z3"} {
		if _, err := st.Post(t.Context(), id); err == nil {
			t.Errorf("post %s survived erasing", id)
		}
	}
	if all, _ := st.FollowUps(t.Context()); len(all) != 0 {
		t.Errorf("follow-ups after erasing: %+v", all)
	}
	as, _ := st.Alerts(t.Context(), now.Add(-time.Hour), now.Add(time.Hour))
	if len(as) != 1 || len(as[0].Why.Posts) != 1 || as[0].Why.Posts[0].Author.ID != "200" {
		t.Errorf("alert after erasing: %+v", as)
	}
	st.Close()
	out, _ = cli(0, "erase", "--audit", "--json")
	var lines []earshot.Erasure
	if err := json.Unmarshal([]byte(out), &lines); err != nil || len(lines) != 1 || lines[0].AuthorID != "100" || lines[0].Posts != 3 {
		t.Errorf("audit: %v %s", err, out)
	}
	if strings.Contains(out, "zoe") || strings.Contains(out, "broken") {
		t.Errorf("the audit keeps erased content: %s", out)
	}
}
