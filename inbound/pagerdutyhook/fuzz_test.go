package pagerdutyhook

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/earshot/earshot"
)

// FuzzDelivery decodes arbitrary deliveries and applies each to a new
// incident: no body may panic, and an incident built is valid UTF-8 with a
// known status, its title and updates bounded.
func FuzzDelivery(f *testing.F) {
	for _, s := range []string{
		`{"event":{"id":"e1","event_type":"incident.triggered","resource_type":"incident","occurred_at":"2026-03-02T09:05:00Z",
"data":{"id":"PD1","type":"incident","status":"triggered","title":"Login 5xx","created_at":"2026-03-02T09:04:00Z",
"service":{"id":"S1","summary":"login"},"urgency":"high","html_url":"https://acme.pagerduty.com/incidents/PD1"}}}`,
		`{"event":{"id":"e2","event_type":"incident.annotated","occurred_at":"2026-03-02T09:06:00Z","data":{"type":"incident_note","incident":{"id":"PD1"},"content":"looking"}}}`,
		`{"event":{"event_type":"pagey.ping"}}`,
	} {
		f.Add([]byte(s))
	}
	h := &Handler{cfg: Config{Services: map[string]string{"login": "auth"}}}
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := decode(body)
		if err != nil || !strings.HasPrefix(ev.EventType, "incident.") {
			return
		}
		inc := h.apply(earshot.Incident{}, ev, true)
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
		for _, u := range inc.Updates {
			if !utf8.ValidString(u.Body) || len(u.Body) > maxBody+8 {
				t.Errorf("update body of %d bytes, valid UTF-8 %v", len(u.Body), utf8.ValidString(u.Body))
			}
		}
	})
}
