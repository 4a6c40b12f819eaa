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
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

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
		if err := writeChunk(ctx, scorer, explain, c, scores, out, enc); err != nil {
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
			if id, text, ok := plainLine(trimmed); ok {
				c.texts = append(c.texts, text)
				c.which = append(c.which, len(c.rows))
				if id != "" {
					row.ID = id
				}
				break
			}
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
func writeChunk(ctx context.Context, scorer *sentiment.Scorer, explain bool, c *chunk, scores []earshot.Sentiment, out *bufio.Writer, enc *json.Encoder) error {
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
		if line, ok := appendRow(out.AvailableBuffer(), &rows[i]); ok {
			if _, err := out.Write(line); err != nil {
				return fmt.Errorf("writing: %w", err)
			}
			continue
		}
		if err := enc.Encode(&rows[i]); err != nil {
			return fmt.Errorf("writing: %w", err)
		}
	}
	return nil
}

// appendRow appends r to b as a line of JSON, byte for byte as the
// Encoder of Score writes it, when r has only an id, a score and a label
// and its strings need no escaping (the common row; encoding/json goes
// through reflection for each); ok is false for any other row.
func appendRow(b []byte, r *Row) (line []byte, ok bool) {
	if r.Reason != "" || r.Lang != "" || r.Parts != nil || r.Error != "" || !plainJSON(r.ID) || !plainJSON(r.Label) {
		return b, false
	}
	// encoding/json writes a float64 as AppendFloat's 'f' format unless it
	// is small or large (then 'e'), and refuses NaN and infinities.
	if a := math.Abs(r.Score); math.IsNaN(a) || (a != 0 && (a < 1e-6 || a >= 1e21)) {
		return b, false
	}
	b = append(b, `{"id":"`...)
	b = append(b, r.ID...)
	b = append(b, `","score":`...)
	b = strconv.AppendFloat(b, r.Score, 'f', -1, 64)
	b = append(b, `,"label":"`...)
	b = append(b, r.Label...)
	b = append(b, "\"}\n"...)
	return b, true
}

// plainJSON reports whether encoding/json writes s as it is between
// quotes: printable ASCII without a quote or a backslash.
func plainJSON(s string) bool {
	for i := range len(s) {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
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

// plainLine reads the common line {"id": ID, "text": TEXT}, with those
// two keys in that order, the id a string or a plain integer, as
// encoding/json would (its unescaping included) but without it, which
// took a tenth of analyze's CPU. ok is false for any other line, left to
// encoding/json. id is "" when the line's id is.
func plainLine(line []byte) (id, text string, ok bool) {
	p, ok := jsonToken(line, "{")
	if p, ok = jsonKey(p, ok, "id"); !ok {
		return "", "", false
	}
	if len(p) > 0 && p[0] == '"' {
		if id, p, ok = jsonString(p); !ok {
			return "", "", false
		}
	} else {
		n := 0
		for n < len(p) && '0' <= p[n] && p[n] <= '9' {
			n++
		}
		if n == 0 || (p[0] == '0' && n > 1) {
			return "", "", false
		}
		id, p = string(p[:n]), p[n:]
	}
	p, ok = jsonToken(p, ",")
	if p, ok = jsonKey(p, ok, "text"); !ok || len(p) == 0 || p[0] != '"' {
		return "", "", false
	}
	if text, p, ok = jsonString(p); !ok {
		return "", "", false
	}
	if p, ok = jsonToken(p, "}"); !ok || len(bytes.TrimLeft(p, jsonSpace)) > 0 {
		return "", "", false
	}
	return id, text, true
}

// jsonSpace is JSON's white space.
const jsonSpace = " \t\n\r"

// jsonToken skips white space and tok at the start of p.
func jsonToken(p []byte, tok string) ([]byte, bool) {
	return bytes.CutPrefix(bytes.TrimLeft(p, jsonSpace), []byte(tok))
}

// jsonKey skips `"key":` and the white space around it, when ok.
func jsonKey(p []byte, ok bool, key string) ([]byte, bool) {
	if !ok {
		return nil, false
	}
	if p, ok = jsonToken(p, `"`+key+`"`); !ok {
		return nil, false
	}
	p, ok = jsonToken(p, ":")
	return bytes.TrimLeft(p, jsonSpace), ok
}

// jsonString reads the JSON string at the start of p (its opening quote
// first) as encoding/json does: escapes decoded, a lone or broken
// surrogate and invalid UTF-8 read as U+FFFD. ok is false where
// encoding/json reports an error.
func jsonString(p []byte) (s string, rest []byte, ok bool) {
	end := 1
	for end < len(p) && p[end] != '"' {
		if p[end] == '\\' {
			end++
		}
		end++
	}
	if end >= len(p) {
		return "", nil, false
	}
	raw, rest := p[1:end], p[end+1:]
	if bytes.IndexByte(raw, '\\') < 0 {
		for _, c := range raw {
			if c < 0x20 {
				return "", nil, false
			}
		}
		if utf8.Valid(raw) {
			return string(raw), rest, true
		}
	}
	b, ok := appendUnquoted(make([]byte, 0, len(raw)), raw)
	return string(b), rest, ok
}

// appendUnquoted appends the value of raw, a JSON string's bytes between
// its quotes, to b.
func appendUnquoted(b, raw []byte) ([]byte, bool) {
	for r := 0; r < len(raw); {
		c := raw[r]
		switch {
		case c < 0x20:
			return nil, false
		case c == '\\':
			if r+1 >= len(raw) {
				return nil, false
			}
			if raw[r+1] == 'u' {
				rr := hex4(raw[r+2:])
				if rr < 0 {
					return nil, false
				}
				r += 6
				if utf16.IsSurrogate(rr) {
					if dec := utf16.DecodeRune(rr, unicodeEscape(raw[r:])); dec != unicode.ReplacementChar {
						b, r = utf8.AppendRune(b, dec), r+6
						continue
					}
					rr = unicode.ReplacementChar
				}
				b = utf8.AppendRune(b, rr)
				continue
			}
			e := bytes.IndexByte([]byte(`"\/bfnrt`), raw[r+1])
			if e < 0 {
				return nil, false
			}
			b, r = append(b, "\"\\/\b\f\n\r\t"[e]), r+2
		case c < utf8.RuneSelf:
			b, r = append(b, c), r+1
		default:
			rr, size := utf8.DecodeRune(raw[r:])
			b, r = utf8.AppendRune(b, rr), r+size
		}
	}
	return b, true
}

// unicodeEscape returns the rune of the \uXXXX at the start of p, or -1.
func unicodeEscape(p []byte) rune {
	if len(p) < 2 || p[0] != '\\' || p[1] != 'u' {
		return -1
	}
	return hex4(p[2:])
}

// hex4 returns the value of the 4 hex digits at the start of p, or -1.
func hex4(p []byte) rune {
	if len(p) < 4 {
		return -1
	}
	var r rune
	for _, c := range p[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}
