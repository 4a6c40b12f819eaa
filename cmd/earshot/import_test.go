package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earshot/earshot/ingest/importfile"
	"github.com/earshot/earshot/store/clickhouse/chtest"
)

const importJSONL = `{"id":"1","source":"twitter","text":"Acme is down again, unacceptable","created_at":"2026-03-02T10:00:00Z","author":{"id":"u1","handle":"sam","followers":120}}
{"id":"2","source":"twitter","text":"love the new Acme dashboard","created_at":"2026-03-02T10:05:00Z"}

{"id":"1","source":"twitter","text":"Acme is down again, unacceptable","created_at":"2026-03-02T10:00:00Z","author":{"id":"u1","handle":"sam","followers":120}}
{"id":"3","source":"twitter","created_at":"2026-03-02T10:06:00Z"}
{"id":"4","source":"twitter","text":"bad time","created_at":"yesterday"}
{"id":"5","source":"twitter","text":"bad` + "\xff" + `bytes","created_at":"2026-03-02T10:07:00Z"}
not json at all
{"id":"6","source":"reddit","kind":"comment","parent_id":"reddit:t3_a","text":"<p>Acme support never answered</p>","created_at":"2026-03-02T11:00:00+01:00"}
`

const importCSV = "id,source,text,created_at,author_handle,author_followers\n" +
	"c1,hackernews,\"Acme API, down? again\",2026-03-02T12:00:00Z,pg,5\n" +
	"c2,hackernews,fine,2026-03-02T12:01:00Z,x,lots\n" +
	"c3,hackernews,,2026-03-02T12:02:00Z,y,1\n"

func TestImport(t *testing.T) {
	testImport(t, "duckdb://"+filepath.Join(t.TempDir(), "e.duckdb"))
}

func TestImportClickHouse(t *testing.T) {
	addr, db := chtest.Fresh(t, "earshot_import")
	testImport(t, "clickhouse://"+addr+"/"+db)
}

func testImport(t *testing.T, store string) {
	dir := t.TempDir()
	jsonl := filepath.Join(dir, "posts.jsonl")
	csvf := filepath.Join(dir, "posts.csv")
	os.WriteFile(jsonl, []byte(importJSONL), 0o600)
	os.WriteFile(csvf, []byte(importCSV), 0o600)

	imp := func(files ...string) (importfile.Summary, string) {
		t.Helper()
		e, out, errb := testEnv("")
		if code := run(t.Context(), append([]string{"import", "--json", "--store", store}, files...), e); code != 0 {
			t.Fatalf("import exited %d: %s", code, errb)
		}
		var s importfile.Summary
		if err := json.Unmarshal(out.Bytes(), &s); err != nil {
			t.Fatalf("--json output %q: %v", out, err)
		}
		return s, errb.String()
	}

	first, stderr := imp(jsonl, csvf)
	want := importfile.Summary{Read: 11, Stored: 4, Duplicates: 1, Rejected: 6}
	if first != want {
		t.Errorf("first import = %+v, want %+v", first, want)
	}
	for _, msg := range []string{
		"posts.jsonl:5: rejected: missing text",
		"posts.jsonl:6: rejected: created_at \"yesterday\" is not an RFC 3339 time",
		"posts.jsonl:7: rejected: invalid UTF-8",
		"posts.jsonl:8: rejected: not a JSON object",
		"posts.csv:3: rejected: author_followers \"lots\" is not a whole number",
		"posts.csv:4: rejected: missing text",
	} {
		if !strings.Contains(stderr, msg) {
			t.Errorf("stderr lacks %q:\n%s", msg, stderr)
		}
	}
	second, _ := imp(jsonl, csvf)
	if second.Read != first.Read || second.Stored != 0 || second.Duplicates != first.Stored+first.Duplicates || second.Rejected != first.Rejected {
		t.Errorf("second import = %+v, want every valid line a duplicate", second)
	}
}

func TestImportBadUsage(t *testing.T) {
	dir := t.TempDir()
	odd := filepath.Join(dir, "posts.xml")
	os.WriteFile(odd, []byte("<x/>"), 0o600)
	for _, args := range [][]string{
		{"import"},
		{"import", filepath.Join(dir, "missing.jsonl")},
		{"import", odd},
	} {
		e, _, errb := testEnv("")
		if code := run(t.Context(), args, e); code != 2 {
			t.Errorf("%v: exit %d, want 2; stderr %s", args, code, errb)
		}
	}
}

func TestImportStdinCSV(t *testing.T) {
	store := "duckdb://" + filepath.Join(t.TempDir(), "e.duckdb")
	e, out, errb := testEnv(importCSV)
	if code := run(t.Context(), []string{"import", "--store", store, "-"}, e); code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	if !strings.HasPrefix(out.String(), "read 3, stored 1, duplicates 0, rejected 2") {
		t.Errorf("summary = %q", out)
	}
}
