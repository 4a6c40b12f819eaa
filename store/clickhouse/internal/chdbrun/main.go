// Command chdbrun runs SQL statements on chdb, a current ClickHouse engine
// loaded in-process from the library CHDB_LIB_PATH names, and reports which
// fail. store/clickhouse's tests use it to check the SQL the store sends
// to current servers; it is a separate program because chdb-go loads the
// library when the program starts and panics if it is missing.
//
// Input on stdin: JSON lines {"name": "...", "sql": "..."}, run in order in
// one session. Output on stdout: one JSON line per statement,
// {"name": "...", "error": "...", "result": "...", "millis": ...} (error
// empty when it ran; millis the time it took). The exit status is 1 if any statement failed.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/chdb-io/chdb-go/chdb"
)

type statement struct {
	Name string `json:"name"`
	SQL  string `json:"sql"`
}

type outcome struct {
	Name   string  `json:"name"`
	Error  string  `json:"error,omitempty"`
	Result string  `json:"result,omitempty"`
	Millis float64 `json:"millis"` // how long the statement took
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "chdbrun:", err)
		os.Exit(1)
	}
}

func run() error {
	dir, err := os.MkdirTemp("", "chdb_")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	sess, err := chdb.NewSession(dir)
	if err != nil {
		return fmt.Errorf("opening chdb session: %w", err)
	}
	defer sess.Close()

	// Every statement is read before the first runs, and standard input
	// is then /dev/null: chdb takes an INSERT's data from standard input
	// when it has any, which would be the statements still unread.
	var stmts []statement
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 16<<20)
	for in.Scan() {
		var st statement
		if err := json.Unmarshal(in.Bytes(), &st); err != nil {
			return fmt.Errorf("reading statement: %w", err)
		}
		stmts = append(stmts, st)
	}
	if err := in.Err(); err != nil {
		return fmt.Errorf("reading statements: %w", err)
	}
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		return err
	}
	defer devNull.Close()
	if err := syscall.Dup3(int(devNull.Fd()), 0, 0); err != nil {
		return fmt.Errorf("closing standard input: %w", err)
	}
	out := json.NewEncoder(os.Stdout)
	failed := 0
	for _, st := range stmts {
		o := outcome{Name: st.Name}
		start := time.Now()
		res, err := sess.Query(st.SQL, "TSV")
		o.Millis = float64(time.Since(start).Microseconds()) / 1000
		if err != nil {
			o.Error = err.Error()
			failed++
		} else if res != nil {
			o.Result = strings.TrimSpace(res.String())
			res.Free()
		}
		if err := out.Encode(o); err != nil {
			return err
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d statements failed", failed)
	}
	return nil
}
