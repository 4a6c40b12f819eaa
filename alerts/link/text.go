package link

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/earshot/earshot"
)

// Posts are hostile input: only so much of a text is read, and words
// longer than maxWordRunes (base64 blobs, keyboard mashing) are dropped.
const (
	maxTextBytes = 4 << 10
	maxWordRunes = 32
)

// words splits text into lowercase words. URLs and @mentions are dropped;
// a hashtag keeps its "#" ("#acmedown"); apostrophes inside a word are
// dropped ("can't" → "cant"); clause punctuation (. , ; : ! ? and line
// breaks) becomes an empty word, so that negation does not reach across a
// clause ("not great, down again"). Invalid UTF-8 is read as spaces.
func words(text string) []string {
	if len(text) > maxTextBytes {
		text = text[:maxTextBytes]
	}
	text = strings.ToValidUTF8(text, " ")
	var (
		out  []string
		word strings.Builder
		n    int // runes in word
	)
	flush := func() {
		if word.Len() > 0 && n <= maxWordRunes && word.String() != "#" {
			out = append(out, word.String())
		}
		word.Reset()
		n = 0
	}
	clause := func() {
		flush()
		if len(out) > 0 && out[len(out)-1] != "" {
			out = append(out, "")
		}
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case word.Len() == 0 && (r == '@' || hasFoldPrefix(text[i:], "http://") || hasFoldPrefix(text[i:], "https://") || hasFoldPrefix(text[i:], "www.")):
			// A mention or a URL: skip to the next space.
			j := strings.IndexFunc(text[i:], unicode.IsSpace)
			if j < 0 {
				return finish(out)
			}
			i += j
			continue
		case r == '#' && word.Len() == 0:
			word.WriteRune('#')
		case unicode.IsLetter(r) || unicode.IsDigit(r) || (unicode.Is(unicode.Mn, r) && word.Len() > 0):
			word.WriteRune(unicode.ToLower(r))
			n++
		case (r == '\'' || r == '’') && word.Len() > 0 && i+size < len(text) && isWordRune(text[i+size:]):
			// "can't" → "cant"
		case r == '.' && i+size < len(text) && isWordRune(text[i+size:]):
			flush() // "3.5", "acme.com": a separator, not a clause break
		case strings.ContainsRune(".,;:!?\n\r…", r):
			clause()
		default:
			flush()
		}
		i += size
	}
	flush()
	return finish(out)
}

func finish(out []string) []string {
	if n := len(out); n > 0 && out[n-1] == "" {
		out = out[:n-1]
	}
	return out
}

