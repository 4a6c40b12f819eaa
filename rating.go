package earshot

// Rated lets a review's stars overrule its words where they disagree: a
// 1- or 2-star review is negative, a 4- or 5-star one not negative. The
// model's own score is kept in Parts["text"].
func Rated(s Sentiment, stars int) Sentiment {
	if stars < 1 || stars > 5 {
		return s
	}
	starScore := float64(stars-3) / 2 // 1★ -1, 3★ 0, 5★ +1
	parts := make(map[string]float64, len(s.Parts)+2)
	for k, v := range s.Parts {
		parts[k] = v
	}
	parts["text"], parts["stars"] = s.Score, starScore
	s.Parts = parts
	switch {
	case stars <= 2 && s.Label != Negative:
		s.Label, s.Score = Negative, min(starScore, s.Score, -0.5)
	case stars >= 4 && s.Label == Negative:
		s.Label, s.Score = Neutral, 0
	}
	if stars <= 2 && s.Reason == "" {
		s.Reason = ReasonOther
	}
	return s
}
