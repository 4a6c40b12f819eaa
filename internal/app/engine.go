package app

import (
	"log/slog"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts"
	"github.com/earshot/earshot/alerts/notify"
	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/dashboards/live"
	"github.com/earshot/earshot/dashboards/metrics"
	"github.com/earshot/earshot/engine"
	"github.com/earshot/earshot/engine/replay"
	"github.com/earshot/earshot/internal/badinput"
	"github.com/earshot/earshot/internal/config"
)

// newEngine builds the engine serve runs live: detection on st, linking,
// and the alerting section's routing and receivers, whose secrets are
// resolved here (env:NAME, file:PATH). With no watch configured, every
// post belongs to one watch, "all", as in replay. reg, when not nil,
// counts the alerts and delivery attempts.
func newEngine(cfg config.Config, st earshot.Store, getenv func(string) string, log *slog.Logger, reg *metrics.Registry) (*engine.Engine, error) {
	var alertStore earshot.AlertStore = st
	var deliveries notify.DeliveryRecorder = alertStore
	if reg != nil {
		deliveries = reg.Deliveries(alertStore)
	}
	receivers, err := cfg.Alerting.Notifiers(alerts.NotifierOptions{
		Resolve:    func(ref string) (string, error) { return collectors.Secret(ref).Resolve(getenv) },
		Deliveries: deliveries,
		Logger:     log.With("part", "notify"),
		Threads:    threadStoreOf(st),
	})
	if err != nil {
		return nil, &badinput.Error{Err: err}
	}
	var deliver earshot.Notifier = receivers
	if reg != nil {
		deliver = reg.Notifier(receivers)
	}
	ecfg := engine.Config{
		Store: st, Watches: cfg.Watches, Alerting: &cfg.Alerting, Alerts: alertStore, Deliver: deliver,
		Log:       log.With("part", "engine"),
		GoingDark: cfg.WarRoom.GoingDark, Publications: live.PublicationsOf(st),
	}
	if len(cfg.Watches) == 0 {
		ecfg.AllWatch = replay.AllWatch
	}
	eng, err := engine.New(ecfg)
	if err != nil {
		return nil, &badinput.Error{Err: err}
	}
	return eng, nil
}

// watchNames are the watches' names.
func watchNames(ws []earshot.Watch) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Name
	}
	return out
}

// silenceStoreOf is st as a SilenceStore, or nil.
func silenceStoreOf(st any) earshot.SilenceStore {
	ss, _ := st.(earshot.SilenceStore)
	return ss
}

// threadStoreOf is st as a ThreadStore, or nil (threads then kept in
// memory).
func threadStoreOf(st any) earshot.ThreadStore {
	ts, _ := st.(earshot.ThreadStore)
	return ts
}
