package importfile

import (
	"bufio"
	"errors"
	"strings"
	"testing"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/badinput"
)

func TestFormat(t *testing.T) {
	for _, tt := range []struct{ name, first, want string }{
		{"posts.JSONL", "", "jsonl"}, {"posts.ndjson", "", "jsonl"}, {"posts.csv", "", "csv"},
		{"-", "  \n{\"id\":1}", "jsonl"}, {"-", "id,source", "csv"}, {"-", "", "jsonl"},
	} {
		got, err := Format(tt.name, bufio.NewReader(strings.NewReader(tt.first)))
		if err != nil || got != tt.want {
			t.Errorf("Format(%q, %q) = %q, %v; want %q", tt.name, tt.first, got, err, tt.want)
		}
	}
	var bad *badinput.Error
	if _, err := Format("posts.xml", nil); !errors.As(err, &bad) {
		t.Errorf("Format(posts.xml) = %v, want a badinput.Error", err)
	}
}

// read reads in with f, returning the IDs added and the rejected lines.
func read(t *testing.T, f func(*bufio.Reader, func(earshot.Post) error, func(int, string)) error, in string) ([]string, []int, error) {
	t.Helper()
	var ids []string
	var rejected []int
	err := f(bufio.NewReader(strings.NewReader(in)),
		func(p earshot.Post) error { ids = append(ids, p.ID); return nil },
		func(line int, _ string) { rejected = append(rejected, line) })
	return ids, rejected, err
}

func TestReadCSV(t *testing.T) {
	in := "id,source,text,created_at,author_followers\n" +
		"1,twitter,fine,2026-03-02T12:00:00Z,5\n" +
		"2,twitter,fine,2026-03-02T12:00:00Z,lots\n" +
		"3,twitter,,2026-03-02T12:00:00Z,1\n"
	ids, rejected, err := read(t, ReadCSV, in)
	if err != nil || len(ids) != 1 || ids[0] != "twitter:1" || len(rejected) != 2 || rejected[0] != 3 || rejected[1] != 4 {
		t.Errorf("ids %v, rejected lines %v, err %v; want twitter:1, lines 3 and 4", ids, rejected, err)
	}
	var bad *badinput.Error
	if _, _, err := read(t, ReadCSV, "id,source,text\n"); !errors.As(err, &bad) {
		t.Errorf("a header without created_at: %v, want a badinput.Error", err)
	}
}

func TestReadJSONLines(t *testing.T) {
	in := `{"id":"1","source":"rss","text":"hi","created_at":"2026-03-02T12:00:00Z"}` + "\n\nnot json\n" +
		`{"id":"2","source":"rss","created_at":"2026-03-02T12:00:00Z"}` + "\n"
	ids, rejected, err := read(t, ReadJSONLines, in)
	if err != nil || len(ids) != 1 || ids[0] != "rss:1" || len(rejected) != 2 || rejected[0] != 3 || rejected[1] != 4 {
		t.Errorf("ids %v, rejected lines %v, err %v; want rss:1, lines 3 and 4", ids, rejected, err)
	}
}
