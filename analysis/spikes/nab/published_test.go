package nab

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// sharedNAB is Earshot's read-only copy of NAB's realTweets corpus, results
// and published scores, outside the repository.
const sharedNAB = "../../../../shared/eval/nab"

func loadShared(t *testing.T) *Dataset {
	t.Helper()
	if _, err := os.Stat(filepath.Join(sharedNAB, "windows.json")); err != nil {
		t.Skipf("NAB data not found at %s (the shared evaluation folder); skipping", sharedNAB)
	}
	ds, err := LoadDir(sharedNAB)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// TestPublishedRawScores scores every published detector's result files at
// its published threshold and checks each file's raw score against NAB's
// published_raw_scores.csv, to the last digit NAB printed.
func TestPublishedRawScores(t *testing.T) {
	ds := loadShared(t)
	thresholds, err := ReadThresholds(filepath.Join(sharedNAB, "thresholds.json"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(sharedNAB, "published_raw_scores.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// published[detector][profile][file] = score as printed
	published := map[string]map[string]map[string]string{}
	v1 := map[string]bool{} // detector|file scored by NAB 1.0 (Total_Count includes probation)
	rows := map[string]int{}
	for _, f := range ds.Files {
		rows[f.Name] = len(f.Times)
	}
	for _, r := range recs[1:] {
		det, prof, file, score := r[0], r[1], filepath.Base(r[2]), r[4]
		v1[det+"|"+file] = r[9] == strconv.Itoa(rows[file])
		if published[det] == nil {
			published[det] = map[string]map[string]string{}
		}
		if published[det][prof] == nil {
			published[det][prof] = map[string]string{}
		}
		published[det][prof][file] = score
	}
	checked := 0
	for _, det := range ds.Detectors {
		if published[det] == nil {
			t.Logf("%s: no published scores; not checked", det)
			continue
		}
		c, err := ds.Results(det)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ds.Profiles {
			th, ok := thresholds[det][p.Name]
			if !ok {
				t.Errorf("%s %s: no threshold in thresholds.json", det, p.Name)
				continue
			}
			for _, fr := range c.PerFile(p.Costs, th) {
				want, ok := published[det][p.Name][fr.File]
				if !ok {
					t.Errorf("%s %s %s: no published score", det, p.Name, fr.File)
					continue
				}
				got := fr.Raw
				if v1[det+"|"+fr.File] {
					got = fr.RawV1
				}
				if !samePrinted(got, want) {
					t.Errorf("%s %s %s: raw score %v, NAB published %s", det, p.Name, fr.File, got, want)
				}
				checked++
			}
		}
	}
	if checked == 0 {
		t.Fatal("no score checked")
	}
	t.Logf("%d published per-file raw scores reproduced", checked)
}

// samePrinted reports whether got prints as NAB printed want: Python 3's
// shortest repr, or Python 2's str with 12 significant digits.
func samePrinted(got float64, want string) bool {
	w, err := strconv.ParseFloat(want, 64)
	if err != nil {
		return false
	}
	if got == w {
		return true
	}
	digits := len(strings.TrimLeft(strings.NewReplacer(".", "", "-", "").Replace(strings.SplitN(want, "e", 2)[0]), "0"))
	if digits > 12 {
		return false
	}
	g := strconv.FormatFloat(got, 'g', 12, 64)
	gv, _ := strconv.ParseFloat(g, 64)
	return gv == w
}
