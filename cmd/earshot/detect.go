package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/spikes"
	"github.com/earshot/earshot/analysis/spikes/nab"
)

func runDetect(ctx context.Context, args []string, e env) error {
	fs := newFlags("detect", e.stderr)
	input := fs.String("input", "", "CSV file of timestamp,value rows with a header (- for stdin)")
	metric := fs.String("metric", string(earshot.MetricVolume), "what the values are: volume (counts), negative_share, net_sentiment, or value (any measurement)")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, `Usage: earshot detect --input series.csv > scores.csv

Reads a CSV with a header and rows timestamp,value (RFC 3339 or
"2006-01-02 15:04:05" in UTC; an optional third column is the volume behind
a ratio metric) and writes timestamp,value,anomaly_score, one row per input
row, in order. The score, in [0, 1], is computed as in production:
streaming, from that row and the rows before it only; about 0.97 and above
is an anomaly on any series. The bucket width is the gap between the first
two rows.

Real exports are read as they are: a timestamp repeated or going back (an
hour told twice when clocks go back, a duplicated row) is taken as the next
bucket; a blank or unreadable row is written back with score 0 and not
learned from, and counted on stderr. Only an empty input or a header that
is not two or three columns stops the run (exit 2).

Flags:`)
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *input == "" {
		return usagef("--input is required (- reads stdin)")
	}
	var cfg spikes.Config
	switch m := earshot.Metric(*metric); m {
	case earshot.MetricVolume, earshot.MetricNegativeShare, earshot.MetricNetSentiment:
		cfg = spikes.ConfigFor(m)
	case "value":
		cfg = spikes.GenericConfig()
	default:
		return usagef("--metric %q: want volume, negative_share, net_sentiment or value", *metric)
	}
	r := e.stdin
	if *input != "-" {
		f, err := os.Open(*input)
		if err != nil {
			return usagef("opening --input: %v", err)
		}
		defer f.Close()
		r = f
	}
	skipped, err := detect(ctx, cfg, r, e.stdout)
	if err != nil {
		return err
	}
	if skipped.rows > 0 {
		fmt.Fprintf(e.stderr, "earshot detect: %d row(s) not scored (written with score 0): %s\n", skipped.rows, strings.Join(skipped.first, "; "))
	}
	return nil
}

// skippedRows counts the rows detect could not read, with the first few
// reasons.
type skippedRows struct {
	rows  int
	first []string
}

func (s *skippedRows) add(line int, format string, args ...any) {
	s.rows++
	if len(s.first) < 5 {
		s.first = append(s.first, fmt.Sprintf("line %d: %s", line, fmt.Sprintf(format, args...)))
	}
}

// detect streams a timestamp,value CSV through a detector. A row it cannot
// read is written back with score 0 and counted; only an empty input or a
// bad header is an error.
func detect(ctx context.Context, cfg spikes.Config, r io.Reader, w io.Writer) (skippedRows, error) {
	var skipped skippedRows
	cr := csv.NewReader(bufio.NewReaderSize(r, 1<<16))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	out := bufio.NewWriterSize(w, 1<<16)
	cw := csv.NewWriter(out)

	head, err := cr.Read()
	if err == io.EOF {
		return skipped, usagef("the input is empty; want a timestamp,value header")
	}
	if err != nil {
		return skipped, usagef("line 1: %v", csvErr(err))
	}
	if len(head) < 2 || len(head) > 3 {
		return skipped, usagef("line 1: want a header timestamp,value (and optionally a volume column), got %d columns", len(head))
	}
	if err := cw.Write([]string{"timestamp", "value", "anomaly_score"}); err != nil {
		return skipped, fmt.Errorf("writing: %w", err)
	}

	d := spikes.NewDetector(cfg)
	row := make([]string, 3)
	for line := 2; ; line++ {
		if line%4096 == 0 && ctx.Err() != nil {
			return skipped, ctx.Err()
		}
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		row[0], row[1], row[2] = "", "", "0"
		if err != nil {
			// encoding/csv goes on with the next record after a
			// parse error.
			skipped.add(line, "%v", csvErr(err))
			if err := cw.Write(row); err != nil {
				return skipped, fmt.Errorf("writing: %w", err)
			}
			continue
		}
		copy(row, rec[:min(len(rec), 2)])
		if score, why := detectRow(d, rec, len(head)); why != "" {
			skipped.add(line, "%s", why)
		} else {
			row[2] = strconv.FormatFloat(score, 'f', -1, 64)
		}
		if err := cw.Write(row); err != nil {
			return skipped, fmt.Errorf("writing: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return skipped, fmt.Errorf("writing: %w", err)
	}
	if err := out.Flush(); err != nil {
		return skipped, fmt.Errorf("writing: %w", err)
	}
	return skipped, nil
}

// detectRow scores one record, or says why it cannot.
func detectRow(d *spikes.Detector, rec []string, columns int) (float64, string) {
	if len(rec) != columns {
		return 0, fmt.Sprintf("want %d columns like the header, got %d", columns, len(rec))
	}
	t, err := nab.ParseTime(rec[0])
	if err != nil {
		return 0, err.Error()
	}
	if strings.TrimSpace(rec[1]) == "" {
		return 0, "no value"
	}
	v, err := parseValue(rec[1])
	if err != nil {
		return 0, "value " + err.Error()
	}
	n := -1.0
	if columns == 3 {
		if n, err = parseValue(rec[2]); err != nil || n < 0 {
			return 0, fmt.Sprintf("volume %q is not a count", rec[2])
		}
	}
	return d.Observe(t, v, n).Rarity, ""
}

func parseValue(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a finite number", s)
	}
	return v, nil
}

// csvErr drops encoding/csv's own position prefix; the caller names the
// line.
func csvErr(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
