package lang

import "unicode"

// script is a writing system Detect tells apart.
type script uint8

const (
	scNone script = iota
	scLatin
	scCyrillic
	scGreek
	scArmenian
	scHebrew
	scArabic
	scDevanagari
	scBengali
	scGurmukhi
	scGujarati
	scTamil
	scTelugu
	scKannada
	scMalayalam
	scThai
	scGeorgian
	scHangul
	scKana
	scHan
	numScripts
)

// scriptLang is the language of a script used by one language only (as far
// as social media goes).
var scriptLang = [numScripts]string{
	scGreek:      "el",
	scArmenian:   "hy",
	scHebrew:     "he",
	scDevanagari: "hi",
	scBengali:    "bn",
	scGurmukhi:   "pa",
	scGujarati:   "gu",
	scTamil:      "ta",
	scTelugu:     "te",
	scKannada:    "kn",
	scMalayalam:  "ml",
	scThai:       "th",
	scGeorgian:   "ka",
	scHangul:     "ko",
}

// scriptWeight is how much one letter of a script counts when scripts are
// weighed against each other and against the minimum length: a Han, kana
// or Hangul character carries about as much as a short Latin word.
var scriptWeight = [numScripts]int{
	scHangul: 3,
	scKana:   3,
	scHan:    3,
}

func init() {
	for i := range scriptWeight {
		if scriptWeight[i] == 0 {
			scriptWeight[i] = 1
		}
	}
	scriptWeight[scNone] = 0
}

// scriptOf returns the script of r, or scNone for anything that is not a
// letter of a script Detect knows (digits, punctuation, symbols, emoji).
// Combining marks of non-Latin scripts count as letters of their script.
func scriptOf(r rune) script {
	switch {
	case r < 0x250:
		if r < 0x80 {
			if r|0x20 >= 'a' && r|0x20 <= 'z' {
				return scLatin
			}
			return scNone
		}
		if unicode.IsLetter(r) {
			return scLatin
		}
		return scNone
	case r >= 0x1E00 && r <= 0x1EFF:
		return scLatin
	case r >= 0x400 && r <= 0x52F:
		return letterOr(r, scCyrillic)
	case r >= 0x370 && r <= 0x3FF, r >= 0x1F00 && r <= 0x1FFF:
		return letterOr(r, scGreek)
	case r >= 0x531 && r <= 0x58F:
		return letterOr(r, scArmenian)
	case r >= 0x590 && r <= 0x5FF:
		return letterOr(r, scHebrew)
	case r >= 0x600 && r <= 0x6FF, r >= 0x750 && r <= 0x77F, r >= 0xFB50 && r <= 0xFDFF, r >= 0xFE70 && r <= 0xFEFF:
		return letterOr(r, scArabic)
	case r >= 0x900 && r <= 0x97F:
		return letterOr(r, scDevanagari)
	case r >= 0x980 && r <= 0x9FF:
		return letterOr(r, scBengali)
	case r >= 0xA00 && r <= 0xA7F:
		return letterOr(r, scGurmukhi)
	case r >= 0xA80 && r <= 0xAFF:
		return letterOr(r, scGujarati)
	case r >= 0xB80 && r <= 0xBFF:
		return letterOr(r, scTamil)
	case r >= 0xC00 && r <= 0xC7F:
		return letterOr(r, scTelugu)
	case r >= 0xC80 && r <= 0xCFF:
		return letterOr(r, scKannada)
	case r >= 0xD00 && r <= 0xD7F:
		return letterOr(r, scMalayalam)
	case r >= 0xE00 && r <= 0xE7F:
		return letterOr(r, scThai)
	case r >= 0x10A0 && r <= 0x10FF:
		return letterOr(r, scGeorgian)
	case r >= 0xAC00 && r <= 0xD7AF, r >= 0x1100 && r <= 0x11FF, r >= 0x3130 && r <= 0x318F:
		return scHangul
	case r >= 0x3041 && r <= 0x309F, r >= 0x30A0 && r <= 0x30FF, r >= 0x31F0 && r <= 0x31FF, r >= 0xFF66 && r <= 0xFF9D:
		return scKana
	case r >= 0x4E00 && r <= 0x9FFF, r >= 0x3400 && r <= 0x4DBF, r >= 0x20000 && r <= 0x2EBEF, r >= 0xF900 && r <= 0xFAFF:
		return scHan
	}
	return scNone
}

func letterOr(r rune, s script) script {
	if unicode.IsLetter(r) || unicode.IsMark(r) {
		return s
	}
	return scNone
}
