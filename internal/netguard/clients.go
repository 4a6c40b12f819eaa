package netguard

import (
	"net/http"
	"time"
)

// Clients are the two HTTP clients the collectors and incident pollers of
// one configuration share: the guarded one, refusing private addresses at
// dial time, and the one for entries with allow_private_networks: true.
type Clients struct{ guarded, open *http.Client }

// NewClients makes the two clients, each with the given timeout.
func NewClients(timeout time.Duration) Clients {
	return Clients{guarded: Client(false, timeout), open: Client(true, timeout)}
}

// Get returns the client for an entry that allows private networks or not.
func (c Clients) Get(allowPrivate bool) *http.Client {
	if allowPrivate {
		return c.open
	}
	return c.guarded
}
