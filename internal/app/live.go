package app

import (
	"github.com/earshot/earshot"
	"github.com/earshot/earshot/analysis/recovery"
	"github.com/earshot/earshot/dashboards/live"
	"github.com/earshot/earshot/internal/config"
)

// postCountsEvery is how often the posts stored are counted into one
// live event.
const postCountsEvery = 5e9 // 5s

// newLive returns the hub of live events and st publishing to it.
func newLive(c config.WarRoom, st earshot.Store) (*live.Hub, *live.Store) {
	hub := live.NewHub(live.Options{Buffer: c.Buffer, MaxClients: c.MaxClients, Heartbeat: c.Heartbeat})
	return hub, live.Wrap(st, hub)
}

// unwrap returns the store under a publishing wrapper, whose type tells
// which optional interfaces it implements.
func unwrap(st earshot.Store) earshot.Store {
	if u, ok := st.(interface{ Unwrap() earshot.Store }); ok {
		return u.Unwrap()
	}
	return st
}

// publicationsOf returns st's publications, nil when it keeps none.
func publicationsOf(st earshot.Store) earshot.PublicationStore {
	ps, _ := unwrap(st).(earshot.PublicationStore)
	return ps
}

// QuietAdvisor recommends quiet periods from st's data, tuned by c.
func QuietAdvisor(c config.QuietPeriod, st earshot.Store) earshot.QuietAdvisor {
	return recovery.Advisor{Source: st, Config: recovery.Config{
		Baseline: c.Baseline, Margin: c.Margin, MaxOpenFollowUps: c.MaxOpenFollowUps, Settle: c.Settle,
	}}
}
