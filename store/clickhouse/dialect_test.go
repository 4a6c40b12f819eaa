package clickhouse

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in   string
		want Version
	}{
		{"18.16.1", Version{18, 16}},
		{"26.7.3.1", Version{26, 7}},
		{"24.8.4.13\n", Version{24, 8}},
	}
	for _, tt := range tests {
		got, err := ParseVersion(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseVersion(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "26", "x.y", "v26.7"} {
		if _, err := ParseVersion(bad); err == nil {
			t.Errorf("ParseVersion(%q) succeeded", bad)
		}
	}
}

func TestDialectFor(t *testing.T) {
	tests := []struct {
		v                    Version
		dateTime64, hasMap   bool
		ttl, sync, lowCardin bool
	}{
		{Version{18, 16}, false, false, false, false, false},
		{Version{20, 7}, false, false, false, false, false},
		{Version{20, 8}, true, false, true, true, true},
		{Version{22, 2}, true, false, true, true, true},
		{Version{22, 3}, true, true, true, true, true},
		{Version{26, 7}, true, true, true, true, true},
	}
	for _, tt := range tests {
		d := DialectFor(tt.v, "earshot", "", 0)
		got := []bool{d.DateTime64, d.Map, d.TTL, d.MutationsSync, d.LowCardinality}
		want := []bool{tt.dateTime64, tt.hasMap, tt.ttl, tt.sync, tt.lowCardin}
		if !slices.Equal(got, want) {
			t.Errorf("DialectFor(%v) features = %v, want %v", tt.v, got, want)
		}
	}
}

// schemaCases are the layouts whose SQL is pinned in testdata/.
var schemaCases = []struct {
	name string
	d    Dialect
}{
	{"18.16", DialectFor(Version{18, 16}, "earshot", "", 0)},
	{"18.16-cluster", DialectFor(Version{18, 16}, "earshot", "prod", 90*24*time.Hour)},
	{"26.7", DialectFor(Version{26, 7}, "earshot", "", 0)},
	{"26.7-retention", DialectFor(Version{26, 7}, "earshot", "", 90*24*time.Hour)},
	{"26.7-cluster", DialectFor(Version{26, 7}, "earshot", "prod", 90*24*time.Hour)},
}

// script renders every migration and query of d as one text.
func script(t *testing.T, d Dialect) (ddl []string, queries map[string]string, text string) {
	t.Helper()
	ms, err := d.Migrations()
	if err != nil {
		t.Fatalf("Migrations: %v", err)
	}
	var b strings.Builder
	for _, m := range ms {
		for i, s := range m.Statements {
			fmt.Fprintf(&b, "-- migration %04d_%s #%d\n%s;\n\n", m.Version, m.Name, i+1, s)
			ddl = append(ddl, s)
		}
	}
	queries, err = d.Queries()
	if err != nil {
		t.Fatalf("Queries: %v", err)
	}
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range queries {
			if !yield(k) {
				return
			}
		}
	}) {
		fmt.Fprintf(&b, "-- query %s\n%s;\n\n", name, queries[name])
	}
	return ddl, queries, b.String()
}

func TestSchemaGolden(t *testing.T) {
	for _, tc := range schemaCases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, got := script(t, tc.d)
			path := filepath.Join("testdata", "schema-"+tc.name+".sql")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("reading golden file (run with -update to create it): %v", err)
			}
			if got != string(want) {
				t.Errorf("rendered SQL differs from %s (run with -update to accept):\n%s", path, got)
			}
		})
	}
}

