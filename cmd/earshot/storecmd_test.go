package main

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/duckdb"
	"github.com/earshot/earshot/store/storetest"
)

// TestStoreRebuildRollupsCLI: a DuckDB store whose rollup went wrong is
// put right by earshot store rebuild-rollups, which says how much it
// changed; run again it changes nothing; a span of its own is rebuilt
// alone; bad times are bad usage.
func TestStoreRebuildRollupsCLI(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.duckdb")
	store := "duckdb://" + path
	cli := func(want int, args ...string) string {
		t.Helper()
		e, out, errb := testEnv("")
		if code := run(t.Context(), append(args, "--store", store), e); code != want {
			t.Fatalf("earshot %s: exit %d, want %d; stderr: %s", strings.Join(args, " "), code, want, errb)
		}
		return out.String()
	}

	base := storetest.Base
	var posts []earshot.Post
	for i := range 4 {
		posts = append(posts, storetest.NewPost("twitter", fmt.Sprint(i), base.Add(time.Duration(i)*25*time.Hour)).
			Watches("acme").Score(-0.5).Post())
	}
	st, err := duckdb.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SavePosts(t.Context(), posts); err != nil {
		t.Fatal(err)
	}
	st.Close()
	// Every count of the rollup doubled: two rows (watch '' and acme)
	// per post.
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(t.Context(), `UPDATE post_rollup SET posts = 2 * posts`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	out := cli(0, "store", "rebuild-rollups", "--from", "2026-03-03", "--to", "2026-03-04")
	if want := "from 2026-03-03T00:00:00Z to 2026-03-04T00:00:00Z: 1 posts counted, 2 rollup rows changed."; !strings.Contains(out, want) {
		t.Errorf("rebuild of a day printed %q, want %q", out, want)
	}
	out = cli(0, "store", "rebuild-rollups")
	if want := "from 2026-03-02T10:00:00Z to 2026-03-05T13:01:00Z: 4 posts counted, 6 rollup rows changed."; !strings.Contains(out, want) {
		t.Errorf("rebuild printed %q, want %q", out, want)
	}
	out = cli(0, "store", "rebuild-rollups")
	if want := "4 posts counted, 0 rollup rows changed."; !strings.Contains(out, want) {
		t.Errorf("second rebuild printed %q, want %q", out, want)
	}
	cli(2, "store", "rebuild-rollups", "--from", "yesterday")
	cli(2, "store", "rebuild-rollups", "--from", "2026-03-04", "--to", "2026-03-03")
	cli(2, "store", "rebuild")
}
