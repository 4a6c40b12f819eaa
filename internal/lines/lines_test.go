package lines

import (
	"bufio"
	"io"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	in := "one\r\n" + strings.Repeat("x", MaxBytes+10) + "\nlast"
	br := bufio.NewReaderSize(strings.NewReader(in), 1024)
	want := []struct {
		line    string
		tooLong bool
	}{{"one", false}, {"", true}, {"last", false}}
	for i, w := range want {
		line, tooLong, err := Read(br)
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if tooLong != w.tooLong || (!tooLong && string(line) != w.line) {
			t.Errorf("line %d: %q (too long %v), want %q (too long %v)", i+1, line, tooLong, w.line, w.tooLong)
		}
	}
	if _, _, err := Read(br); err != io.EOF {
		t.Errorf("after the last line: %v, want io.EOF", err)
	}
}
