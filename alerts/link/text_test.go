package link

import (
	"slices"
	"strings"
	"testing"
)

func TestOutageLanguage(t *testing.T) {
	tests := []struct {
		text string
		want []string // outage terms found
	}{
		{"Acme is down again", []string{"down"}},
		{"Acme is not down, my wifi is", nil},
		{"Acme isn't down for me", nil},
		{"Acme isn’t down for me (curly apostrophe)", nil},
		{"No errors today, nice", nil},
		{"Deployed without errors", nil},
		{"never an outage with Acme", nil},
		{"Not great, down again", []string{"down"}},
		{"It's not working", []string{"not working"}},
		{"Dashboard not loading", []string{"not loading"}},
		{"Can't log in to Acme Cloud", []string{"cant log in"}},
		{"CANNOT LOGIN!!!", []string{"cannot login"}},
		{"Getting 500 errors on every request", []string{"500", "errors"}},
		{"API returning 502s", []string{"502s"}},
		{"Is it down? #AcmeDown", []string{"down", "#acmedown"}},
		{"countdown to the launch party", nil},
		{"prices went up, #breakdown of costs", nil},
		{"see https://status.acme.example/down and @down_detector", nil},
		{"the app is offline and unreachable", []string{"offline", "unreachable"}},
		{"", nil},
	}
	for _, tt := range tests {
		got := outageTerms(words(tt.text))
		if !slices.Equal(got, tt.want) {
			t.Errorf("outageTerms(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestRecoveryLanguage(t *testing.T) {
	tests := []struct {
		text string
		want []string // recovery terms found
	}{
		{"Acme Cloud is working again, great job", []string{"working again"}},
		{"@acmecloud back up here, appreciate the updates.", []string{"back up here"}},
		{"Can log in to Acme again. Thank you!", []string{"can log in"}},
		{"Still not able to log in", nil},
		{"How can I log in with SSO?", nil},
		{"It's back! Thanks for the quick fix", []string{"its back", "quick fix"}},
		{"Still not working again after the outage", nil},
		{"Login isn't back to normal yet", nil},
		{"Remember to back up your data before upgrading", nil},
		{"Fixed my billing issue in ten minutes", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got := recoveryTerms(words(tt.text))
		if !slices.Equal(got, tt.want) {
			t.Errorf("recoveryTerms(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		text string
		want string // words joined by spaces, clause breaks as "|"
	}{
		{"Can't log in. Down!", "cant log in | down"},
		{"@acmecloud is DOWN https://x.co/abc www.acme.example ok", "is down ok"},
		{"#AcmeDown 3.5 acme.com", "#acmedown 3 5 acme com"},
		{"Ünïcödé straße ÇA", "ünïcödé straße ça"},
		{"a\xffb \x00 c", "a b c"},
		{"…,,,!!! ", ""},
		{strings.Repeat("x", 40) + " ok", "ok"},
	}
	for _, tt := range tests {
		ws := words(tt.text)
		for i, w := range ws {
			if w == "" {
				ws[i] = "|"
			}
		}
		if got := strings.Join(ws, " "); got != tt.want {
			t.Errorf("words(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestStem(t *testing.T) {
	same := [][]string{
		{"error", "errors"}, {"fail", "failed", "failing", "fails"}, {"login", "logins"},
		{"charge", "charged", "charging", "charges"}, {"outage", "outages"}, {"reply", "replies"},
	}
	for _, ws := range same {
		for _, w := range ws[1:] {
			if stem(w) != stem(ws[0]) {
				t.Errorf("stem(%q) = %q, stem(%q) = %q; want them equal", w, stem(w), ws[0], stem(ws[0]))
			}
		}
	}
	for _, w := range []string{"status", "access", "api", "down", "500"} {
		if stem(w) != w {
			t.Errorf("stem(%q) = %q, want it unchanged", w, stem(w))
		}
	}
}

func TestReasonOf(t *testing.T) {
	for text, want := range map[string]string{
		"Can't log in, password reset broken":       "login",
		"Getting 500 errors everywhere":             "availability",
		"Dashboard is so slow today":                "performance",
		"Charged twice, where is my refund":         "billing",
		"My account was hacked":                     "security",
		"I just do not like the colours":            "other",
		"Elevated API error rates and login errors": "availability",
	} {
		if got := reasonOf(stems(words(text))); string(got) != want {
			t.Errorf("reasonOf(%q) = %q, want %q", text, got, want)
		}
	}
}
