package collectors_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
)

type fakeIncidents struct{ name string }

func (f fakeIncidents) Name() string { return f.name }

func (fakeIncidents) CollectIncidents(context.Context, string) ([]earshot.Incident, string, error) {
	return nil, "", nil
}

func init() {
	collectors.RegisterIncidents("fake_status", func(name string, _ collectors.Decoder, _ collectors.Deps) (earshot.IncidentCollector, error) {
		return fakeIncidents{name}, nil
	})
}

// TestOneRegistry: post and incident collectors share one registry, each
// kind found only by its own constructor, and a kind is registered once.
func TestOneRegistry(t *testing.T) {
	if !slices.Contains(collectors.IncidentKinds(), "fake_status") || slices.Contains(collectors.Kinds(), "fake_status") {
		t.Errorf("Kinds() = %v, IncidentKinds() = %v; want fake_status among incident kinds only", collectors.Kinds(), collectors.IncidentKinds())
	}
	if slices.Contains(collectors.IncidentKinds(), "fake") {
		t.Errorf("IncidentKinds() = %v, has the post kind fake", collectors.IncidentKinds())
	}
	if c, err := collectors.NewIncidents("fake_status", "s", nil, collectors.Deps{}); err != nil || c.Name() != "s" {
		t.Errorf("NewIncidents = %v, %v", c, err)
	}
	if _, err := collectors.New("fake_status", "s", nil, collectors.Deps{}); err == nil || !strings.Contains(err.Error(), `unknown collector kind "fake_status"`) {
		t.Errorf("New(an incident kind) = %v", err)
	}
	if _, err := collectors.NewIncidents("fake", "f", nil, collectors.Deps{}); err == nil || !strings.Contains(err.Error(), `unknown incident collector kind "fake"`) {
		t.Errorf("NewIncidents(a post kind) = %v", err)
	}
	if _, err := collectors.NewIncidents("fake_status", " ", nil, collectors.Deps{}); err == nil || !strings.Contains(err.Error(), "needs a name") {
		t.Errorf("NewIncidents(no name) = %v", err)
	}
	defer func() {
		if recover() == nil {
			t.Error("Register of a kind registered for incidents did not panic")
		}
	}()
	collectors.Register("fake_status", newFake)
}
