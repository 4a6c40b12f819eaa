package sentiment

import "sync"

// wordInfo is everything the scorer knows of a word, found with one map
// lookup per token: its VADER valence, whether the model's English
// vocabulary has it, and its part in the domain lexicon.
type wordInfo struct {
	valence     float64 // VADER's, on [-4, 4]; 0 when it has none
	english     bool
	negator     bool
	intensifier float64 // 0 when the word is none
	term        term    // the domain lexicon's weights of the word alone
	hasTerm     bool
	phrases     []phrase // domain phrases starting with the word, longest first
}

// wordIndex builds the index of VADER's lexicon (lex), the domain lexicon
// and the English vocabulary english.
func wordIndex(lex map[string]float64, english []string) map[string]*wordInfo {
	idx := make(map[string]*wordInfo, len(lex)+len(english)+len(lexicon))
	get := func(w string) *wordInfo {
		info, ok := idx[w]
		if !ok {
			info = &wordInfo{}
			idx[w] = info
		}
		return info
	}
	for w, v := range lex {
		get(w).valence = v
	}
	for _, w := range english {
		get(w).english = true
	}
	for w := range negators {
		get(w).negator = true
	}
	for w, f := range intensifiers {
		get(w).intensifier = f
	}
	for w, t := range lexicon {
		if !containsSpace(w) {
			info := get(w)
			info.term, info.hasTerm = t, true
		}
	}
	for w, ps := range phrases {
		get(w).phrases = ps
	}
	return idx
}

func containsSpace(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			return true
		}
	}
	return false
}

// domainIndex is the word index without an English vocabulary, for
// fitting and for domainScore.
var domainIndex = sync.OnceValue(func() map[string]*wordInfo { return wordIndex(vaderLexicon(), nil) })
