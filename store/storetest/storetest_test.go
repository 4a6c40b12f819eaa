package storetest

import (
	"testing"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/memstore"
)

func TestSuiteSkip(t *testing.T) {
	made := 0
	skip := Cases()[1:]
	Suite{
		New:  func(t *testing.T) earshot.Store { made++; return memstore.New() },
		Skip: skip,
	}.Run(t)
	if made != 1 {
		t.Errorf("with all but one case skipped, New ran %d times, want 1", made)
	}
}
