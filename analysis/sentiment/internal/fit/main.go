// Command fit fits the sentiment ensemble's weights on the labelled sets
// and writes the model file the sentiment package embeds:
//
//	go run ./analysis/sentiment/internal/fit -data ../shared/eval/sentiment -out analysis/sentiment/model.json
//
// It reads airline_dev.csv, semeval_train/, vader_tweets.tsv and
// vader_amazon.tsv from -data, leaves out every held-out item
// (eval.HeldOut) and fits on the rest. The output depends only on those
// files: the same inputs give the same bytes.
package main

import (
	"context"
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/analysis/sentiment/eval"
)

// Sets are the files fitted on, in this order.
var Sets = []string{"airline_dev.csv", "semeval_train", "vader_tweets.tsv", "vader_amazon.tsv"}

func main() {
	data := flag.String("data", "../shared/eval/sentiment", "directory holding the labelled sets")
	out := flag.String("out", "analysis/sentiment/model.json", "model file to write")
	minCount := flag.Int("min-count", 0, "fewest examples an n-gram must occur in (0: the default)")
	maxGrams := flag.Int("max-grams", 0, "most n-grams kept (0: the default)")
	epochs := flag.Int("epochs", 0, "epochs (0: the default)")
	l2 := flag.Float64("l2", 0, "L2 penalty on n-gram weights (0: the default)")
	rate := flag.Float64("rate", 0, "AdaGrad learning rate (0: the default)")
	validate := flag.Bool("validate", false, "for tuning: also leave out a validation fifth of the training split, print macro-F1 on it, write nothing")
	flag.Parse()
	opts := sentiment.FitOptions{MinCount: *minCount, MaxGrams: *maxGrams, Epochs: *epochs, L2: *l2, Rate: *rate}
	if err := run(*data, *out, opts, *validate); err != nil {
		fmt.Fprintln(os.Stderr, "fit:", err)
		os.Exit(1)
	}
}

func run(dir, out string, opts sentiment.FitOptions, validate bool) error {
	var examples []sentiment.Example
	var counts []string
	valid := map[string][]eval.Item{}
	for _, name := range Sets {
		set, err := eval.Load(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		n := 0
		for _, it := range set.Items {
			if eval.HeldOut(it.ID) {
				continue
			}
			if validate && inValidation(it.ID) {
				valid[set.Name] = append(valid[set.Name], it)
				continue
			}
			examples = append(examples, sentiment.Example{Set: set.Name, Text: it.Text, Label: it.Label})
			n++
		}
		counts = append(counts, fmt.Sprintf("%s %d", set.Name, n))
	}
	opts.About = "Fitted by analysis/sentiment/internal/fit on the training split (items whose ID's FNV-1a 64 hash is not 0 mod 5) of " +
		strings.Join(counts, ", ") + " examples; see docs/sentiment.md."
	m, err := sentiment.Fit(context.Background(), examples, opts)
	if err != nil {
		return err
	}
	if validate {
		return report(m, valid)
	}
	if err := os.WriteFile(out, m.Marshal(), 0o644); err != nil {
		return fmt.Errorf("writing the model: %w", err)
	}
	fmt.Fprintf(os.Stderr, "fit: %d examples, %d n-grams, wrote %s\n", len(examples), len(m.Grams), out)
	return nil
}

// inValidation picks the validation fifth: FNV-1a 64 of the ID is 1 mod 5
// (the held-out fifth is 0 mod 5).
func inValidation(id string) bool {
	h := fnv.New64a()
	h.Write([]byte(id))
	return h.Sum64()%eval.HeldOutBuckets == 1
}

// report prints each part's and the ensemble's macro-F1 on the validation
// items of each set.
func report(m *sentiment.Model, valid map[string][]eval.Item) error {
	for _, name := range Sets {
		name = strings.TrimSuffix(name, filepath.Ext(name))
		items := valid[name]
		texts := make([]string, len(items))
		for i, it := range items {
			texts[i] = it.Text
		}
		line := fmt.Sprintf("%-14s %5d", name, len(items))
		for _, part := range append([]string{sentiment.PartEnsemble}, sentiment.Parts...) {
			s, err := sentiment.New(sentiment.WithModel(m), sentiment.WithPart(part), sentiment.WithLanguage(nil))
			if err != nil {
				return err
			}
			got := make([]earshot.Sentiment, len(texts))
			if err := s.ScoreInto(context.Background(), got, texts, false); err != nil {
				return err
			}
			c := eval.NewConfusion(string(earshot.Negative), string(earshot.Neutral), string(earshot.Positive))
			for i, it := range items {
				c.Add(string(it.Label), string(got[i].Label))
			}
			line += fmt.Sprintf("  %s %.4f", part, c.MacroF1())
		}
		fmt.Println(line)
	}
	return nil
}
