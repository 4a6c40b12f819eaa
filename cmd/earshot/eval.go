package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/analysis/sentiment/eval"
)

const evalUsage = `Usage: earshot eval KIND [flags]

Measures quality on labelled data. Kinds:
  sentiment   sentiment labels and complaint reasons (earshot eval sentiment -h)
  spikes      spike detection on NAB-style labelled series (earshot eval spikes -h)`

// runEval dispatches to the eval of one kind: one case per kind.
func runEval(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return usagef("which eval? want one of: sentiment")
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(e.stderr, evalUsage)
		return nil
	case "sentiment":
		return runEvalSentiment(ctx, args[1:], e)
	case "spikes":
		return runEvalSpikes(ctx, args[1:], e)
	}
	return usagef("unknown eval %q; want one of: sentiment", args[0])
}

// evalSummary is the one line --json prints.
type evalSummary struct {
	Set         string             `json:"set"`
	Part        string             `json:"part"`
	Split       string             `json:"split"`
	Items       int                `json:"items"`
	Unscored    int                `json:"unscored"`
	Accuracy    float64            `json:"accuracy"`
	MacroF1     float64            `json:"macro_f1"`
	MacroRecall float64            `json:"macro_recall"`
	F1          map[string]float64 `json:"f1"`
	Reasons     *reasonSummary     `json:"reasons,omitempty"`
}

type reasonSummary struct {
	Items    int     `json:"items"`
	Accuracy float64 `json:"accuracy"`
	MacroF1  float64 `json:"macro_f1"`
}

func runEvalSentiment(ctx context.Context, args []string, e env) error {
	fs := newFlags("eval sentiment", e.stderr)
	data := fs.String("data", "", "labelled set: airline CSV, SemEval TSV file or directory, VADER TSV, or CSV/JSONL with id, text, label[, reason]")
	part := fs.String("part", sentiment.PartEnsemble, "what labels: ensemble, or one part alone: "+strings.Join(sentiment.Parts, ", "))
	heldOut := fs.Bool("heldout", false, "only the held-out split (items the fitted weights never saw)")
	asJSON := fs.Bool("json", false, "print one JSON line of figures instead of the tables")
	dump := fs.String("dump", "", "also write the items evaluated to this file as JSON lines {id, text, label}, to run other tools on the same texts")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, `Usage: earshot eval sentiment --data FILE [--part P] [--heldout] [--json] [--dump FILE]

Scores every labelled text and prints accuracy, macro-F1, macro recall,
per-class precision/recall/F1 and the confusion matrix; for sets with
complaint reasons (the airline set's negativereason, a "reason" column),
the same for the reasons of the gold-negative texts. VADER's mean ratings
are classed negative at or below -0.5, positive at or above 0.5.
Texts left unscored (another language) count as wrong.

Flags:`)
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *data == "" {
		return usagef("--data is required")
	}
	scorer, err := sentiment.New(sentiment.WithPart(*part))
	if err != nil {
		return usageError{err}
	}
	set, err := eval.Load(*data)
	if err != nil {
		return usagef("reading %s: %v", *data, err)
	}
	items := set.Items
	split := "all"
	if *heldOut {
		split = "held-out"
		items = items[:0:0]
		for _, it := range set.Items {
			if eval.HeldOut(it.ID) {
				items = append(items, it)
			}
		}
	}
	if *dump != "" {
		if err := dumpItems(*dump, items); err != nil {
			return err
		}
	}
	texts := make([]string, len(items))
	for i, it := range items {
		texts[i] = it.Text
	}
	got := make([]earshot.Sentiment, len(texts))
	if err := scorer.ScoreInto(ctx, got, texts, false); err != nil {
		return err
	}

	labels := eval.NewConfusion(string(earshot.Negative), string(earshot.Neutral), string(earshot.Positive))
	reasons := eval.NewConfusion(
		string(earshot.ReasonOutage), string(earshot.ReasonPerformance), string(earshot.ReasonLogin),
		string(earshot.ReasonBilling), string(earshot.ReasonSupport), string(earshot.ReasonSecurity),
		string(earshot.ReasonOther))
	unscored := 0
	for i, it := range items {
		pred := string(got[i].Label)
		if pred == "" {
			pred = "unscored"
			unscored++
		}
		labels.Add(string(it.Label), pred)
		if it.Label == earshot.Negative && it.Reason != "" {
			reasons.Add(string(it.Reason), string(sentiment.ReasonOf(it.Text)))
		}
	}

	sum := evalSummary{
		Set: set.Name, Part: *part, Split: split, Items: labels.Total(), Unscored: unscored,
		Accuracy: labels.Accuracy(), MacroF1: labels.MacroF1(), MacroRecall: labels.MacroRecall(),
		F1: map[string]float64{},
	}
	for i, c := range labels.Classes {
		sum.F1[c] = labels.F1(i)
	}
	if reasons.Total() > 0 {
		sum.Reasons = &reasonSummary{Items: reasons.Total(), Accuracy: reasons.Accuracy(), MacroF1: reasons.MacroF1()}
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(sum)
	}
	writeEval(e.stdout, set, sum, labels, reasons)
	return nil
}

func writeEval(w io.Writer, set *eval.Set, sum evalSummary, labels, reasons *eval.Confusion) {
	fmt.Fprintf(w, "set %s (%s), %s split, %d items, part %s\n", set.Name, set.Format, sum.Split, sum.Items, sum.Part)
	fmt.Fprintf(w, "accuracy %.4f  macro-F1 %.4f  macro recall %.4f  unscored %d\n\n", sum.Accuracy, sum.MacroF1, sum.MacroRecall, sum.Unscored)
	labels.Write(w, "unscored")
	if reasons.Total() > 0 {
		fmt.Fprintf(w, "\nreasons of the %d gold-negative items with a reason\n", reasons.Total())
		reasons.Write(w, "?")
	}
}

// dumpItems writes items as JSON lines {id, text, label}.
func dumpItems(path string, items []eval.Item) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("writing items: %w", err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, it := range items {
		if err := enc.Encode(struct {
			ID    string `json:"id"`
			Text  string `json:"text"`
			Label string `json:"label"`
		}{it.ID, it.Text, string(it.Label)}); err != nil {
			f.Close()
			return fmt.Errorf("writing items: %w", err)
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("writing items: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing items: %w", err)
	}
	return nil
}
