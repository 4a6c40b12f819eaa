package main

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts"
	"github.com/earshot/earshot/alerts/notify"
	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/dashboards/metrics"
	"github.com/earshot/earshot/internal/config"
	"github.com/earshot/earshot/internal/engine"
)

// newEngine builds the engine serve runs live: detection on st, linking,
// and the alerting section's routing and receivers, whose secrets are
// resolved here (env:NAME, file:PATH). With no watch configured, every
// post belongs to one watch, "all", as in replay. reg, when not nil,
// counts the alerts and delivery attempts.
func newEngine(cfg config.Config, st earshot.Store, getenv func(string) string, log *slog.Logger, reg *metrics.Registry) (*engine.Engine, error) {
	alertStore := engine.AlertStoreOf(st)
	var deliveries notify.DeliveryRecorder = alertStore
	if reg != nil {
		deliveries = reg.Deliveries(alertStore)
	}
	receivers, err := cfg.Alerting.Notifiers(alerts.NotifierOptions{
		Resolve:    func(ref string) (string, error) { return collectors.Secret(ref).Resolve(getenv) },
		Deliveries: deliveries,
		Logger:     log.With("part", "notify"),
	})
	if err != nil {
		return nil, usageError{err}
	}
	var deliver earshot.Notifier = receivers
	if reg != nil {
		deliver = reg.Notifier(receivers)
	}
	ecfg := engine.Config{
		Store: st, Watches: cfg.Watches, Alerting: &cfg.Alerting, Alerts: alertStore, Deliver: deliver,
		Log: log.With("part", "engine"),
	}
	if len(cfg.Watches) == 0 {
		ecfg.AllWatch = allWatch
	}
	eng, err := engine.New(ecfg)
	if err != nil {
		return nil, usageError{err}
	}
	return eng, nil
}

// alertRoutes are the alert API's endpoints, by the path to serve each at.
func alertRoutes(eng *engine.Engine) map[string]http.Handler {
	h := engine.Handler(eng.Alerts(), eng.Dispatcher(), time.Now)
	return map[string]http.Handler{"/api/alerts": h, "/api/alerts/": h}
}
