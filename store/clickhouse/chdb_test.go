package clickhouse

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/earshot/earshot"
)

// TestChdbCurrentServer runs every statement the store sends to a current
// server (the dialect Open picks for 26.x: DateTime64, LowCardinality,
// Map, TTL, skip index) on chdb, a ClickHouse 26 engine in-process: the
// migrations, then each insert with rows the store itself builds, then
// every query with sample parameters. A syntax or semantic error fails
// the test. chdb-go panics at start-up when the library is missing, so the
// statements run in a helper program (internal/chdbrun), built here.
func TestChdbCurrentServer(t *testing.T) {
	if os.Getenv("CHDB_LIB_PATH") == "" {
		t.Skip("set CHDB_LIB_PATH to libchdb.so (.ci/chdb.sh DIR prints it) to check the SQL on a current ClickHouse")
	}
	// Retention long enough that the sample posts of 2026 do not expire.
	d := DialectFor(Version{26, 7}, "earshot_chdb", "", 20*365*24*time.Hour)
	d.Retention.Rollups = 25 * 365 * 24 * time.Hour // the rollup's TTL apart from the posts'
	stmts := append(chdbScript(t, d), chdbUpgradeScript(t)...)
	outcomes, stderr := runChdb(t, stmts)
	results := map[string]string{}
	n := 0
	for i, o := range outcomes {
		n++
		results[o.Name] = o.Result
		if o.Error != "" {
			t.Errorf("%s failed on chdb: %s\nSQL:\n%s", o.Name, firstLine(o.Error), stmts[i].sql)
		}
	}
	if n != len(stmts) {
		t.Fatalf("chdbrun answered %d of %d statements\n%s", n, len(stmts), stderr)
	}
	v, err := ParseVersion(results[qServerVersion])
	if err != nil || !v.AtLeast(26, 0) {
		t.Errorf("chdb reports version %q (%v), want 26 or later", results[qServerVersion], err)
	}
	// A few answers, to see the rows went in and come out as meant.
	for name, want := range map[string]string{
		qCountPosts:       "2",
		qCountAuthorPosts: "2",
		qCursor:           "cursor-2",
		qFollowUpsInStates: "f-1\ttwitter\tu1\th_u1\tName u1\t10\t['twitter:1','twitter:2']\tangry\t1\topen\t\tinc-1\t" +
			`[{"at":"2026-03-02T11:00:00Z","author":"bot","text":"flagged"}]` + "\t0\t" +
			strconv.FormatInt(chdbBase.UnixNano(), 10) + "\t" + strconv.FormatInt(chdbBase.UnixNano(), 10),
	} {
		if got := results[name]; got != want {
			t.Errorf("%s answered %q, want %q", name, got, want)
		}
	}
	// The version collected later wins though it was saved first.
	if got := results[qPost]; !strings.Contains(got, "acme is down") || strings.Contains(got, "older version") {
		t.Errorf("post answered %q, want the version collected last", got)
	}
	if got, want := results[qPost], "\t\ttwitter:0\tavailability\t2\t1\t4.12.0 (881)"; !strings.HasSuffix(got, want) { // no incident, a parent, a reason, stars, by the brand, the app version
		t.Errorf("post answered %q, want it to end with its parent, reason, rating, from_brand and app_version", got)
	}
	// The spike's later version only; the one ended an hour before the
	// window is out.
	if got, want := results[qSpikes], "s-1\twatch\tacme\tvolume\t"+strconv.FormatInt(chdbBase.UnixNano(), 10)+"\t"+
		strconv.FormatInt(chdbBase.Add(5*time.Minute).UnixNano(), 10)+"\t"+strconv.FormatInt(chdbBase.Add(30*time.Minute).UnixNano(), 10)+
		"\t300000000000\t40\t10\t0.9\tinc-1\t0.75"; got != want {
		t.Errorf("spikes answered %q, want %q", got, want)
	}
	// The hash of the version collected last, computed when saved; none
	// for IDs not stored.
	if got, want := results[qPostHashes], "twitter:1\t"+strconv.FormatUint(earshot.ContentHash(chdbPost), 10); got != want {
		t.Errorf("post hashes answered %q, want %q", got, want)
	}
	// The recovered collector's later health only, by name.
	if got, want := results[qHealth], "hn\t\t0\t0\t\t0\t0\t0\t0\t0\nrss\trss\t"+ns(chdbBase.Add(time.Minute))+"\t"+
		ns(chdbBase.Add(time.Minute))+"\t\t0\t0\t60000000000\t12\t"+ns(chdbBase.Add(time.Minute)); got != want {
		t.Errorf("health answered %q, want %q", got, want)
	}
	// The gap filled before the window is out; the one still open is in.
	if got, want := results[qGaps], "hn@1\thn\t"+ns(chdbBase.Add(-2*time.Hour))+"\t0\ttoken refused\t0"; got != want {
		t.Errorf("gaps answered %q, want %q", got, want)
	}
	if got, want := results[qSeriesByWatch], "acme\t1\t1\t1\t0\t-0.8\n"; !strings.Contains(got+"\n", want) {
		t.Errorf("series by watch answered %q, want a row ending %q", got, want)
	}
	// A right rollup needs no fix; a bogus row is taken away.
	if got, want := results[qPostSpan], ns(chdbBase)+"\t"+ns(chdbBase.Add(90*time.Minute))+"\t3"; got != want {
		t.Errorf("post span answered %q, want %q", got, want)
	}
	if got := results[qRollupFixes]; got != "" {
		t.Errorf("rollup fixes of a right rollup answered %q, want nothing", got)
	}
	if got, want := results[qRollupPosts], "2"; got != want {
		t.Errorf("rollup posts answered %q, want %q", got, want)
	}
	if got, want := results["rollup fixes of a bogus row"], ns(chdbBase)+"\t\thn\t-1\t-1\t0\t-1\t-500000000"; got != want {
		t.Errorf("rollup fixes of a bogus row answered %q, want %q", got, want)
	}
	// The rollup agrees with the posts, and leaves out what was taken away.
	for rollup, posts := range map[string]string{qRollupSeries: qSeries, qRollupSeriesBySrc: qSeriesBySource, qRollupSeriesByWatch: qSeriesByWatch} {
		if got, want := results[rollup], results[posts]; got != want || got == "" {
			t.Errorf("%s answered %q, want what %s answered, %q", rollup, got, posts, want)
		}
	}
	if got := results[qRollupSeriesBySrc]; strings.Contains(got, "0.5") {
		t.Errorf("rollup series by source answered %q: the post taken away counts", got)
	}
	// The ranges are [from, chdbBase) and [chdbBase+1h, to): twitter:1,
	// created at chdbBase, is in neither; twitter:2 (chdbBase+90m) is in
	// the second.
	if got, want := results[qEdgeSeriesBySource], ns(chdbBase.Add(time.Hour))+"\ttwitter\t1\t0\t0\t0\t0"; got != want {
		t.Errorf("edge series by source answered %q, want %q", got, want)
	}
	if got := "\n" + results[qPostStates] + "\n"; strings.Count(got, "\n") != 3 ||
		!strings.Contains(got, "\ntwitter:1\t"+ns(chdbBase)+"\t\t"+ns(chdbPost.CollectedAt)+"\ttwitter\t['acme','acmecloud']\tnegative\t-0.8\n") ||
		!strings.Contains(got, "\ntwitter:2\t") {
		t.Errorf("post states answered %q, want twitter:1's latest version and twitter:2", got)
	}
	// Rows of every version: twitter:1's older one too, which has the same
	// score; both versions of twitter:1 with their row versions and parts,
	// the stored one with the higher version.
	if got, want := results[qNegativeCandidates], "twitter:1\t"+ns(chdbBase)+"\t-0.8\ntwitter:1\t"+ns(chdbBase)+"\t-0.8"; got != want {
		t.Errorf("negative candidates answered %q, want %q", got, want)
	}
	winners := strings.Split(results[qNegativeWinners], "\n")
	versionOf := func(line string) string {
		f := strings.Split(line, "\t")
		if len(f) < 2 || partBlock(f[len(f)-1]) == 0 {
			return ""
		}
		return f[len(f)-2]
	}
	var stored, older string
	for _, l := range winners {
		if strings.Contains(l, "older version") {
			older = versionOf(l)
		} else if strings.Contains(l, "acme is down") {
			stored = versionOf(l)
		}
	}
	if len(winners) != 2 || stored != ns(chdbPost.CollectedAt) || older != ns(chdbBase.Add(30*time.Second)) {
		t.Errorf("negative winners answered %q, want both versions of twitter:1 with their versions and parts", results[qNegativeWinners])
	}
	for name, wants := range map[string][]string{
		"explain rollup series":           {"post_rollup", "PrimaryKey", "Keys:", "watch", "bucket"},
		"explain rollup series by source": {"post_rollup", "PrimaryKey", "Keys:", "watch", "bucket"},
		"explain edge series":             {".posts", "PrimaryKey", "Keys:", "created_at"},
		"explain top negative":            {".posts", "PrimaryKey", "Keys:", "created_at"},
		"explain posts":                   {".posts", "PrimaryKey", "Keys:", "created_at"},
		// The candidates' exact creation times reach the sorting key.
		"explain negative winners": {".posts", "PrimaryKey", "toUnixTimestamp64Nano(created_at) in 2-element set"},
	} {
		got := results[name]
		for _, want := range wants {
			if !strings.Contains(got, want) {
				t.Errorf("%s: the plan does not say %q:\n%s", name, want, got)
			}
		}
	}
	// The latest versions, newest first.
	if got := results[qPosts]; !strings.HasPrefix(got, "twitter:2\t") || !strings.Contains(got, "\ntwitter:1\t") || strings.Contains(got, "older version") {
		t.Errorf("posts answered %q, want twitter:2 then twitter:1's latest version", got)
	}
	if got, want := results[qPostLinks], "twitter:2\tinc-1"; got != want {
		t.Errorf("post links answered %q, want %q", got, want)
	}
	if got, want := results[qLinkCandidates], "\t4.12.0 (881)\t"+strconv.FormatUint(earshot.ContentHash(chdbPost), 10)+"\t"+ns(chdbPost.CollectedAt); !strings.HasPrefix(got, "twitter:1\t") || !strings.HasSuffix(got, want) {
		t.Errorf("link candidates answered %q, want twitter:1 ending %q", got, want)
	}
	if got, want := results["post after linking"], "\tinc-7\ttwitter:0\tavailability\t2\t1\t4.12.0 (881)"; !strings.HasSuffix(got, want) || !strings.Contains(got, "acme is down") {
		t.Errorf("post after linking answered %q, want the latest version ending %q", got, want)
	}
	if got := results[qAlerts]; !strings.HasPrefix(got, "a-1\tresolved\t") || strings.Count(got, "\n") != 0 ||
		!strings.HasSuffix(got, "\t"+ns(chdbBase.Add(time.Hour))+"\t"+ns(chdbBase.Add(30*time.Minute))) {
		t.Errorf("alerts answered %q, want a-1's later version only", got)
	}
	if got, want := results[qDeliveries], "d-1\tslack\tg\t['a-1']\t2\t"+ns(chdbBase.Add(time.Minute))+"\t1"; got != want {
		t.Errorf("deliveries answered %q, want %q", got, want)
	}
	// The digest's later save only.
	if got := results[qEpisodes]; got != `{"id":"ep-1","watch":"acme"}` {
		t.Errorf("episodes in the window = %q, want ep-1's body alone", got)
	}
	if got := results[qThread]; got != "1700000000.000200" {
		t.Errorf("thread = %q, want the last saved reference", got)
	}
	if got := results[qSilences]; got != `{"id":"sil-1"}` {
		t.Errorf("silences ending after the time = %q, want sil-1's body alone", got)
	}
	if got := results[qDigests]; !strings.HasPrefix(got, "weekly.20260302T1000Z\tweekly\t") || strings.Contains(got, "\n") || !strings.HasSuffix(got, "['a@b.example']\t1") {
		t.Errorf("digests answered %q, want the later, delivered save only", got)
	}
	if got, want := results[qAccount], "ana\tsupport\t$2a$10$new\t"+ns(chdbBase)+"\t"+ns(chdbBase.Add(time.Hour)); got != want {
		t.Errorf("account answered %q, want %q", got, want)
	}
	if got := results[qAccounts]; !strings.HasPrefix(got, "ana\t") || !strings.Contains(got, "\nbo\texec\t") || strings.Count(got, "\n") != 1 {
		t.Errorf("accounts answered %q, want ana's later save then bo", got)
	}
	revoked := "h1\tana\tlaptop\tread,queue\t" + ns(chdbBase) + "\t" + ns(chdbBase.Add(time.Minute))
	if got := results[qToken]; got != revoked {
		t.Errorf("token answered %q, want %q", got, revoked)
	}
	if got := results[qTokens]; got != revoked {
		t.Errorf("tokens answered %q, want %q", got, revoked)
	}
	if got, want := results[qSession], "s1\tana\t"+ns(chdbBase)+"\t"+ns(chdbBase.Add(12*time.Hour))+"\t"+ns(chdbBase.Add(time.Minute)); got != want {
		t.Errorf("session answered %q, want %q", got, want)
	}
	if got := results[qPublications]; got != `{"id":"pub-1"}`+"\n"+`{"id":"pub-2","state":"published"}` {
		t.Errorf("publications of inc-1 = %q, want pub-1 then pub-2's last save", got)
	}
	// A database from before 0017 answers the same after it, and its
	// rollup as its posts.
	for _, name := range []string{qSeries, qSeriesBySource, qSeriesByWatch, qCountPosts, qTopNegative, qPost} {
		before, after := results["upgrade: before, "+name], results["upgrade: after, "+name]
		if before != after || before == "" {
			t.Errorf("upgrading: %s answered %q before 0017 and %q after", name, before, after)
		}
	}
	for rollup, posts := range map[string]string{qRollupSeries: qSeries, qRollupSeriesBySrc: qSeriesBySource, qRollupSeriesByWatch: qSeriesByWatch} {
		if got, want := results["upgrade: after, "+rollup], results["upgrade: after, "+posts]; got != want {
			t.Errorf("upgrading: %s answered %q, want what %s answered, %q", rollup, got, posts, want)
		}
	}
	if got := results["upgrade: sorting key"]; got != "created_at, source, id" {
		t.Errorf("upgrading: the posts' sorting key is %q, want created_at, source, id", got)
	}
	if got := results[qSocialAccounts]; got != "twitter\tnewsbot\tmedia\t\t\t\t\t"+ns(chdbBase)+"\ntwitter\t@Zoe_Ops\tcustomer\tc-1\tZoe Shop\tstrategic\tsam\t"+ns(chdbBase.Add(time.Minute)) {
		t.Errorf("social accounts answered %q, want newsbot then zoe's later save", got)
	}
	if got := results[qErasures]; got != "er-1\ttwitter\tu9\tcli:ana\t"+ns(chdbBase)+"\t2\t1\t0" {
		t.Errorf("erasures answered %q", got)
	}
	t.Logf("%d statements ran on chdb %s", n, results[qServerVersion])
}

