package lang

import "math"

// Und is the code Detect returns when it cannot tell the language.
const Und = "und"

const (
	// minWeight is the least weighted letter count worth a guess (see
	// scriptWeight): about two CJK characters or six other letters.
	minWeight = 6
	// minLatin is the least number of Latin letters worth a guess.
	minLatin = 10
	// fullWeight is the weighted letter count from which length no longer
	// lowers the confidence.
	fullWeight = 20
	// marginScale turns the log-likelihood margin between the two best
	// Latin-script languages into a confidence: a margin of marginScale
	// nats gives about 0.63.
	marginScale = 4
	// foreignShare: when more than 1/foreignShare of the Latin letters are
	// outside the modelled alphabets (č ř ě ů ž ...), the text is in a
	// language the trigram model does not know.
	foreignShare = 20
	// minConfidence: below it Detect answers Und.
	minConfidence = 0.2
)

// Languages lists the codes Detect can return, Und aside.
func Languages() []string {
	out := append([]string(nil), latinLangs[:]...)
	out = append(out, "vi", "ru", "uk", "bg", "sr", "ar", "fa", "ur", "ja", "zh")
	for _, code := range scriptLang {
		if code != "" {
			out = append(out, code)
		}
	}
	return out
}

// Detect returns the ISO 639-1 code of the language text is written in and
// a confidence in (0, 1], or Und and 0 when the text is too short or too
// mixed to tell. URLs, @mentions, #hashtags, digits, punctuation and emoji
// are ignored. Detect is safe for concurrent use and does not allocate.
func Detect(text string) (code string, confidence float64) {
	m := loadModel()
	var st state
	scan(m, text, &st)

	total, best := 0, scNone
	for sc := scLatin; sc < numScripts; sc++ {
		total += st.counts[sc]
		if st.counts[sc] > st.counts[best] {
			best = sc
		}
	}
	// Han and kana are one writing system for this purpose.
	cjk := st.counts[scHan] + st.counts[scKana]
	if cjk > st.counts[best] {
		best = scHan
	}
	weight := st.counts[best]
	if best == scHan {
		weight = cjk
	}
	if weight < minWeight {
		return Und, 0
	}
	share := float64(weight) / float64(total)
	length := min(1, float64(weight)/fullWeight)

	conf := share * length
	switch best {
	case scLatin:
		if weight < minLatin {
			return Und, 0
		}
		if st.vi >= 2 && st.vi*10 >= weight {
			code = "vi"
			break
		}
		if st.other*foreignShare > weight {
			return Und, 0 // letters of a Latin-script language not modelled
		}
		first, second := 0, 1
		if st.scores[1] > st.scores[0] {
			first, second = 1, 0
		}
		for i := 2; i < numLatin; i++ {
			switch {
			case st.scores[i] > st.scores[first]:
				first, second = i, first
			case st.scores[i] > st.scores[second]:
				second = i
			}
		}
		margin := float64(st.scores[first] - st.scores[second])
		code = latinLangs[first]
		conf *= 1 - math.Exp(-margin/marginScale)
	case scCyrillic:
		switch {
		case st.ukMarks > 0 && st.ruMarks == 0:
			code = "uk"
		case st.srMarks > 0 && st.ruMarks == 0:
			code = "sr"
		case st.bgMarks > 0 && st.ruMarks == 0:
			code = "bg"
		default:
			code = "ru"
		}
	case scArabic:
		switch {
		case st.urMarks > 0:
			code = "ur"
		case st.faMarks > 0:
			code = "fa"
		default:
			code = "ar"
		}
	case scHan:
		// Japanese mixes kana into its kanji; Chinese has none.
		if st.counts[scKana]*10 >= cjk {
			code = "ja"
		} else {
			code = "zh"
		}
	default:
		code = scriptLang[best]
	}
	if code == "" || conf < minConfidence {
		return Und, 0
	}
	return code, conf
}
