package linescore

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

// batchSize is how many lines are scored at once.
const batchSize = 4096

// inLine is one input line in JSON form.
type inLine struct {
	ID   json.RawMessage `json:"id"`
	Text *string         `json:"text"`
}

// Row is one output line. Reason, Lang and Parts are written when
// explaining only; Error, for a line that cannot be read, instead of a
// score.
type Row struct {
	ID     string             `json:"id"`
	Score  float64            `json:"score"`
	Label  string             `json:"label"`
	Reason string             `json:"reason,omitempty"`
	Lang   string             `json:"lang,omitempty"`
	Parts  map[string]float64 `json:"parts,omitempty"`
	Error  string             `json:"error,omitempty"`
}

// chunk is a batch of input lines on their way through analyze.
type chunk struct {
	rows  []Row
	texts []string
	which []int // rows index of each text
	bad   int
}

// Score streams lines from r to w in batches, returning how many input
// lines were unreadable. One goroutine reads and parses the next batch
// while the scorer scores the current one on every core.
func Score(ctx context.Context, scorer *sentiment.Scorer, explain bool, r io.Reader, w io.Writer) (bad int, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan *chunk, 1)
	free := make(chan *chunk, 3)
	for range 3 {
		free <- &chunk{
			rows:  make([]Row, 0, batchSize),
			texts: make([]string, 0, batchSize),
			which: make([]int, 0, batchSize),
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
	scores := make([]earshot.Sentiment, batchSize)
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
func readChunks(ctx context.Context, r io.Reader, free <-chan *chunk, chunks chan<- *chunk) error {
	in := bufio.NewReaderSize(r, 1<<16)
	var c *chunk
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
		row := Row{ID: strconv.Itoa(line)}
		trimmed := bytes.TrimSpace(raw)
		switch {
		case tooLong:
			row.Error = fmt.Sprintf("line %d is longer than %d bytes", line, lines.MaxBytes)
		case len(trimmed) > 0 && trimmed[0] == '{':
			var v inLine
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
		if len(c.rows) == batchSize {
			if !send(ctx, chunks, c) || !take() {
				return nil
			}
		}
	}
	send(ctx, chunks, c)
	return nil
}

// send sends c on chunks unless ctx ends first.
func send(ctx context.Context, chunks chan<- *chunk, c *chunk) bool {
	select {
	case chunks <- c:
		return true
	case <-ctx.Done():
		return false
	}
}

// writeChunk scores a chunk's texts and writes its rows.
func writeChunk(ctx context.Context, scorer *sentiment.Scorer, explain bool, c *chunk, scores []earshot.Sentiment, enc *json.Encoder) error {
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