func TestSchemaOldServer(t *testing.T) {
	ddl, queries, text := script(t, DialectFor(Version{18, 16}, "earshot", "", 90*24*time.Hour))
	for _, absent := range []string{"DateTime64", "LowCardinality", "Map(", "TTL", "toUnixTimestamp64", "toStartOfInterval", "INDEX", "ON CLUSTER", "Replicated", "Distributed", "{{", "<no value>"} {
		if strings.Contains(text, absent) {
			t.Errorf("18.16 SQL contains %q", absent)
		}
	}
	if _, ok := queries[qModifyTTL]; ok {
		t.Error("18.16 has a TTL query")
	}
	posts := findStatement(t, ddl, "`earshot`.`posts`")
	for _, want := range []string{
		"created_at Int64", "ENGINE = ReplacingMergeTree(version)",
		"PARTITION BY toYYYYMM(toDateTime(intDiv(created_at, 1000000000), 'UTC'))",
		"ORDER BY (source, id)", "part_models Array(String)", "source String",
	} {
		if !strings.Contains(posts, want) {
			t.Errorf("18.16 posts DDL lacks %q:\n%s", want, posts)
		}
	}
	spikes := findStatement(t, ddl, "`earshot`.`spikes`")
	for _, want := range []string{
		"start_at Int64", "end_at Int64", "bucket Int64", "scope_value String",
		"ENGINE = ReplacingMergeTree(version)", "ORDER BY id",
	} {
		if !strings.Contains(spikes, want) {
			t.Errorf("18.16 spikes DDL lacks %q:\n%s", want, spikes)
		}
	}
	if q := queries[qSpikes]; !strings.Contains(q, "FROM `earshot`.`spikes` FINAL") || !strings.Contains(q, "(end_at = 0 OR end_at > ?)") {
		t.Errorf("18.16 spikes query does not read with FINAL or mishandles open spikes:\n%s", q)
	}
	// 18.16 has no ADD COLUMN IF NOT EXISTS.
	var added []string
	for _, s := range ddl {
		if strings.HasPrefix(s, "ALTER TABLE") {
			added = append(added, s)
			if strings.Contains(s, "IF NOT EXISTS") {
				t.Errorf("18.16 ALTER with IF NOT EXISTS:\n%s", s)
			}
		}
	}
	if want := []string{
		"ALTER TABLE `earshot`.`posts` ADD COLUMN parent_id String",
		"ALTER TABLE `earshot`.`posts` ADD COLUMN reason String",
		"ALTER TABLE `earshot`.`posts` ADD COLUMN content_hash UInt64",
		"ALTER TABLE `earshot`.`posts` ADD COLUMN rating UInt8",
		"ALTER TABLE `earshot`.`posts` ADD COLUMN from_brand UInt8",
		"ALTER TABLE `earshot`.`posts` ADD COLUMN app_version String",
		"ALTER TABLE `earshot`.`incidents` ADD COLUMN watches Array(String)",
		"ALTER TABLE `earshot`.`incidents` ADD COLUMN closure String",
		"ALTER TABLE `earshot`.`followups` ADD COLUMN customer_id String",
		"ALTER TABLE `earshot`.`followups` ADD COLUMN customer_name String",
		"ALTER TABLE `earshot`.`followups` ADD COLUMN customer_tier String",
	}; !slices.Equal(added, want) {
		t.Errorf("18.16 ALTER statements = %q, want %q", added, want)
	}
	health := findStatement(t, ddl, "`earshot`.`health`")
	for _, want := range []string{"last_run Int64", "backoff Int64", "kind String", "ENGINE = ReplacingMergeTree(version)", "ORDER BY collector"} {
		if !strings.Contains(health, want) {
			t.Errorf("18.16 health DDL lacks %q:\n%s", want, health)
		}
	}
	gaps := findStatement(t, ddl, "`earshot`.`gaps`")
	for _, want := range []string{"from_at Int64", "to_at Int64", "filled_at Int64", "ENGINE = ReplacingMergeTree(version)", "ORDER BY id"} {
		if !strings.Contains(gaps, want) {
			t.Errorf("18.16 gaps DDL lacks %q:\n%s", want, gaps)
		}
	}
	if q := queries[qGaps]; !strings.Contains(q, "FROM `earshot`.`gaps` FINAL") || !strings.Contains(q, "(to_at = 0 OR to_at > ?)") {
		t.Errorf("18.16 gaps query does not read with FINAL or mishandles open gaps:\n%s", q)
	}
	// 18.16 takes no array on the right of IN: the IDs go as a tuple.
	if q := queries[qPostHashes]; !strings.Contains(q, "FROM `earshot`.`posts` FINAL\nWHERE id IN ? AND") || strings.Contains(q, "has(") {
		t.Errorf("18.16 post hashes query:\n%s", q)
	}
	if q := queries[qSeries]; !strings.Contains(q, "intDiv(created_at, toInt64(?)) * toInt64(?)") {
		t.Errorf("18.16 series query does not bucket on nanoseconds:\n%s", q)
	}
	for name, q := range queries {
		if strings.HasPrefix(q, "INSERT") && !strings.Contains(q, "(") {
			t.Errorf("%s inserts without a column list", name)
		}
	}
}

