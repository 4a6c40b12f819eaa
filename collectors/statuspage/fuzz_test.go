package statuspage

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/earshot/earshot/collectors"
)

// FuzzIncidents decodes arbitrary bodies as the incidents API's answer and
// maps every incident: no body may panic, and every incident kept has an
// ID, a known status and valid UTF-8.
func FuzzIncidents(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	c, err := NewCollector("fuzz", Config{Page: "https://status.acme.test/", Limits: collectors.Limits{MaxBytes: 1 << 20, Timeout: 5e9},
		Components: map[string]string{"API": "api"}}, collectors.Deps{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var doc incidentsDoc
		if json.Unmarshal(body, &doc) != nil {
			return
		}
		var comps componentsDoc
		_ = json.Unmarshal(body, &comps)
		names := map[string]string{}
		for _, comp := range comps.Components {
			names[comp.ID] = comp.Name
		}
		for _, in := range doc.Incidents {
			inc, ok := c.incident(in, names)
			if !ok {
				continue
			}
			if inc.ID == "" || !inc.Status.Valid() {
				t.Errorf("incident without an ID or with status %q: %+v", inc.Status, inc)
			}
			for _, s := range []string{inc.ID, inc.Title, inc.URL} {
				if !utf8.ValidString(s) {
					t.Errorf("incident %q: invalid UTF-8 in %q", inc.ID, s)
				}
			}
		}
	})
}
