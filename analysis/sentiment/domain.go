package sentiment

import (
	"math"
	"strings"
)

// term is the weight of a lexicon entry in [-1, 1], as written and when a
// negator comes shortly before it.
type term struct {
	plain   float64
	negated float64
}

// lexicon is the domain layer: words and phrases of service outages,
// complaints and praise, hand-weighted. Keys are in normalized form
// (lowercase, apostrophes dropped: "cant"); a key with spaces is a phrase,
// matched before its words. Some entries weigh nothing plainly and only
// matter negated ("cant log in", "wont load", "no response").
//
// Hand-set for now: a later issue replaces these with fitted weights.
var lexicon = map[string]term{
	// Outages and failures.
	"down":         {-0.7, 0},
	"outage":       {-0.9, 0},
	"outages":      {-0.8, 0},
	"offline":      {-0.5, 0},
	"unavailable":  {-0.6, 0},
	"unresponsive": {-0.6, 0},
	"broken":       {-0.7, 0.1},
	"broke":        {-0.5, 0},
	"crash":        {-0.6, 0.1},
	"crashed":      {-0.6, 0.1},
	"crashes":      {-0.6, 0.1},
	"crashing":     {-0.6, 0.1},
	"error":        {-0.5, 0},
	"errors":       {-0.5, 0},
	"500":          {-0.5, 0},
	"502":          {-0.5, 0},
	"503":          {-0.5, 0},
	"404":          {-0.4, 0},
	"bug":          {-0.4, 0},
	"bugs":         {-0.4, 0},
	"glitch":       {-0.4, 0},
	"issue":        {-0.4, 0.3},
	"issues":       {-0.4, 0.3},
	"problem":      {-0.4, 0.3},
	"problems":     {-0.4, 0.3},
	"fail":         {-0.6, 0.2},
	"failed":       {-0.6, 0.1},
	"fails":        {-0.6, 0.1},
	"failing":      {-0.6, 0.1},
	"slow":         {-0.4, 0.1},
	"timeout":      {-0.5, 0},
	"timed out":    {-0.5, 0},
	"delay":        {-0.4, 0.1},
	"delayed":      {-0.5, 0.1},
	"delays":       {-0.4, 0.1},
	"cancelled":    {-0.5, 0},
	"canceled":     {-0.5, 0},
	"lost":         {-0.5, 0},

	// Things that work, negated: "not working", "cant log in", "wont load".
	"work":      {0, -0.7},
	"works":     {0.2, -0.7},
	"working":   {0.3, -0.8},
	"load":      {0, -0.8},
	"loading":   {0, -0.8},
	"log in":    {0, -0.7},
	"login":     {0, -0.7},
	"sign in":   {0, -0.7},
	"access":    {0, -0.6},
	"connect":   {0, -0.6},
	"help":      {0, -0.5},
	"response":  {0, -0.5},
	"respond":   {0, -0.5},
	"responded": {0, -0.5},
	"answer":    {0, -0.4},

	// Complaints.
	"unacceptable":       {-0.9, 0.2},
	"ridiculous":         {-0.7, 0.2},
	"terrible":           {-0.8, 0.2},
	"awful":              {-0.8, 0.2},
	"horrible":           {-0.8, 0.2},
	"worst":              {-0.9, 0.2},
	"useless":            {-0.8, 0.2},
	"bad":                {-0.6, 0.4},
	"poor":               {-0.5, 0.2},
	"hate":               {-0.7, 0.2},
	"sucks":              {-0.7, 0.2},
	"disappointed":       {-0.6, 0.3},
	"disappointing":      {-0.6, 0.3},
	"frustrated":         {-0.6, 0.2},
	"frustrating":        {-0.6, 0.2},
	"annoying":           {-0.5, 0.2},
	"angry":              {-0.6, 0.2},
	"rude":               {-0.7, 0.2},
	"fix":                {-0.3, -0.5},
	"refund":             {-0.5, 0},
	"cancel":             {-0.5, 0},
	"waiting":            {-0.4, 0},
	"wait":               {-0.2, 0.4},
	"on hold":            {-0.5, 0},
	"still waiting":      {-0.6, 0},
	"let down":           {-0.6, 0},
	"never again":        {-0.7, 0},
	"thanks for nothing": {-0.7, 0},

	// Recovery and praise.
	"fixed":          {0.6, -0.6},
	"resolved":       {0.6, -0.6},
	"solved":         {0.6, -0.6},
	"back up":        {0.6, -0.5},
	"back online":    {0.6, -0.5},
	"up and running": {0.6, -0.5},
	"working again":  {0.7, -0.7},
	"thank":          {0.6, -0.3},
	"thanks":         {0.6, -0.3},
	"thx":            {0.5, -0.3},
	"appreciate":     {0.6, -0.4},
	"appreciated":    {0.6, -0.4},
	"love":           {0.7, -0.5},
	"loved":          {0.7, -0.5},
	"great":          {0.7, -0.4},
	"awesome":        {0.8, -0.4},
	"amazing":        {0.8, -0.4},
	"excellent":      {0.8, -0.4},
	"perfect":        {0.7, -0.4},
	"best":           {0.6, -0.3},
	"good":           {0.5, -0.4},
	"nice":           {0.5, -0.4},
	"helpful":        {0.6, -0.6},
	"happy":          {0.6, -0.6},
	"satisfied":      {0.5, -0.6},
	"fast":           {0.4, -0.4},
	"quick":          {0.4, -0.3},

	// Leaving and asking for money back.
	"switching":      {-0.5, 0},
	"switch to":      {-0.5, 0},
	"switched to":    {-0.5, 0},
	"unsubscribe":    {-0.5, 0},
	"cancelling":     {-0.5, 0},
	"canceling":      {-0.5, 0},
	"cancellation":   {-0.4, 0},
	"money back":     {-0.5, 0},
	"charged twice":  {-0.7, 0},
	"overcharged":    {-0.7, 0},
	"still down":     {-0.7, 0},
	"great another":  {-0.7, 0},
	"another outage": {-0.9, 0},
	"still broken":   {-0.8, 0},
	"down again":     {-0.7, 0},
	"again":          {-0.1, 0},
	"any update":     {-0.3, 0},
	"any updates":    {-0.3, 0},
	"wtf":            {-0.7, 0},
	"smh":            {-0.5, 0},
	"fail whale":     {-0.7, 0},
	"epic fail":      {-0.8, 0},
	"keeps crashing": {-0.8, 0},
	"all good":       {0.5, -0.3},
	"well done":      {0.6, -0.3},
	"good job":       {0.6, -0.3},
	"kudos":          {0.6, 0},
	"shoutout":       {0.4, 0},

	// Emoticons and emoji, as normalize writes them.
	":)":  {0.6, 0},
	";)":  {0.4, 0},
	":d":  {0.7, 0},
	":p":  {0.3, 0},
	"<3":  {0.7, 0},
	":(":  {-0.6, 0},
	":'(": {-0.7, 0},
	":/":  {-0.4, 0},
	":|":  {-0.2, 0},
	"</3": {-0.6, 0},
	"😀":   {0.6, 0},
	"😃":   {0.6, 0},
	"😄":   {0.6, 0},
	"😁":   {0.6, 0},
	"😊":   {0.6, 0},
	"🙂":   {0.4, 0},
	"😍":   {0.8, 0},
	"🥰":   {0.8, 0},
	"😂":   {0.3, 0},
	"🤣":   {0.3, 0},
	"❤":   {0.7, 0},
	"💕":   {0.7, 0},
	"👍":   {0.5, 0},
	"👏":   {0.5, 0},
	"🙏":   {0.4, 0},
	"🎉":   {0.6, 0},
	"🔥":   {0.3, 0},
	"✅":   {0.4, 0},
	"💯":   {0.5, 0},
	"😞":   {-0.6, 0},
	"😟":   {-0.5, 0},
	"😢":   {-0.6, 0},
	"😭":   {-0.5, 0},
	"😠":   {-0.8, 0},
	"😡":   {-0.9, 0},
	"🤬":   {-0.9, 0},
	"😤":   {-0.7, 0},
	"🙄":   {-0.6, 0},
	"😒":   {-0.6, 0},
	"😩":   {-0.6, 0},
	"😫":   {-0.6, 0},
	"🤦":   {-0.6, 0},
	"👎":   {-0.7, 0},
	"💩":   {-0.6, 0},
	"😕":   {-0.4, 0},
	"😐":   {-0.2, 0},
}

