package main

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/earshot/earshot/analysis/followup"
	fueval "github.com/earshot/earshot/analysis/followup/eval"
	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/internal/config"
)

const evalFollowupsUsage = `Usage: earshot eval followups --data FILE [--authors FILE] [--config FILE] [--target 0.9] [--json]

Measures follow-up flagging against people's judgement on labelled tweets
(the airline set: tweet_id, airline_sentiment, airline, tweet_created,
text) with their authors (tweet_id, author; by default FILE_authors.csv
beside the data). The tweets are scored by Earshot's sentiment model and
flagged on their own clock with the followups: settings (--config, else
the defaults). It prints the share of flagged authors with a tweet people
labelled negative, and the share of authors with two or more
human-negative tweets who were flagged: first cross-validated (settings
picked on one half of the authors, scored on the other), then for the
settings as given.

Flags:`

func runEvalFollowups(ctx context.Context, args []string, e env) error {
	fs := newCommandFlags("eval followups", evalFollowupsUsage, e)
	data := fs.String("data", "", "labelled tweets (airline_dev.csv)")
	authors := fs.String("authors", "", "tweet authors, tweet_id,author (default: the data file's name with _authors)")
	cfgPath := fs.String("config", "", "configuration file whose followups: settings are measured (default: the defaults)")
	target := fs.Float64("target", 0.9, "the precision a setting must reach on its tuning half to be picked")
	asJSON := fs.Bool("json", false, "print the figures as one JSON object")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *data == "" {
		return usagef("--data is required")
	}
	if *authors == "" {
		*authors = strings.TrimSuffix(*data, ".csv") + "_authors.csv"
	}
	fc := followup.DefaultConfig()
	if *cfgPath != "" {
		cfg, err := config.Load(*cfgPath, e.getenv)
		if err != nil {
			return usageError{err}
		}
		fc = cfg.Followups
	}
	tweets, noAuthor, err := fueval.Load(*data, *authors)
	if err != nil {
		return usageError{err}
	}
	scorer, err := sentiment.New()
	if err != nil {
		return err
	}
	scored, err := fueval.Score(ctx, scorer, tweets)
	if err != nil {
		return err
	}
	res, err := fueval.CrossValidate(ctx, scored, fc, *target)
	if err != nil {
		return err
	}
	res.NoAuthor = noAuthor
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(res)
	}
	res.Write(e.stdout)
	return nil
}
