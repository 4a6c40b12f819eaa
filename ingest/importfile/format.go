package importfile

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/earshot/earshot/internal/badinput"
)

// Format tells a file's format, "jsonl" or "csv", from its name, or for
// "-" from the first byte of br (JSON lines when br is nil or empty).
func Format(name string, br *bufio.Reader) (string, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".ndjson", ".json":
		return "jsonl", nil
	case ".csv":
		return "csv", nil
	}
	if name != "-" {
		return "", badinput.Errorf("%s: unknown format; name it .jsonl or .csv", name)
	}
	if br == nil {
		return "jsonl", nil
	}
	for {
		b, err := br.Peek(1)
		if err != nil {
			return "jsonl", nil // empty input: nothing to read either way
		}
		switch {
		case b[0] == ' ' || b[0] == '\n' || b[0] == '\r' || b[0] == '\t':
			br.ReadByte()
			continue
		case b[0] == '{':
			return "jsonl", nil
		default:
			return "csv", nil
		}
	}
}

// Check reports the first of files ("-" is standard input) whose format
// is unknown or that cannot be read, before anything is imported.
func Check(files []string) error {
	for _, f := range files {
		if f == "-" {
			continue
		}
		if _, err := Format(f, nil); err != nil {
			return err
		}
		if _, err := os.Stat(f); err != nil {
			return badinput.Errorf("cannot read %s: %v", f, errors.Unwrap(err))
		}
	}
	return nil
}
