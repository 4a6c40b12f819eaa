package app

import (
	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/recovery"
	"github.com/earshot/earshot/dashboards/live"
	"github.com/earshot/earshot/internal/config"
)

// newLive returns the hub of live events and st publishing to it.
func newLive(c config.WarRoom, st earshot.Store) (*live.Hub, *live.Store) {
	return live.New(st, live.Options{Buffer: c.Buffer, MaxClients: c.MaxClients, Heartbeat: c.Heartbeat})
}

// QuietAdvisor recommends quiet periods from st's data, tuned by c.
func QuietAdvisor(c config.QuietPeriod, st earshot.Store) earshot.QuietAdvisor {
	return recovery.Advisor{Source: st, Config: recovery.Config{
		Baseline: c.Baseline, Margin: c.Margin, MaxOpenFollowUps: c.MaxOpenFollowUps, Settle: c.Settle,
	}}
}
