package eval

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/earshot/earshot"
)

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	semDir := filepath.Join(dir, "sem")
	if err := os.Mkdir(semDir, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, semDir, "a.tsv", "11\tpositive\tlove the new app\\u2019s look\n"+
		"12\tnegative\t\"app is down again\"\t\n"+
		"\"\t\n"+
		"13\tneutral\tmeeting at noon\t14\tnegative\tstill broken\n")
	write(t, semDir, "b.tsv", "11\tpositive\ta repeated id\n")
	tests := []struct {
		name       string
		path       string
		format     string
		wantIDs    []string
		wantLabels []earshot.Label
		wantText   map[int]string
		wantReason map[int]earshot.Reason
	}{
		{
			name: "semeval directory", path: semDir, format: "semeval",
			wantIDs:    []string{"11", "12", "13", "14"},
			wantLabels: []earshot.Label{earshot.Positive, earshot.Negative, earshot.Neutral, earshot.Negative},
			wantText:   map[int]string{0: "love the new app’s look", 1: "app is down again"},
		},
		{
			name: "vader", format: "vader",
			path:       write(t, dir, "v.tsv", "id\tmean_rating\ttext\n1\t-0.5\tmeh\n2\t0.49\tok\n3\t2.1\tgreat\n4\t-3\tawful\n"),
			wantIDs:    []string{"1", "2", "3", "4"},
			wantLabels: []earshot.Label{earshot.Negative, earshot.Neutral, earshot.Positive, earshot.Negative},
		},
		{
			name: "airline csv", format: "airline",
			path: write(t, dir, "air.csv", "tweet_id,airline_sentiment,airline_sentiment_confidence,negativereason,airline,tweet_created,text\n"+
				"5,negative,1.0,Late Flight,X,2015,\"two hours late, again\"\n"+
				"6,negative,1.0,Can't Tell,X,2015,meh\n"+
				"7,positive,1.0,,X,2015,\"great crew, \"\"thanks\"\"\"\n"),
			wantIDs:    []string{"5", "6", "7"},
			wantLabels: []earshot.Label{earshot.Negative, earshot.Negative, earshot.Positive},
			wantText:   map[int]string{2: `great crew, "thanks"`},
			wantReason: map[int]earshot.Reason{0: earshot.ReasonPerformance, 1: "", 2: ""},
		},
		{
			name: "jsonl", format: "jsonl",
			path: write(t, dir, "j.jsonl", `{"id":"a","text":"refund please","label":"Negative","reason":"billing"}`+"\n\n"+
				`{"id":2,"text":"fine","label":"neutral"}`+"\n"+`{"id":"x","text":"no label"}`+"\n"),
			wantIDs:    []string{"a", "2"},
			wantLabels: []earshot.Label{earshot.Negative, earshot.Neutral},
			wantReason: map[int]earshot.Reason{0: earshot.ReasonBilling},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := Load(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if set.Format != tt.format {
				t.Errorf("format %q, want %q", set.Format, tt.format)
			}
			if len(set.Items) != len(tt.wantIDs) {
				t.Fatalf("%d items %+v, want %d", len(set.Items), set.Items, len(tt.wantIDs))
			}
			for i, it := range set.Items {
				if it.ID != tt.wantIDs[i] || it.Label != tt.wantLabels[i] {
					t.Errorf("item %d = %+v, want id %s label %s", i, it, tt.wantIDs[i], tt.wantLabels[i])
				}
			}
			for i, text := range tt.wantText {
				if set.Items[i].Text != text {
					t.Errorf("item %d text %q, want %q", i, set.Items[i].Text, text)
				}
			}
			for i, r := range tt.wantReason {
				if set.Items[i].Reason != r {
					t.Errorf("item %d reason %q, want %q", i, set.Items[i].Reason, r)
				}
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, path string }{
		{"missing", filepath.Join(dir, "nope.csv")},
		{"unknown extension", write(t, dir, "x.txt", "hello")},
		{"csv without text", write(t, dir, "x.csv", "id,label\n1,negative\n")},
		{"empty dir", t.TempDir()},
		{"bad json", write(t, dir, "x.jsonl", "{nope\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Load(tt.path); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestHeldOut(t *testing.T) {
	n := 0
	for i := range 10000 {
		if HeldOut(string(rune('a'+i%26)) + string(rune('0'+i%10)) + string(rune(i))) {
			n++
		}
	}
	if n < 1500 || n > 2500 {
		t.Errorf("%d of 10000 held out, want about a fifth", n)
	}
	if HeldOut("570301130888122368") != HeldOut("570301130888122368") {
		t.Error("HeldOut is not a function of the ID")
	}
}
