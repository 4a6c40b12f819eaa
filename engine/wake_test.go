package engine

import (
	"context"
	"testing"
	"time"

	"github.com/earshot/earshot/store/duckdb"
)

// TestWake checks that Wake makes Run step at once rather than at its next
// tick (an hour away here), and that a burst of wakes makes few steps.
func TestWake(t *testing.T) {
	st, err := duckdb.Open(t.Context(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e, err := New(Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { e.Run(ctx, time.Hour); close(done) }()
	defer func() { cancel(); <-done }()

	waitSteps := func(n int64) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for e.Stats().Steps < n {
			if time.Now().After(deadline) {
				t.Fatalf("%d steps, want %d: Wake did not make Run step", e.Stats().Steps, n)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitSteps(1) // the first step comes at once
	for range 50 {
		e.Wake()
	}
	waitSteps(2)
	// Fifty wakes at once are one or two steps, not fifty.
	time.Sleep(2 * wakeGap)
	if n := e.Stats().Steps; n > 3 {
		t.Errorf("a burst of 50 wakes made %d steps", n)
	}
}
