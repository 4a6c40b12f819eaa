package followup

import (
	"errors"
	"testing"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/badinput"
	"github.com/earshot/earshot/store/memstore"
)

func TestOver(t *testing.T) {
	st := memstore.New()
	if _, err := Over(st, DefaultConfig(), Options{}); err != nil {
		t.Fatalf("Over with the defaults: %v", err)
	}
	cfg := DefaultConfig()
	cfg.Window = 0
	if _, err := Over(st, cfg, Options{}); !errors.As(err, new(*badinput.Error)) {
		t.Errorf("Over with a zero window: %v, want a *badinput.Error", err)
	}
}

// TestDryRun: a follow-up saved through DryRun does not reach the store.
func TestDryRun(t *testing.T) {
	st := memstore.New()
	dry, ok := DryRun(st).(Store)
	if !ok {
		t.Fatal("DryRun's store cannot be flagged over")
	}
	if err := dry.SaveFollowUp(t.Context(), earshot.FollowUp{ID: "f1", State: earshot.FollowUpOpen}); err != nil {
		t.Fatal(err)
	}
	if fus, err := st.FollowUps(t.Context()); err != nil || len(fus) != 0 {
		t.Errorf("the store holds %d follow-ups after a dry run (%v)", len(fus), err)
	}
}
