package sentiment

import (
	"slices"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"lowercase", "The Site IS Down", "the site is down"},
		{"url", "down again https://status.example.com/x?y=1 see", "down again see"},
		{"url www", "see WWW.example.com now", "see now"},
		{"url mid-word is not a url", "xhttp://a", "xhttp . a"},
		{"mention", "@AcmeHelp help me", "help me"},
		{"mention possessive", "@acme's app", "s app"},
		{"email is not a mention", "me@example.com", "me example com"},
		{"hashtag camel", "#NotWorking", "not working"},
		{"hashtag underscore", "#not_working", "not working"},
		{"hashtag acronym", "#ISPDown", "isp down"},
		{"hashtag digits", "#Error500", "error 500"},
		{"hashtag lowercase stays", "#notworking", "notworking"},
		{"bare hash", "# 1", "1"},
		{"apostrophe", "can't won’t it's", "cant wont its"},
		{"quotes", "'quoted'", "quoted"},
		{"clause punctuation", "down, again!!! really?", "down . again . really ."},
		{"punctuation inside a word", "v2.5 example.com", "v2 5 example com"},
		{"leading punctuation", "... ok", "ok"},
		{"other punctuation", "log-in (now)", "log in now"},
		{"unicode", "Ça NE MARCHE pas", "ça ne marche pas"},
		{"invalid utf-8", "bad\xffbyte", "bad byte"},
		{"only noise", "@a https://b #", ""},
		{"emoticons", "down again :( :-( thanks:) :D", "down again :( :( thanks :) :d"},
		{"not emoticons", "3:45 http://x :Done", "3 45 done"},
		{"emoji", "fixed👍🏽 love it❤️😍", "fixed 👍 love it ❤ 😍"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := normalize(tt.in); got != tt.want {
				t.Errorf("normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTokenize(t *testing.T) {
	got := tokenize("@Acme your #AppDown, again: https://x.co")
	want := []string{"your", "app", "down", clauseBreak, "again", clauseBreak}
	if !slices.Equal(got, want) {
		t.Errorf("tokenize = %q, want %q", got, want)
	}
}

func TestTokenizeInto(t *testing.T) {
	var tokens []string
	var buf []byte
	for _, text := range []string{"@Acme your #AppDown, again: https://x.co", "", "thanks :) 😍", "a"} {
		tokens, buf = tokenizeInto(tokens[:0], buf, text)
		if want := tokenize(text); !slices.Equal(tokens, want) {
			t.Errorf("tokenizeInto(%q) = %q, want %q", text, tokens, want)
		}
	}
}

func TestVaderText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"GREAT service!!!", "GREAT service!!!"},
		{"@Acme the app is #NotWorking https://x.co/1 :(", " the app is Not Working  :("},
		{"# alone", "# alone"},
		// Inside a word, "@", "#", "h" and "w" start nothing.
		{"mail me@x.com, a#b!", "mail me@x.com, a#b!"},
		{"Wow what HOW", "Wow what HOW"},
		{"see www.x.com then HTTP://X.COM done", "see  then  done"},
		{"née @Ann ok #two_words", "née  ok two words"},
	}
	for _, tt := range tests {
		if got := vaderText(tt.in); got != tt.want {
			t.Errorf("vaderText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
