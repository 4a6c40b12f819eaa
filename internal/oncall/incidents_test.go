package oncall

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/inbound/incidentapi"
	"github.com/earshot/earshot/internal/badinput"
)

// TestNewIncidentRefusals: a refused field is a badinput.Error naming the
// flag that sets it.
func TestNewIncidentRefusals(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	if _, err := NewIncident(incidentapi.OpenRequest{Title: "Login failures", Services: []string{"login"}}, now); err != nil {
		t.Fatalf("a good request: %v", err)
	}
	for _, tt := range []struct {
		req  incidentapi.OpenRequest
		want string
	}{
		{incidentapi.OpenRequest{Title: "x", Severity: "bad"}, "--severity: "},
		{incidentapi.OpenRequest{Title: "x", Services: []string{""}}, "--services: "},
		{incidentapi.OpenRequest{Title: "x", StartedAt: now.Add(time.Hour)}, "--at: "},
	} {
		_, err := NewIncident(tt.req, now)
		var bad *badinput.Error
		if !errors.As(err, &bad) || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%+v: %v; want a badinput.Error starting %q", tt.req, err, tt.want)
		}
	}
}

func TestCell(t *testing.T) {
	if got := cell("a\nb\x1b[31m\u0085c"); got != "a b [31m c" {
		t.Errorf("cell = %q", got)
	}
}
