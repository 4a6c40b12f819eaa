package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// genSeries writes a timestamp,value CSV: a daily rhythm, with a spike on
// day spikeDay at 14:00 for an hour (none when spikeDay < 0).
func genSeries(days, spikeDay int) string {
	var b strings.Builder
	b.WriteString("timestamp,value\n")
	t0 := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	for i := range days * 288 {
		t := t0.Add(time.Duration(i) * 5 * time.Minute)
		v := 20 + 10*float64((t.Hour()+6)%24)/24 + float64(i%7)
		if t.YearDay()-t0.YearDay() == spikeDay && t.Hour() == 14 {
			v *= 8
		}
		fmt.Fprintf(&b, "%s,%.0f\n", t.Format("2006-01-02 15:04:05"), v)
	}
	return b.String()
}

func TestDetect(t *testing.T) {
	in := genSeries(6, 5)
	e, out, errb := testEnv(in)
	if code := run(t.Context(), []string{"detect", "--input", "-"}, e); code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	recs, err := csv.NewReader(out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	inRecs, _ := csv.NewReader(strings.NewReader(in)).ReadAll()
	if len(recs) != len(inRecs) || strings.Join(recs[0], ",") != "timestamp,value,anomaly_score" {
		t.Fatalf("%d rows with header %v; want %d rows and timestamp,value,anomaly_score", len(recs), recs[0], len(inRecs))
	}
	var spike float64
	for i, r := range recs[1:] {
		if r[0] != inRecs[i+1][0] || r[1] != inRecs[i+1][1] {
			t.Fatalf("row %d is %v, input was %v", i+2, r, inRecs[i+1])
		}
		s, err := strconv.ParseFloat(r[2], 64)
		if err != nil || s < 0 || s > 1 {
			t.Fatalf("row %d: score %q not in [0, 1]", i+2, r[2])
		}
		if strings.HasPrefix(r[0], "2025-01-11 14:") {
			spike = max(spike, s)
		}
	}
	if spike < 0.5 {
		t.Errorf("the spike scores at most %.2f", spike)
	}
}

func TestDetectBadInput(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, in string
		args     []string
		msg      string
	}{
		{"no input flag", "", nil, "--input is required"},
		{"empty", "", []string{"--input", "-"}, "empty"},
		{"header", "timestamp\n2025-01-01 00:00:00\n", []string{"--input", "-"}, "line 1: want a header"},
		{"missing file", "", []string{"--input", filepath.Join(dir, "nope.csv")}, "opening --input"},
		{"metric", "", []string{"--input", "-", "--metric", "vibes"}, "--metric"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, _, errb := testEnv(tt.in)
			if code := run(t.Context(), append([]string{"detect"}, tt.args...), e); code != 2 {
				t.Errorf("exit %d, want 2; stderr %s", code, errb)
			}
			if !strings.Contains(errb.String(), tt.msg) || strings.Count(errb.String(), "\n") != 1 {
				t.Errorf("stderr %q, want one line mentioning %q", errb, tt.msg)
			}
		})
	}
}

// TestDetectRealExports feeds what real exports hold: an hour told twice
// when clocks go back, a duplicated row, a row that steps back, blank and
// unreadable values, a short row, a broken quote. Every input row gets an
// output row, in order; unreadable ones score 0 and are counted on stderr;
// the run exits 0; and the repeated hour is read as the buckets after it,
// so a spike inside it still scores.
func TestDetectRealExports(t *testing.T) {
	var b strings.Builder
	b.WriteString("timestamp,value\n")
	t0 := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	lines := 0
	add := func(ts time.Time, v string) {
		fmt.Fprintf(&b, "%s,%s\n", ts.Format("2006-01-02 15:04:05"), v)
		lines++
	}
	for i := range 6 * 288 {
		add(t0.Add(time.Duration(i)*5*time.Minute), strconv.Itoa(20+i%7))
	}
	// Day 6, 02:00: the hour told twice, the second time a spike.
	rep := t0.Add(6 * 24 * time.Hour).Add(2 * time.Hour)
	for k := range 12 {
		add(rep.Add(time.Duration(k)*5*time.Minute), "21")
	}
	for k := range 12 {
		add(rep.Add(time.Duration(k)*5*time.Minute), "400")
	}
	after := rep.Add(2 * time.Hour)
	add(after, "22")
	add(after, "22")                      // duplicated row
	add(after.Add(-time.Hour), "23")      // steps back
	add(after.Add(5*time.Minute), "")     // blank
	add(after.Add(10*time.Minute), "n/a") // unreadable
	b.WriteString("2025-03-07 04:15:00\n")
	b.WriteString("2025-03-07 04:20:00,\"2\"4\n")
	lines += 2
	add(after.Add(25*time.Minute), "24")

	e, out, errb := testEnv(b.String())
	if code := run(t.Context(), []string{"detect", "--input", "-"}, e); code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	recs, err := csv.NewReader(out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != lines+1 {
		t.Fatalf("%d output rows for %d input rows", len(recs)-1, lines)
	}
	var spike float64
	for i, r := range recs[1:] {
		s, err := strconv.ParseFloat(r[2], 64)
		if err != nil || s < 0 || s > 1 {
			t.Fatalf("row %d: score %q", i+2, r[2])
		}
		if r[1] == "400" {
			spike = max(spike, s)
		}
	}
	if spike < 0.97 {
		t.Errorf("the spike in the repeated hour scores %.2f; want it read, as the buckets after the first hour", spike)
	}
	if !strings.Contains(errb.String(), "4 row(s) not scored") || !strings.Contains(errb.String(), "no value") || !strings.Contains(errb.String(), `"n/a"`) {
		t.Errorf("stderr %q; want the 4 unreadable rows counted with their reasons", errb)
	}
}

// rankRows returns the lines of the ranked table, best first.
func rankRows(out string) []string {
	var rows []string
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		if len(f) > 2 {
			if _, err := strconv.Atoi(f[0]); err == nil {
				rows = append(rows, l)
			}
		}
	}
	return rows
}