type chdbStatement struct{ name, sql string }

// chdbOutcome is chdbrun's answer to one statement.
type chdbOutcome struct {
	Name, Error, Result string
	Millis              float64
}

// runChdb builds internal/chdbrun and runs stmts on it, in one session, in
// order. It returns the answers (fewer than stmts if chdbrun stopped) and
// what chdbrun wrote on stderr.
func runChdb(t *testing.T, stmts []chdbStatement) ([]chdbOutcome, string) {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go tool is needed to build internal/chdbrun")
	}
	bin := filepath.Join(t.TempDir(), "chdbrun")
	build := exec.Command(goTool, "build", "-o", bin, "./internal/chdbrun")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building chdbrun: %v\n%s", err, out)
	}
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	for _, st := range stmts {
		if err := enc.Encode(map[string]string{"name": st.name, "sql": st.sql}); err != nil {
			t.Fatal(err)
		}
	}
	run := exec.Command(bin)
	run.Stdin = &in
	var stderr bytes.Buffer
	run.Stderr = &stderr
	out, err := run.Output()
	if err != nil && len(out) == 0 {
		t.Fatalf("running chdbrun: %v\n%s", err, stderr.String())
	}
	var outcomes []chdbOutcome
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var o chdbOutcome
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			t.Fatalf("reading chdbrun output: %v", err)
		}
		outcomes = append(outcomes, o)
	}
	return outcomes, stderr.String()
}