func TestSchemaNewServer(t *testing.T) {
	ddl, queries, _ := script(t, DialectFor(Version{26, 7}, "earshot", "", 90*24*time.Hour))
	posts := findStatement(t, ddl, "`earshot`.`posts`")
	for _, want := range []string{
		"created_at DateTime64(9, 'UTC')", "source LowCardinality(String)",
		"watches Array(LowCardinality(String))", "parts Map(String, Float64)",
		"INDEX post_id_bloom id TYPE bloom_filter", "PARTITION BY toYYYYMM(toDateTime(created_at, 'UTC'))",
		"TTL toDateTime(created_at, 'UTC') + toIntervalSecond(7776000)", "ttl_only_drop_parts = 1",
	} {
		if !strings.Contains(posts, want) {
			t.Errorf("26.7 posts DDL lacks %q:\n%s", want, posts)
		}
	}
	spikes := findStatement(t, ddl, "`earshot`.`spikes`")
	for _, want := range []string{"start_at DateTime64(9, 'UTC')", "end_at DateTime64(9, 'UTC')", "metric LowCardinality(String)"} {
		if !strings.Contains(spikes, want) {
			t.Errorf("26.7 spikes DDL lacks %q:\n%s", want, spikes)
		}
	}
	for _, want := range []string{
		"ALTER TABLE `earshot`.`posts` ADD COLUMN IF NOT EXISTS parent_id String",
		"ALTER TABLE `earshot`.`posts` ADD COLUMN IF NOT EXISTS reason LowCardinality(String)",
		"ALTER TABLE `earshot`.`posts` ADD COLUMN IF NOT EXISTS content_hash UInt64",
		"ALTER TABLE `earshot`.`posts` ADD COLUMN IF NOT EXISTS rating UInt8",
		"ALTER TABLE `earshot`.`posts` ADD COLUMN IF NOT EXISTS from_brand UInt8",
		"ALTER TABLE `earshot`.`posts` ADD COLUMN IF NOT EXISTS app_version LowCardinality(String)",
	} {
		if !slices.Contains(ddl, want) {
			t.Errorf("26.7 DDL lacks %q", want)
		}
	}
	if q := queries[qSpikes]; !strings.Contains(q, "(toUnixTimestamp64Nano(end_at) = 0 OR end_at > fromUnixTimestamp64Nano(toInt64(?), 'UTC'))") {
		t.Errorf("26.7 spikes query mishandles open spikes:\n%s", q)
	}
	gaps := findStatement(t, ddl, "`earshot`.`gaps`")
	for _, want := range []string{"from_at DateTime64(9, 'UTC')", "filled_at DateTime64(9, 'UTC')", "collector LowCardinality(String)"} {
		if !strings.Contains(gaps, want) {
			t.Errorf("26.7 gaps DDL lacks %q:\n%s", want, gaps)
		}
	}
	if q := queries[qGaps]; !strings.Contains(q, "(toUnixTimestamp64Nano(to_at) = 0 OR to_at > fromUnixTimestamp64Nano(toInt64(?), 'UTC'))") {
		t.Errorf("26.7 gaps query mishandles open gaps:\n%s", q)
	}
	if q := queries[qModifyTTL]; q != "ALTER TABLE `earshot`.`posts` MODIFY TTL toDateTime(created_at, 'UTC') + toIntervalSecond(7776000)" {
		t.Errorf("TTL query = %q", q)
	}
	if q := queries[qCountPosts]; !strings.Contains(q, "created_at >= fromUnixTimestamp64Nano(toInt64(?), 'UTC')") {
		t.Errorf("count query does not convert its time parameters:\n%s", q)
	}

	// The rollup expires with the posts, or later where its retention
	// says so (730 days: 63072000 s).
	if q := queries[qModifyRollupTTL]; q != "ALTER TABLE `earshot`.`post_rollup` MODIFY TTL toDateTime(intDiv(bucket, 1000000000), 'UTC') + toIntervalSecond(7776000)" {
		t.Errorf("rollup TTL query = %q", q)
	}
	longer := DialectFor(Version{26, 7}, "earshot", "", 90*24*time.Hour)
	longer.Retention.Rollups = 730 * 24 * time.Hour
	ddl, queries, _ = script(t, longer)
	if q := queries[qModifyTTL]; !strings.HasSuffix(q, "toIntervalSecond(7776000)") {
		t.Errorf("TTL query with a longer rollup retention = %q", q)
	}
	if rollup := findStatement(t, ddl, "CREATE TABLE `earshot`.`post_rollup`"); !strings.Contains(rollup, "TTL toDateTime(intDiv(bucket, 1000000000), 'UTC') + toIntervalSecond(63072000)") {
		t.Errorf("post_rollup DDL lacks its own TTL:\n%s", rollup)
	}
	if q := queries[qModifyRollupTTL]; !strings.HasSuffix(q, "toIntervalSecond(63072000)") {
		t.Errorf("rollup TTL query = %q", q)
	}

	// Without retention there is no TTL.
	ddl, queries, _ = script(t, DialectFor(Version{26, 7}, "earshot", "", 0))
	if posts := findStatement(t, ddl, "`earshot`.`posts`"); strings.Contains(posts, "TTL ") {
		t.Errorf("posts DDL has a TTL without retention:\n%s", posts)
	}
	if _, ok := queries[qModifyTTL]; ok {
		t.Error("a TTL query without retention")
	}
}

