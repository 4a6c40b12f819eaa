package grafana

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	ch "github.com/ClickHouse/clickhouse-go/v2"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/clickhouse"
	"github.com/earshot/earshot/store/clickhouse/chtest"
)

var (
	end  = time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC)
	vars = func(db string) Vars {
		return Vars{From: end.Add(-7 * 24 * time.Hour), To: end, Interval: time.Hour,
			Values: map[string]string{"database": db, "watch": "acme"}}
	}
	// Only the views made for Grafana, never the tables, whose time types
	// differ between server versions.
	tableRef = regexp.MustCompile(`(?i)\bFROM\s+([\w.]+)`)
)

func expanded(t *testing.T, db string) []Query {
	t.Helper()
	qs, err := Queries()
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) < 15 {
		t.Fatalf("%d queries, want every panel's", len(qs))
	}
	for i, q := range qs {
		sql, err := Expand(q.SQL, vars(db))
		if err != nil {
			t.Fatalf("%s / %s: %v", q.Dashboard, q.Panel, err)
		}
		qs[i].SQL = sql
	}
	return qs
}

func TestPanels(t *testing.T) {
	for _, q := range expanded(t, "earshot") {
		if q.DataSource != "grafana-clickhouse-datasource" {
			t.Errorf("%s / %s: data source %q, want the official ClickHouse plugin", q.Dashboard, q.Panel, q.DataSource)
		}
		if strings.Contains(q.SQL, "$") {
			t.Errorf("%s / %s: unexpanded macro in\n%s", q.Dashboard, q.Panel, q.SQL)
		}
		for _, m := range tableRef.FindAllStringSubmatch(q.SQL, -1) {
			if !strings.HasPrefix(m[1], "earshot.grafana_") {
				t.Errorf("%s / %s reads %s, not a grafana_ view", q.Dashboard, q.Panel, m[1])
			}
		}
	}
	got, err := Expand("WHERE $__timeFilter(time) AND x < $__toTime AND b = intDiv(t, $__interval_s) AND w = '${watch}' AND d = $database", vars("db1"))
	if err != nil {
		t.Fatal(err)
	}
	want := "WHERE time >= toDateTime(1772452800) AND time <= toDateTime(1773057600) AND x < toDateTime(1773057600) AND b = intDiv(t, 3600) AND w = 'acme' AND d = db1"
	if got != want {
		t.Errorf("Expand:\n got %s\nwant %s", got, want)
	}
	if _, err := Expand("SELECT $nope", vars("db")); err == nil {
		t.Error("an unknown variable expanded without error")
	}
}

