package sentiment

import (
	"math"

	"github.com/earshot/earshot"
)

// Spanish, French, German and Portuguese texts are scored by small
// lexicons written for Earshot: the service words of the domain lexicon
// and the commonest words of praise and complaint, translated, each with a
// weight in [-1, 1], and each language's negators. A term is negated when
// a negator comes up to foreignReach words before it ("no funciona",
// "não funciona", "ne marche pas") or right after it ("funktioniert
// nicht"); a negated term of praise counts against, a negated complaint
// half for. There is no labelled text in these languages to fit or
// measure on: docs/sentiment.md says what was and was not measured.

// foreignLexicons are the lexicons by language code. Keys are normalized
// as tokens are (lowercase, accents kept, apostrophes dropped).
var foreignLexicons = map[string]map[string]float64{
	"es": {
		"funciona": 0.3, "funcionando": 0.3, "caído": -0.8, "caida": -0.8, "caída": -0.8, "caido": -0.8,
		"error": -0.6, "errores": -0.6, "fallo": -0.7, "falla": -0.7, "fallos": -0.7, "lento": -0.6, "lenta": -0.6,
		"desastre": -0.9, "horrible": -0.9, "terrible": -0.9, "pésimo": -0.9, "pésima": -0.9, "malo": -0.7,
		"mala": -0.7, "peor": -0.8, "odio": -0.9, "problema": -0.5, "problemas": -0.5, "queja": -0.6,
		"estafa": -0.9, "reembolso": -0.4, "cancelar": -0.4, "vergüenza": -0.8, "fatal": -0.8, "roto": -0.7,
		"bueno": 0.6, "buena": 0.6, "excelente": 0.9, "genial": 0.8, "gracias": 0.6, "encanta": 0.9,
		"perfecto": 0.8, "rápido": 0.5, "mejor": 0.6, "feliz": 0.8, "increíble": 0.8, "solucionado": 0.7,
		"arreglado": 0.7, "recomiendo": 0.8, "maravilla": 0.9, "espera": -0.3, "nadie": -0.4,
	},
	"pt": {
		"funciona": 0.3, "funcionando": 0.3, "fora": -0.3, "caiu": -0.8, "erro": -0.6, "erros": -0.6,
		"falha": -0.7, "falhas": -0.7, "lento": -0.6, "lenta": -0.6, "desastre": -0.9, "horrível": -0.9,
		"terrível": -0.9, "péssimo": -0.9, "péssima": -0.9, "ruim": -0.7, "pior": -0.8, "odeio": -0.9,
		"problema": -0.5, "problemas": -0.5, "reclamação": -0.6, "golpe": -0.8, "reembolso": -0.4,
		"cancelar": -0.4, "vergonha": -0.8, "quebrado": -0.7, "bom": 0.6, "boa": 0.6, "excelente": 0.9,
		"ótimo": 0.8, "ótima": 0.8, "obrigado": 0.6, "obrigada": 0.6, "adoro": 0.9, "amo": 0.9,
		"perfeito": 0.8, "rápido": 0.5, "melhor": 0.6, "feliz": 0.8, "incrível": 0.8, "resolvido": 0.7,
		"recomendo": 0.8, "maravilhoso": 0.9, "espera": -0.3, "ninguém": -0.4, "absurdo": -0.8,
	},
	"fr": {
		"fonctionne": 0.3, "marche": 0.3, "panne": -0.8, "erreur": -0.6, "erreurs": -0.6, "bug": -0.6,
		"bugs": -0.6, "lent": -0.6, "lente": -0.6, "catastrophe": -0.9, "horrible": -0.9, "nul": -0.8,
		"nulle": -0.8, "mauvais": -0.7, "mauvaise": -0.7, "pire": -0.8, "déteste": -0.9, "problème": -0.5,
		"problèmes": -0.5, "plainte": -0.6, "arnaque": -0.9, "remboursement": -0.4, "annuler": -0.4,
		"honte": -0.8, "inadmissible": -0.9, "cassé": -0.7, "bon": 0.6, "bonne": 0.6, "excellent": 0.9,
		"génial": 0.8, "merci": 0.6, "adore": 0.9, "parfait": 0.8, "rapide": 0.5, "mieux": 0.6,
		"content": 0.7, "heureux": 0.8, "incroyable": 0.7, "résolu": 0.7, "réparé": 0.7, "recommande": 0.8,
		"super": 0.7, "attente": -0.3, "personne": -0.3,
	},
	"de": {
		"funktioniert": 0.3, "geht": 0.2, "ausfall": -0.8, "störung": -0.8, "fehler": -0.6, "absturz": -0.7,
		"langsam": -0.6, "katastrophe": -0.9, "schrecklich": -0.9, "furchtbar": -0.9, "schlecht": -0.7,
		"schlechter": -0.8, "schlimmste": -0.9, "hasse": -0.9, "problem": -0.5, "probleme": -0.5,
		"beschwerde": -0.6, "betrug": -0.9, "erstattung": -0.4, "kündigen": -0.5, "frechheit": -0.9,
		"unverschämt": -0.9, "kaputt": -0.7, "gut": 0.6, "gute": 0.6, "toll": 0.8, "super": 0.8,
		"danke": 0.6, "liebe": 0.8, "perfekt": 0.8, "schnell": 0.5, "besser": 0.6, "zufrieden": 0.8,
		"glücklich": 0.8, "großartig": 0.9, "gelöst": 0.7, "behoben": 0.7, "empfehlen": 0.8,
		"warten": -0.3, "niemand": -0.4, "ärgerlich": -0.8,
	},
}

// foreignNegators are each language's negators.
var foreignNegators = map[string]map[string]bool{
	"es": {"no": true, "nunca": true, "sin": true, "ni": true, "jamás": true},
	"pt": {"não": true, "nao": true, "nunca": true, "sem": true, "nem": true, "jamais": true},
	"fr": {"ne": true, "pas": true, "jamais": true, "sans": true, "aucun": true, "aucune": true, "plus": true},
	"de": {"nicht": true, "kein": true, "keine": true, "keinen": true, "nie": true, "niemals": true, "ohne": true},
}

const foreignReach = 3

// foreignNeutral is the least |sum| of a text's term weights for it to
// lean negative or positive.
const foreignNeutral = 0.3

// scoreForeign scores tokens in language code with its lexicon; ok is
// false when Earshot has no lexicon for the language.
func scoreForeign(code string, tokens []string) (s earshot.Sentiment, ok bool) {
	lex, ok := foreignLexicons[code]
	if !ok {
		return s, false
	}
	negs := foreignNegators[code]
	var sum float64
	lastNeg := -foreignReach - 1
	for i, t := range tokens {
		if t == clauseBreak {
			lastNeg = -foreignReach - 1
			continue
		}
		if negs[t] {
			lastNeg = i
			continue
		}
		w, found := lex[t]
		if !found {
			continue
		}
		negated := i-lastNeg <= foreignReach || (i+1 < len(tokens) && negs[tokens[i+1]])
		if negated {
			if w > 0 {
				w = -w - 0.3 // "no funciona": a complaint, not just less praise
			} else {
				w = -w / 2
			}
		}
		sum += w
	}
	s.Score = math.Tanh(sum)
	switch {
	case sum <= -foreignNeutral:
		s.Label = earshot.Negative
		s.Reason = earshot.ReasonOther
	case sum >= foreignNeutral:
		s.Label = earshot.Positive
	default:
		s.Label = earshot.Neutral
	}
	return s, true
}
