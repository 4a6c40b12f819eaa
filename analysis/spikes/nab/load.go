package nab

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// File is one data file of a benchmark folder.
type File struct {
	// Name is the file's path under data/, e.g.
	// realTweets/Twitter_volume_AAPL.csv, or its base name when the folder
	// has no categories.
	Name string
	// Category is the subfolder of data/ the file is in ("" at the top).
	Category string
	// Times and Values are the rows in file order. A blank or unreadable
	// value is NaN; timestamps may repeat or go back, as real exports do.
	Times   []time.Time
	Values  []float64
	Windows []Window
}

// Dataset is a benchmark folder: data files with their windows, the cost
// profiles, and the published detectors' result folders.
type Dataset struct {
	Dir      string
	Files    []File
	Profiles []Profile
	// Detectors names the subfolders of results/, sorted.
	Detectors []string
}

// LoadDir reads a folder laid out as
//
//	data/*.csv          timestamp,value (or data/CATEGORY/*.csv)
//	windows.json        {"[CATEGORY/]FILE.csv": [["start", "end"], ...]}
//	profiles.json       NAB's profiles (optional: NAB's defaults otherwise)
//	results/DET/*.csv   timestamp,anomaly_score (optional)
func LoadDir(dir string) (*Dataset, error) {
	ds := &Dataset{Dir: dir}
	windows, err := readWindows(filepath.Join(dir, "windows.json"))
	if err != nil {
		return nil, err
	}
	ds.Profiles, err = readProfiles(filepath.Join(dir, "profiles.json"))
	if err != nil {
		return nil, err
	}
	top, err := filepath.Glob(filepath.Join(dir, "data", "*.csv"))
	if err != nil {
		return nil, err
	}
	nested, err := filepath.Glob(filepath.Join(dir, "data", "*", "*.csv"))
	if err != nil {
		return nil, err
	}
	paths := append(top, nested...)
	if len(paths) == 0 {
		return nil, fmt.Errorf("no data files in %s", filepath.Join(dir, "data"))
	}
	slices.Sort(paths)
	for _, p := range paths {
		rel, err := filepath.Rel(filepath.Join(dir, "data"), p)
		if err != nil {
			return nil, err
		}
		name := filepath.ToSlash(rel)
		category := ""
		if i := strings.LastIndexByte(name, '/'); i >= 0 {
			category = name[:i]
		}
		times, values, err := ReadCSVFile(p)
		if err != nil {
			return nil, err
		}
		w, ok := windows[name]
		if !ok && category == "" {
			// A flat folder of files whose windows are keyed by category.
			for key, kw := range windows {
				if path.Base(key) == name {
					w, ok = kw, true
					break
				}
			}
		}
		if !ok {
			return nil, fmt.Errorf("%s: no entry in windows.json", name)
		}
		ds.Files = append(ds.Files, File{Name: name, Category: category, Times: times, Values: values, Windows: w})
	}
	entries, err := os.ReadDir(filepath.Join(dir, "results"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	for _, e := range entries {
		if e.IsDir() {
			ds.Detectors = append(ds.Detectors, e.Name())
		}
	}
	slices.Sort(ds.Detectors)
	return ds, nil
}

// Results reads a published detector's anomaly scores for every data file
// and returns them as a corpus.
func (ds *Dataset) Results(detector string) (*Corpus, error) {
	var c Corpus
	for _, f := range ds.Files {
		p := filepath.Join(ds.Dir, "results", detector, filepath.FromSlash(f.Name))
		times, scores, err := ReadCSVFile(p)
		if err != nil {
			return nil, err
		}
		if len(times) != len(f.Times) {
			return nil, fmt.Errorf("%s: %d rows but the data file has %d", p, len(times), len(f.Times))
		}
		if err := c.Add(f.Name, f.Times, scores, f.Windows); err != nil {
			return nil, err
		}
	}
	return &c, nil
}

// timeLayouts are the timestamp forms accepted, tried in order.
var timeLayouts = []string{
	"2006-01-02 15:04:05",
	"2006-01-02 15:04:05.999999999",
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
}

// ParseTime reads a timestamp as NAB writes them ("2015-02-26 21:42:53",
// taken as UTC) or in RFC 3339.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a timestamp (want RFC 3339 or 2006-01-02 15:04:05)", s)
}

// ReadCSVFile reads a two-column CSV file with a header: a timestamp and a
// number.
func ReadCSVFile(path string) ([]time.Time, []float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	times, values, err := ReadCSV(f)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return times, values, nil
}

// ReadCSV reads a CSV with a header whose first two columns are a
// timestamp and a number. A blank value is read as NaN (a row with no
// reading); timestamps are kept as they are, repeats and all.
func ReadCSV(r io.Reader) ([]time.Time, []float64, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	var (
		times  []time.Time
		values []float64
	)
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		if line == 1 {
			continue
		}
		if len(rec) < 2 {
			return nil, nil, fmt.Errorf("line %d: want 2 columns, got %d", line, len(rec))
		}
		t, err := ParseTime(rec[0])
		if err != nil {
			return nil, nil, fmt.Errorf("line %d: %w", line, err)
		}
		v := math.NaN()
		if s := strings.TrimSpace(rec[1]); s != "" {
			if v, err = strconv.ParseFloat(s, 64); err != nil {
				return nil, nil, fmt.Errorf("line %d: %q is not a number", line, rec[1])
			}
		}
		times = append(times, t)
		values = append(values, v)
	}
	return times, values, nil
}

