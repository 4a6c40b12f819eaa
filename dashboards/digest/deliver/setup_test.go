package deliver

import (
	"errors"
	"strings"
	"testing"

	"github.com/earshot/earshot/internal/badinput"
)

func TestNamed(t *testing.T) {
	jobs := []*Job{{Config: Config{Name: "weekly"}}, {Config: Config{Name: "daily"}}}
	if j, err := Named(jobs, "daily"); err != nil || j != jobs[1] {
		t.Fatalf("Named(daily) = %v, %v", j, err)
	}
	_, err := Named(jobs, "monthly")
	if !errors.As(err, new(*badinput.Error)) || !strings.Contains(err.Error(), `no digest is named "monthly" (configured: weekly, daily)`) {
		t.Errorf("Named(monthly) err = %v", err)
	}
}
