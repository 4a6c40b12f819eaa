package csvseries

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/earshot/earshot/analysis/spikes"
	"github.com/earshot/earshot/analysis/spikes/nab"
	"github.com/earshot/earshot/internal/badinput"
)

// Skipped counts the rows Score could not read, with the first few
// reasons ("line 7: no value").
type Skipped struct {
	Rows  int
	First []string
}

func (s *Skipped) add(line int, format string, args ...any) {
	s.Rows++
	if len(s.First) < 5 {
		s.First = append(s.First, fmt.Sprintf("line %d: %s", line, fmt.Sprintf(format, args...)))
	}
}

// Score streams a timestamp,value CSV from r through a detector with cfg
// and writes timestamp,value,anomaly_score to w, one row per input row. A row it cannot
// read is written back with score 0 and counted; only an empty input or a
// bad header is an error, a *badinput.Error.
func Score(ctx context.Context, cfg spikes.Config, r io.Reader, w io.Writer) (Skipped, error) {
	var skipped Skipped
	cr := csv.NewReader(bufio.NewReaderSize(r, 1<<16))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	out := bufio.NewWriterSize(w, 1<<16)
	cw := csv.NewWriter(out)

	head, err := cr.Read()
	if err == io.EOF {
		return skipped, badinput.Errorf("the input is empty; want a timestamp,value header")
	}
	if err != nil {
		return skipped, badinput.Errorf("line 1: %v", csvErr(err))
	}
	if len(head) < 2 || len(head) > 3 {
		return skipped, badinput.Errorf("line 1: want a header timestamp,value (and optionally a volume column), got %d columns", len(head))
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
