package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/analysis/sentiment/eval"
)

const evalUsage = `Usage: earshot eval KIND [flags]

Measures quality on labelled data. Kinds:
  sentiment   sentiment labels and complaint reasons (earshot eval sentiment -h)
  spikes      spike detection on NAB-style labelled series (earshot eval spikes -h)
  followups   follow-up flagging against human labels (earshot eval followups -h)`

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
	case "followups":
		return runEvalFollowups(ctx, args[1:], e)
	}
	return usagef("unknown eval %q; want one of: sentiment", args[0])
}

const evalSentimentUsage = `Usage: earshot eval sentiment --data FILE [--heldout] [--json] [--dump FILE]
       earshot eval sentiment --cv K --data FILE[,FILE...]

Scores every labelled text and prints accuracy, macro-F1, macro recall,
per-class precision/recall/F1 and the confusion matrix; for sets with
complaint reasons (the airline set's negativereason, a "reason" column),
the same for the reasons of the gold-negative texts. VADER's mean ratings
are classed negative at or below -0.5, positive at or above 0.5.
Texts left unscored (another language) count as wrong.

With --cv K the embedded model is not used: the sets are pooled, split in
K folds by a hash of each item's ID, and each fold is predicted by a model
fitted, with hyper-parameters chosen, on the other folds only. It prints
each set's macro-F1 and macro recall (SemEval's metric) on those
predictions, and the reasons' per-class F1 where a set has reasons.

Flags:`

func runEvalSentiment(ctx context.Context, args []string, e env) error {
	fs := newCommandFlags("eval sentiment", evalSentimentUsage, e)
	data := fs.String("data", "", "labelled set: airline CSV, SemEval TSV file or directory, VADER TSV, or CSV/JSONL with id, text, label[, reason]")
	heldOut := fs.Bool("heldout", false, "only the held-out split (items whose ID's FNV-1a hash is 0 mod 5); the embedded model is fitted on every item of airline_dev and semeval_train, so for figures on unseen items use --cv")
	asJSON := fs.Bool("json", false, "print one JSON line of figures instead of the tables")
	dump := fs.String("dump", "", "also write the items evaluated to this file as JSON lines {id, text, label}, to run other tools on the same texts")
	cv := fs.Int("cv", 0, "instead of scoring with the embedded model, measure the model's whole fitting procedure by nested K-fold cross-validation on the sets of --data (comma-separated, fitted on together)")
	cvVader := fs.Bool("cv-vader", false, "with --cv: add VADER's scores to the features, to measure what they would bring")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *data == "" {
		return usagef("--data is required")
	}
	if *cv != 0 {
		return runEvalCV(ctx, *data, *cv, *cvVader, e)
	}
	scorer, err := sentiment.New()
	if err != nil {
		return err
	}
	set, err := eval.Load(*data)
	if err != nil {
		return usagef("reading %s: %v", *data, err)
	}
	items, split := set.Items, "all"
	if *heldOut {
		items, split = eval.HeldOutItems(set.Items), "held-out"
	}
	if *dump != "" {
		if err := eval.Dump(*dump, items); err != nil {
			return err
		}
	}
	res, err := eval.Measure(ctx, scorer, set, items, split)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(res.Summary)
	}
	res.Write(e.stdout)
	return nil
}

// runEvalCV cross-validates the fitting procedure on the sets named in
// data, comma-separated.
func runEvalCV(ctx context.Context, data string, k int, vader bool, e env) error {
	if k < 2 {
		return usagef("--cv wants at least 2 folds, not %d", k)
	}
	var sets []*eval.Set
	for _, path := range strings.Split(data, ",") {
		set, err := eval.Load(path)
		if err != nil {
			return usagef("reading %s: %v", path, err)
		}
		sets = append(sets, set)
	}
	_, err := eval.CrossValidate(ctx, sets, k, vader, e.stdout)
	return err
}