// ns is t in nanoseconds since the epoch, as the queries answer times.
func ns(t time.Time) string { return strconv.FormatInt(t.UnixNano(), 10) }

var chdbBase = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// chdbPost is the sample post the script saves, with an older version
// saved after it.
var chdbPost = earshot.Post{
	ID: "twitter:1", Source: "twitter", Kind: earshot.KindPost, URL: "https://x.test/1",
	Author: earshot.Author{ID: "u1", Handle: "h_u1", Name: "Name u1", Followers: 10},
	Text:   "acme is down 'again' \\o/", Lang: "en", CreatedAt: chdbBase, CollectedAt: chdbBase.Add(time.Minute),
	Watches: []string{"acme", "acmecloud"},
	Sentiment: earshot.Sentiment{Score: -0.8, Label: earshot.Negative, Parts: map[string]float64{"vader": -0.7, "lex": -0.9},
		Reason: earshot.ReasonOutage},
	ParentID: "twitter:0", Rating: 2, FromBrand: true, AppVersion: "4.12.0 (881)",
}

// chdbAlert is the sample alert the script saves, then replaces.
var chdbAlert = earshot.Alert{
	ID: "a-1", Kind: earshot.AlertSpike, SpikeID: "s-1", Watch: "acme", Metric: earshot.MetricVolume, Severity: "critical",
	Labels: map[string]string{"watch": "acme"}, IncidentID: "inc-1", Confidence: 0.75, Summary: "acme: 4× the usual 'volume'",
	Why:      earshot.Why{Terms: []earshot.TermLift{{Term: "down", Count: 3, Lift: 2.5}}, Posts: []earshot.Post{chdbPost}},
	StartsAt: chdbBase, At: chdbBase.Add(30 * time.Minute),
}

