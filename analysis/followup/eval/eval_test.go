package eval

import (
	"context"
	"strings"
	"testing"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/followup"
)

// wordScorer scores a text containing "awful" -0.8 (negative), "lovely"
// +0.8, anything else 0: the test decides what the model says.
type wordScorer struct{}

func (wordScorer) Score(_ context.Context, texts []string) ([]earshot.Sentiment, error) {
	out := make([]earshot.Sentiment, len(texts))
	for i, t := range texts {
		switch {
		case strings.Contains(t, "awful"):
			out[i] = earshot.Sentiment{Score: -0.8, Label: earshot.Negative}
		case strings.Contains(t, "lovely"):
			out[i] = earshot.Sentiment{Score: 0.8, Label: earshot.Positive}
		default:
			out[i] = earshot.Sentiment{Label: earshot.Neutral}
		}
	}
	return out, nil
}

func load(t *testing.T) []Scored {
	t.Helper()
	tweets, noAuthor, err := Load("testdata/tweets.csv", "testdata/tweets_authors.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(tweets) != 8 || noAuthor != 1 {
		t.Fatalf("loaded %d tweets, %d without an author; want 8 and 1", len(tweets), noAuthor)
	}
	if tw := tweets[1]; tw.Author != "ann" || tw.Label != earshot.Negative || tw.At.Format("2006-01-02T15:04Z07:00") != "2015-02-20T19:00Z" || tw.Text != "still stuck, awful" {
		t.Errorf("tweet 2: %+v", tw)
	}
	scored, err := Score(t.Context(), wordScorer{}, tweets)
	if err != nil {
		t.Fatal(err)
	}
	return scored
}

func TestMeasure(t *testing.T) {
	scored := load(t)
	// Repeat count 2: ann (3 negative to the model and to people) and cat
	// (2 negative to the model, neutral to people) are flagged; bob (1)
	// is not, though people call one of his tweets negative.
	cfg := followup.DefaultConfig()
	cfg.RepeatCount = 2
	fig, err := Measure(t.Context(), scored, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := Figures{Authors: 4, Flagged: 2, FlaggedNegative: 1, Precision: 0.5, Repeat: 1, RepeatFlagged: 1, Recall: 1}
	if fig != want {
		t.Errorf("repeat 2: got %+v\nwant %+v", fig, want)
	}
	// Any strongly negative tweet: bob too.
	cfg.OnePost = followup.OnePostAlways
	fig, err = Measure(t.Context(), scored, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if fig.Flagged != 3 || fig.FlaggedNegative != 2 {
		t.Errorf("one_post always: got %+v, want 3 flagged, 2 of them with a negative tweet", fig)
	}
}

func TestCrossValidate(t *testing.T) {
	scored := load(t)
	res, err := CrossValidate(t.Context(), scored, followup.DefaultConfig(), 0.9)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Folds) != 2 || res.Folds[0].TunedOn == res.Folds[1].TunedOn {
		t.Fatalf("folds: %+v", res.Folds)
	}
	// The held-out halves together hold every author once.
	if got := res.CrossValidated.Authors; got != 4 {
		t.Errorf("cross-validated authors %d, want 4 (each scored once, on the half it was not tuned on)", got)
	}
	for _, f := range res.Folds {
		var n int
		for _, s := range scored {
			if Half(s.Author) != f.TunedOn {
				n++
			}
		}
		if n > 0 && f.Scored.Authors == 0 {
			t.Errorf("fold tuned on %d scored no authors", f.TunedOn)
		}
	}
	var b strings.Builder
	res.Write(&b)
	out := b.String()
	if i, j := strings.Index(out, "Cross-validated"), strings.Index(out, "Defaults"); i < 0 || j < i {
		t.Errorf("the cross-validated figures do not come first:\n%s", out)
	}
}