func TestSchemaCluster(t *testing.T) {
	for _, v := range []Version{{18, 16}, {26, 7}} {
		t.Run(v.String(), func(t *testing.T) {
			ddl, queries, _ := script(t, DialectFor(v, "earshot", "prod", 0))
			for _, s := range ddl {
				if strings.HasPrefix(s, "INSERT INTO ") {
					continue // the rollup's filling: once, on the server asked
				}
				if !strings.Contains(s, " ON CLUSTER `prod`") {
					t.Errorf("DDL without ON CLUSTER:\n%s", s)
				}
				if strings.Contains(s, "MergeTree") && !strings.Contains(s, "Replicated") {
					t.Errorf("unreplicated table in cluster mode:\n%s", s)
				}
			}
			local := findStatement(t, ddl, "`earshot`.`posts_local` ON CLUSTER `prod`")
			if want := "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/earshot/posts_local', '{replica}', version)"; !strings.Contains(local, want) {
				t.Errorf("posts_local DDL lacks %q:\n%s", want, local)
			}
			dist := findStatement(t, ddl, "CREATE TABLE IF NOT EXISTS `earshot`.`posts` ON CLUSTER `prod` AS `earshot`.`posts_local`")
			if want := "ENGINE = Distributed('prod', 'earshot', 'posts_local', cityHash64(id))"; !strings.Contains(dist, want) {
				t.Errorf("posts DDL lacks %q:\n%s", want, dist)
			}
			// The shards' tables get the new post columns by ALTER; the
			// Distributed table, which 18.16 will not ALTER ON CLUSTER, is
			// dropped and made again after each such migration (and never
			// altered).
			for _, col := range []string{"parent_id", "reason", "content_hash", "rating", "from_brand", "app_version"} {
				if !slices.ContainsFunc(ddl, func(s string) bool {
					return strings.HasPrefix(s, "ALTER TABLE `earshot`.`posts_local` ON CLUSTER `prod` ADD COLUMN ") &&
						strings.Contains(s, " "+col+" ")
				}) {
					t.Errorf("no ALTER adds %s to posts_local", col)
				}
			}
			drops, creates, lastAlter, lastCreate := 0, 0, -1, -1
			for i, s := range ddl {
				switch {
				case strings.HasPrefix(s, "ALTER TABLE `earshot`.`posts` "):
					t.Errorf("the Distributed table is altered:\n%s", s)
				case s == "DROP TABLE IF EXISTS `earshot`.`posts` ON CLUSTER `prod`":
					drops++
				case strings.HasPrefix(s, "CREATE TABLE IF NOT EXISTS `earshot`.`posts` ON CLUSTER `prod` AS `earshot`.`posts_local`"):
					creates++
					lastCreate = i
				case strings.HasPrefix(s, "ALTER TABLE `earshot`.`posts_local` ") && strings.Contains(s, "ADD COLUMN"):
					lastAlter = i
				}
			}
			if drops != 4 || creates != 5 || lastCreate < lastAlter {
				t.Errorf("%d drops and %d creates of the Distributed table, the last at statement %d, the last ALTER at %d; want it made again after each of the 4 migrations that add post columns", drops, creates, lastCreate, lastAlter)
			}
			if sp := findStatement(t, ddl, "`earshot`.`spikes`"); !strings.Contains(sp, "ReplicatedReplacingMergeTree('/clickhouse/tables/all/earshot/spikes', '{replica}', version)") {
				t.Errorf("spikes DDL is not replicated whole:\n%s", sp)
			}
			for _, table := range []string{"health", "gaps"} {
				if st := findStatement(t, ddl, "`earshot`.`"+table+"`"); !strings.Contains(st, "ReplicatedReplacingMergeTree('/clickhouse/tables/all/earshot/"+table+"', '{replica}', version)") {
					t.Errorf("%s DDL is not replicated whole:\n%s", table, st)
				}
			}
			inc := findStatement(t, ddl, "`earshot`.`incidents`")
			if want := "ReplicatedReplacingMergeTree('/clickhouse/tables/all/earshot/incidents', '{replica}', version)"; !strings.Contains(inc, want) {
				t.Errorf("incidents DDL lacks %q:\n%s", want, inc)
			}
			if q := queries[qEraseAuthor]; !strings.HasPrefix(q, "ALTER TABLE `earshot`.`posts_local` ON CLUSTER `prod` DELETE") {
				t.Errorf("erase query = %q", q)
			}
			if q := queries[qCountPosts]; !strings.Contains(q, "FROM `earshot`.`posts` FINAL") {
				t.Errorf("count query does not read the Distributed table:\n%s", q)
			}
			if q := queries[qCreateDatabase]; q != "CREATE DATABASE IF NOT EXISTS `earshot` ON CLUSTER `prod`" {
				t.Errorf("create database = %q", q)
			}
			// The rollup: a summing table per shard, a Distributed table
			// the series read, the view on every server writing to its
			// own shard's table.
			rollup := findStatement(t, ddl, "CREATE TABLE `earshot`.`post_rollup_local` ON CLUSTER `prod`")
			if want := "ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/earshot/post_rollup_local', '{replica}', (posts, scored, negative, positive, score_nano))"; !strings.Contains(rollup, want) {
				t.Errorf("post_rollup_local DDL lacks %q:\n%s", want, rollup)
			}
			dist = findStatement(t, ddl, "CREATE TABLE IF NOT EXISTS `earshot`.`post_rollup` ON CLUSTER `prod` AS `earshot`.`post_rollup_local`")
			if want := "ENGINE = Distributed('prod', 'earshot', 'post_rollup_local', rand())"; !strings.Contains(dist, want) {
				t.Errorf("post_rollup DDL lacks %q:\n%s", want, dist)
			}
			mv := findStatement(t, ddl, "CREATE MATERIALIZED VIEW `earshot`.`post_rollup_mv` ON CLUSTER `prod`")
			if !strings.Contains(mv, "TO `earshot`.`post_rollup_local` AS") {
				t.Errorf("the rollup's view does not write to the local table:\n%s", mv)
			}
			if q := queries[qRollupSeries]; !strings.Contains(q, "FROM `earshot`.`post_rollup`\n") {
				t.Errorf("rollup series do not read the Distributed table:\n%s", q)
			}
			if q := queries[qDropRollupPartition]; q != "ALTER TABLE `earshot`.`post_rollup_local` ON CLUSTER `prod` DROP PARTITION ?" {
				t.Errorf("drop rollup partition = %q", q)
			}
			// Posts stay sorted by source and ID: a post is its ID.
			if q := queries[qPostStates]; strings.Contains(q, "created_at >=") || !strings.Contains(q, "WHERE id IN ?") {
				t.Errorf("post states query in cluster mode:\n%s", q)
			}
		})
	}
}

