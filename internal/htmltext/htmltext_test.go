package htmltext

import (
	"strings"
	"testing"
)

// TestText compares Text's output with white space folded, as Normalize
// folds it.
func TestText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "the site is down", "the site is down"},
		{"paragraphs", "<p>first</p><p>second<br/>third</p>", "first second third"},
		{"entities", "Tom &amp; Jerry &lt;3 &#x1F600;", "Tom & Jerry <3 😀"},
		{"script dropped", `ok<script>alert("x")</script> then`, "ok then"},
		{"style dropped", `<style>p{color:red}</style>text`, "text"},
		{"attributes with >", `<a href="x" title="a>b">link</a> after`, "link after"},
		{"comment", "a<!-- hidden -->b", "ab"},
		{"lone less-than", "3 < 4 and 5 > 2", "3 < 4 and 5 > 2"},
		{"unterminated tag", "before <a href='x", "before"},
		{"unterminated script", "before <script>evil()", "before"},
		{"inline tags keep words together", "<b>Ac</b>me", "Acme"},
		{"uppercase script", "x<SCRIPT>y</SCRIPT>z", "xz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Join(strings.Fields(Text(tt.in)), " "); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