func readWindows(path string) (map[string][]Window, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw map[string][][]string
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make(map[string][]Window, len(raw))
	for name, ws := range raw {
		out[name] = []Window{} // present, if empty: a file with no anomaly
		for i, w := range ws {
			if len(w) != 2 {
				return nil, fmt.Errorf("%s: %s window %d: want [start, end]", path, name, i+1)
			}
			start, err := ParseTime(w[0])
			if err != nil {
				return nil, fmt.Errorf("%s: %s window %d: %w", path, name, i+1, err)
			}
			end, err := ParseTime(w[1])
			if err != nil {
				return nil, fmt.Errorf("%s: %s window %d: %w", path, name, i+1, err)
			}
			out[name] = append(out[name], Window{start, end})
		}
	}
	return out, nil
}

func readProfiles(path string) ([]Profile, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return Profiles(), nil
	}
	if err != nil {
		return nil, err
	}
	var raw map[string]struct {
		CostMatrix Costs
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var out []Profile
	for _, p := range Profiles() { // NAB's order first
		if m, ok := raw[p.Name]; ok {
			out = append(out, Profile{p.Name, m.CostMatrix})
			delete(raw, p.Name)
		}
	}
	rest := make([]string, 0, len(raw))
	for name := range raw {
		rest = append(rest, name)
	}
	slices.Sort(rest)
	for _, name := range rest {
		out = append(out, Profile{name, raw[name].CostMatrix})
	}
	return out, nil
}

// ReadThresholds reads NAB's thresholds.json: each detector's tuned
// threshold per profile, as threshold[detector][profile].
func ReadThresholds(path string) (map[string]map[string]float64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw map[string]map[string]struct {
		Threshold float64 `json:"threshold"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make(map[string]map[string]float64, len(raw))
	for det, profiles := range raw {
		out[det] = make(map[string]float64, len(profiles))
		for p, v := range profiles {
			out[det][p] = v.Threshold
		}
	}
	return out, nil
}

// Published is one published detector's raw NAB score on one file, at the
// threshold NAB tuned for it over its whole corpus.
type Published struct {
	Threshold, Raw float64
}

// PublishedScores holds published_raw_scores.csv:
// scores[detector][profile][file], the file named as in the data folder.
type PublishedScores map[string]map[string]map[string]Published

// ReadPublishedScores reads NAB's published_raw_scores.csv (columns
// Detector, Profile, File, Threshold, Score, ...). It returns nil and no
// error when the file does not exist.
func ReadPublishedScores(name string) (PublishedScores, error) {
	f, err := os.Open(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	out := PublishedScores{}
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if line == 1 {
			continue
		}
		if len(rec) < 5 {
			return nil, fmt.Errorf("%s: line %d: want at least 5 columns, got %d", name, line, len(rec))
		}
		th, err1 := strconv.ParseFloat(rec[3], 64)
		raw, err2 := strconv.ParseFloat(rec[4], 64)
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", name, line, err)
		}
		det, prof := rec[0], rec[1]
		if out[det] == nil {
			out[det] = map[string]map[string]Published{}
		}
		if out[det][prof] == nil {
			out[det][prof] = map[string]Published{}
		}
		file := filepath.ToSlash(rec[2])
		out[det][prof][file] = Published{Threshold: th, Raw: raw}
		// Also by base name, for flat data folders.
		if _, dup := out[det][prof][path.Base(file)]; !dup {
			out[det][prof][path.Base(file)] = Published{Threshold: th, Raw: raw}
		}
	}
	return out, nil
}

// Score returns detector's normalised score over files (with windows
// windows in all) under profile p, summing its published raw scores. ok is
// false when a file has no published score.
func (ps PublishedScores) Score(detector string, p Profile, files []File) (normalized float64, ok bool) {
	byFile := ps[detector][p.Name]
	raw, windows := 0.0, 0
	for _, f := range files {
		s, found := byFile[f.Name]
		if !found {
			return 0, false
		}
		raw += s.Raw
		windows += len(f.Windows)
	}
	return Normalize(raw, windows, p.Costs), true
}

// Detectors lists the detectors with published scores, sorted.
func (ps PublishedScores) Detectors() []string {
	out := make([]string, 0, len(ps))
	for d := range ps {
		out = append(out, d)
	}
	slices.Sort(out)
	return out
}
