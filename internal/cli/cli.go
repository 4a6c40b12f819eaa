package cli

import (
	"encoding/json"
	"io"
	"os"
	"reflect"
)

// PrintJSON writes v as one JSON value, a nil slice as [].
func PrintJSON(w io.Writer, v any) error {
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice && rv.IsNil() {
		v = []any{}
	}
	return json.NewEncoder(w).Encode(v)
}

// Print writes v to w as JSON (see PrintJSON) when asJSON, else runs
// table, which writes it for people.
func Print(w io.Writer, asJSON bool, v any, table func() error) error {
	if asJSON {
		return PrintJSON(w, v)
	}
	return table()
}

// IsTerminal reports whether w is a terminal, for progress lines.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
