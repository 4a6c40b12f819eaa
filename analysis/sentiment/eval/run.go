package eval

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/sentiment"
)

// Summary is a run's figures, the one line `earshot eval sentiment
// --json` prints.
type Summary struct {
	Set         string             `json:"set"`
	Part        string             `json:"part"`
	Split       string             `json:"split"`
	Items       int                `json:"items"`
	Unscored    int                `json:"unscored"`
	Accuracy    float64            `json:"accuracy"`
	MacroF1     float64            `json:"macro_f1"`
	MacroRecall float64            `json:"macro_recall"`
	F1          map[string]float64 `json:"f1"`
	Reasons     *ReasonSummary     `json:"reasons,omitempty"`
}

// ReasonSummary is the figures of the complaint reasons.
type ReasonSummary struct {
	Items    int     `json:"items"`
	Accuracy float64 `json:"accuracy"`
	MacroF1  float64 `json:"macro_f1"`
}

// Run is a scorer measured on a set: the summary, and the confusion
// matrices of the labels and of the reasons of gold-negative items.
type Run struct {
	Set     *Set
	Summary Summary
	Labels  *Confusion
	Reasons *Confusion
}

// HeldOutItems returns the items of the held-out split.
func HeldOutItems(items []Item) []Item {
	out := items[:0:0]
	for _, it := range items {
		if HeldOut(it.ID) {
			out = append(out, it)
		}
	}
	return out
}

// Measure scores items of set with scorer and counts the labels, and for
// the gold-negative items with a reason, the reasons. part and split name
// what is measured, for the summary. A text left unscored (another
// language) counts as wrong.
func Measure(ctx context.Context, scorer *sentiment.Scorer, set *Set, items []Item, part, split string) (*Run, error) {
	texts := make([]string, len(items))
	for i, it := range items {
		texts[i] = it.Text
	}
	got := make([]earshot.Sentiment, len(texts))
	if err := scorer.ScoreInto(ctx, got, texts, false); err != nil {
		return nil, err
	}

	labels := NewConfusion(string(earshot.Negative), string(earshot.Neutral), string(earshot.Positive))
	reasons := NewConfusion(
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

	sum := Summary{
		Set: set.Name, Part: part, Split: split, Items: labels.Total(), Unscored: unscored,
		Accuracy: labels.Accuracy(), MacroF1: labels.MacroF1(), MacroRecall: labels.MacroRecall(),
		F1: map[string]float64{},
	}
	for i, c := range labels.Classes {
		sum.F1[c] = labels.F1(i)
	}
	if reasons.Total() > 0 {
		sum.Reasons = &ReasonSummary{Items: reasons.Total(), Accuracy: reasons.Accuracy(), MacroF1: reasons.MacroF1()}
	}
	return &Run{Set: set, Summary: sum, Labels: labels, Reasons: reasons}, nil
}

// Write prints the run as tables: the figures, the labels' confusion
// matrix and, when there are any, the reasons'.
func (r *Run) Write(w io.Writer) {
	sum := r.Summary
	fmt.Fprintf(w, "set %s (%s), %s split, %d items, part %s\n", r.Set.Name, r.Set.Format, sum.Split, sum.Items, sum.Part)
	fmt.Fprintf(w, "accuracy %.4f  macro-F1 %.4f  macro recall %.4f  unscored %d\n\n", sum.Accuracy, sum.MacroF1, sum.MacroRecall, sum.Unscored)
	r.Labels.Write(w, "unscored")
	if r.Reasons.Total() > 0 {
		fmt.Fprintf(w, "\nreasons of the %d gold-negative items with a reason\n", r.Reasons.Total())
		r.Reasons.Write(w, "?")
	}
}

// Dump writes items to the file at path as JSON lines {id, text, label},
// to run other tools on the same texts.
func Dump(path string, items []Item) error {
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
