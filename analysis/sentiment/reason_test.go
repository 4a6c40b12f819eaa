package sentiment

import (
	"testing"

	"github.com/earshot/earshot"
)

func TestReasonOf(t *testing.T) {
	tests := []struct {
		text string
		want earshot.Reason
	}{
		{"the site is down again", earshot.ReasonOutage},
		{"your app has been down for an hour, this is unacceptable", earshot.ReasonOutage},
		{"error 500 on every page", earshot.ReasonOutage},
		{"the dashboard is so slow today, takes forever", earshot.ReasonPerformance},
		{"I can't log in, password reset never arrives", earshot.ReasonLogin},
		{"charged twice this month, I want a refund", earshot.ReasonBilling},
		{"support never answered my ticket", earshot.ReasonSupport},
		{"on hold for 45 minutes with customer service", earshot.ReasonSupport},
		{"my account was hacked and my data leaked", earshot.ReasonSecurity},
		{"I just hate it", earshot.ReasonOther},
		{"", earshot.ReasonOther},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := ReasonOf(tt.text); got != tt.want {
				t.Errorf("ReasonOf = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestScoreReason checks the Scorer gives reasons to negative texts only.
func TestScoreReason(t *testing.T) {
	s := newScorer(t)
	tests := []struct {
		text string
		want earshot.Reason
	}{
		{"the site is down, this is unacceptable", earshot.ReasonOutage},
		{"I was charged twice, terrible", earshot.ReasonBilling},
		{"thanks, support answered quickly", ""},
		{"the office opens at nine", ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := s.ScoreText(tt.text); got.Reason != tt.want {
				t.Errorf("reason %q, want %q (%s)", got.Reason, tt.want, explain(got))
			}
		})
	}
}

func TestExplain(t *testing.T) {
	s := newScorer(t)
	tests := []struct {
		text     string
		label    earshot.Label
		lang     string
		contribs bool
	}{
		{"your app has been down for an hour, this is unacceptable", earshot.Negative, "en", true},
		{"la aplicación no funciona desde ayer, qué desastre", "", "es", false},
		{"", earshot.Neutral, "und", false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			e := s.Explain(tt.text)
			if e.Label != tt.label || e.Lang != tt.lang {
				t.Errorf("label %q lang %q, want %q %q", e.Label, e.Lang, tt.label, tt.lang)
			}
			if !tt.contribs {
				if len(e.Contributions) != 0 {
					t.Errorf("contributions %v, want none", e.Contributions)
				}
				return
			}
			var sum float64
			for _, p := range append([]string{"bias"}, Parts...) {
				v, ok := e.Contributions[p]
				if !ok {
					t.Errorf("no contribution for %q", p)
				}
				sum += v
			}
			if (sum < 0) != (e.Score < 0) {
				t.Errorf("contributions sum to %v for score %v", sum, e.Score)
			}
		})
	}
}

func TestWithPart(t *testing.T) {
	for _, part := range append([]string{PartEnsemble}, Parts...) {
		t.Run(part, func(t *testing.T) {
			s, err := New(WithPart(part))
			if err != nil {
				t.Fatal(err)
			}
			got := s.ScoreText("this is terrible, the worst service ever")
			if got.Label != earshot.Negative {
				t.Errorf("label %q, want negative (%s)", got.Label, explain(got))
			}
		})
	}
	if _, err := New(WithPart("nope")); err == nil {
		t.Error("New took an unknown part")
	}
}
