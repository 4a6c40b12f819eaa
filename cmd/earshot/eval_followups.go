package main

import (
	"context"
	"strings"

	"github.com/earshot/earshot/analysis/followup"
	fueval "github.com/earshot/earshot/analysis/followup/eval"
	"github.com/earshot/earshot/internal/config"
)

func runEvalFollowups(ctx context.Context, args []string, e env) error {
	fs := newCommandFlags("eval followups", e)
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
	return fueval.Print(ctx, fueval.Options{Tweets: *data, Authors: *authors, Config: fc, Target: *target, JSON: *asJSON}, e.stdout)
}
