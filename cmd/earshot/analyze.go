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
	"github.com/earshot/earshot/internal/lines"
)

const analyzeBatch = 4096

// analyzeIn is one input line in JSON form.
type analyzeIn struct {
	ID   json.RawMessage `json:"id"`
	Text *string         `json:"text"`
}

// analyzeOut is one output line. Reason, Lang and Parts are written with
// --explain only.
type analyzeOut struct {
	ID     string             `json:"id"`
	Score  float64            `json:"score"`
	Label  string             `json:"label"`
	Reason string             `json:"reason,omitempty"`
	Lang   string             `json:"lang,omitempty"`
	Parts  map[string]float64 `json:"parts,omitempty"`
	Error  string             `json:"error,omitempty"`
}

func runAnalyze(ctx context.Context, args []string, e env) error {
	fs := newFlags("analyze", e.stderr)
	explain := fs.Bool("explain", false, `add "reason" (why a negative post is negative), "lang" (the detected language) and "parts" (how far each part, and the model's "bias", moved the log-odds of positive over negative) to each line`)
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, `Usage: earshot analyze < posts.jsonl > scores.jsonl

Reads JSON lines {"id": "...", "text": "..."} (or plain text, one post a
line, numbered from 1) on stdin and writes one JSON line per input line, in
order: {"id": "...", "score": -0.62, "label": "negative"}. A text in another
language than English is labelled "unscored". A line that cannot be read gets
{"id": ..., "error": "..."}; the others are still scored, and the exit code is
then 2.

Flags:`)
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	scorer, err := sentiment.New()
	if err != nil {
		return fmt.Errorf("loading the sentiment model: %w", err)
	}
	bad, err := analyze(ctx, scorer, *explain, e.stdin, e.stdout)
	if err != nil {
		return err
	}
	if bad > 0 {
		return usagef("%d input line(s) could not be read; see their \"error\" fields", bad)
	}
	return nil
}

// analyzeChunk is a batch of input lines on their way through analyze.
type analyzeChunk struct {
	rows  []analyzeOut
	texts []string
	which []int // rows index of each text
	bad   int
}

// analyze streams lines from r to w in batches, returning how many input
// lines were unreadable. One goroutine reads and parses the next batch
// while the scorer scores the current one on every core.
func analyze(ctx context.Context, scorer *sentiment.Scorer, explain bool, r io.Reader, w io.Writer) (bad int, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan *analyzeChunk, 1)
	free := make(chan *analyzeChunk, 3)
	for range 3 {
		free <- &analyzeChunk{
			rows:  make([]analyzeOut, 0, analyzeBatch),
			texts: make([]string, 0, analyzeBatch),
			which: make([]int, 0, analyzeBatch),
		}
	}
	readErr := make(chan error, 1)
	go func() {
		defer close(chunks)
		readErr <- readChunks(ctx, r, free, chunks)
	}()

	out := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	scores := make([]earshot.Sentiment, analyzeBatch)
	for c := range chunks {
		bad += c.bad
		if err := writeChunk(ctx, scorer, explain, c, scores, enc); err != nil {
			return bad, err // the deferred cancel stops the reader
		}
		c.rows, c.texts, c.which, c.bad = c.rows[:0], c.texts[:0], c.which[:0], 0
		free <- c
	}
	if err := <-readErr; err != nil {
		return bad, err
	}
	if err := out.Flush(); err != nil {
		return bad, fmt.Errorf("writing: %w", err)
	}
	return bad, nil
}

// readChunks reads and parses lines from r into chunks taken from free,
// sending each full one, and the last, on chunks.
func readChunks(ctx context.Context, r io.Reader, free <-chan *analyzeChunk, chunks chan<- *analyzeChunk) error {
	in := bufio.NewReaderSize(r, 1<<16)
	var c *analyzeChunk
	take := func() bool {
		select {
		case c = <-free:
			return true
		case <-ctx.Done():
			return false
		}
	}
	if !take() {
		return nil
	}
	for line := 1; ; line++ {
		raw, tooLong, err := lines.Read(in)
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("reading stdin: %w", err)
		}
		row := analyzeOut{ID: strconv.Itoa(line)}
		trimmed := bytes.TrimSpace(raw)
		switch {
		case tooLong:
			row.Error = fmt.Sprintf("line %d is longer than %d bytes", line, lines.MaxBytes)
		case len(trimmed) > 0 && trimmed[0] == '{':
			var v analyzeIn
			if err := json.Unmarshal(trimmed, &v); err != nil {
				row.Error = fmt.Sprintf("line %d is not valid JSON: %v", line, err)
			} else if v.Text == nil {
				row.Error = fmt.Sprintf("line %d has no \"text\"", line)
			} else {
				c.texts = append(c.texts, *v.Text)
				c.which = append(c.which, len(c.rows))
			}
			if id := idString(v.ID); id != "" {
				row.ID = id
			}
		default:
			c.texts = append(c.texts, string(trimmed))
			c.which = append(c.which, len(c.rows))
		}
		if row.Error != "" {
			c.bad++
		}
		c.rows = append(c.rows, row)
		if len(c.rows) == analyzeBatch {
			if !send(ctx, chunks, c) || !take() {
				return nil
			}
		}
	}
	send(ctx, chunks, c)
	return nil
}

// send sends c on chunks unless ctx ends first.
func send(ctx context.Context, chunks chan<- *analyzeChunk, c *analyzeChunk) bool {
	select {
	case chunks <- c:
		return true
	case <-ctx.Done():
		return false
	}
}

// writeChunk scores a chunk's texts and writes its rows.
func writeChunk(ctx context.Context, scorer *sentiment.Scorer, explain bool, c *analyzeChunk, scores []earshot.Sentiment, enc *json.Encoder) error {
	rows := c.rows
	switch {
	case len(c.texts) == 0:
	case explain:
		exps, err := scorer.ExplainAll(ctx, c.texts)
		if err != nil {
			return fmt.Errorf("scoring: %w", err)
		}
		for i, x := range exps {
			row := &rows[c.which[i]]
			row.Score = math.Round(x.Score*1e4) / 1e4
			row.Label, row.Reason, row.Lang = string(x.Label), string(x.Reason), x.Lang
			row.Parts = x.Contributions
			for k, v := range row.Parts {
				row.Parts[k] = math.Round(v*1e4) / 1e4
			}
		}
	default:
		scores = scores[:len(c.texts)]
		if err := scorer.ScoreInto(ctx, scores, c.texts, false); err != nil {
			return fmt.Errorf("scoring: %w", err)
		}
		for i, s := range scores {
			rows[c.which[i]].Score = math.Round(s.Score*1e4) / 1e4
			rows[c.which[i]].Label = string(s.Label)
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
	return nil
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
