package metrics

import (
	"context"
	"net/http"
	"time"
)

// Probes serves /healthz (200 while the process serves) and /readyz (200
// when Ready returns nil within Timeout, 503 otherwise), for load
// balancers and orchestrators. Neither says why in its body: the log does.
type Probes struct {
	// Ready checks the store; nil means always ready.
	Ready func(ctx context.Context) error
	// Timeout bounds Ready; 0 means 2s.
	Timeout time.Duration
}

func (p Probes) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "use GET", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	switch r.URL.Path {
	case "/healthz":
		w.Write([]byte("ok\n"))
	case "/readyz":
		if p.Ready != nil {
			timeout := p.Timeout
			if timeout <= 0 {
				timeout = 2 * time.Second
			}
			ctx, cancel := context.WithTimeout(r.Context(), timeout)
			defer cancel()
			if err := p.Ready(ctx); err != nil {
				http.Error(w, "not ready: the store does not answer", http.StatusServiceUnavailable)
				return
			}
		}
		w.Write([]byte("ready\n"))
	default:
		http.NotFound(w, r)
	}
}