// TestEvalSpikesCategories runs the evaluation on a generated folder laid
// out like NAB's corpus: data in category folders, windows keyed by
// category/file, published detectors known only by their raw scores. It
// checks the published sums, the per-category table and both
// cross-validations.
func TestEvalSpikesCategories(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("data/counts/a.csv", genSeries(10, 7))
	write("data/counts/b.csv", genSeries(10, 8))
	write("data/other/c.csv", genSeries(10, 6))
	write("windows.json", `{"counts/a.csv": [["2025-01-13 08:00:00", "2025-01-13 20:00:00"]],
		"counts/b.csv": [["2025-01-14 08:00:00", "2025-01-14 20:00:00"]],
		"other/c.csv": [["2025-01-12 08:00:00", "2025-01-12 20:00:00"]]}`)
	// "half" finds a window at its left edge in two files (raw 1 each)
	// and misses one (-1): 100 × (1 + 3) / 6 = 66.67 on the standard
	// profile.
	var b strings.Builder
	b.WriteString("Detector,Profile,File,Threshold,Score,TP,TN,FP,FN,Total_Count\n")
	for _, p := range []string{"standard", "reward_low_FP_rate", "reward_low_FN_rate"} {
		fmt.Fprintf(&b, "half,%s,counts/a.csv,0.5,1.0,1,1,0,0,2\n", p)
		fmt.Fprintf(&b, "half,%s,counts/b.csv,0.5,1.0,1,1,0,0,2\n", p)
		fmt.Fprintf(&b, "half,%s,other/c.csv,0.5,-1.0,0,1,0,1,2\n", p)
	}
	write("published_raw_scores.csv", b.String())

	for _, cv := range []string{"category", "file"} {
		e, out, errb := testEnv("")
		if err := runEvalSpikes(t.Context(), []string{"--data", dir, "--cv", cv}, e); err != nil {
			t.Fatalf("--cv %s: %v; stderr %s", cv, err, errb)
		}
		got := out.String()
		for _, want := range []string{"3 files (3 windows, 2 categories)", "leave one " + cv + " out", "earshot (cross-validated)", "Per category", " counts ", " other"} {
			if !strings.Contains(got, want) {
				t.Errorf("--cv %s: output lacks %q:\n%s", cv, want, got)
			}
		}
		var half string
		for _, r := range rankRows(got) {
			if strings.Contains(r, " half ") {
				half = r
			}
		}
		if !strings.Contains(half, "66.67") || !strings.Contains(half, "published") {
			t.Errorf("--cv %s: row of the published detector %q; want 66.67, published", cv, half)
		}
	}
	e, _, _ := testEnv("")
	if err := runEvalSpikes(t.Context(), []string{"--data", dir, "--cv", "month"}, e); err == nil {
		t.Error("no error for --cv month")
	}
}

// TestEvalSpikes runs the evaluation on a small folder of generated series
// laid out like NAB's, with one published detector that knows the answers.
func TestEvalSpikes(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"data", "results/oracle"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	in := genSeries(10, 7)
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("data/a.csv", in)
	write("windows.json", `{"a.csv": [["2025-01-13 08:00:00", "2025-01-13 20:00:00"]]}`)
	var oracle bytes.Buffer
	oracle.WriteString("timestamp,anomaly_score\n")
	for _, line := range strings.Split(strings.TrimSpace(in), "\n")[1:] {
		ts := strings.Split(line, ",")[0]
		score := "0"
		if ts == "2025-01-13 08:00:00" {
			score = "1"
		}
		fmt.Fprintf(&oracle, "%s,%s\n", ts, score)
	}
	write("results/oracle/a.csv", oracle.String())

	e, out, errb := testEnv("")
	if err := runEvalSpikes(t.Context(), []string{"--data", dir}, e); err != nil {
		t.Fatalf("%v; stderr %s", err, errb)
	}
	rows := rankRows(out.String())
	if len(rows) < 3 || !strings.Contains(rows[0], "oracle") || !strings.Contains(rows[0], "100.00") || !strings.Contains(out.String(), " earshot ") {
		t.Errorf("output:\n%s\nwant the oracle first at 100, and earshot", out)
	}
	if !strings.Contains(out.String(), "earshot spikes opened") {
		t.Errorf("output:\n%s\nwant a row for the spikes the Tracker opens", out)
	}

	e, _, _ = testEnv("")
	if err := runEvalSpikes(t.Context(), []string{"--data", filepath.Join(dir, "nope")}, e); err == nil {
		t.Error("no error for a missing folder")
	}
}
