package eval

import (
	"context"
	"encoding/json"
	"io"

	"github.com/earshot/earshot/analysis/followup"
	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/internal/badinput"
)

// Options are what `earshot eval followups` measures.
type Options struct {
	// Tweets and Authors are the labelled tweets and their authors (see
	// Load).
	Tweets, Authors string
	// Config holds the settings measured as they are.
	Config followup.Config
	// Target is the precision a setting must reach on its tuning half to
	// be picked (see CrossValidate).
	Target float64
	// JSON prints the figures as one JSON object.
	JSON bool
}

// Print scores the tweets, measures flagging over them and prints the
// figures on w. Files that cannot be read are a *badinput.Error.
func Print(ctx context.Context, o Options, w io.Writer) error {
	tweets, noAuthor, err := Load(o.Tweets, o.Authors)
	if err != nil {
		return &badinput.Error{Err: err}
	}
	scorer, err := sentiment.New()
	if err != nil {
		return err
	}
	scored, err := Score(ctx, scorer, tweets)
	if err != nil {
		return err
	}
	res, err := CrossValidate(ctx, scored, o.Config, o.Target)
	if err != nil {
		return err
	}
	res.NoAuthor = noAuthor
	if o.JSON {
		return json.NewEncoder(w).Encode(res)
	}
	res.Write(w)
	return nil
}
