package bench

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/dashboards/web"
)

// Query is one dashboard query's timings on one store.
type Query struct {
	Store string  `json:"store"`
	Query string  `json:"query"`
	Runs  int     `json:"runs"`
	P50   float64 `json:"p50_ms"`
	P95   float64 `json:"p95_ms"`
}

// TimeDashboard times the comms dashboard's requests over span ending at
// end, served in process from st, runs times each.
func TimeDashboard(ctx context.Context, st earshot.Store, end time.Time, span time.Duration, runs int) ([]Query, error) {
	srv := web.New(st, web.Options{Now: func() time.Time { return end }, DefaultRange: 30 * 24 * time.Hour})
	from, to := end.Add(-span).Format(time.RFC3339), end.Format(time.RFC3339)
	targets := []struct{ name, path string }{
		{"page /?range=30d", "/?range=30d"},
		{"/api/series bucket=1h", "/api/series?bucket=1h&from=" + from + "&to=" + to},
		{"/api/series by source", "/api/series?bucket=1h&group=source&from=" + from + "&to=" + to},
		{"/api/posts/negative", "/api/posts/negative?from=" + from + "&to=" + to},
	}
	var out []Query
	for _, tg := range targets {
		took := make([]float64, 0, runs)
		for range runs {
			if err := ctx.Err(); err != nil {
				return out, err
			}
			req := httptest.NewRequestWithContext(ctx, http.MethodGet, tg.path, nil)
			rec := httptest.NewRecorder()
			start := time.Now()
			srv.ServeHTTP(rec, req)
			took = append(took, float64(time.Since(start).Microseconds())/1000)
			if rec.Code != http.StatusOK {
				return out, fmt.Errorf("%s: HTTP %d: %s", tg.path, rec.Code, strings.TrimSpace(rec.Body.String()))
			}
		}
		sort.Float64s(took)
		out = append(out, Query{Query: tg.name, Runs: runs, P50: quantile(took, 0.5), P95: quantile(took, 0.95)})
	}
	// The store calls the page makes, one by one: where its time goes.
	sq := earshot.SeriesQuery{From: end.Add(-span), To: end, Bucket: time.Hour}
	daily := sq
	daily.Bucket, daily.GroupBy = 24*time.Hour, earshot.GroupSource
	calls := []struct {
		name string
		call func() error
	}{
		{"store: Series 1h", func() error { _, err := st.Series(ctx, sq); return err }},
		{"store: Series by source 1d", func() error { _, err := st.Series(ctx, daily); return err }},
		{"store: Incidents", func() error { _, err := st.Incidents(ctx, sq.From, sq.To); return err }},
		{"store: Spikes", func() error { _, err := st.Spikes(ctx, sq.From, sq.To); return err }},
		{"store: TopNegative 200", func() error {
			_, err := st.TopNegative(ctx, earshot.PostQuery{From: sq.From, To: sq.To, Limit: 200})
			return err
		}},
		{"store: CountPosts", func() error { _, err := st.CountPosts(ctx, earshot.PostQuery{From: sq.From, To: sq.To}); return err }},
	}
	for _, c := range calls {
		took := make([]float64, 0, runs)
		for range runs {
			start := time.Now()
			if err := c.call(); err != nil {
				return out, fmt.Errorf("%s: %w", c.name, err)
			}
			took = append(took, float64(time.Since(start).Microseconds())/1000)
		}
		sort.Float64s(took)
		out = append(out, Query{Query: c.name, Runs: runs, P50: quantile(took, 0.5), P95: quantile(took, 0.95)})
	}
	return out, nil
}

// quantile returns the q-quantile of sorted xs (nearest rank).
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(xs)))) - 1
	return xs[max(0, min(len(xs)-1, i))]
}
