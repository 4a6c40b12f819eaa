package collectors

import (
	"net/http"
	"strings"
	"testing"
)

func TestValidators(t *testing.T) {
	long := `"` + strings.Repeat("x", MaxValidator) + `"`
	for _, tc := range []struct {
		name         string
		etag, lm     string
		want         Validators
		ifNone, ifMS string
	}{
		{"both", `"v1"`, "Mon, 02 Jun 2025 10:00:00 GMT", Validators{`"v1"`, "Mon, 02 Jun 2025 10:00:00 GMT"}, `"v1"`, "Mon, 02 Jun 2025 10:00:00 GMT"},
		{"none", "", "", Validators{}, "", ""},
		{"a too long ETag is dropped", long, "Mon, 02 Jun 2025 10:00:00 GMT", Validators{LastModified: "Mon, 02 Jun 2025 10:00:00 GMT"}, "", "Mon, 02 Jun 2025 10:00:00 GMT"},
		{"a too long Last-Modified is dropped", `W/"7"`, long, Validators{ETag: `W/"7"`}, `W/"7"`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			if tc.etag != "" {
				h.Set("ETag", tc.etag)
			}
			if tc.lm != "" {
				h.Set("Last-Modified", tc.lm)
			}
			v := ValidatorsOf(h)
			if v != tc.want {
				t.Fatalf("ValidatorsOf = %+v, want %+v", v, tc.want)
			}
			req := http.Header{}
			v.Ask(req)
			if got := req.Get("If-None-Match"); got != tc.ifNone {
				t.Errorf("If-None-Match %q, want %q", got, tc.ifNone)
			}
			if got := req.Get("If-Modified-Since"); got != tc.ifMS {
				t.Errorf("If-Modified-Since %q, want %q", got, tc.ifMS)
			}
			if _, ok := req["If-None-Match"]; ok != (tc.ifNone != "") {
				t.Error("If-None-Match sent empty")
			}
		})
	}
}
