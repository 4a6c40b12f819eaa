package app

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/dashboards/web"
	"github.com/earshot/earshot/inbound/publishapi"
	"github.com/earshot/earshot/internal/auth"
	"github.com/earshot/earshot/internal/config"
	"github.com/earshot/earshot/internal/netguard"
	"github.com/earshot/earshot/publish"
	_ "github.com/earshot/earshot/publish/all" // every publishing channel
)

// The publishing routes check the user or write token themselves.
func init() { writeRoutes = append(writeRoutes, publishapi.WriteRoutes...) }

// publishing makes the drafting and publishing service of cfg's
// publishing section: its API, mounted at publishapi.Routes, and what the
// publish page needs. Channels send through the guarded HTTP client
// unless their entry allows private networks.
func publishing(cfg config.Config, st earshot.Store, writeTokens []string, limit *auth.Limiter, getenv func(string) string, log *slog.Logger) (http.Handler, web.PublishOptions, error) {
	clients := netguard.NewClients(30 * time.Second)
	chans, err := publish.Open(cfg.Publishing, publish.Deps{Getenv: getenv}, clients.Get)
	if err != nil {
		return nil, web.PublishOptions{}, err
	}
	svc, err := publish.New(st, cfg.Publishing, publish.Options{Channels: chans, Watches: cfg.Watches, Log: log})
	if err != nil {
		return nil, web.PublishOptions{}, err
	}
	page := web.PublishOptions{Publications: st, Approval: svc.RequiresApproval()}
	for _, c := range svc.Channels() {
		page.Channels = append(page.Channels, web.PublishChannel{Name: c.Name, Limit: c.Limit, Unit: string(c.Unit), Kind: c.Kind})
	}
	return publishapi.New(svc, publishapi.Options{WriteTokens: writeTokens, Limit: limit, Log: log}), page, nil
}
