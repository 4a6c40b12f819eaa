package importfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/badinput"
	"github.com/earshot/earshot/internal/lines"
)

// ReadJSONLines reads one earshot.PostRecord a line, skipping blank lines:
// each post to add, each bad line to reject with its number and the
// reason. It stops at the first error add returns.
func ReadJSONLines(br *bufio.Reader, add func(earshot.Post) error, reject func(int, string)) error {
	line := 0
	for {
		raw, tooLong, err := lines.Read(br)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading: %w", err)
		}
		line++
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 {
			continue
		}
		if tooLong {
			reject(line, fmt.Sprintf("line longer than %d bytes", lines.MaxBytes))
			continue
		}
		if !utf8.Valid(raw) {
			reject(line, "invalid UTF-8")
			continue
		}
		var rec earshot.PostRecord
		if !decodeRecord(raw, &rec) {
			rec = earshot.PostRecord{}
			if err := json.Unmarshal(raw, &rec); err != nil {
				reject(line, "not a JSON object: "+err.Error())
				continue
			}
		}
		p, err := rec.Post()
		if err != nil {
			reject(line, err.Error())
			continue
		}
		if err := add(p); err != nil {
			return err
		}
	}
}

// ReadCSV reads posts from a CSV file whose header names the columns: id,
// source, text and created_at, and optionally kind, url, lang, parent_id,
// author_id, author_handle, author_name and author_followers. Each post
// goes to add, each bad record to reject; a header without a required
// column is a *badinput.Error.
func ReadCSV(br *bufio.Reader, add func(earshot.Post) error, reject func(int, string)) error {
	r := csv.NewReader(br)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	col, err := readHeader(r)
	if err != nil || col == nil {
		return err
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		line, _ := r.FieldPos(0)
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			reject(perr.Line, perr.Err.Error())
			continue
		}
		if err != nil {
			return fmt.Errorf("reading: %w", err)
		}
		p, why := csvPost(col, rec)
		if why != "" {
			reject(line, why)
			continue
		}
		if err := add(p); err != nil {
			return err
		}
	}
}

// readHeader reads the CSV header into the column of each name; nil for
// an empty input.
func readHeader(r *csv.Reader) (map[string]int, error) {
	header, err := r.Read()
	if err == io.EOF {
		return nil, nil
	}
	if err != nil {
		return nil, badinput.Errorf("reading the CSV header: %v", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, need := range []string{"id", "source", "text", "created_at"} {
		if _, ok := col[need]; !ok {
			return nil, badinput.Errorf("the CSV header has no %q column (it needs id, source, text, created_at)", need)
		}
	}
	return col, nil
}

// csvPost makes a post of one CSV record, or says why it cannot.
func csvPost(col map[string]int, rec []string) (earshot.Post, string) {
	get := func(name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	for _, f := range rec {
		if !utf8.ValidString(f) {
			return earshot.Post{}, "invalid UTF-8"
		}
	}
	var ir earshot.PostRecord
	ir.ID, ir.Source, ir.CreatedAt = get("id"), get("source"), get("created_at")
	if i, ok := col["text"]; ok && i < len(rec) {
		t := rec[i]
		ir.Text = &t
	}
	ir.Kind, ir.URL, ir.Lang, ir.ParentID = get("kind"), get("url"), get("lang"), get("parent_id")
	ir.Author.ID, ir.Author.Handle, ir.Author.Name = get("author_id"), get("author_handle"), get("author_name")
	if f := get("author_followers"); f != "" {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return earshot.Post{}, fmt.Sprintf("author_followers %q is not a whole number", f)
		}
		ir.Author.Followers = n
	}
	p, err := ir.Post()
	if err != nil {
		return earshot.Post{}, err.Error()
	}
	return p, ""
}
