package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestPrintJSON(t *testing.T) {
	for _, tt := range []struct {
		v    any
		want string
	}{
		{[]string(nil), "[]\n"},
		{[]string{}, "[]\n"},
		{[]int{1, 2}, "[1,2]\n"},
		{map[string]int{"n": 1}, "{\"n\":1}\n"},
		{nil, "null\n"},
	} {
		var b bytes.Buffer
		if err := PrintJSON(&b, tt.v); err != nil || b.String() != tt.want {
			t.Errorf("PrintJSON(%#v) = %q, %v; want %q", tt.v, b.String(), err, tt.want)
		}
	}
}

func TestPrint(t *testing.T) {
	errTable := errors.New("table")
	var b bytes.Buffer
	if err := Print(&b, true, []int(nil), func() error { return errTable }); err != nil || b.String() != "[]\n" {
		t.Errorf("as JSON: %q, %v", b.String(), err)
	}
	if err := Print(&b, false, []int(nil), func() error { return errTable }); err != errTable {
		t.Errorf("as a table: %v, want the table's error", err)
	}
}

func TestIsTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if IsTerminal(f) || IsTerminal(&bytes.Buffer{}) {
		t.Error("a file or a buffer taken for a terminal")
	}
}
