// Package chtest gives tests outside store/clickhouse a fresh ClickHouse
// database on the server EARSHOT_TEST_CLICKHOUSE names, dropped when the
// test ends, or skips the test with a message when the variable is unset.
package chtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	ch "github.com/ClickHouse/clickhouse-go/v2"
)

// Env names the variable holding the server's native host:port.
const Env = "EARSHOT_TEST_CLICKHOUSE"

// Fresh returns the server address and the name of a database no one uses
// (Open creates it), skipping the test when Env is unset. The database is
// dropped when the test ends.
func Fresh(t testing.TB, prefix string) (addr, db string) {
	t.Helper()
	addr = os.Getenv(Env)
	if addr == "" {
		t.Skipf("set %s=host:port to run this test on ClickHouse", Env)
	}
	buf := make([]byte, 6)
	_, _ = rand.Read(buf)
	db = prefix + "_" + hex.EncodeToString(buf)
	t.Cleanup(func() { Drop(t, addr, db) })
	return addr, db
}

// Drop drops database db on the server at addr.
func Drop(t testing.TB, addr, db string) {
	t.Helper()
	conn, err := ch.Open(&ch.Options{Addr: []string{addr}})
	if err != nil {
		t.Errorf("connecting to drop %s: %v", db, err)
		return
	}
	defer conn.Close()
	// Generous: a busy 18.16 server can take a while to drop a database
	// whose tables are still merging.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := conn.Exec(ctx, "DROP DATABASE IF EXISTS `"+db+"`"); err != nil {
		t.Errorf("dropping %s: %v", db, err)
	}
}
