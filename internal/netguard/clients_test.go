package netguard

import (
	"testing"
	"time"
)

func TestClients(t *testing.T) {
	c := NewClients(time.Second)
	if c.Get(false) == c.Get(true) || c.Get(false) != c.Get(false) {
		t.Error("want one guarded client and one open client, each reused")
	}
}