func isWordRune(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func hasFoldPrefix(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// bare returns w without a hashtag's "#".
func bare(w string) string { return strings.TrimPrefix(w, "#") }

// terms returns the words of text worth counting: no stop words, no
// clause breaks, no one-letter words, hashtags without their "#".
func terms(text string) []string {
	ws := words(text)
	out := ws[:0]
	for _, w := range ws {
		w = bare(w)
		if utf8.RuneCountInString(w) < 2 || stopWords[w] {
			continue
		}
		out = append(out, w)
	}
	return out
}

// stem folds the commonest English endings so that "errors", "failed" and
// "logins" meet "error", "fail" and "login". It is crude on purpose: both
// sides of a comparison are folded the same way.
func stem(w string) string {
	w = stemSuffix(w)
	if len(w) > 4 && strings.HasSuffix(w, "e") && !strings.HasSuffix(w, "ee") {
		w = w[:len(w)-1] // "charge" meets "charged" and "charging"
	}
	return w
}

func stemSuffix(w string) string {
	switch {
	case len(w) > 5 && strings.HasSuffix(w, "ing"):
		return w[:len(w)-3]
	case len(w) > 4 && strings.HasSuffix(w, "ed"):
		return w[:len(w)-2]
	case len(w) > 4 && strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:len(w)-1]
	}
	return w
}

// stopWords are left out of term counts: function words, chat filler, and
// the words every status page uses whatever went wrong.
var stopWords = set(
	"a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at",
	"be", "been", "before", "being", "but", "by", "can", "could", "did", "do", "does", "for",
	"from", "get", "got", "had", "has", "have", "he", "her", "here", "him", "his", "how", "i",
	"if", "in", "into", "is", "it", "its", "just", "me", "my", "now", "of", "on", "one", "or",
	"our", "out", "over", "she", "so", "some", "than", "that", "the", "their", "them", "then",
	"there", "these", "they", "this", "to", "too", "up", "us", "very", "was", "we", "were",
	"what", "when", "where", "which", "while", "who", "why", "will", "with", "would", "you",
	"your", "im", "ive", "id", "ill", "youre", "thats", "theres", "were", "weve", "dont",
	"doesnt", "didnt", "isnt", "arent", "wasnt", "not", "no", "yes", "rt", "amp", "via",
	"lol", "pls", "please", "today", "still", "really", "even", "more", "much", "only",
	"should", "other", "any", "every", "each", "same", "own", "such", "like", "ok",
	// status-page boilerplate
	"incident", "incidents", "issue", "issues", "investigating", "identified", "monitoring",
	"resolved", "update", "updates", "currently", "affected", "affecting", "impact",
	"impacted", "customers", "users", "some", "team", "aware", "looking", "reports",
	"continue", "continuing", "results", "normal", "back", "fix", "fixed", "implemented",
	"working", "progress", "further", "provide", "investigation", "cause", "experiencing",
	"service", "services", "systems", "system",
)

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// Outage language. Phrases are matched first, on words as words() makes
// them; a single outage word right after a negator ("not down", "no
// errors", "isn't down", "never an outage") does not count.
var (
	outagePhrases = phrases(
		"not working", "isnt working", "stopped working", "doesnt work", "dont work",
		"not loading", "wont load", "doesnt load", "cant load", "not responding",
		"cant log in", "cant login", "cant sign in", "cannot log in", "cannot login",
		"cannot sign in", "unable to log in", "unable to login", "unable to sign in",
		"cant connect", "cannot connect", "unable to connect", "cant access",
		"cannot access", "cant reach", "wont open", "login fails", "login failed",
		"login failing", "login broken", "status page",
	)
	outageWords = set(
		"down", "outage", "outages", "offline", "unavailable", "unreachable", "500", "502",
		"503", "504", "500s", "502s", "503s", "504s", "5xx", "error", "errors", "crash",
		"crashed", "crashes", "crashing", "broken", "timeout", "timeouts", "failing",
	)
	// notDown are words ending in "down" that say nothing of an outage,
	// left out of the "#brandDown" hashtag rule.
	notDown = set("breakdown", "countdown", "lockdown", "markdown", "rundown", "showdown",
		"touchdown", "crackdown", "sundown", "knockdown", "letdown", "lowdown", "download")
	negators = set(
		"not", "no", "never", "isnt", "arent", "wasnt", "werent", "aint", "without",
		"nothing", "none", "dont", "doesnt", "didnt", "hasnt", "havent", "hadnt",
	)
)

// Recovery language: people saying a service is back. In an incident's
// aftermath such posts are about the incident even when they use none of
// its words ("back up here, thanks"). Plain "back up" is left out: it is
// also what one does to data. Matched as phrases, on words as
// words() makes them; a phrase right after a negator ("not working again",
// "still not back up") does not count.
var recoveryPhrases = phrases(
	"working again", "works again", "up again", "online again", "loading again",
	"log in again", "login again", "sign in again", "signed in again", "logged in again",
	"can log in", "can login", "can sign in", "able to log in", "able to login", "able to sign in",
	"back up here", "back up now", "back up and", "back online", "back to normal", "is back", "are back", "its back",
	"seems back", "looks back", "green again", "all green", "is fixed", "are fixed",
	"been fixed", "fixed now", "the fix", "quick fix", "been restored", "is restored",
	"are restored", "service restored", "has recovered", "have recovered", "recovered now",
)

// recoveryTerms returns the recovery language in ws (words), each match
// in the form it was matched, negated ones left out.
func recoveryTerms(ws []string) []string {
	var found []string
	for i := 0; i < len(ws); {
		if p := matchPhrase(ws, i, recoveryPhrases); p != nil {
			if !negated(ws, i) {
				found = append(found, strings.Join(p, " "))
			}
			i += len(p)
			continue
		}
		i++
	}
	return found
}

// negationReach is how many words back a negator reaches.
const negationReach = 2

func phrases(ps ...string) [][]string {
	out := make([][]string, len(ps))
	for i, p := range ps {
		out[i] = strings.Fields(p)
	}
	return out
}

// outageTerms returns the outage language in ws (words), each match once
// in the form it was matched ("down", "cant log in"), negated ones left
// out. A hashtag ending in "down" or "outage" ("#acmedown") is outage
// language too.
func outageTerms(ws []string) []string {
	var found []string
	for i := 0; i < len(ws); {
		if p := matchPhrase(ws, i, outagePhrases); p != nil {
			found = append(found, strings.Join(p, " "))
			i += len(p)
			continue
		}
		w := ws[i]
		hashtag := strings.HasPrefix(w, "#") && (strings.HasSuffix(w, "down") && !notDown[bare(w)] || strings.HasSuffix(w, "outage"))
		if (outageWords[bare(w)] || hashtag) && !negated(ws, i) {
			found = append(found, w)
		}
		i++
	}
	return found
}

// negated reports whether a negator stands up to negationReach words
// before ws[i], in the same clause.
func negated(ws []string, i int) bool {
	for j := i - 1; j >= 0 && j >= i-negationReach; j-- {
		if ws[j] == "" {
			return false
		}
		if negators[ws[j]] {
			return true
		}
	}
	return false
}

func matchPhrase(ws []string, i int, ps [][]string) []string {
next:
	for _, p := range ps {
		if i+len(p) > len(ws) {
			continue
		}
		for k, pw := range p {
			if bare(ws[i+k]) != pw {
				continue next
			}
		}
		return p
	}
	return nil
}

// reasonVocab points a text at complaint reasons: the local stand-in for
// the sentiment scorer's classifier, used on incident texts (what kind of
// problem an incident is) and on negative posts that carry no reason.
// Entries are stems (see stem); phrases are matched on stems too.
var reasonVocab = []struct {
	reason earshot.Reason
	terms  [][]string
}{
	{earshot.ReasonSecurity, stemPhrases("security", "breach", "unauthorized", "leak", "phishing", "hacked", "compromised")},
	{earshot.ReasonBilling, stemPhrases("billing", "payment", "invoice", "charge", "charged", "refund", "checkout", "subscription")},
	{earshot.ReasonOutage, stemPhrases("down", "outage", "offline", "unavailable", "unreachable", "error", "failure", "failing", "fails", "failed",
		"500", "502", "503", "504", "5xx", "crash", "broken", "disruption", "not working", "not loading", "cant load", "cant connect")},
	{earshot.ReasonLogin, stemPhrases("login", "log in", "cant log in", "sign in", "signin", "authentication", "auth", "sso", "password", "2fa", "mfa",
		"logged out", "locked out", "session")},
	{earshot.ReasonPerformance, stemPhrases("slow", "slowly", "slowness", "latency", "delay", "delayed", "timeout", "timed out", "lag", "laggy", "load time", "degraded performance", "stuck")},
	{earshot.ReasonSupport, stemPhrases("support", "ticket", "agent", "no reply", "no response", "customer service")},
}

func stemPhrases(ps ...string) [][]string {
	out := phrases(ps...)
	for _, p := range out {
		for i, w := range p {
			p[i] = stem(w)
		}
	}
	return out
}

// stems returns the stems of ws, hashtags bare and clause breaks kept.
func stems(ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = stem(bare(w))
	}
	return out
}

// reasonHits counts, per reason, the vocabulary matches in stemmed words
// (longest phrase first within a reason).
func reasonHits(st []string) map[earshot.Reason]int {
	hits := map[earshot.Reason]int{}
	for _, rv := range reasonVocab {
		for i := 0; i < len(st); i++ {
			if p := matchLongest(st, i, rv.terms); p != nil {
				hits[rv.reason]++
				i += len(p) - 1
			}
		}
	}
	return hits
}

func matchLongest(st []string, i int, ps [][]string) []string {
	var best []string
	for _, p := range ps {
		if len(p) <= len(best) || i+len(p) > len(st) {
			continue
		}
		if slices.Equal(st[i:i+len(p)], p) {
			best = p
		}
	}
	return best
}

// reasonOf classifies a negative text that carries no reason: the reason
// with the most matches, ties to the earlier in reasonVocab; ReasonOther
// when nothing matches.
func reasonOf(st []string) earshot.Reason {
	hits := reasonHits(st)
	best, most := earshot.ReasonOther, 0
	for _, rv := range reasonVocab {
		if hits[rv.reason] > most {
			best, most = rv.reason, hits[rv.reason]
		}
	}
	return best
}