// intensifiers scale the next lexicon term within intensifierReach words:
// "really slow" weighs more than "slow", "a bit slow" less.
var intensifiers = map[string]float64{
	"very": 1.4, "so": 1.3, "really": 1.4, "extremely": 1.6, "totally": 1.4,
	"completely": 1.5, "absolutely": 1.5, "super": 1.4, "incredibly": 1.5,
	"seriously": 1.4, "utterly": 1.5, "such": 1.3, "most": 1.3, "too": 1.2,
	"fucking": 1.6, "freaking": 1.5, "damn": 1.4, "literally": 1.2,
	"bit": 0.6, "slightly": 0.6, "somewhat": 0.7, "kinda": 0.7, "barely": 0.6,
	"little": 0.7, "fairly": 0.8, "pretty": 1.1, "quite": 1.1,
}

const intensifierReach = 2

// negators flip the lexicon terms in the negationReach words after them,
// within a clause.
var negators = map[string]bool{
	"not": true, "no": true, "never": true, "nothing": true, "nobody": true,
	"without": true, "cannot": true, "cant": true, "dont": true,
	"doesnt": true, "didnt": true, "isnt": true, "arent": true,
	"wasnt": true, "werent": true, "wont": true, "wouldnt": true,
	"couldnt": true, "shouldnt": true, "havent": true, "hasnt": true,
	"hadnt": true, "aint": true,
}

const negationReach = 3

