package clickhouse

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/storetest"
)

// testServer returns the address of the server the integration tests use,
// or skips the test.
func testServer(t *testing.T) string {
	t.Helper()
	addr := os.Getenv("EARSHOT_TEST_CLICKHOUSE")
	if addr == "" {
		t.Skip("set EARSHOT_TEST_CLICKHOUSE=host:port to run the ClickHouse suite")
	}
	return addr
}

// openTestStore opens a store on a fresh database, dropped at cleanup.
func openTestStore(t *testing.T, addr string) *Store {
	t.Helper()
	buf := make([]byte, 6)
	_, _ = rand.Read(buf)
	cfg := DefaultConfig()
	cfg.Addr = []string{addr}
	cfg.Database = "earshot_test_" + hex.EncodeToString(buf)
	st, err := Open(t.Context(), cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { dropDatabase(t, addr, cfg.Database) })
	return st
}

func dropDatabase(t *testing.T, addr, db string) {
	t.Helper()
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{addr}})
	if err != nil {
		t.Errorf("connecting to drop %s: %v", db, err)
		return
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(db)); err != nil {
		t.Errorf("dropping %s: %v", db, err)
	}
}

func TestConformance(t *testing.T) {
	addr := testServer(t)
	storetest.Suite{
		New: func(t *testing.T) earshot.Store { return openTestStore(t, addr) },
	}.Run(t)
}

// TestReopen checks that a second Open of the same database applies no
// migration twice and keeps the schema's dialect.
func TestReopen(t *testing.T) {
	addr := testServer(t)
	st := openTestStore(t, addr)
	defer st.Close()
	cfg := st.cfg
	again, err := Open(t.Context(), cfg)
	if err != nil {
		t.Fatalf("second Open: %v", err)
	}
	defer again.Close()
	if again.Dialect() != st.Dialect() {
		t.Errorf("dialect changed on reopen: %+v, then %+v", st.Dialect(), again.Dialect())
	}
	var n uint64
	if err := again.conn.QueryRow(t.Context(), "SELECT count() FROM "+st.d.table("schema_migrations")).Scan(&n); err != nil {
		t.Fatal(err)
	}
	ms, _ := st.d.Migrations()
	if int(n) != len(ms)-1 {
		t.Errorf("schema_migrations has %d rows, want %d", n, len(ms)-1)
	}
}

// TestDropExpired checks retention on servers without TTL: whole months
// past the retention go, the rest stay.
func TestDropExpired(t *testing.T) {
	addr := testServer(t)
	st := openTestStore(t, addr)
	defer st.Close()
	st.cfg.Retention = 60 * 24 * time.Hour
	now := time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)
	var posts []earshot.Post
	for i, created := range []time.Time{
		time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC),  // January ended > 60 days before now: dropped
		time.Date(2026, 3, 31, 23, 0, 0, 0, time.UTC), // March ended 76 days before: dropped
		time.Date(2026, 4, 20, 0, 0, 0, 0, time.UTC),  // April ended 45 days before: kept
		time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
	} {
		posts = append(posts, earshot.Post{ID: fmt.Sprintf("t:%d", i), Source: "t", CreatedAt: created, CollectedAt: created})
	}
	if err := st.SavePosts(t.Context(), posts); err != nil {
		t.Fatal(err)
	}
	dropped, err := st.DropExpired(t.Context(), now)
	if err != nil {
		t.Fatalf("DropExpired: %v", err)
	}
	if want := []string{"202601", "202603"}; !slices.Equal(dropped, want) {
		t.Errorf("dropped %v, want %v", dropped, want)
	}
	n, err := st.CountPosts(t.Context(), earshot.PostQuery{From: time.Unix(0, 1), To: now})
	if err != nil || n != 2 {
		t.Errorf("CountPosts after DropExpired = %d, %v; want 2", n, err)
	}
}
