package sentiment

// VaderScores runs this package's VADER on text as it is (no vaderText)
// and returns compound, pos, neg and neu, for the test against govader.
func VaderScores(text string) [4]float64 {
	var sc vaderScratch
	v := vaderData().score(&sc, text)
	return [4]float64{v.compound, v.pos, v.neg, v.neu}
}

// VaderText is vaderText, for the test against govader.
func VaderText(text string) string { return vaderText(text) }
