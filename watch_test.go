package earshot

import (
	"slices"
	"testing"
)

func TestMatcher(t *testing.T) {
	m := NewMatcher([]Watch{
		{Name: "acme", Terms: []string{"Acme", "Acme Cloud"}, Handles: []string{"@acmecloud"}, Keywords: []string{"#acmedown"}, Exclude: []string{"acme anvil"}},
		{Name: "pay", Terms: []string{"Acme Pay"}},
		{Name: "empty"},
	})
	if m.Len() != 2 {
		t.Fatalf("Len = %d, want 2 (a watch with no terms matches nothing)", m.Len())
	}
	tests := []struct {
		text string
		want []string
	}{
		{"ACME is down again", []string{"acme"}},
		{"acme cloud\nis great", []string{"acme"}},
		{"paying with acme   pay failed", []string{"acme", "pay"}},
		{"hey @AcmeCloud help", []string{"acme"}},
		{"#AcmeDown trending", []string{"acme"}},
		{"acmecorp is unrelated", nil},
		{"my acmes", nil},
		{"acmecloud without at-sign", nil},
		{"@acmecloudfan is someone else", nil},
		{"bought an acme anvil", nil},
		{"#acmedownload", nil},
		{"(acme)", []string{"acme"}},
		{"", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := m.Match(tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("Match(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func BenchmarkMatch(b *testing.B) {
	m := NewMatcher([]Watch{
		{Name: "acme", Terms: []string{"Acme", "Acme Cloud"}, Handles: []string{"acmecloud"}, Keywords: []string{"#acmedown"}, Exclude: []string{"acme anvil"}},
		{Name: "pay", Terms: []string{"Acme Pay"}},
	})
	text := "@AcmeCloud the dashboard has been down for an hour and support is not answering, switching to another provider #acmedown"
	b.ReportAllocs()
	for b.Loop() {
		m.Match(text)
	}
}
