package earshot

import "testing"

func TestRatedReviews(t *testing.T) {
	pos := Sentiment{Score: 0.6, Label: Positive}
	neg := Sentiment{Score: -0.4, Label: Negative, Reason: ReasonBilling}
	tests := []struct {
		s     Sentiment
		stars int
		label Label
	}{
		{pos, 0, Positive},
		{pos, 1, Negative},
		{pos, 2, Negative},
		{pos, 3, Positive},
		{neg, 3, Negative},
		{neg, 4, Neutral},
		{neg, 1, Negative},
	}
	for _, tt := range tests {
		got := Rated(tt.s, tt.stars)
		if got.Label != tt.label {
			t.Errorf("%+v with %d stars: label %s, want %s", tt.s, tt.stars, got.Label, tt.label)
		}
		if tt.stars > 0 && got.Parts["text"] != tt.s.Score {
			t.Errorf("%d stars: the text's own score is not kept: %v", tt.stars, got.Parts)
		}
	}
	if got := Rated(pos, 1); got.Score > -0.5 || got.Reason != ReasonOther {
		t.Errorf("1-star praise = %+v, want a clearly negative score and a reason", got)
	}
	if got := Rated(neg, 1); got.Reason != ReasonBilling {
		t.Errorf("a 1-star review keeps the reason its words give: %+v", got)
	}
}