func TestMigrationsOrdered(t *testing.T) {
	ms, err := DialectFor(Version{26, 7}, "earshot", "", 0).Migrations()
	if err != nil {
		t.Fatal(err)
	}
	cluster, err := DialectFor(Version{26, 7}, "earshot", "prod", 0).Migrations()
	if err != nil {
		t.Fatal(err)
	}
	// Versions only grow; a gap is allowed (branches reserve numbers, and
	// Open applies every version not recorded, whatever its place).
	for i, m := range ms {
		if i == 0 && m.Version != 0 || i > 0 && m.Version <= ms[i-1].Version {
			t.Errorf("migration %d has version %d, after %d", i, m.Version, ms[max(i-1, 0)].Version)
		}
		// A migration may be for one layout only (0017 is not for a
		// cluster, 0018 only for one), not for neither.
		if len(m.Statements) == 0 && len(cluster[i].Statements) == 0 {
			t.Errorf("migration %04d_%s has no statement", m.Version, m.Name)
		}
	}
}

func TestSplitStatements(t *testing.T) {
	got := splitStatements("-- a comment\nCREATE x\n  (a);\n\n;\n-- only a comment;\nSELECT 1;\n")
	want := []string{"CREATE x\n  (a)", "SELECT 1"}
	if !slices.Equal(got, want) {
		t.Errorf("splitStatements = %q, want %q", got, want)
	}
}

func findStatement(t *testing.T, stmts []string, substr string) string {
	t.Helper()
	for _, s := range stmts {
		if strings.Contains(s, substr+"\n") || strings.Contains(s, substr+" ") {
			return s
		}
	}
	t.Fatalf("no statement contains %q", substr)
	return ""
}

func TestPartBlock(t *testing.T) {
	for part, want := range map[string]uint64{
		"202603_12_15_2":    15,
		"202603_3_3_0":      3,
		"202603_12_15_2_20": 15, // mutated
		"all_1_9_1":         9,
		"":                  0,
		"bogus":             0,
		"202603_x_y_0":      0,
	} {
		if got := partBlock(part); got != want {
			t.Errorf("partBlock(%q) = %d, want %d", part, got, want)
		}
	}
}
