package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/sentiment"
)

const (
	analyzeBatch   = 4096
	maxAnalyzeLine = 1 << 20
)

// analyzeIn is one input line in JSON form.
type analyzeIn struct {
	ID   json.RawMessage `json:"id"`
	Text *string         `json:"text"`
}

// analyzeOut is one output line.
type analyzeOut struct {
	ID    string  `json:"id"`
	Score float64 `json:"score"`
	Label string  `json:"label"`
	Error string  `json:"error,omitempty"`
}

func runAnalyze(ctx context.Context, args []string, e env) error {
	fs := newFlags("analyze", e.stderr)
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, `Usage: earshot analyze < posts.jsonl > scores.jsonl

Reads JSON lines {"id": "...", "text": "..."} (or plain text, one post a
line, numbered from 1) on stdin and writes one JSON line per input line, in
order: {"id": "...", "score": -0.62, "label": "negative"}. A line that cannot
be read gets {"id": ..., "error": "..."}; the others are still scored, and the
exit code is then 2.`)
	}
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	scorer, err := sentiment.New()
	if err != nil {
		return fmt.Errorf("loading the sentiment model: %w", err)
	}
	bad, err := analyze(ctx, scorer, e.stdin, e.stdout)
	if err != nil {
		return err
	}
	if bad > 0 {
		return usagef("%d input line(s) could not be read; see their \"error\" fields", bad)
	}
	return nil
}

// analyze streams lines from r to w in batches, returning how many input
// lines were unreadable.
func analyze(ctx context.Context, scorer earshot.Scorer, r io.Reader, w io.Writer) (bad int, err error) {
	in := bufio.NewReaderSize(r, 1<<16)
	out := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)

	var (
		rows  = make([]analyzeOut, 0, analyzeBatch)
		texts = make([]string, 0, analyzeBatch)
		which = make([]int, 0, analyzeBatch) // rows index of each text
		line  int
	)
	flush := func() error {
		if len(texts) > 0 {
			scores, err := scorer.Score(ctx, texts)
			if err != nil {
				return fmt.Errorf("scoring: %w", err)
			}
			for i, s := range scores {
				rows[which[i]].Score = math.Round(s.Score*1e4) / 1e4
				rows[which[i]].Label = string(s.Label)
			}
		}
		for i := range rows {
			if rows[i].Label == "" && rows[i].Error == "" {
				rows[i].Label = "unscored"
			}
			if err := enc.Encode(&rows[i]); err != nil {
				return fmt.Errorf("writing: %w", err)
			}
		}
		rows, texts, which = rows[:0], texts[:0], which[:0]
		return nil
	}

	for {
		raw, tooLong, err := readLine(in)
		if err == io.EOF {
			break
		}
		if err != nil {
			return bad, fmt.Errorf("reading stdin: %w", err)
		}
		line++
		row := analyzeOut{ID: strconv.Itoa(line)}
		trimmed := bytes.TrimSpace(raw)
		switch {
		case tooLong:
			row.Error = fmt.Sprintf("line %d is longer than %d bytes", line, maxAnalyzeLine)
		case len(trimmed) > 0 && trimmed[0] == '{':
			var v analyzeIn
			if err := json.Unmarshal(trimmed, &v); err != nil {
				row.Error = fmt.Sprintf("line %d is not valid JSON: %v", line, err)
			} else if v.Text == nil {
				row.Error = fmt.Sprintf("line %d has no \"text\"", line)
			} else {
				texts = append(texts, *v.Text)
				which = append(which, len(rows))
			}
			if id := idString(v.ID); id != "" {
				row.ID = id
			}
		default:
			texts = append(texts, string(trimmed))
			which = append(which, len(rows))
		}
		if row.Error != "" {
			bad++
		}
		rows = append(rows, row)
		if len(rows) == analyzeBatch {
			if err := flush(); err != nil {
				return bad, err
			}
		}
	}
	if err := flush(); err != nil {
		return bad, err
	}
	if err := out.Flush(); err != nil {
		return bad, fmt.Errorf("writing: %w", err)
	}
	return bad, nil
}

// readLine reads one line without its newline. A line longer than
// maxAnalyzeLine is consumed and reported as too long.
func readLine(r *bufio.Reader) (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(buf)+len(chunk) <= maxAnalyzeLine+1 {
			buf = append(buf, chunk...)
		} else {
			tooLong = true
		}
		switch err {
		case bufio.ErrBufferFull:
			continue
		case io.EOF:
			if len(buf) == 0 && !tooLong {
				return nil, false, io.EOF
			}
			return bytes.TrimRight(buf, "\r\n"), tooLong, nil
		case nil:
			return bytes.TrimRight(buf, "\r\n"), tooLong, nil
		default:
			return nil, false, err
		}
	}
}

// idString renders a JSON id (string or number) as a string.
func idString(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}