// dialectSQL is d's queries and migrations, failing t if they do not
// render.
func dialectSQL(t *testing.T, d Dialect) (map[string]string, []Migration) {
	t.Helper()
	q, err := d.Queries()
	if err != nil {
		t.Fatal(err)
	}
	ms, err := d.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	return q, ms
}

// chdbScript lists the statements to run, in order, each query with
// sample parameters bound; it fails the test if a query has no sample.
func chdbScript(t *testing.T, d Dialect) []chdbStatement {
	t.Helper()
	q, ms := dialectSQL(t, d)
	s := &Store{d: d, q: q}
	var out []chdbStatement
	covered := map[string]bool{}
	add := func(name string, args ...any) {
		sql := mustQuery(q, name)
		if got := countArgs(sql); got != len(args) {
			t.Fatalf("%s takes %d parameters, the sample has %d", name, got, len(args))
		}
		out = append(out, chdbStatement{name, bindLiterals(t, sql, args)})
		covered[name] = true
	}
	insert := func(name string, rows ...[]any) {
		var vals []string
		for _, r := range rows {
			lits := make([]string, len(r))
			for i, v := range r {
				lits[i] = literal(t, v)
			}
			vals = append(vals, "("+strings.Join(lits, ", ")+")")
		}
		out = append(out, chdbStatement{name, mustQuery(q, name) + " VALUES " + strings.Join(vals, ", ")})
		covered[name] = true
	}

	add(qServerVersion)
	add(qCreateDatabase)
	for _, m := range ms {
		for i, stmt := range m.Statements {
			out = append(out, chdbStatement{fmt.Sprintf("migration %04d_%s #%d", m.Version, m.Name, i+1), stmt})
		}
	}
	insert(qRecordMigration, []any{uint32(1), "posts", sqlExpr("toDateTime('2026-03-02 10:00:00', 'UTC')")})
	add(qAppliedMigrations)
	add(qTableColumns, d.DB, "posts")
	add(qTableEngine, d.DB, "posts")
	add(qModifyTTL)

	p1 := chdbPost
	p1old := p1
	p1old.Text, p1old.CollectedAt, p1old.AppVersion = "older version", chdbBase.Add(30*time.Second), "4.11.9"
	p2 := p1
	p2.ID, p2.Watches, p2.Sentiment, p2.CreatedAt = "twitter:2", nil, earshot.Sentiment{}, chdbBase.Add(90*time.Minute)
	p2.ParentID, p2.IncidentID = "twitter:1", "inc-1"
	insert(qInsertPosts, s.postRow(p1), s.postRow(p2))
	insert(qInsertPosts, s.postRow(p1old))
	// The rollup rows SavePosts writes for these saves: p1 and p2 are
	// new; p1old, older than p1, replaces nothing.
	insert(qInsertRollup, stateOf(p1, collectedVersion(p1)).rollupRow(1), stateOf(p2, collectedVersion(p2)).rollupRow(1))
	// A version replaced, then taken out again: they add up to nothing.
	ghost := p2
	ghost.ID, ghost.Sentiment = "twitter:ghost", earshot.Sentiment{Score: 0.5, Label: earshot.Positive}
	insert(qInsertRollup, stateOf(ghost, 1).rollupRow(1))
	insert(qInsertRollup, stateOf(ghost, 1).rollupRow(-1))

	from, to := chdbBase.Add(-24*time.Hour), chdbBase.Add(24*time.Hour)
	window := windowArgs(from, to, "acme", "twitter")
	anyWindow := windowArgs(from, to, "", "")
	add(qPost, "twitter:1")
	add(qCountPosts, anyWindow...)
	for _, name := range []string{qSeries, qSeriesBySource, qSeriesByWatch} {
		add(name, append([]any{int64(time.Hour), int64(time.Hour)}, window...)...)
	}
	add(qTopNegative, append(window, 100)...)
	// The rollup answers the same as the posts for the whole minutes of
	// the window; the edge query reads posts in two ranges.
	hour := []any{int64(time.Hour), int64(time.Hour), toNS(from), toNS(to)}
	add(qRollupSeries, append(hour, "acme", "twitter", "twitter")...)
	add(qRollupSeriesBySrc, append(hour, "acme", "twitter", "twitter")...)
	add(qRollupSeriesByWatch, append(hour, "", "")...)
	edges := []any{int64(time.Hour), int64(time.Hour), toNS(from), toNS(chdbBase), toNS(chdbBase.Add(time.Hour)), toNS(to)}
	add(qEdgeSeries, append(edges, "acme", "acme", "twitter", "twitter")...)
	add(qEdgeSeriesBySource, append(edges, "", "", "", "")...)
	add(qEdgeSeriesByWatch, append(edges, "", "", "", "")...)
	add(qPostStates, toNS(chdbBase), toNS(chdbBase.Add(90*time.Minute)), clickhouse.GroupSet{Value: []any{"twitter:1", "twitter:2", "it's"}})
	add(qAuthorStates, "twitter", "u1")
	add(qNegativeCandidates, toNS(from), toNS(to), math.MaxFloat64, "", "", "", "", 10)
	winnersArgs := []any{toNS(chdbBase), toNS(chdbBase.Add(90 * time.Minute)),
		clickhouse.GroupSet{Value: []any{toNS(chdbBase), toNS(chdbBase.Add(90 * time.Minute))}}, clickhouse.GroupSet{Value: []any{"twitter:1", "it's"}}}
	add(qNegativeWinners, winnersArgs...)
	// Rebuilding: the rollup is right, so nothing to fix; then a row of no
	// post, which the fixes take away.
	add(qPostSpan)
	add(qRollupBucketSpan)
	add(qRollupFixes, toNS(from), toNS(to), toNS(from), toNS(to))
	add(qRollupPosts, toNS(from), toNS(to))
	insert(qInsertRollupRows, []any{toNS(chdbBase), "", "hn", int64(1), int64(1), int64(0), int64(1), int64(500000000)})
	out = append(out, chdbStatement{"rollup fixes of a bogus row", bindLiterals(t, mustQuery(q, qRollupFixes), []any{toNS(from), toNS(to), toNS(from), toNS(to)})})
	// What the server does with the dashboard's queries: the rollup read
	// by its key for series, the posts by their time key for the rest.
	explain := func(name, query string, args ...any) {
		out = append(out, chdbStatement{name, "EXPLAIN indexes = 1 " + bindLiterals(t, mustQuery(q, query), args)})
	}
	explain("explain rollup series", qRollupSeries, append(hour, "", "", "")...)
	explain("explain rollup series by source", qRollupSeriesBySrc, append(hour, "", "", "")...)
	explain("explain edge series", qEdgeSeries, append(edges, "", "", "", "")...)
	explain("explain top negative", qTopNegative, append(anyWindow, 100)...)
	explain("explain posts", qPosts, append(anyWindow, 100)...)
	explain("explain negative winners", qNegativeWinners, winnersArgs...)
	add(qAuthors, append(anyWindow, 100)...)
	add(qCountAuthorPosts, "twitter", "u1")

	inc := []any{"inc-1", "statuspage", "API down", "investigating", "major", []string{"api"},
		s.timeArg(chdbBase), s.timeArg(time.Time{}), "https://status.test/1", s.timeArg(chdbBase),
		`[{"at":"2026-03-02T10:00:00Z","status":"investigating","body":"looking"}]`, []string{"acme"},
		`{"at":"2026-03-02T12:00:00Z","by":"ada","override":"called them"}`, uint64(1)}
	insert(qInsertIncident, inc)
	add(qIncident, "inc-1")
	add(qIncidents, toNS(to), toNS(from))
	add(qActiveIncidents, toNS(chdbBase), toNS(chdbBase))

	fu := []any{"f-1", "twitter", "u1", "h_u1", "Name u1", int64(10), []string{"twitter:1", "twitter:2"},
		"angry", int64(1), "open", "", "inc-1", `[{"at":"2026-03-02T11:00:00Z","author":"bot","text":"flagged"}]`,
		s.timeArg(time.Time{}), s.timeArg(chdbBase), s.timeArg(chdbBase), uint64(1), "", "", ""}
	insert(qInsertFollowUp, fu)
	add(qFollowUp, "f-1")
	add(qFollowUps)
	add(qFollowUpsInStates, []string{"open", "assigned"})

	open := earshot.Spike{ID: "s-1", Scope: earshot.Scope{Kind: earshot.ScopeWatch, Value: "acme"}, Metric: earshot.MetricVolume,
		Start: chdbBase, Peak: chdbBase.Add(5 * time.Minute), Bucket: 5 * time.Minute, Observed: 40, Expected: 10, Score: 0.9}
	ended := open
	ended.End, ended.IncidentID, ended.LinkConfidence = chdbBase.Add(30*time.Minute), "inc-1", 0.75
	before := open
	before.ID, before.Start, before.Peak, before.End = "s-0", chdbBase.Add(-2*time.Hour), chdbBase.Add(-2*time.Hour), chdbBase.Add(-time.Hour)
	insert(qInsertSpike, s.spikeRow(open), s.spikeRow(before))
	insert(qInsertSpike, s.spikeRow(ended))
	add(qSpikes, toNS(chdbBase.Add(time.Hour)), toNS(chdbBase.Add(-time.Hour)))

	add(qPostHashes, clickhouse.GroupSet{Value: []any{"twitter:1", "twitter:404", "it's"}})

	add(qPosts, append(anyWindow, 100)...)
	add(qPostLinks, clickhouse.GroupSet{Value: []any{"twitter:1", "twitter:2", "it's"}})
	add(qLinkCandidates, append(window, "inc-7")...)
	// LinkPosts writes the winning version again with the incident, the
	// same version and hash: it wins over the row it copies.
	linked := p1
	linked.IncidentID = "inc-7"
	insert(qInsertPosts, s.postRowWith(linked, earshot.ContentHash(p1), collectedVersion(p1)))
	out = append(out, chdbStatement{"post after linking", bindLiterals(t, mustQuery(q, qPost), []any{"twitter:1"})})

	alertRow, err := s.alertRow(chdbAlert)
	if err != nil {
		t.Fatal(err)
	}
	resolved := chdbAlert
	resolved.Kind, resolved.EndsAt, resolved.Why = earshot.AlertResolved, chdbBase.Add(time.Hour), earshot.Why{}
	resolvedRow, err := s.alertRow(resolved)
	if err != nil {
		t.Fatal(err)
	}
	insert(qInsertAlert, alertRow)
	insert(qInsertAlert, resolvedRow)
	add(qAlerts, toNS(chdbBase), toNS(chdbBase.Add(time.Hour)))
	failed := earshot.Delivery{ID: "d-1", Receiver: "slack", GroupKey: "g", AlertIDs: []string{"a-1"}, Attempt: 1,
		At: chdbBase, Error: "HTTP 503 'busy'"}
	retried := failed
	retried.Attempt, retried.OK, retried.Error, retried.At = 2, true, "", chdbBase.Add(time.Minute)
	insert(qInsertDelivery, s.deliveryRow(failed), s.deliveryRow(earshot.Delivery{ID: "d-0", At: chdbBase.Add(-time.Hour)}))
	insert(qInsertDelivery, s.deliveryRow(retried))
	add(qDeliveries, toNS(chdbBase), toNS(chdbBase.Add(time.Hour)))

	sent := earshot.SentDigest{ID: "weekly.20260302T1000Z", Name: "weekly", From: chdbBase.Add(-7 * 24 * time.Hour), To: chdbBase,
		SentAt: chdbBase.Add(time.Second), Format: "html", Subject: "Digest 'q'", HTML: "<p>x</p>", Markdown: "# x",
		Recipients: []string{"a@b.example"}, Error: "550 no"}
	insert(qInsertDigest, s.digestRow(sent))
	sent.OK, sent.Error = true, ""
	insert(qInsertDigest, s.digestRow(sent))
	add(qDigest, sent.ID)
	add(qDigests, uint64(10))

	// Accounts, tokens and sessions: the later save of each key only.
	ana := earshot.Account{Name: "ana", Role: earshot.RoleSupport, PasswordHash: "$2a$10$old", CreatedAt: chdbBase}
	insert(qInsertAccount, s.accountRow(ana), s.accountRow(earshot.Account{Name: "bo", Role: earshot.RoleExec}))
	ana.PasswordHash, ana.PasswordChangedAt = "$2a$10$new", chdbBase.Add(time.Hour)
	insert(qInsertAccount, s.accountRow(ana))
	add(qAccount, "ana")
	add(qAccounts)
	tok := earshot.APIToken{Hash: "h1", User: "ana", Name: "laptop", Scopes: []earshot.TokenScope{earshot.ScopeRead, earshot.ScopeQueue}, CreatedAt: chdbBase}
	insert(qInsertToken, s.tokenRow(tok))
	tok.RevokedAt = chdbBase.Add(time.Minute)
	insert(qInsertToken, s.tokenRow(tok))
	add(qToken, "h1")
	add(qTokens, "ana")
	sess := earshot.Session{Hash: "s1", User: "ana", CreatedAt: chdbBase, ExpiresAt: chdbBase.Add(12 * time.Hour)}
	insert(qInsertSession, s.sessionRow(sess))
	sess.RevokedAt = chdbBase.Add(time.Minute)
	insert(qInsertSession, s.sessionRow(sess))
	add(qSession, "s1")

	// Episodes, their threads and silences: JSON bodies with the columns
	// queries select on.
	insert(qInsertEpisode, []any{"ep-1", "acme", s.timeArg(chdbBase), s.timeArg(chdbBase.Add(time.Hour)), `{"id":"ep-1","watch":"acme"}`, uint64(1)},
		[]any{"ep-0", "acme", s.timeArg(chdbBase.Add(-3 * time.Hour)), s.timeArg(chdbBase.Add(-2 * time.Hour)), `{"id":"ep-0"}`, uint64(1)})
	add(qEpisodes, toNS(chdbBase.Add(2*time.Hour)), toNS(chdbBase))
	insert(qInsertThread, []any{"ep-1", "slack", "1700000000.000100", uint64(1)})
	insert(qInsertThread, []any{"ep-1", "slack", "1700000000.000200", uint64(2)})
	add(qThread, "ep-1", "slack")
	insert(qInsertSilence, []any{"sil-1", s.timeArg(chdbBase), s.timeArg(chdbBase.Add(2 * time.Hour)), `{"id":"sil-1"}`, uint64(1)},
		[]any{"sil-0", s.timeArg(chdbBase.Add(-3 * time.Hour)), s.timeArg(chdbBase.Add(-2 * time.Hour)), `{"id":"sil-0"}`, uint64(1)})
	add(qSilences, toNS(chdbBase))
	insert(qInsertPublication, []any{"pub-2", "inc-1", s.timeArg(chdbBase.Add(time.Hour)), `{"id":"pub-2","state":"pending"}`, uint64(1)},
		[]any{"pub-1", "inc-1", s.timeArg(chdbBase), `{"id":"pub-1"}`, uint64(1)},
		[]any{"pub-9", "inc-9", s.timeArg(chdbBase), `{"id":"pub-9"}`, uint64(1)})
	insert(qInsertPublication, []any{"pub-2", "inc-1", s.timeArg(chdbBase.Add(time.Hour)), `{"id":"pub-2","state":"published"}`, uint64(2)})
	add(qPublications, "inc-1")

	failing := earshot.SourceHealth{Collector: "rss", Kind: "rss", LastRun: chdbBase, LastSuccess: chdbBase.Add(-time.Hour),
		LastError: "HTTP 429 'slow down'", LastErrorAt: chdbBase, Failures: 3, Backoff: 90*time.Second + 1, UpdatedAt: chdbBase}
	recovered := earshot.SourceHealth{Collector: "rss", Kind: "rss", LastRun: chdbBase.Add(time.Minute), LastSuccess: chdbBase.Add(time.Minute),
		Backoff: time.Minute, PostsLastHour: 12, UpdatedAt: chdbBase.Add(time.Minute)}
	insert(qInsertHealth, s.healthRow(failing), s.healthRow(earshot.SourceHealth{Collector: "hn"}))
	insert(qInsertHealth, s.healthRow(recovered))
	add(qHealth)

	openGap := earshot.Gap{ID: "rss@1", Collector: "rss", From: chdbBase.Add(-time.Hour), Reason: "quota"}
	filledGap := openGap
	filledGap.To, filledGap.FilledAt = chdbBase.Add(-30*time.Minute), chdbBase
	longOpen := earshot.Gap{ID: "hn@1", Collector: "hn", From: chdbBase.Add(-2 * time.Hour), Reason: "token refused"}
	insert(qInsertGap, s.gapRow(openGap), s.gapRow(longOpen))
	insert(qInsertGap, s.gapRow(filledGap))
	add(qGaps, toNS(chdbBase.Add(time.Hour)), toNS(chdbBase.Add(-10*time.Minute)))

	insert(qInsertCursor, []any{"rss", "cursor-1", uint64(1)}, []any{"rss", "cursor-2", uint64(2)})
	add(qCursor, "rss")

	// Customer accounts, and erasing an author: the follow-ups and old
	// alert versions go by mutation, the audit line is inserted.
	insert(qInsertSocialAccount, []any{"twitter", "zoe_ops", "@Zoe_Ops", "customer", "c-1", "Zoe Shop", "enterprise", "sam",
		s.timeArg(chdbBase), uint64(1)}, []any{"twitter", "newsbot", "newsbot", "media", "", "", "", "", s.timeArg(chdbBase), uint64(1)})
	insert(qInsertSocialAccount, []any{"twitter", "zoe_ops", "@Zoe_Ops", "customer", "c-1", "Zoe Shop", "strategic", "sam",
		s.timeArg(chdbBase.Add(time.Minute)), uint64(2)})
	add(qSocialAccounts)
	add(qAllAlerts)
	add(qCountAuthorFollowUps, "twitter", "u9")
	add(qEraseAuthorFollowUps, "twitter", "u9")
	add(qEraseOldAlert, "a-9", uint64(1))
	insert(qInsertErasure, []any{"er-1", "twitter", "u9", "cli:ana", s.timeArg(chdbBase), int64(2), int64(1), int64(0), uint64(1)})
	add(qErasures)

	add(qEraseAuthor, "twitter", "u2")
	add(qPendingMutations, d.DB, "posts")
	add(qPostPartitions, d.DB, "posts")
	add(qDropPartition, 202001)
	add(qDropRollupPartition, 202001)
	add(qModifyRollupTTL)
	add(qEraseRanks, "twitter", "u2")
	add(qDropRanksPartition, 202001)
	add(qModifyRanksTTL)

	for _, name := range slices.Sorted(maps.Keys(q)) {
		if !covered[name] {
			t.Errorf("query %s is not in the chdb script", name)
		}
	}
	return out
}

