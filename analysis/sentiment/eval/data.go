package eval

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/earshot/earshot"
)

// Item is one labelled text.
type Item struct {
	ID    string
	Text  string
	Label earshot.Label
	// Reason is the gold reason of a negative text, mapped to Earshot's
	// reasons; empty when the set has none.
	Reason earshot.Reason
}

// Set is a labelled data set.
type Set struct {
	// Name is the file's name without its extension ("airline_dev").
	Name   string
	Format string // "airline", "semeval", "vader", "csv" or "jsonl"
	Items  []Item
}

// VADER's ground truth is a mean human rating on [-4, 4]; a mean within
// VaderNeutral of 0 is neutral, below -VaderNeutral negative, above it
// positive. Half a point on a nine-point scale: the raters, on average,
// leaned one way at least a little.
const VaderNeutral = 0.5

// HeldOutBuckets: an item is held out, never seen by the fit, when the
// FNV-1a 64 hash of its ID is 0 modulo HeldOutBuckets (a fifth).
const HeldOutBuckets = 5

// HeldOut reports whether the item with this ID is in the held-out split.
func HeldOut(id string) bool {
	h := fnv.New64a()
	h.Write([]byte(id))
	return h.Sum64()%HeldOutBuckets == 0
}

// AirlineReasons maps the airline set's negativereason to Earshot's
// reasons. "Can't Tell" maps to none: such items are left out of the
// reason figures.
var AirlineReasons = map[string]earshot.Reason{
	"Cancelled Flight":            earshot.ReasonOutage,      // the service was not delivered
	"Late Flight":                 earshot.ReasonPerformance, // it was, slowly
	"longlines":                   earshot.ReasonPerformance,
	"Customer Service Issue":      earshot.ReasonSupport,
	"Flight Attendant Complaints": earshot.ReasonSupport,
	"Flight Booking Problems":     earshot.ReasonLogin, // the customer's booking, their account
	"Lost Luggage":                earshot.ReasonOther,
	"Damaged Luggage":             earshot.ReasonOther,
	"Bad Flight":                  earshot.ReasonOther,
	"Can't Tell":                  "",
}

// Load reads a labelled set:
//
//   - a directory: SemEval TSV files (id TAB label TAB text), all of them;
//   - .csv: the airline set (tweet_id, airline_sentiment, negativereason,
//     text) or any CSV with id, text and label columns (and optionally
//     reason);
//   - .tsv: VADER's ground truth (id, mean_rating, text, with that header)
//     or SemEval's format;
//   - .jsonl: {"id": ..., "text": ..., "label": ..., "reason": ...} lines.
//
// Items without a text or a label are skipped.
func Load(path string) (*Set, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	set := &Set{Name: name}
	if st.IsDir() {
		set.Format = "semeval"
		files, err := filepath.Glob(filepath.Join(path, "*.tsv"))
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%s: no .tsv files", path)
		}
		slices.Sort(files)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			set.Items = append(set.Items, parseSemEval(data)...)
		}
		set.Items = dedupe(set.Items)
		return set, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		set.Format = "csv"
		set.Items, err = parseCSV(data, &set.Format)
	case ".tsv":
		if bytes.HasPrefix(data, []byte("id\tmean_rating\ttext")) {
			set.Format = "vader"
			set.Items, err = parseVader(data)
		} else {
			set.Format = "semeval"
			set.Items = dedupe(parseSemEval(data))
		}
	case ".jsonl", ".json":
		set.Format = "jsonl"
		set.Items, err = parseJSONL(data)
	default:
		return nil, fmt.Errorf("%s: unknown format (want .csv, .tsv, .jsonl or a directory of SemEval .tsv)", path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(set.Items) == 0 {
		return nil, fmt.Errorf("%s: no labelled items", path)
	}
	return set, nil
}