// TestPanelsOnClickHouse runs every panel on the server
// EARSHOT_TEST_CLICKHOUSE names (CI: 18.16), over a store the real
// ClickHouse store filled, and checks a few answers.
func TestPanelsOnClickHouse(t *testing.T) {
	addr, db := chtest.Fresh(t, "earshot_grafana")
	ctx := t.Context()
	st, err := clickhouse.Open(ctx, clickhouse.Config{Addr: []string{addr}, Database: db})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var posts []earshot.Post
	for i := range 10 {
		at := end.Add(-time.Duration(i+1) * time.Hour)
		label, score := earshot.Positive, 0.6
		if i < 4 {
			label, score = earshot.Negative, -0.8
		}
		posts = append(posts, earshot.Post{ID: "twitter:" + string(rune('a'+i)), Source: "twitter", Kind: earshot.KindPost,
			Author: earshot.Author{ID: "u", Handle: "pat", Followers: 100}, Text: "acme 'down'", CreatedAt: at, CollectedAt: at,
			Watches: []string{"acme"}, Sentiment: earshot.Sentiment{Score: score, Label: label, Reason: earshot.ReasonOutage}})
	}
	if err := st.SavePosts(ctx, posts); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.SaveIncident(ctx, earshot.Incident{ID: "inc-1", Source: "manual", Title: "API errors", Status: earshot.Resolved, Severity: "major",
		StartedAt: end.Add(-5 * time.Hour), ResolvedAt: end.Add(-2 * time.Hour)}))
	must(st.SaveSpike(ctx, earshot.Spike{ID: "s-1", Scope: earshot.Scope{Kind: earshot.ScopeWatch, Value: "acme"}, Metric: earshot.MetricVolume,
		Start: end.Add(-4 * time.Hour), Peak: end.Add(-4 * time.Hour), Bucket: 5 * time.Minute, Observed: 40, Expected: 10, Score: 0.9}))
	must(st.SaveFollowUp(ctx, earshot.FollowUp{ID: "f-1", Source: "twitter", Author: earshot.Author{ID: "u", Handle: "pat"}, PostIDs: []string{"twitter:a"},
		Reason: "angry", Priority: 1, State: earshot.FollowUpOpen, CreatedAt: end.Add(-3 * time.Hour), UpdatedAt: end.Add(-3 * time.Hour)}))
	must(st.SaveAlert(ctx, earshot.Alert{ID: "a-1", Kind: earshot.AlertSpike, Watch: "acme", Severity: "critical", At: end.Add(-4 * time.Hour)}))
	must(st.SaveDelivery(ctx, earshot.Delivery{ID: "d-1", Receiver: "slack", Attempt: 1, At: end.Add(-4 * time.Hour), Error: "503"}))
	must(st.SaveDigest(ctx, earshot.SentDigest{ID: "w.1", Name: "weekly", SentAt: end.Add(-time.Hour), Format: "html", OK: true, Recipients: []string{"a@b.example"}}))

	conn, err := ch.Open(&ch.Options{Addr: []string{addr}, Auth: ch.Auth{Database: db}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	answers := map[string]string{}
	for _, q := range expanded(t, db) {
		rows, err := conn.Query(ctx, q.SQL)
		if err != nil {
			t.Errorf("%s / %s failed: %v\n%s", q.Dashboard, q.Panel, err, q.SQL)
			continue
		}
		n := 0
		var first string
		for rows.Next() {
			n++
			if n == 1 && len(rows.ColumnTypes()) == 1 {
				var v any
				switch rows.ColumnTypes()[0].DatabaseTypeName() {
				case "UInt64":
					var u uint64
					v = &u
				case "Float64":
					var f float64
					v = &f
				}
				if v != nil && rows.Scan(v) == nil {
					b, _ := json.Marshal(v)
					first = string(b)
				}
			}
		}
		if err := rows.Err(); err != nil {
			t.Errorf("%s / %s failed: %v", q.Dashboard, q.Panel, err)
		}
		rows.Close()
		answers[q.Panel] = first
		if n == 0 {
			t.Errorf("%s / %s returned no rows over data it should show", q.Dashboard, q.Panel)
		}
	}
	for panel, want := range map[string]string{"Mentions": "10", "Negative share": "0.4", "Open follow-ups": "1", "Open spikes": "1"} {
		if answers[panel] != want {
			t.Errorf("%s answered %q, want %s", panel, answers[panel], want)
		}
	}
}

// TestPanelsOnChdb runs every panel on a current ClickHouse engine (chdb,
// CHDB_LIB_PATH) over the schema the store's migrations create there.
func TestPanelsOnChdb(t *testing.T) {
	if os.Getenv("CHDB_LIB_PATH") == "" {
		t.Skip("set CHDB_LIB_PATH to libchdb.so (.ci/chdb.sh DIR prints it) to run the panels on a current ClickHouse")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go tool is needed to build chdbrun")
	}
	bin := filepath.Join(t.TempDir(), "chdbrun")
	build := exec.Command(goTool, "build", "-o", bin, "github.com/earshot/earshot/store/clickhouse/internal/chdbrun")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building chdbrun: %v\n%s", err, out)
	}
	const db = "earshot_grafana"
	d := clickhouse.DialectFor(clickhouse.Version{Major: 26, Minor: 7}, db, "", 0)
	ms, err := d.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	enc.Encode(map[string]string{"name": "create database", "sql": "CREATE DATABASE IF NOT EXISTS " + db})
	for _, m := range ms {
		for i, s := range m.Statements {
			enc.Encode(map[string]string{"name": m.Name + "#" + string(rune('0'+i)), "sql": s})
		}
	}
	panels := expanded(t, db)
	for _, q := range panels {
		enc.Encode(map[string]string{"name": q.Dashboard + " / " + q.Panel, "sql": q.SQL})
	}
	run := exec.Command(bin)
	run.Stdin = &in
	var stderr bytes.Buffer
	run.Stderr = &stderr
	out, _ := run.Output()
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	ran := 0
	for sc.Scan() {
		var o struct{ Name, Error string }
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			t.Fatal(err)
		}
		ran++
		if o.Error != "" {
			t.Errorf("%s failed on chdb: %s", o.Name, o.Error)
		}
	}
	if want := 1 + len(panels) + countStatements(ms); ran != want {
		t.Fatalf("chdbrun answered %d of %d statements\n%s", ran, want, stderr.String())
	}
	t.Logf("%d panels ran on chdb", len(panels))
}

func countStatements(ms []clickhouse.Migration) int {
	n := 0
	for _, m := range ms {
		n += len(m.Statements)
	}
	return n
}
