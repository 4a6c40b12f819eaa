package sentiment

// tokenWord is what the parts know of one token, looked up once for all
// of them: the token's gramHash (the learned part's unigram key, and the
// start of its bigrams' keys) and its slot in the Bayes model's
// wordTable, which also holds the domain lexicon's and the reasons' words.
type tokenWord struct {
	hash uint64
	slot *wordSlot // nil when no part knows the token
}

// tokenExtra is what the domain lexicon and the reasons know of a token:
// the data of a wordSlot whose id is not -1.
type tokenExtra struct {
	domain  domainWord
	reasons []reasonEntry // the reason terms that start with it, longest first
}

// tokenExtras holds the tokens the domain lexicon or the reasons know;
// extraIDs gives each one's index.
var tokenExtras, extraIDs = func() ([]tokenExtra, map[string]int16) {
	var extras []tokenExtra
	ids := map[string]int16{}
	id := func(w string) *tokenExtra {
		i, ok := ids[w]
		if !ok {
			if len(extras) >= maxID {
				panic("sentiment: more domain and reason words than a wordTable's ids")
			}
			i = int16(len(extras))
			ids[w] = i
			extras = append(extras, tokenExtra{})
		}
		return &extras[i]
	}
	for w, d := range domainWords {
		id(w).domain = d
	}
	for w, es := range reasonIndex {
		id(w).reasons = es
	}
	return extras, ids
}()

// addExtras adds the words of tokenExtras to t with their ids (before
// bayes.buildHot, which copies them).
func addExtras(t *wordTable) {
	for w, i := range extraIDs {
		t.add(w).id = i
	}
}

// lookup appends to dst what b's table knows of each of tokens.
func (b *bayes) lookup(dst []tokenWord, tokens []string) []tokenWord {
	for _, tok := range tokens {
		h := gramHash(tok)
		dst = append(dst, tokenWord{hash: h, slot: b.get(tok, h)})
	}
	return dst
}

// extra returns what the domain lexicon and the reasons know of w, nil
// when nothing.
func (w tokenWord) extra() *tokenExtra {
	if w.slot == nil || w.slot.id < 0 {
		return nil
	}
	return &tokenExtras[w.slot.id]
}
