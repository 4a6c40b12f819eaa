package sentiment

import (
	"strings"

	"github.com/earshot/earshot"
)

// reasonTerms are the words and phrases (normalized, as tokens are) that
// point at each reason for a complaint. Phrases are matched before their
// words.
var reasonTerms = map[earshot.Reason][]string{
	earshot.ReasonOutage: {
		"down", "outage", "outages", "offline", "unavailable", "unreachable",
		"not working", "isnt working", "stopped working", "doesnt work", "dont work",
		"not loading", "wont load", "doesnt load", "cant load", "cant connect",
		"cant access", "no service", "no signal", "no internet", "500", "502",
		"503", "504", "404", "error", "errors", "crash", "crashed", "crashes",
		"crashing", "broken", "cancelled", "canceled", "cancellation",
		"dead", "blank page", "server", "servers", "connection",
	},
	earshot.ReasonPerformance: {
		"slow", "slower", "slowest", "lag", "lagging", "laggy", "latency",
		"timeout", "timed out", "takes forever", "taking forever", "delay",
		"delayed", "delays", "late", "waiting", "wait", "hours", "stuck",
		"buffering", "freezing", "freezes", "frozen", "hang", "hangs",
		"long lines", "line", "queue", "sluggish",
	},
	earshot.ReasonLogin: {
		"log in", "login", "logged out", "log out", "sign in", "signin",
		"password", "passwords", "account", "accounts", "locked out",
		"2fa", "verification", "verify", "reset", "username", "profile",
		"booking", "reservation", "book", "rebook", "rebooked", "itinerary",
		"app", "website", "site",
	},
	earshot.ReasonBilling: {
		"refund", "refunds", "refunded", "charge", "charged", "charges",
		"charging", "overcharged", "bill", "billing", "billed", "invoice",
		"payment", "paid", "pay", "fee", "fees", "price", "prices",
		"pricing", "subscription", "money", "credit", "card", "cancel my",
		"voucher", "compensation", "dollars", "expensive",
	},
	earshot.ReasonSupport: {
		"support", "customer service", "customer care", "service",
		"agent", "agents", "rep", "reps", "representative", "staff",
		"on hold", "hold", "call", "called", "calling", "phone", "email",
		"dm", "response", "respond", "responded", "reply", "replied",
		"answer", "ticket", "rude", "unhelpful", "helpless", "nobody",
		"no one", "ignored", "ignoring", "attendant", "attendants", "crew",
		"gate agent", "manager", "chat",
	},
	earshot.ReasonSecurity: {
		"hacked", "hack", "breach", "breached", "leak", "leaked", "privacy",
		"phishing", "scam", "scammed", "fraud", "stolen", "security",
		"data", "spam", "compromised", "unauthorized", "malware", "virus",
		"gdpr", "personal information",
	},
}

// reasonWeight makes a reason count for more per word: specific
// categories over the vaguer ones. Ties go to the earlier in
// reasonOrder.
var reasonWeight = map[earshot.Reason]float64{
	earshot.ReasonSecurity:    1.5,
	earshot.ReasonBilling:     1.3,
	earshot.ReasonLogin:       1.0,
	earshot.ReasonOutage:      1.2,
	earshot.ReasonPerformance: 1.1,
	earshot.ReasonSupport:     1.0,
}

// reasonOrder breaks ties between reasons.
var reasonOrder = []earshot.Reason{
	earshot.ReasonSecurity, earshot.ReasonBilling, earshot.ReasonOutage,
	earshot.ReasonLogin, earshot.ReasonPerformance, earshot.ReasonSupport,
}

type reasonEntry struct {
	rest   []string // words after the first
	reason earshot.Reason
}

// reasonIndex maps a first word to its terms, longest first.
var reasonIndex = func() map[string][]reasonEntry {
	idx := make(map[string][]reasonEntry)
	for r, terms := range reasonTerms {
		for _, term := range terms {
			w := strings.Fields(term)
			idx[w[0]] = append(idx[w[0]], reasonEntry{rest: w[1:], reason: r})
		}
	}
	for _, es := range idx {
		for i := 1; i < len(es); i++ {
			for j := i; j > 0 && len(es[j].rest) > len(es[j-1].rest); j-- {
				es[j], es[j-1] = es[j-1], es[j]
			}
		}
	}
	return idx
}()

// reasonOf says why a negative text is negative: the reason whose terms
// weigh most in tokens, ReasonOther when none is found. words, when not
// nil, are the tokens' lookups (see tokenWord), read instead of
// reasonIndex.
func reasonOf(tokens []string, words []tokenWord) earshot.Reason {
	var score [6]float64
	for i := 0; i < len(tokens); {
		n := 1
		var terms []reasonEntry
		if words == nil {
			terms = reasonIndex[tokens[i]]
		} else if e := words[i].extra(); e != nil {
			terms = e.reasons
		}
		for _, e := range terms {
			if hasPrefix(tokens[i+1:], e.rest) {
				score[slot(e.reason)] += reasonWeight[e.reason]
				n = 1 + len(e.rest)
				break
			}
		}
		i += n
	}
	best, bestScore := earshot.ReasonOther, 0.0
	for _, r := range reasonOrder {
		if s := score[slot(r)]; s > bestScore {
			best, bestScore = r, s
		}
	}
	return best
}

func slot(r earshot.Reason) int {
	for i, o := range reasonOrder {
		if o == r {
			return i
		}
	}
	return 0
}

// ReasonOf says why text, taken as a complaint, is negative: one of the
// earshot.Reason constants, ReasonOther when no term points anywhere. The
// Scorer sets it on negative texts; ReasonOf is for evaluation.
func ReasonOf(text string) earshot.Reason {
	return reasonOf(tokenize(text), nil)
}
