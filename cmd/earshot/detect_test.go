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
		{"value", "timestamp,value\n2025-01-01 00:00:00,1\n2025-01-01 00:05:00,lots\n", []string{"--input", "-"}, `line 3: value "lots"`},
		{"timestamp", "timestamp,value\nyesterday,1\n", []string{"--input", "-"}, `line 2: "yesterday" is not a timestamp`},
		{"order", "timestamp,value\n2025-01-01 00:05:00,1\n2025-01-01 00:00:00,1\n", []string{"--input", "-"}, "line 3: timestamp"},
		{"columns", "timestamp,value\n2025-01-01 00:00:00\n", []string{"--input", "-"}, "line 2: want 2 columns"},
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
	lines := strings.Split(out.String(), "\n")
	if len(lines) < 5 || !strings.Contains(lines[2], "standard") || !strings.Contains(lines[3], "oracle") || !strings.Contains(lines[3], "100.00") || !strings.Contains(lines[4], "earshot") {
		t.Errorf("output:\n%s\nwant the oracle first at 100, then earshot", out)
	}
	if !strings.Contains(out.String(), "earshot spikes opened") {
		t.Errorf("output:\n%s\nwant a row for the spikes the Tracker opens", out)
	}

	e, _, _ = testEnv("")
	if err := runEvalSpikes(t.Context(), []string{"--data", filepath.Join(dir, "nope")}, e); err == nil {
		t.Error("no error for a missing folder")
	}
}
