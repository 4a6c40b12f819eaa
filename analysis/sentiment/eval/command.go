package eval

import (
	"context"
	"encoding/json"
	"io"

	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/internal/badinput"
)

// Options are what `earshot eval sentiment` measures.
type Options struct {
	// Data is the labelled set's file or directory (see Load).
	Data string
	// Part is what labels: sentiment.PartEnsemble, or one part alone.
	Part string
	// HeldOut keeps only the held-out split (see HeldOutItems).
	HeldOut bool
	// Dump, when set, is a file the items evaluated are written to (see
	// Dump).
	Dump string
	// JSON prints the Summary as one JSON line instead of the tables.
	JSON bool
}

// Print scores every item of the set o names with the part asked for and
// prints the figures on w. A part or a set that cannot be read is a
// *badinput.Error.
func Print(ctx context.Context, o Options, w io.Writer) error {
	scorer, err := sentiment.New(sentiment.WithPart(o.Part))
	if err != nil {
		return &badinput.Error{Err: err}
	}
	set, err := Load(o.Data)
	if err != nil {
		return badinput.Errorf("reading %s: %v", o.Data, err)
	}
	items, split := set.Items, "all"
	if o.HeldOut {
		items, split = HeldOutItems(set.Items), "held-out"
	}
	if o.Dump != "" {
		if err := Dump(o.Dump, items); err != nil {
			return err
		}
	}
	res, err := Measure(ctx, scorer, set, items, o.Part, split)
	if err != nil {
		return err
	}
	if o.JSON {
		return json.NewEncoder(w).Encode(res.Summary)
	}
	res.Write(w)
	return nil
}
