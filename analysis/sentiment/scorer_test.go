package sentiment

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/earshot/earshot"
)

func newScorer(tb testing.TB) *Scorer {
	tb.Helper()
	s, err := New()
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	return s
}

// not is a test expectation: any label but this one.
type not earshot.Label

func TestScoreText(t *testing.T) {
	s := newScorer(t)
	tests := []struct {
		text string
		want any // earshot.Label or not
	}{
		// The cases the scorer must get right.
		{"your app has been down for an hour, this is unacceptable", earshot.Negative},
		{"the site is not working", earshot.Negative},
		{"not bad at all", not(earshot.Negative)},
		{"thanks, it's back up and working great", earshot.Positive},
		{"I updated my profile today", earshot.Neutral},

		// Outages and complaints.
		{"I can't log in to my account", earshot.Negative},
		{"@AcmeHelp #NotWorking again https://t.co/abc", earshot.Negative},
		{"Error 500 on checkout, please fix", earshot.Negative},
		{"I want a refund", earshot.Negative},
		{"I'm going to cancel my subscription", earshot.Negative},
		{"the app keeps crashing", earshot.Negative},
		{"is the site down?", earshot.Negative},
		{"no response from support for 3 days", earshot.Negative},
		{"thanks for nothing", earshot.Negative},
		{"not happy with the service", earshot.Negative},
		{"the checkout page won't load", earshot.Negative},
		{"The new dashboard is not great", earshot.Negative},
		{"I've been on hold for 45 minutes", earshot.Negative},
		{"great, another outage", not(earshot.Positive)},

		// Recovery and praise.
		{"it's fixed now, thank you!", earshot.Positive},
		{"love the new update", earshot.Positive},
		{"can't wait for the new release", earshot.Positive},
		{"no problems since the update", not(earshot.Negative)},

		// Neither.
		{"what time does the store open", earshot.Neutral},
		{"", earshot.Neutral},
		{"   ", earshot.Neutral},
		{"https://example.com @someone", earshot.Neutral},
		{"これは日本語です、今日はいい天気ですね", earshot.Label("")}, // Japanese: unscored
		{"la aplicación no funciona desde ayer, qué desastre", earshot.Label("")},
		{"ok", not("")}, // too short to tell: scored as English
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := s.ScoreText(tt.text)
			switch want := tt.want.(type) {
			case earshot.Label:
				if got.Label != want {
					t.Errorf("label %q, want %q (%s)", got.Label, want, explain(got))
				}
			case not:
				if got.Label == earshot.Label(want) {
					t.Errorf("label %q, want anything else (%s)", got.Label, explain(got))
				}
			}
		})
	}
}

func explain(s earshot.Sentiment) string {
	return fmt.Sprintf("score %.3f, parts %v", s.Score, s.Parts)
}

func TestScoreTextEmpty(t *testing.T) {
	s := newScorer(t)
	got := s.ScoreText("")
	if got.Score != 0 || got.Label != earshot.Neutral || got.Parts[PartBayes] != 0 || got.Parts[PartDomain] != 0 {
		t.Errorf("ScoreText(\"\") = %+v, want score 0, neutral, zero parts", got)
	}
}

func TestScoreTextRange(t *testing.T) {
	s := newScorer(t)
	texts := []string{
		strings.Repeat("terrible awful outage ", 500),
		strings.Repeat("great wonderful excellent ", 500),
		strings.Repeat("the ", 10000),
		"\xff\xfe\x00",
	}
	for _, text := range texts {
		got := s.ScoreText(text)
		for name, v := range map[string]float64{"score": got.Score, PartBayes: got.Parts[PartBayes], PartDomain: got.Parts[PartDomain]} {
			if !(v >= -1 && v <= 1) {
				t.Errorf("%s = %v for %.20q..., want in [-1, 1]", name, v, text)
			}
		}
		if !got.Scored() {
			t.Errorf("unscored for %.20q...", text)
		}
	}
}

// batch returns n texts cycling through a few kinds.
func batch(n int) []string {
	kinds := []string{
		"your app has been down for an hour, this is unacceptable",
		"thanks, it's back up and working great",
		"I updated my profile today",
		"@AcmeHelp #CantLogin since this morning https://t.co/x",
		"",
	}
	texts := make([]string, n)
	for i := range texts {
		texts[i] = fmt.Sprintf("%s %d", kinds[i%len(kinds)], i)
	}
	return texts
}