// phrases indexes the lexicon's multi-word keys by their first word.
var phrases = indexPhrases(lexicon)

type phrase struct {
	words []string // after the first
	term  term
}

func indexPhrases(lex map[string]term) map[string][]phrase {
	idx := make(map[string][]phrase)
	for key, t := range lex {
		words := strings.Fields(key)
		if len(words) < 2 {
			continue
		}
		idx[words[0]] = append(idx[words[0]], phrase{words: words[1:], term: t})
	}
	// Longest first, so "thanks for nothing" wins over "thanks".
	for _, ps := range idx {
		for i := 1; i < len(ps); i++ {
			for j := i; j > 0 && len(ps[j].words) > len(ps[j-1].words); j-- {
				ps[j], ps[j-1] = ps[j-1], ps[j]
			}
		}
	}
	return idx
}

// domainWord is what the domain layer knows of one token, so that a
// token takes one lookup.
type domainWord struct {
	phrases       []phrase // the lexicon's phrases that start with it, longest first
	term          term     // when inLexicon
	inLexicon     bool
	negator       bool
	intensifier   float64 // when isIntensifier
	isIntensifier bool
}

// domainWords holds every token that starts a lexicon phrase, is a lexicon
// word, a negator or an intensifier.
var domainWords = func() map[string]domainWord {
	m := map[string]domainWord{}
	update := func(w string, set func(d *domainWord)) {
		d := m[w]
		set(&d)
		m[w] = d
	}
	for w, ps := range phrases {
		update(w, func(d *domainWord) { d.phrases = ps })
	}
	for w, t := range lexicon {
		update(w, func(d *domainWord) { d.term, d.inLexicon = t, true })
	}
	for w, ok := range negators {
		update(w, func(d *domainWord) { d.negator = ok })
	}
	for w, f := range intensifiers {
		update(w, func(d *domainWord) { d.intensifier, d.isIntensifier = f, true })
	}
	return m
}()

// match returns the lexicon term starting at tokens[i], whose domainWord is
// d, and how many tokens it spans, longest phrase first; n is 0 when there
// is none.
func (d *domainWord) match(tokens []string, i int) (t term, n int) {
	for _, p := range d.phrases {
		if hasPrefix(tokens[i+1:], p.words) {
			return p.term, 1 + len(p.words)
		}
	}
	if d.inLexicon {
		return d.term, 1
	}
	return term{}, 0
}

// noDomainWord is the domainWord of a token the domain layer does not know.
var noDomainWord domainWord

// domainWordOf returns the domainWord of tokens[i], from words[i] when
// words is not nil.
func domainWordOf(tokens []string, words []tokenWord, i int) *domainWord {
	if words == nil {
		d := domainWords[tokens[i]]
		return &d
	}
	if e := words[i].extra(); e != nil {
		return &e.domain
	}
	return &noDomainWord
}

func hasPrefix(tokens, words []string) bool {
	if len(tokens) < len(words) {
		return false
	}
	for k, w := range words {
		if tokens[k] != w {
			return false
		}
	}
	return true
}

// domainScore is the domain layer's opinion of tokens in [-1, 1]: the sum
// of the weights of the lexicon terms found (negated ones by their negated
// weight), squashed by tanh. hits counts the terms that weighed anything.
// words, when not nil, are the tokens' lookups (see tokenWord), read
// instead of domainWords.
func domainScore(tokens []string, words []tokenWord) (score float64, hits int) {
	var sum float64
	lastNegator := -negationReach - 1 // index of the last negator in this clause
	lastIntensifier, factor := -intensifierReach-1, 1.0
	// A clause that is nothing but praise, followed by a complaint, is
	// sarcasm: "great, another outage", "thanks. down again".
	var clause, praise float64 // this clause's sum; the last clause's if it was all praise
	clauseWords, clauseStart := 0, true
	endClause := func() {
		if praise > 0 && clause < 0 {
			sum -= 2 * praise
		}
		praise = 0
		if clause > 0 && clauseWords == 1 {
			praise = clause
		}
		clause, clauseWords = 0, 0
	}
	for i := 0; i < len(tokens); {
		tok := tokens[i]
		if tok == clauseBreak {
			if !clauseStart {
				endClause()
			}
			clauseStart = true
			lastNegator = -negationReach - 1
			lastIntensifier = -intensifierReach - 1
			i++
			continue
		}
		clauseStart = false
		d := domainWordOf(tokens, words, i)
		t, n := d.match(tokens, i)
		clauseWords++
		if n == 0 {
			if d.negator {
				lastNegator = i
			} else if d.isIntensifier {
				lastIntensifier, factor = i, d.intensifier
			}
			i++
			continue
		}
		w := t.plain
		if i-lastNegator <= negationReach {
			w = t.negated
		}
		if i-lastIntensifier <= intensifierReach {
			w = max(-1, min(1, w*factor))
		}
		if w != 0 {
			sum += w
			clause += w
			hits++
		}
		i += n
	}
	endClause()
	return math.Tanh(sum), hits
}
