package sentiment

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Reading model.json with encoding/json took most of the time to load a
// Scorer after the Bayes model: its 15,000 n-grams go through reflection
// one by one. readModel reads the n-grams itself when the file has the
// layout Marshal writes (one n-gram a line), and the few other fields
// with encoding/json; any other layout is read by encoding/json alone.
// TestReadModelMatchesJSON checks both give the same Model.

// gramsStart and gramsEnd frame the n-grams in the layout Marshal writes.
const (
	gramsStart = "\n  \"grams\": {\n"
	gramsEnd   = "\n  }"
)

// readModel decodes data into m.
func readModel(data []byte, m *Model) error {
	if lines, rest, ok := cutGrams(data); ok {
		if grams, ok := readGramLines(lines); ok {
			if err := json.Unmarshal(rest, m); err != nil {
				return err
			}
			m.Grams = grams
			return nil
		}
	}
	*m = Model{}
	return json.Unmarshal(data, m)
}

// cutGrams splits data, in Marshal's layout, into the n-gram lines and the
// rest of the document with "grams": {}.
func cutGrams(data []byte) (lines, rest []byte, ok bool) {
	start := bytes.Index(data, []byte(gramsStart))
	if start < 0 {
		return nil, nil, false
	}
	body := start + len(gramsStart)
	end := bytes.Index(data[body:], []byte(gramsEnd))
	if end < 0 {
		return nil, nil, false
	}
	end += body
	rest = make([]byte, 0, start+len(data)-end+16)
	rest = append(rest, data[:start]...)
	rest = append(rest, "\n  \"grams\": {"...)
	rest = append(rest, data[end:]...)
	return data[body:end], rest, true
}

// readGramLines reads lines of the form `    "w1 w2": [a, b, c],` (the
// last without the comma); ok is false on anything else.
func readGramLines(lines []byte) (grams map[string]vec3, ok bool) {
	grams = make(map[string]vec3, bytes.Count(lines, []byte("\n"))+1)
	for len(lines) > 0 {
		line := lines
		if nl := bytes.IndexByte(lines, '\n'); nl >= 0 {
			line, lines = lines[:nl], lines[nl+1:]
		} else {
			lines = nil
		}
		// Every line but the last ends with a comma.
		if comma := bytes.HasSuffix(line, []byte(",")); comma != (len(lines) > 0) {
			return nil, false
		}
		key, w, err := readGramLine(bytes.TrimSuffix(line, []byte(",")))
		if err != nil {
			return nil, false
		}
		grams[key] = w
	}
	return grams, true
}

var errGramLine = errors.New("not an n-gram line")

// readGramLine reads one line of readGramLines, without its comma.
func readGramLine(line []byte) (string, vec3, error) {
	var w vec3
	s, ok := strings.CutPrefix(string(line), `    "`)
	if !ok {
		return "", w, errGramLine
	}
	q := strings.Index(s, `": [`)
	if q < 0 {
		return "", w, errGramLine
	}
	key := s[:q]
	if strings.ContainsAny(key, "\\\"") || strings.ContainsFunc(key, unicode.IsControl) || !utf8.ValidString(key) {
		// Escapes and the rest, as encoding/json reads them.
		if err := json.Unmarshal([]byte(`"`+key+`"`), &key); err != nil {
			return "", w, errGramLine
		}
	}
	nums, ok := strings.CutSuffix(s[q+len(`": [`):], "]")
	if !ok {
		return "", w, errGramLine
	}
	for k := range 3 {
		num, after, _ := strings.Cut(nums, ", ")
		if !jsonNumber(num) {
			return "", w, errGramLine
		}
		x, err := strconv.ParseFloat(num, 64)
		if err != nil {
			return "", w, errGramLine
		}
		w[k], nums = x, after
	}
	if nums != "" {
		return "", w, errGramLine
	}
	return key, w, nil
}

// jsonNumber reports whether s is a JSON number, as encoding/json reads
// one: an optional minus, digits (no leading zero), an optional fraction
// and an optional exponent.
func jsonNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	digits := func() int {
		n := 0
		for n < len(s) && '0' <= s[n] && s[n] <= '9' {
			n++
		}
		d := n
		s = s[n:]
		return d
	}
	if s == "" || (s[0] == '0' && len(s) > 1 && '0' <= s[1] && s[1] <= '9') || digits() == 0 {
		return false
	}
	if strings.HasPrefix(s, ".") {
		s = s[1:]
		if digits() == 0 {
			return false
		}
	}
	if len(s) > 0 && (s[0] == 'e' || s[0] == 'E') {
		s = s[1:]
		if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
			s = s[1:]
		}
		if digits() == 0 {
			return false
		}
	}
	return s == ""
}
