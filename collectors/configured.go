package collectors

import (
	"log/slog"
	"time"

	"github.com/earshot/earshot/internal/badinput"
	"github.com/earshot/earshot/internal/netguard"
)

// Entry is one collector's entry in the configuration.
type Entry struct {
	Type, Name string
	Options    Decoder
	Interval   time.Duration
	// AllowPrivateNetworks lets its client reach loopback and private
	// addresses (a self-hosted source).
	AllowPrivateNetworks bool
	// Watches scopes an incident source's incidents (see Configured).
	Watches []string
}

// Configured is a collector built from its entry, with how often it runs
// and, for an incident source, the watches its incidents explain.
type Configured[C any] struct {
	C        C
	Kind     string
	Interval time.Duration
	Watches  []string
}

// BuildAll builds each entry of the list at key with build (New or
// NewIncidents) without touching the network, so a configuration mistake
// is reported at once: an error names the entry (key[i]) and is a
// *badinput.Error. Entries share the clients that guard private networks.
func BuildAll[C any](key string, entries []Entry, build func(kind, name string, raw Decoder, deps Deps) (C, error), log *slog.Logger, userAgent string) ([]Configured[C], error) {
	clients := netguard.NewClients(60 * time.Second)
	var out []Configured[C]
	for i, cc := range entries {
		c, err := build(cc.Type, cc.Name, cc.Options, Deps{HTTP: clients.Get(cc.AllowPrivateNetworks), Log: log, UserAgent: userAgent})
		if err != nil {
			return nil, badinput.Errorf("%s[%d]: %v", key, i, err)
		}
		out = append(out, Configured[C]{c, cc.Type, cc.Interval, cc.Watches})
	}
	return out, nil
}
