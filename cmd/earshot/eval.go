package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/analysis/sentiment/eval"
)

// runEval dispatches to the eval of one kind: one case per kind.
func runEval(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return usagef("which eval? want one of: sentiment")
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(e.stderr, helpText("eval"))
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

func runEvalSentiment(ctx context.Context, args []string, e env) error {
	fs := newCommandFlags("eval sentiment", e)
	data := fs.String("data", "", "labelled set: airline CSV, SemEval TSV file or directory, VADER TSV, or CSV/JSONL with id, text, label[, reason]")
	part := fs.String("part", sentiment.PartEnsemble, "what labels: ensemble, or one part alone: "+strings.Join(sentiment.Parts, ", "))
	heldOut := fs.Bool("heldout", false, "only the held-out split (items the fitted weights never saw)")
	asJSON := fs.Bool("json", false, "print one JSON line of figures instead of the tables")
	dump := fs.String("dump", "", "also write the items evaluated to this file as JSON lines {id, text, label}, to run other tools on the same texts")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *data == "" {
		return usagef("--data is required")
	}
	return eval.Print(ctx, eval.Options{Data: *data, Part: *part, HeldOut: *heldOut, Dump: *dump, JSON: *asJSON}, e.stdout)
}
