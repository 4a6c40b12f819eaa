// Package eval measures follow-up flagging against people's judgement: it
// loads labelled tweets with their authors (the airline set,
// airline_dev.csv, and airline_dev_authors.csv beside it), scores them
// with Earshot's sentiment scorer, runs the flagger over them on their own
// clock, and compares whom it flagged with the human labels:
//
//   - precision: the share of flagged authors with at least one tweet
//     people labelled negative;
//   - recall: the share of authors with two or more human-negative tweets
//     who were flagged.
//
// Settings tuned on the same file are reported only as cross-validated
// figures: the authors are split in two halves by a hash of their name,
// settings are picked on one half and scored on the other, and back.
// Print is `earshot eval followups`: load, score, cross-validate, print.
package eval

import (
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/followup"
	"github.com/earshot/earshot/store/memstore"
)

// Tweet is one labelled tweet with its author.
type Tweet struct {
	ID, Author, Airline, Text string
	Label                     earshot.Label // the people's label
	At                        time.Time
}

// Load reads the labelled tweets (tweet_id, airline_sentiment, airline,
// tweet_created, text) and the authors (tweet_id, author), joined on
// tweet_id. Tweets with no author are left out and counted.
func Load(tweetsPath, authorsPath string) (tweets []Tweet, noAuthor int, err error) {
	authors := map[string]string{}
	if err := readCSV(authorsPath, []string{"tweet_id", "author"}, func(get func(string) string) error {
		if a := strings.TrimSpace(get("author")); a != "" {
			authors[get("tweet_id")] = a
		}
		return nil
	}); err != nil {
		return nil, 0, err
	}
	err = readCSV(tweetsPath, []string{"tweet_id", "airline_sentiment", "airline", "tweet_created", "text"}, func(get func(string) string) error {
		id := get("tweet_id")
		author, ok := authors[id]
		if !ok {
			noAuthor++
			return nil
		}
		at, err := time.Parse("2006-01-02 15:04:05 -0700", get("tweet_created"))
		if err != nil {
			return fmt.Errorf("tweet %s: tweet_created %q: %w", id, get("tweet_created"), err)
		}
		label := earshot.Label(get("airline_sentiment"))
		if label != earshot.Negative && label != earshot.Neutral && label != earshot.Positive {
			return fmt.Errorf("tweet %s: airline_sentiment %q is not negative, neutral or positive", id, label)
		}
		tweets = append(tweets, Tweet{ID: id, Author: author, Airline: get("airline"), Text: get("text"), Label: label, At: at.UTC()})
		return nil
	})
	return tweets, noAuthor, err
}

