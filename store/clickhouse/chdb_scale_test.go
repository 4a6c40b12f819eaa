package clickhouse

import (
	"fmt"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// TestChdbScale times the comms dashboard's queries on a current engine
// (chdb 26.7) over EARSHOT_CHDB_SCALE posts (say 10000000) spread over 30
// days, as docs/performance.md reports them: the posts are made on the
// server (four sources, four in five on the watch acme, scores spread
// over [-1, 1]), the rollup filled through post_rollup_in as SavePosts
// does, post_ranks by its materialized view; each query runs 9 times and
// the test logs p50 and p95. It checks the answers' sizes, not the times.
func TestChdbScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("EARSHOT_CHDB_SCALE"))
	if n <= 0 || os.Getenv("CHDB_LIB_PATH") == "" {
		t.Skip("set EARSHOT_CHDB_SCALE (posts) and CHDB_LIB_PATH to time the dashboard's queries on chdb")
	}
	q, ms := dialectSQL(t, DialectFor(Version{26, 7}, "earshot_scale", "", 0))
	stmts := []chdbStatement{{qCreateDatabase, mustQuery(q, qCreateDatabase)}}
	for _, m := range ms {
		for i, stmt := range m.Statements {
			stmts = append(stmts, chdbStatement{fmt.Sprintf("migration %04d #%d", m.Version, i+1), stmt})
		}
	}
	span := 30 * 24 * time.Hour
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	to := from.Add(span)
	step := span.Nanoseconds() / int64(n)
	// Post i: created at from + i·step; score ((i·7919) mod 20001)/10000 - 1.
	stmts = append(stmts,
		chdbStatement{"fill posts", fmt.Sprintf(`INSERT INTO earshot_scale.posts
	(id, source, kind, url, author_id, author_handle, author_name, author_followers, text, lang,
	 created_at, collected_at, watches, score, label, version)
SELECT concat('s:', toString(number)), ['twitter', 'reddit', 'mastodon', 'hackernews'][number %% 4 + 1], 'post',
	concat('https://example.com/', toString(number)), concat('u', toString(number %% 50000)),
	concat('user', toString(number %% 50000)), concat('User ', toString(number %% 50000)), number %% 3000,
	concat('Acme cloud api is down again ', toString(number), ', login broken, support slow'), 'en',
	fromUnixTimestamp64Nano(toInt64(%d + number * %d), 'UTC'), fromUnixTimestamp64Nano(toInt64(%d + number * %d), 'UTC'),
	if(number %% 5 = 0, [], ['acme']), ((number * 7919) %% 20001) / 10000 - 1,
	multiIf(((number * 7919) %% 20001) / 10000 - 1 < -0.05, 'negative', ((number * 7919) %% 20001) / 10000 - 1 > 0.05, 'positive', 'neutral'), 1
FROM numbers(%d)`, from.UnixNano(), step, from.UnixNano(), step, n)},
		chdbStatement{"fill rollup", `INSERT INTO earshot_scale.post_rollup_in (created_at, source, watches, label, score, sign)
SELECT toUnixTimestamp64Nano(created_at), source, watches, label, score, 1 FROM earshot_scale.posts`},
		chdbStatement{"settle", `OPTIMIZE TABLE earshot_scale.post_rollup FINAL`},
		chdbStatement{"count", `SELECT count() FROM earshot_scale.posts`},
	)
	// The 200 posts TopNegative answers: the lowest score, newest first.
	var winners, created []any
	for i := n - 1; i >= 0 && len(winners) < 200; i-- {
		if (int64(i)*7919)%20001 == 0 {
			winners = append(winners, "s:"+strconv.Itoa(i))
			created = append(created, from.UnixNano()+int64(i)*step)
		}
	}
	hour := []any{int64(time.Hour), int64(time.Hour)}
	whole := append(slices.Clone(hour), toNS(from), toNS(to))
	edges := append(slices.Clone(hour), toNS(from), toNS(from), toNS(to), toNS(to))
	queries := []struct {
		name, label string
		args        []any
		rows        int
	}{
		{qRollupSeries, "series by hour (rollup)", append(slices.Clone(whole), "", "", ""), 720},
		{qEdgeSeries, "series by hour (edges)", append(slices.Clone(edges), "", "", "", ""), 0},
		{qRollupSeriesBySrc, "series by source (rollup)", append(slices.Clone(whole), "", "", ""), 2880},
		{qRollupSeries, "series by hour, watch acme (rollup)", append(slices.Clone(whole), "acme", "", ""), 720},
		{qNegativeCandidates, "top negative: candidates", []any{toNS(from), toNS(to), -0.99, "", "", "", "", 200}, 200},
		{qNegativeWinners, "top negative: their stored versions", []any{toNS(from), toNS(to), clickhouse.GroupSet{Value: created}, clickhouse.GroupSet{Value: winners}}, len(winners)},
	}
	const runs = 9
	for _, qq := range queries {
		sql := bindLiterals(t, mustQuery(q, qq.name), qq.args)
		for r := range runs {
			stmts = append(stmts, chdbStatement{fmt.Sprintf("%s #%d", qq.label, r), sql})
		}
	}
	outcomes, stderr := runChdb(t, stmts)
	if len(outcomes) != len(stmts) {
		t.Fatalf("chdbrun answered %d of %d statements\n%s", len(outcomes), len(stmts), stderr)
	}
	took := map[string][]float64{}
	for i, o := range outcomes {
		if o.Error != "" {
			t.Fatalf("%s failed on chdb: %s", o.Name, firstLine(o.Error))
		}
		switch {
		case o.Name == "count":
			if o.Result != strconv.Itoa(n) {
				t.Fatalf("posts stored: %s, want %d", o.Result, n)
			}
		case i >= len(stmts)-len(queries)*runs:
			qq := queries[(i-(len(stmts)-len(queries)*runs))/runs]
			if got := lines(o.Result); got != qq.rows {
				t.Errorf("%s answered %d rows, want %d", o.Name, got, qq.rows)
			}
			took[qq.label] = append(took[qq.label], o.Millis)
		default:
			t.Logf("%s: %.0f ms", o.Name, o.Millis)
		}
	}
	for _, qq := range queries {
		ts := took[qq.label]
		sort.Float64s(ts)
		t.Logf("%-40s p50 %7.1f ms  p95 %7.1f ms", qq.label, ts[len(ts)/2], ts[int(math.Ceil(0.95*float64(len(ts))))-1])
	}
}

// lines counts the rows of a TSV answer.
func lines(s string) int {
	if s == "" {
		return 0
	}
	n := 1
	for _, c := range s {
		if c == '\n' {
			n++
		}
	}
	return n
}