// parseSemEval reads id TAB label TAB text lines. Some lines in the
// published files hold two records (a lost newline) or a stray quote; each
// run of (numeric id, label, text) fields is a record. \uXXXX escapes in
// the text are decoded and enclosing quotes dropped.
func parseSemEval(data []byte) []Item {
	var items []Item
	for line := range strings.SplitSeq(string(data), "\n") {
		f := strings.Split(strings.TrimRight(line, "\r"), "\t")
		for i := 0; i+2 < len(f); i++ {
			label := earshot.Label(f[i+1])
			if !isDigits(f[i]) || (label != earshot.Negative && label != earshot.Neutral && label != earshot.Positive) {
				continue
			}
			text := unescapeU(f[i+2])
			if len(text) >= 2 && text[0] == '"' && text[len(text)-1] == '"' {
				text = text[1 : len(text)-1]
			}
			items = append(items, Item{ID: f[i], Label: label, Text: text})
			i += 2
		}
	}
	return items
}

// dedupe keeps the first item of each ID (SemEval's files repeat some).
func dedupe(items []Item) []Item {
	seen := make(map[string]bool, len(items))
	out := items[:0]
	for _, it := range items {
		if !seen[it.ID] {
			seen[it.ID] = true
			out = append(out, it)
		}
	}
	return out
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// unescapeU decodes \uXXXX escapes (as SemEval writes \u2019 and \u002c).
func unescapeU(s string) string {
	if !strings.Contains(s, `\u`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+6 <= len(s) && s[i+1] == 'u' {
			if n, err := strconv.ParseUint(s[i+2:i+6], 16, 32); err == nil {
				b.WriteRune(rune(n))
				i += 5
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func parseVader(data []byte) ([]Item, error) {
	var items []Item
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		f := strings.SplitN(sc.Text(), "\t", 3)
		if len(f) < 3 {
			continue
		}
		rating, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			return nil, fmt.Errorf("id %s: mean_rating %q: %w", f[0], f[1], err)
		}
		items = append(items, Item{ID: f[0], Text: f[2], Label: VaderLabel(rating)})
	}
	return items, sc.Err()
}

// VaderLabel is the class of a VADER mean rating (see VaderNeutral).
func VaderLabel(rating float64) earshot.Label {
	switch {
	case rating <= -VaderNeutral:
		return earshot.Negative
	case rating >= VaderNeutral:
		return earshot.Positive
	}
	return earshot.Neutral
}

func parseCSV(data []byte, format *string) ([]Item, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("reading the header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(strings.ToLower(h))] = i
	}
	pick := func(names ...string) int {
		for _, n := range names {
			if i, ok := col[n]; ok {
				return i
			}
		}
		return -1
	}
	id, text := pick("id", "tweet_id"), pick("text")
	label, reason := pick("label", "sentiment", "airline_sentiment"), pick("reason", "negativereason")
	if _, ok := col["airline_sentiment"]; ok {
		*format = "airline"
	}
	if text < 0 || label < 0 {
		return nil, errors.New("want columns text and label (or airline_sentiment)")
	}
	var items []Item
	for n := 1; ; n++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		get := func(i int) string {
			if i < 0 || i >= len(rec) {
				return ""
			}
			return rec[i]
		}
		it := Item{ID: get(id), Text: get(text), Label: earshot.Label(strings.ToLower(get(label)))}
		if it.ID == "" {
			it.ID = strconv.Itoa(n)
		}
		if raw := get(reason); raw != "" {
			if mapped, ok := AirlineReasons[raw]; ok {
				it.Reason = mapped
			} else {
				it.Reason = earshot.Reason(raw)
			}
		}
		if it.Text != "" && validLabel(it.Label) {
			items = append(items, it)
		}
	}
	return items, nil
}

func parseJSONL(data []byte) ([]Item, error) {
	var items []Item
	for n, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		var v struct {
			ID     json.RawMessage `json:"id"`
			Text   string          `json:"text"`
			Label  string          `json:"label"`
			Reason string          `json:"reason"`
		}
		if err := json.Unmarshal(line, &v); err != nil {
			return nil, fmt.Errorf("line %d: %w", n+1, err)
		}
		id := strings.Trim(string(v.ID), `"`)
		if id == "" || id == "null" {
			id = strconv.Itoa(n + 1)
		}
		it := Item{ID: id, Text: v.Text, Label: earshot.Label(strings.ToLower(v.Label)), Reason: earshot.Reason(v.Reason)}
		if it.Text != "" && validLabel(it.Label) {
			items = append(items, it)
		}
	}
	return items, nil
}

func validLabel(l earshot.Label) bool {
	return l == earshot.Negative || l == earshot.Neutral || l == earshot.Positive
}
