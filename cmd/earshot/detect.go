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
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/spikes"
	"github.com/earshot/earshot/analysis/spikes/nab"
)

func runDetect(ctx context.Context, args []string, e env) error {
	fs := newFlags("detect", e.stderr)
	input := fs.String("input", "", "CSV file of timestamp,value rows with a header (- for stdin)")
	metric := fs.String("metric", string(earshot.MetricVolume), "what the values are: volume, negative_share or net_sentiment")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, `Usage: earshot detect --input series.csv > scores.csv

Reads a CSV with a header and rows timestamp,value (RFC 3339 or
"2006-01-02 15:04:05" in UTC; increasing; an optional third column is the
volume behind a ratio metric) and writes timestamp,value,anomaly_score, one
row per input row, in order. The score, in [0, 1], is computed as in
production: streaming, from that row and the rows before it only. The bucket
width is the gap between the first two rows. A bad row stops the run with
an error naming its line (exit 2); rows before it have been written.

Flags:`)
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *input == "" {
		return usagef("--input is required (- reads stdin)")
	}
	m := earshot.Metric(*metric)
	switch m {
	case earshot.MetricVolume, earshot.MetricNegativeShare, earshot.MetricNetSentiment:
	default:
		return usagef("--metric %q: want volume, negative_share or net_sentiment", *metric)
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
	return detect(ctx, spikes.ConfigFor(m), r, e.stdout)
}

// detect streams a timestamp,value CSV through a detector.
func detect(ctx context.Context, cfg spikes.Config, r io.Reader, w io.Writer) error {
	cr := csv.NewReader(bufio.NewReaderSize(r, 1<<16))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	out := bufio.NewWriterSize(w, 1<<16)
	cw := csv.NewWriter(out)

	head, err := cr.Read()
	if err == io.EOF {
		return usagef("the input is empty; want a timestamp,value header")
	}
	if err != nil {
		return usagef("line 1: %v", csvErr(err))
	}
	if len(head) < 2 || len(head) > 3 {
		return usagef("line 1: want a header timestamp,value (and optionally a volume column), got %d columns", len(head))
	}
	if err := cw.Write([]string{"timestamp", "value", "anomaly_score"}); err != nil {
		return fmt.Errorf("writing: %w", err)
	}

	d := spikes.NewDetector(cfg)
	var (
		prev time.Time
		row  = make([]string, 3)
	)
	for line := 2; ; line++ {
		if line%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return usagef("line %d: %v", line, csvErr(err))
		}
		if len(rec) != len(head) {
			return usagef("line %d: want %d columns like the header, got %d", line, len(head), len(rec))
		}
		t, err := nab.ParseTime(rec[0])
		if err != nil {
			return usagef("line %d: %v", line, err)
		}
		v, err := parseValue(rec[1])
		if err != nil {
			return usagef("line %d: value %v", line, err)
		}
		n := -1.0
		if len(rec) == 3 {
			if n, err = parseValue(rec[2]); err != nil || n < 0 {
				return usagef("line %d: volume %q is not a count", line, rec[2])
			}
		}
		if line > 2 {
			gap := t.Sub(prev)
			if gap <= 0 {
				return usagef("line %d: timestamp %s is not after the previous row's", line, rec[0])
			}
			if line == 3 && gap > 24*time.Hour {
				return usagef("line %d: the first two rows are %v apart; buckets must be at most a day", line, gap)
			}
		}
		prev = t
		p := d.Observe(t, v, n)
		row[0], row[1] = rec[0], rec[1]
		row[2] = strconv.FormatFloat(p.Score, 'f', -1, 64)
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("writing: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("writing: %w", err)
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("writing: %w", err)
	}
	return nil
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