func readCSV(path string, want []string, row func(get func(string) string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: reading the header: %w", path, err)
	}
	at := map[string]int{}
	for i, h := range header {
		at[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, w := range want {
		if _, ok := at[w]; !ok {
			return fmt.Errorf("%s: no %s column", path, w)
		}
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		get := func(col string) string {
			if i := at[col]; i < len(rec) {
				return rec[i]
			}
			return ""
		}
		if err := row(get); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
}

// Scored is a tweet as a post, scored by the model.
type Scored struct {
	Tweet
	Post earshot.Post
}

// Score turns tweets into posts scored by scorer.
func Score(ctx context.Context, scorer earshot.Scorer, tweets []Tweet) ([]Scored, error) {
	texts := make([]string, len(tweets))
	for i, t := range tweets {
		texts[i] = t.Text
	}
	ss, err := scorer.Score(ctx, texts)
	if err != nil {
		return nil, fmt.Errorf("scoring: %w", err)
	}
	out := make([]Scored, len(tweets))
	for i, t := range tweets {
		out[i] = Scored{Tweet: t, Post: earshot.Post{
			ID: earshot.PostID("twitter", t.ID), Source: "twitter", Kind: earshot.KindPost,
			Author: earshot.Author{ID: t.Author, Handle: t.Author}, Text: t.Text, Lang: "en",
			CreatedAt: t.At, CollectedAt: t.At, Watches: []string{t.Airline}, Sentiment: ss[i],
		}}
	}
	return out, nil
}

// stepEvery is how often, on the data's clock, Measure's flagger steps.
const stepEvery = 6 * time.Hour

// Figures are one measurement.
type Figures struct {
	Authors int `json:"authors"`
	// Flagged authors, and those of them with a human-negative tweet.
	Flagged         int     `json:"flagged"`
	FlaggedNegative int     `json:"flagged_negative"`
	Precision       float64 `json:"precision"`
	// Repeat: authors with two or more human-negative tweets, and those of
	// them flagged.
	Repeat        int     `json:"repeat"`
	RepeatFlagged int     `json:"repeat_flagged"`
	Recall        float64 `json:"recall"`
	// Held counts authors held out (likely media or bots).
	Held int `json:"held"`
}

func (f *Figures) add(o Figures) {
	f.Authors += o.Authors
	f.Flagged += o.Flagged
	f.FlaggedNegative += o.FlaggedNegative
	f.Repeat += o.Repeat
	f.RepeatFlagged += o.RepeatFlagged
	f.Held += o.Held
	f.ratios()
}

func (f *Figures) ratios() {
	f.Precision, f.Recall = ratio(f.FlaggedNegative, f.Flagged), ratio(f.RepeatFlagged, f.Repeat)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Measure runs the flagger with cfg over the tweets (on their clock, as
// serve would have) and compares whom it flagged with the labels.
func Measure(ctx context.Context, tweets []Scored, cfg followup.Config) (Figures, error) {
	var fig Figures
	if len(tweets) == 0 {
		return fig, nil
	}
	st := memstore.New()
	posts := make([]earshot.Post, len(tweets))
	negatives := map[string]int{}
	authors := map[string]bool{}
	from, to := tweets[0].At, tweets[0].At
	for i, t := range tweets {
		posts[i] = t.Post
		authors[t.Author] = true
		if t.Label == earshot.Negative {
			negatives[t.Author]++
		}
		from, to = minT(from, t.At), maxT(to, t.At)
	}
	if err := st.SavePosts(ctx, posts); err != nil {
		return fig, err
	}
	// Step every 6 hours of the data's clock, as the demo does: whom a
	// step flags does not depend on the step (only when, and so the due
	// times), and it keeps the grid quick.
	cfg.Interval = max(cfg.Interval, stepEvery)
	f, err := followup.New(st, cfg, followup.Options{})
	if err != nil {
		return fig, err
	}
	rep, err := f.Flag(ctx, from, to.Add(time.Second))
	if err != nil {
		return fig, err
	}
	flagged := map[string]bool{}
	for _, fu := range rep.Flagged {
		flagged[fu.Author.ID] = true
	}
	fig.Authors, fig.Flagged, fig.Held = len(authors), len(flagged), len(rep.Held)
	for a := range flagged {
		if negatives[a] > 0 {
			fig.FlaggedNegative++
		}
	}
	for a, n := range negatives {
		if n >= 2 {
			fig.Repeat++
			if flagged[a] {
				fig.RepeatFlagged++
			}
		}
	}
	fig.ratios()
	return fig, nil
}

// Half says which half of a two-fold split an author falls in, by a hash
// of the name: stable across runs and machines.
func Half(author string) int {
	h := fnv.New32a()
	h.Write([]byte(author))
	return int(h.Sum32() % 2)
}

// Setting is one point of the grid cross-validation picks from.
type Setting struct {
	StrongScore float64 `json:"strong_score"`
	RepeatCount int     `json:"repeat_count"`
	OnePost     string  `json:"one_post"`
}

func (s Setting) apply(c followup.Config) followup.Config {
	c.StrongScore, c.RepeatCount, c.OnePost = s.StrongScore, s.RepeatCount, s.OnePost
	return c
}

// Grid is the settings cross-validation picks from.
func Grid() []Setting {
	var out []Setting
	for _, one := range []string{followup.OnePostReach, followup.OnePostAlways} {
		for _, strong := range []float64{-0.4, -0.6, -0.8, -0.9} {
			for _, n := range []int{2, 3, 4} {
				out = append(out, Setting{StrongScore: strong, RepeatCount: n, OnePost: one})
			}
		}
	}
	return out
}

// Fold is one half's pick and its score on the other half.
type Fold struct {
	TunedOn int     `json:"tuned_on"`
	Picked  Setting `json:"picked"`
	// Tuning is the pick's figures on the half it was picked on
	// (in-sample); Held the figures on the other half.
	Tuning Figures `json:"tuning_in_sample"`
	Scored Figures `json:"scored_held_out"`
}

// Result is the whole evaluation.
type Result struct {
	Tweets   int `json:"tweets"`
	NoAuthor int `json:"no_author"`
	// CrossValidated pools the two held-out halves: settings picked on one
	// half of the authors, scored on the other.
	CrossValidated Figures `json:"cross_validated"`
	Folds          []Fold  `json:"folds"`
	// Defaults are the flagger's defaults on every tweet; they were not
	// tuned on this file.
	Defaults Figures `json:"defaults"`
	// Target is the precision the pick must reach on its tuning half.
	Target float64 `json:"target_precision"`
}

// CrossValidate picks, on each half of the authors, the setting with the
// best recall among those reaching target precision (the best precision
// when none does), scores it on the other half, and also measures base
// (the defaults) on all tweets.
func CrossValidate(ctx context.Context, tweets []Scored, base followup.Config, target float64) (Result, error) {
	res := Result{Tweets: len(tweets), Target: target}
	var halves [2][]Scored
	for _, t := range tweets {
		halves[Half(t.Author)] = append(halves[Half(t.Author)], t)
	}
	for tune := range 2 {
		type tried struct {
			s   Setting
			fig Figures
		}
		var all []tried
		for _, s := range Grid() {
			fig, err := Measure(ctx, halves[tune], s.apply(base))
			if err != nil {
				return res, err
			}
			all = append(all, tried{s, fig})
		}
		best := slices.MaxFunc(all, func(a, b tried) int {
			okA, okB := a.fig.Precision >= target, b.fig.Precision >= target
			if okA != okB {
				if okA {
					return 1
				}
				return -1
			}
			if !okA {
				return cmp.Compare(a.fig.Precision, b.fig.Precision)
			}
			return cmp.Or(cmp.Compare(a.fig.Recall, b.fig.Recall), cmp.Compare(a.fig.Precision, b.fig.Precision))
		})
		scored, err := Measure(ctx, halves[1-tune], best.s.apply(base))
		if err != nil {
			return res, err
		}
		res.Folds = append(res.Folds, Fold{TunedOn: tune, Picked: best.s, Tuning: best.fig, Scored: scored})
		res.CrossValidated.add(scored)
	}
	var err error
	res.Defaults, err = Measure(ctx, tweets, base)
	return res, err
}

// Write prints res for people, the cross-validated figures first.
func (res Result) Write(w io.Writer) {
	pct := func(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }
	fmt.Fprintf(w, "Follow-up flagging against human labels: %d tweets with an author (%d without, left out).\n\n", res.Tweets, res.NoAuthor)
	cv := res.CrossValidated
	fmt.Fprintf(w, "Cross-validated (settings picked on one half of the authors, scored on the other; target precision %s):\n", pct(res.Target))
	fmt.Fprintf(w, "  flagged authors with a human-negative tweet:  %s (%d of %d)\n", pct(cv.Precision), cv.FlaggedNegative, cv.Flagged)
	fmt.Fprintf(w, "  repeat-negative authors flagged:              %s (%d of %d)\n", pct(cv.Recall), cv.RepeatFlagged, cv.Repeat)
	for _, f := range res.Folds {
		fmt.Fprintf(w, "  half %d picked strong_score %g, repeat_count %d, one_post %s: held-out %s / %s (in-sample on its half: %s / %s)\n",
			f.TunedOn, f.Picked.StrongScore, f.Picked.RepeatCount, f.Picked.OnePost,
			pct(f.Scored.Precision), pct(f.Scored.Recall), pct(f.Tuning.Precision), pct(f.Tuning.Recall))
	}
	d := res.Defaults
	fmt.Fprintf(w, "\nDefaults on every tweet (not tuned on this file):\n")
	fmt.Fprintf(w, "  flagged authors with a human-negative tweet:  %s (%d of %d)\n", pct(d.Precision), d.FlaggedNegative, d.Flagged)
	fmt.Fprintf(w, "  repeat-negative authors flagged:              %s (%d of %d)\n", pct(d.Recall), d.RepeatFlagged, d.Repeat)
	fmt.Fprintf(w, "  authors: %d; held out as likely media or bots: %d\n", d.Authors, d.Held)
}

func minT(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxT(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