func TestScoreKeepsOrder(t *testing.T) {
	s := newScorer(t)
	for _, n := range []int{0, 1, chunkMin - 1, chunkMin + 1, 3*chunkMin*runtime.GOMAXPROCS(0) + 7} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			texts := batch(n)
			got, err := s.Score(t.Context(), texts)
			if err != nil {
				t.Fatalf("Score: %v", err)
			}
			if len(got) != n {
				t.Fatalf("got %d sentiments, want %d", len(got), n)
			}
			for i, text := range texts {
				if want := s.ScoreText(text); got[i].Score != want.Score || got[i].Label != want.Label {
					t.Fatalf("sentiment %d = %+v, want %+v", i, got[i], want)
				}
			}
		})
	}
}

func TestScoreManyGoroutines(t *testing.T) {
	old := runtime.GOMAXPROCS(4) // several workers even on a small machine
	t.Cleanup(func() { runtime.GOMAXPROCS(old) })
	s := newScorer(t)
	texts := batch(4 * chunkMin)
	want, err := s.Score(t.Context(), texts)
	if err != nil {
		t.Fatalf("Score: %v", err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			got, err := s.Score(t.Context(), texts)
			if err != nil {
				t.Errorf("Score: %v", err)
				return
			}
			for i := range got {
				if got[i].Score != want[i].Score {
					t.Errorf("sentiment %d = %v, want %v", i, got[i].Score, want[i].Score)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestScoreCanceled(t *testing.T) {
	s := newScorer(t)
	tests := []struct {
		name string
		n    int
	}{
		{"small batch", 3},
		{"large batch", 100 * chunkMin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			got, err := s.Score(ctx, batch(tt.n))
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
			if got != nil {
				t.Errorf("got %d sentiments, want none", len(got))
			}
		})
	}
}

// cancelAfter is a context that ends after its Err has said nil n times.
type cancelAfter struct {
	context.Context
	n atomic.Int64
}

func (c *cancelAfter) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// TestScoreCanceledMidway ends the context while workers are scoring.
func TestScoreCanceledMidway(t *testing.T) {
	old := runtime.GOMAXPROCS(4)
	t.Cleanup(func() { runtime.GOMAXPROCS(old) })
	s := newScorer(t)
	ctx := &cancelAfter{Context: t.Context()}
	ctx.n.Store(5) // Score's own look, then a few by the workers
	got, err := s.Score(ctx, batch(100*chunkMin))
	if !errors.Is(err, context.Canceled) || got != nil {
		t.Errorf("Score = %d sentiments, %v; want none, context.Canceled", len(got), err)
	}
	if calls := -ctx.n.Load(); calls > 4 {
		t.Errorf("workers looked at ctx %d more times after it ended, want at most one each", calls)
	}
}

// TestScoreLeavesNoGoroutines runs a batch in a synctest bubble, which
// fails if a goroutine started in it is still blocked at the end.
func TestScoreLeavesNoGoroutines(t *testing.T) {
	old := runtime.GOMAXPROCS(4)
	t.Cleanup(func() { runtime.GOMAXPROCS(old) })
	s := newScorer(t) // restore outside the bubble
	synctest.Test(t, func(t *testing.T) {
		if _, err := s.Score(t.Context(), batch(8*chunkMin)); err != nil {
			t.Fatalf("Score: %v", err)
		}
	})
}

func TestNewShares(t *testing.T) {
	a, b := newScorer(t), newScorer(t)
	if a.bayes != b.bayes {
		t.Error("two Scorers restored the model twice")
	}
}

func BenchmarkScore(b *testing.B) {
	s := newScorer(b)
	text := "@AcmeHelp your app has been down for an hour, this is unacceptable #NotWorking https://t.co/x"
	b.ReportAllocs()
	for b.Loop() {
		s.ScoreText(text)
	}
}

// BenchmarkScoreBatch scores 10,000 posts a loop over every core, as
// earshot analyze does (no Parts maps); it reports posts/s and, through
// allocs/op, allocations per 10,000 posts.
func BenchmarkScoreBatch(b *testing.B) {
	s := newScorer(b)
	texts := batch(10_000)
	out := make([]earshot.Sentiment, len(texts))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.ScoreInto(ctx, out, texts, false); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "posts/s")
}

// BenchmarkScoreBatchParts is BenchmarkScoreBatch with Parts, as Score
// returns them.
func BenchmarkScoreBatchParts(b *testing.B) {
	s := newScorer(b)
	texts := batch(10_000)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Score(ctx, texts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "posts/s")
}
