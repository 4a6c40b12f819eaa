package opsgeniehook

import (
	"testing"
	"unicode/utf8"

	"github.com/earshot/earshot"
)

// FuzzDelivery decodes arbitrary alert actions and applies each to a new
// incident: no body may panic, and an incident built is valid UTF-8 with a
// known status and a bounded title.
func FuzzDelivery(f *testing.F) {
	for _, s := range []string{
		`{"action":"Create","alert":{"alertId":"a1","message":"Checkout down","tags":["service:api"],"entity":"checkout-prod","priority":"P1","createdAt":1772442000000,"updatedAt":1772442000000000000},"source":{"name":"web","type":"web"},"integrationName":"Earshot"}`,
		`{"action":"AddNote","alert":{"alertId":"a1","message":"x","note":"looking","createdAt":1772442000000}}`,
		`{"action":"Close","alert":{"alertId":"a1","message":"x","createdAt":"1e400"}}`,
	} {
		f.Add([]byte(s))
	}
	h := &Handler{cfg: Config{Services: map[string]string{"checkout-prod": "api"}}}
	f.Fuzz(func(t *testing.T, body []byte) {
		p, at, err := decode(body)
		if err != nil {
			return
		}
		inc := h.apply(earshot.Incident{}, p, at, true)
		if !inc.Status.Valid() {
			t.Errorf("status %q", inc.Status)
		}
		if len(inc.Title) > maxTitle+8 {
			t.Errorf("title of %d bytes", len(inc.Title))
		}
		for _, s := range []string{inc.Title, inc.URL} {
			if !utf8.ValidString(s) {
				t.Errorf("invalid UTF-8 in %q", s)
			}
		}
	})
}
