package live

import (
	"testing"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/memstore"
)

// TestPublicationsOf: under the publishing wrapper New makes, the wrapped
// store's publications are found.
func TestPublicationsOf(t *testing.T) {
	ms := memstore.New()
	hub, st := New(ms, Options{})
	defer hub.Close()
	var want earshot.PublicationStore = ms
	if got := PublicationsOf(st); got != want {
		t.Errorf("PublicationsOf(the wrapper) = %v, want the wrapped store", got)
	}
	if got := PublicationsOf(ms); got != want {
		t.Errorf("PublicationsOf(the store) = %v", got)
	}
}
