package collectors

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestAPIWaiting(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	a := NewAPI("page", struct{}{}, Deps{}, "https://graph.example/v21.0")
	if err := a.Waiting(now); err != nil {
		t.Fatalf("before any backoff: %v", err)
	}
	a.Backoff.Until(now.Add(time.Minute))
	var ra *RetryAfterError
	if err := a.Waiting(now); !errors.As(err, &ra) || ra.Wait != time.Minute || ra.Source != a.Root {
		t.Errorf("while backing off: %v; want a RetryAfterError of 1m from the root", err)
	}
	if err := a.Waiting(now.Add(time.Minute)); err != nil {
		t.Errorf("once the wait is over: %v", err)
	}
}

func TestOwnAccounts(t *testing.T) {
	if got := OwnAccounts(nil, "123"); !slices.Equal(got, []string{"123"}) {
		t.Errorf("none configured: %v", got)
	}
	if got := OwnAccounts([]string{"7", "8"}, "123"); !slices.Equal(got, []string{"7", "8"}) {
		t.Errorf("configured: %v", got)
	}
}
