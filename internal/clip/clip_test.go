package clip

import "testing"

func TestString(t *testing.T) {
	for _, tt := range []struct {
		s    string
		n    int
		opts []Option
		want string
	}{
		{"hello", 10, nil, "hello"},
		{"hello", 5, nil, "hello"},
		{"hello", 3, nil, "hel"},
		{"hello", 0, nil, ""},
		{"hello", -1, nil, ""},
		{"", 0, nil, ""},
		{"héllo", 2, nil, "h"}, // é is two bytes: not split
		{"héllo", 3, nil, "hé"},
		{"日本語", 4, nil, "日"},
		{"  hello  ", 5, nil, "  hel"},
		{"  hello  ", 5, []Option{Trim}, "hello"},
		{"  hello  ", 4, []Option{Trim, Ellipsis}, "hell…"},
		{"  hello  ", 4, []Option{Trim | Ellipsis}, "hell…"},
		{"héllo", 2, []Option{Ellipsis}, "h…"},
		{"hello", 5, []Option{Ellipsis}, "hello"},
		{"hello", 0, []Option{Ellipsis}, "…"},
		{"   ", 0, []Option{Trim | Ellipsis}, ""},
	} {
		if got := String(tt.s, tt.n, tt.opts...); got != tt.want {
			t.Errorf("String(%q, %d, %v) = %q, want %q", tt.s, tt.n, tt.opts, got, tt.want)
		}
	}
}