// chdbUpgradeScript makes a database with the migrations before 0017,
// saves posts (one in two versions) and asks the dashboard's queries, then
// applies 0017 and asks them again, and the rollup's.
func chdbUpgradeScript(t *testing.T) []chdbStatement {
	t.Helper()
	d := DialectFor(Version{26, 7}, "earshot_chdb_upgrade", "", 0)
	old := d
	old.Rollups = false
	qOld, err := old.Queries()
	if err != nil {
		t.Fatal(err)
	}
	q, err := d.Queries()
	if err != nil {
		t.Fatal(err)
	}
	ms, err := d.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	s := &Store{d: d, q: q}
	out := []chdbStatement{{"upgrade: create database", mustQuery(q, qCreateDatabase)}}
	var upgrade []string
	for _, m := range ms {
		if m.Version >= 17 {
			upgrade = append(upgrade, m.Statements...)
			continue
		}
		for i, stmt := range m.Statements {
			out = append(out, chdbStatement{fmt.Sprintf("upgrade: migration %04d_%s #%d", m.Version, m.Name, i+1), stmt})
		}
	}
	p1 := chdbPost
	p1old := p1
	p1old.Text, p1old.CollectedAt, p1old.Sentiment = "older version", chdbBase.Add(30*time.Second), earshot.Sentiment{Score: 0.6, Label: earshot.Positive}
	p2 := p1
	p2.ID, p2.Watches, p2.Sentiment, p2.CreatedAt = "twitter:2", []string{"acme"}, earshot.Sentiment{Score: -0.4, Label: earshot.Negative}, chdbBase.Add(90*time.Minute)
	p3 := p2
	p3.ID, p3.Source, p3.CreatedAt = "rss:3", "rss", chdbBase.Add(26*time.Hour)
	var vals []string
	for _, p := range []earshot.Post{p1old, p1, p2, p3} {
		lits := []string{}
		for _, v := range s.postRow(p) {
			lits = append(lits, literal(t, v))
		}
		vals = append(vals, "("+strings.Join(lits, ", ")+")")
	}
	out = append(out, chdbStatement{"upgrade: insert posts", mustQuery(q, qInsertPosts) + " VALUES " + strings.Join(vals, ", ")})

	from, to := chdbBase.Add(-24*time.Hour), chdbBase.Add(48*time.Hour)
	ask := func(when string, q map[string]string) {
		for _, name := range []string{qSeries, qSeriesBySource, qSeriesByWatch} {
			out = append(out, chdbStatement{"upgrade: " + when + ", " + name,
				bindLiterals(t, mustQuery(q, name), append([]any{int64(time.Hour), int64(time.Hour)}, windowArgs(from, to, "", "")...))})
		}
		out = append(out, chdbStatement{"upgrade: " + when + ", " + qCountPosts, bindLiterals(t, mustQuery(q, qCountPosts), windowArgs(from, to, "", ""))},
			chdbStatement{"upgrade: " + when + ", " + qTopNegative, bindLiterals(t, mustQuery(q, qTopNegative), append(windowArgs(from, to, "", ""), 10))},
			chdbStatement{"upgrade: " + when + ", " + qPost, bindLiterals(t, mustQuery(q, qPost), []any{p1.ID})})
	}
	ask("before", qOld)
	for i, stmt := range upgrade {
		out = append(out, chdbStatement{fmt.Sprintf("upgrade: migration 0017 #%d", i+1), stmt})
	}
	ask("after", q)
	for _, name := range []string{qRollupSeries, qRollupSeriesBySrc} {
		out = append(out, chdbStatement{"upgrade: after, " + name,
			bindLiterals(t, mustQuery(q, name), []any{int64(time.Hour), int64(time.Hour), toNS(from), toNS(to), "", "", ""})})
	}
	out = append(out, chdbStatement{"upgrade: after, " + qRollupSeriesByWatch,
		bindLiterals(t, mustQuery(q, qRollupSeriesByWatch), []any{int64(time.Hour), int64(time.Hour), toNS(from), toNS(to), "", ""})},
		chdbStatement{"upgrade: sorting key", "SELECT sorting_key FROM system.tables WHERE database = " + quoteString(d.DB) + " AND name = 'posts'"})
	return out
}

