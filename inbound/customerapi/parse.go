package customerapi

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/earshot/earshot"
)

// Formats of an account list.
const (
	FormatCSV  = "csv"
	FormatJSON = "json"
)

// LineError is one line (or JSON item) left out, and why.
type LineError struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

func (e LineError) String() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

// Report is what an import did.
type Report struct {
	Read     int         `json:"read"`
	Imported int         `json:"imported"`
	Rejected int         `json:"rejected"`
	Errors   []LineError `json:"errors,omitempty"`
	// ByKind counts the imported accounts by kind.
	ByKind map[earshot.AccountKind]int `json:"by_kind,omitempty"`
}

// record is one account as a list spells it.
type record struct {
	Source     string `json:"source"`
	Network    string `json:"network"`
	Handle     string `json:"handle"`
	Kind       string `json:"kind"`
	CustomerID string `json:"customer_id"`
	Name       string `json:"name"`
	Tier       string `json:"tier"`
	Owner      string `json:"owner"`
}

func (r record) account(now time.Time) (earshot.SocialAccount, error) {
	src := strings.ToLower(strings.TrimSpace(r.Source))
	if src == "" {
		src = strings.ToLower(strings.TrimSpace(r.Network))
	}
	kind := earshot.AccountKind(strings.ToLower(strings.TrimSpace(r.Kind)))
	if kind == "" {
		kind = earshot.AccountCustomer
	}
	a := earshot.SocialAccount{
		Source: src, Handle: strings.TrimPrefix(strings.TrimSpace(r.Handle), "@"), Kind: kind,
		CustomerID: strings.TrimSpace(r.CustomerID), Name: strings.TrimSpace(r.Name),
		Tier: strings.ToLower(strings.TrimSpace(r.Tier)), Owner: strings.TrimSpace(r.Owner), UpdatedAt: now,
	}
	if err := a.Validate(); err != nil {
		return a, errors.New(strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	return a, nil
}

// FormatOf guesses a list's format from its file name or content type:
// json for .json, .jsonl, .ndjson or a JSON type, csv otherwise.
func FormatOf(name string) string {
	n := strings.ToLower(name)
	for _, s := range []string{".json", ".jsonl", ".ndjson", "json"} {
		if strings.HasSuffix(n, s) || strings.Contains(n, "application/json") {
			return FormatJSON
		}
	}
	return FormatCSV
}

// Parse reads an account list in format. It returns the good accounts
// and a LineError for each bad line; the error is for a list that cannot
// be read at all (no header, not JSON).
func Parse(r io.Reader, format string, now time.Time) ([]earshot.SocialAccount, []LineError, error) {
	switch format {
	case FormatCSV:
		return parseCSV(r, now)
	case FormatJSON:
		return parseJSON(r, now)
	}
	return nil, nil, fmt.Errorf("unknown format %q (csv or json)", format)
}

var columns = []string{"source", "network", "handle", "kind", "customer_id", "name", "tier", "owner"}

func parseCSV(r io.Reader, now time.Time) ([]earshot.SocialAccount, []LineError, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil, errors.New("the list is empty (want a header row: source,handle,kind,customer_id,name,tier,owner)")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading the header: %w", err)
	}
	at := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !contains(columns, h) {
			return nil, nil, fmt.Errorf("header: unknown column %q (known: %s)", h, strings.Join(columns, ", "))
		}
		at[h] = i
	}
	_, hasSource := at["source"]
	_, hasNetwork := at["network"]
	if _, ok := at["handle"]; !ok || (!hasSource && !hasNetwork) {
		return nil, nil, errors.New("header: want at least the columns source and handle")
	}
	var out []earshot.SocialAccount
	var bad []LineError
	for {
		row, err := cr.Read()
		if err == io.EOF {
			return out, bad, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				bad = append(bad, LineError{Line: pe.StartLine, Reason: pe.Err.Error()})
				continue
			}
			return out, bad, fmt.Errorf("reading: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue
		}
		if len(row) != len(header) {
			bad = append(bad, LineError{Line: line, Reason: fmt.Sprintf("%d fields, want %d as in the header", len(row), len(header))})
			continue
		}
		get := func(col string) string {
			if i, ok := at[col]; ok {
				return row[i]
			}
			return ""
		}
		rec := record{Source: get("source"), Network: get("network"), Handle: get("handle"), Kind: get("kind"),
			CustomerID: get("customer_id"), Name: get("name"), Tier: get("tier"), Owner: get("owner")}
		a, err := rec.account(now)
		if err != nil {
			bad = append(bad, LineError{Line: line, Reason: err.Error()})
			continue
		}
		out = append(out, a)
	}
}

// parseJSON reads an array of objects (errors name the item, from 1) or
// one object a line (errors name the line).
func parseJSON(r io.Reader, now time.Time) ([]earshot.SocialAccount, []LineError, error) {
	br := bufio.NewReader(r)
	first, err := firstNonSpace(br)
	if err == io.EOF {
		return nil, nil, errors.New("the list is empty")
	}
	if err != nil {
		return nil, nil, err
	}
	var out []earshot.SocialAccount
	var bad []LineError
	add := func(n int, raw []byte) {
		var rec record
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&rec); err != nil {
			bad = append(bad, LineError{Line: n, Reason: "not an account object: " + err.Error()})
			return
		}
		a, err := rec.account(now)
		if err != nil {
			bad = append(bad, LineError{Line: n, Reason: err.Error()})
			return
		}
		out = append(out, a)
	}
	if first == '[' {
		var items []json.RawMessage
		if err := json.NewDecoder(br).Decode(&items); err != nil {
			return nil, nil, fmt.Errorf("not a JSON array of accounts: %w", err)
		}
		for i, raw := range items {
			add(i+1, raw)
		}
		return out, bad, nil
	}
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if line := bytes.TrimSpace(sc.Bytes()); len(line) > 0 {
			add(n, line)
		}
	}
	if err := sc.Err(); err != nil {
		return out, bad, fmt.Errorf("reading: %w", err)
	}
	return out, bad, nil
}

func firstNonSpace(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		if b != ' ' && b != '\t' && b != '\n' && b != '\r' {
			return b, br.UnreadByte()
		}
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
