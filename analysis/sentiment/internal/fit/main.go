// Command fit fits the sentiment model's weights on the labelled sets and
// writes the model file the sentiment package embeds:
//
//	go run ./analysis/sentiment/internal/fit -data ../shared/eval/sentiment -out analysis/sentiment/model.bin
//
// It fits on airline_dev.csv and semeval_train/ from -data, every item.
// Hyper-parameters and class offsets are chosen on fold 0 (eval.Fold) as
// sentiment.Fit says. With -cv K it writes nothing and instead measures that
// whole procedure by nested K-fold cross-validation (eval.CrossValidate).
// The output depends only on the input files: the same inputs give the same
// bytes.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/analysis/sentiment/eval"
)

// Sets are the files fitted on, in this order.
var Sets = []string{"airline_dev.csv", "semeval_train"}

func main() {
	data := flag.String("data", "../shared/eval/sentiment", "directory holding the labelled sets")
	out := flag.String("out", "analysis/sentiment/model.bin", "model file to write")
	cv := flag.Int("cv", 0, "measure the fitting procedure by nested K-fold cross-validation instead of writing a model")
	vader := flag.Bool("vader", false, "with -cv: add VADER's scores (govader) to the features, to measure what they bring")
	flag.Parse()
	if err := run(context.Background(), *data, *out, *cv, *vader); err != nil {
		fmt.Fprintln(os.Stderr, "fit:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dir, out string, cv int, vader bool) error {
	var sets []*eval.Set
	var counts []string
	for _, name := range Sets {
		set, err := eval.Load(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		sets = append(sets, set)
		counts = append(counts, fmt.Sprintf("%s %d", set.Name, len(set.Items)))
	}
	if cv > 0 {
		_, err := eval.CrossValidate(ctx, sets, cv, vader, os.Stdout)
		return err
	}
	p := eval.NewPool(sets, eval.HeldOutBuckets)
	about := "Fitted by analysis/sentiment/internal/fit on " + strings.Join(counts, ", ") +
		" examples; hyper-parameters chosen on fold 0; see docs/sentiment.md."
	m, choice, err := sentiment.Fit(ctx, p.Examples, p.Fold, p.Objective, about)
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, m.Marshal(), 0o644); err != nil {
		return fmt.Errorf("writing the model: %w", err)
	}
	fmt.Fprintf(os.Stderr, "fit: %d examples, chose %v, wrote %s\n", len(p.Examples), choice, out)
	return nil
}
