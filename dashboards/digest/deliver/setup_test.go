package deliver

import (
	"errors"
	"strings"
	"testing"

	"github.com/earshot/earshot"
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

func TestWriteSent(t *testing.T) {
	var b strings.Builder
	WriteSent(&b, []earshot.SentDigest{
		{ID: "d1", OK: true, Recipients: []string{"a@example.com", "b@example.com"}, Subject: "Weekly"},
		{ID: "d2", Recipients: []string{"#comms"}, Subject: "Daily"},
	})
	want := "d1: sent to a@example.com, b@example.com (Weekly)\nd2: not delivered to every recipient to #comms (Daily)\n"
	if b.String() != want {
		t.Errorf("WriteSent wrote %q, want %q", b.String(), want)
	}
}
