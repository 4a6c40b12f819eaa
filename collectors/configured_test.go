package collectors_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/internal/badinput"
)

// TestBuildAll: every entry built with its kind, interval and watches; the
// first bad one fails the lot with an error naming it.
func TestBuildAll(t *testing.T) {
	entries := []collectors.Entry{
		{Type: "fake_status", Name: "a", Interval: time.Minute, Watches: []string{"acme"}},
		{Type: "fake_status", Name: "b"},
	}
	got, err := collectors.BuildAll("incidents", entries, collectors.NewIncidents, nil, "earshot/test")
	if err != nil || len(got) != 2 {
		t.Fatalf("Build = %v, %v", got, err)
	}
	if g := got[0]; g.C.Name() != "a" || g.Kind != "fake_status" || g.Interval != time.Minute || len(g.Watches) != 1 {
		t.Errorf("first built = %+v", g)
	}
	entries = append(entries, collectors.Entry{Type: "nosuch", Name: "c"})
	_, err = collectors.BuildAll("incidents", entries, collectors.NewIncidents, nil, "earshot/test")
	if !errors.As(err, new(*badinput.Error)) || !strings.HasPrefix(err.Error(), "incidents[2]: ") {
		t.Errorf("a bad entry: %v", err)
	}
}