// sqlExpr is a sample value written as it is.
type sqlExpr string

// bindLiterals substitutes args for the "?" of sql, in order, as the
// driver does.
func bindLiterals(t *testing.T, sql string, args []any) string {
	t.Helper()
	var b strings.Builder
	i := 0
	for _, r := range sql {
		if r == '?' {
			b.WriteString(literal(t, args[i]))
			i++
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// literal writes v as a ClickHouse literal.
func literal(t *testing.T, v any) string {
	t.Helper()
	switch v := v.(type) {
	case sqlExpr:
		return string(v)
	case string:
		return quoteString(v)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case uint8:
		return strconv.FormatUint(uint64(v), 10)
	case int8:
		return strconv.Itoa(int(v))
	case uint32:
		return strconv.FormatUint(uint64(v), 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case time.Time:
		return fmt.Sprintf("fromUnixTimestamp64Nano(toInt64(%d), 'UTC')", v.UnixNano())
	case clickhouse.GroupSet:
		lits := make([]string, len(v.Value))
		for i, e := range v.Value {
			lits[i] = literal(t, e)
		}
		return "(" + strings.Join(lits, ", ") + ")"
	case []string:
		lits := make([]string, len(v))
		for i, s := range v {
			lits[i] = quoteString(s)
		}
		return "[" + strings.Join(lits, ", ") + "]"
	case []float64:
		lits := make([]string, len(v))
		for i, f := range v {
			lits[i] = strconv.FormatFloat(f, 'g', -1, 64)
		}
		return "[" + strings.Join(lits, ", ") + "]"
	case map[string]float64:
		var lits []string
		for _, k := range slices.Sorted(maps.Keys(v)) {
			lits = append(lits, quoteString(k), strconv.FormatFloat(v[k], 'g', -1, 64))
		}
		return "map(" + strings.Join(lits, ", ") + ")"
	}
	t.Fatalf("no literal for %T", v)
	return ""
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
