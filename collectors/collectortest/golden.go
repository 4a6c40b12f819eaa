package collectortest

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/earshot/earshot"
)

// Layout is how expected.jsonl lays out what the runs returned: one JSON
// object a line, each naming the run, for every post in the order
// returned; then, when Cursor says so, a line with the run's cursor.
type Layout struct {
	// RunKey is the key of the run's number: "run" by default.
	RunKey string
	// Nest puts a post under "post"; by default its fields are the
	// line's, next to the run's number.
	Nest bool
	// Cursor says whether and how a line holds the cursor of each
	// successful run.
	Cursor CursorLine
}

// CursorLine says how the golden file holds a run's cursor.
type CursorLine int

const (
	// NoCursor: the golden file holds posts only.
	NoCursor CursorLine = iota
	// CursorString: {"run":1,"cursor":"{\"v\":1,…}"}.
	CursorString
	// CursorJSON: {"run":1,"cursor":{"v":1,…}}, or {"run":1} for an
	// empty cursor; the cursor must be JSON.
	CursorJSON
)

// write appends the lines of run n to buf.
func (l Layout) write(t testing.TB, buf *bytes.Buffer, n int, posts []earshot.Post, cursor string) {
	t.Helper()
	key := l.RunKey
	if key == "" {
		key = "run"
	}
	head := `{"` + key + `":` + strconv.Itoa(n)
	for _, p := range posts {
		b := encode(t, p)
		if l.Nest {
			buf.WriteString(head + `,"post":`)
			buf.Write(b)
			buf.WriteString("}\n")
			continue
		}
		buf.WriteString(head + ",")
		buf.Write(b[1:]) // the post's fields
		buf.WriteString("\n")
	}
	switch l.Cursor {
	case CursorString:
		buf.WriteString(head + `,"cursor":`)
		buf.Write(encode(t, cursor))
		buf.WriteString("}\n")
	case CursorJSON:
		buf.WriteString(head)
		if cursor != "" {
			buf.WriteString(`,"cursor":`)
			if err := json.Compact(buf, []byte(cursor)); err != nil {
				t.Errorf("run %d: the cursor is not JSON: %v", n, err)
			}
		}
		buf.WriteString("}\n")
	}
}

// encode returns v as JSON without a newline, HTML characters as they are.
func encode(t testing.TB, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// CompareGolden compares got with the file at path line by line, or
// rewrites the file under -update.
func CompareGolden(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	gotLines := strings.Split(strings.TrimSuffix(string(got), "\n"), "\n")
	wantLines := strings.Split(strings.TrimSuffix(string(want), "\n"), "\n")
	for i := range max(len(gotLines), len(wantLines)) {
		var g, w string
		if i < len(gotLines) {
			g = gotLines[i]
		}
		if i < len(wantLines) {
			w = wantLines[i]
		}
		if g != w {
			t.Errorf("%s line %d:\n got: %s\nwant: %s", path, i+1, g, w)
		}
	}
}
