package metrics

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/earshot/earshot"
)

// Registry holds every metric /metrics serves, with the Prometheus client
// library: the snapshot's collector health, pipeline counters and open
// spikes (read at each scrape), counters of alerts, deliveries, digests
// and retention runs (counted as they happen), and the Go runtime's and
// process's metrics.
//
// A part with a gauge of its own (a spool's depth, say) adds it with
// GaugeFunc or Register.
type Registry struct {
	reg *prometheus.Registry

	alerts     *prometheus.CounterVec
	deliveries *prometheus.CounterVec
	digests    *prometheus.CounterVec
	digestLast *prometheus.GaugeVec
	retention  *prometheus.CounterVec
}

// snapshotTimeout bounds how long one scrape waits for the snapshot.
const snapshotTimeout = 5 * time.Second

// New returns a registry whose snapshot metrics come from snapshot, called
// once per scrape. When it fails, earshot_store_up is 0 and what it
// returned anyway is served.
func New(snapshot func(ctx context.Context) (Snapshot, error)) *Registry {
	r := &Registry{
		reg: prometheus.NewRegistry(),
		alerts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "earshot_alerts_notified_total",
			Help: "Alerts handed to a receiver, by receiver, alert kind and severity.",
		}, []string{"receiver", "kind", "severity"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "earshot_delivery_attempts_total",
			Help: "Attempts to deliver a notification or digest, by receiver and outcome (ok, failed).",
		}, []string{"receiver", "outcome"}),
		digests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "earshot_digests_total",
			Help: "Scheduled digests sent, by digest and outcome (ok: every recipient got it; failed).",
		}, []string{"digest", "outcome"}),
		digestLast: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "earshot_digest_last_success_timestamp_seconds",
			Help: "When the digest last reached every recipient.",
		}, []string{"digest"}),
		retention: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "earshot_retention_runs_total",
			Help: "Runs of the store's retention (dropping expired posts and rollups), by outcome (ok, failed).",
		}, []string{"outcome"}),
	}
	r.reg.MustRegister(r.alerts, r.deliveries, r.digests, r.digestLast, r.retention,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&snapshotCollector{snapshot: snapshot})
	return r
}

// Handler serves the registry in the Prometheus exposition format.
func (r *Registry) Handler() http.Handler {
	return promhttp.HandlerFor(r.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// Register adds a collector of another part.
func (r *Registry) Register(c prometheus.Collector) error { return r.reg.Register(c) }

// GaugeFunc adds a gauge whose value f returns at each scrape.
func (r *Registry) GaugeFunc(name, help string, f func() float64) error {
	return r.reg.Register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f))
}

// ObserveDigest counts one digest sent (ok) or not.
func (r *Registry) ObserveDigest(name string, ok bool) {
	r.digests.WithLabelValues(name, outcome(ok)).Inc()
	if ok {
		r.digestLast.WithLabelValues(name).SetToCurrentTime()
	}
}

// ObserveRetention counts one run of the store's retention, ok or failed.
func (r *Registry) ObserveRetention(ok bool) {
	r.retention.WithLabelValues(outcome(ok)).Inc()
}

func outcome(ok bool) string {
	if ok {
		return "ok"
	}
	return "failed"
}

// DeliveryRecorder records deliveries as next does and counts each
// attempt; next may be nil.
type DeliveryRecorder interface {
	SaveDelivery(ctx context.Context, d earshot.Delivery) error
}

type countingRecorder struct {
	next DeliveryRecorder
	r    *Registry
}

func (c countingRecorder) SaveDelivery(ctx context.Context, d earshot.Delivery) error {
	c.r.deliveries.WithLabelValues(d.Receiver, outcome(d.OK)).Inc()
	if c.next == nil {
		return nil
	}
	return c.next.SaveDelivery(ctx, d)
}

// Deliveries wraps next so that every delivery attempt recorded is counted.
func (r *Registry) Deliveries(next DeliveryRecorder) DeliveryRecorder {
	return countingRecorder{next: next, r: r}
}

type countingNotifier struct {
	next earshot.Notifier
	r    *Registry
}

func (c countingNotifier) Notify(ctx context.Context, n earshot.Notification) (bool, error) {
	for _, a := range n.Alerts {
		c.r.alerts.WithLabelValues(n.Receiver, string(a.Kind), a.Severity).Inc()
	}
	return c.next.Notify(ctx, n)
}

// Notifier wraps next so that every alert handed to it is counted.
func (r *Registry) Notifier(next earshot.Notifier) earshot.Notifier {
	return countingNotifier{next: next, r: r}
}

// snapshotCollector turns a Snapshot into metrics at each scrape.
type snapshotCollector struct {
	snapshot func(ctx context.Context) (Snapshot, error)
}

var (
	collectorLabels = []string{"collector", "kind"}
	descs           = struct {
		lastSuccess, lastRun, failures, backoff, postsHour, openGaps *prometheus.Desc
		posts, received, pending, spikes, storeUp                    *prometheus.Desc
		replayed, spoolRecords, spoolBytes, spoolMax, spoolAge       *prometheus.Desc
		spoolTorn, spoolFull                                         *prometheus.Desc
	}{
		lastSuccess:  prometheus.NewDesc("earshot_collector_last_success_timestamp_seconds", "When the collector last ran without error (0: never).", collectorLabels, nil),
		lastRun:      prometheus.NewDesc("earshot_collector_last_run_timestamp_seconds", "When the collector last ran.", collectorLabels, nil),
		failures:     prometheus.NewDesc("earshot_collector_consecutive_failures", "Runs failed in a row (0: healthy).", collectorLabels, nil),
		backoff:      prometheus.NewDesc("earshot_collector_backoff_seconds", "How long the collector waits before retrying.", collectorLabels, nil),
		postsHour:    prometheus.NewDesc("earshot_collector_posts_last_hour", "Posts collected in the last hour.", collectorLabels, nil),
		openGaps:     prometheus.NewDesc("earshot_collector_open_gaps", "Stretches of time the collector may have missed and not yet filled.", collectorLabels, nil),
		posts:        prometheus.NewDesc("earshot_pipeline_posts_total", "Posts the pipeline handled, by outcome.", []string{"outcome"}, nil),
		received:     prometheus.NewDesc("earshot_pipeline_received_total", "Posts given to the pipeline.", nil, nil),
		pending:      prometheus.NewDesc("earshot_pipeline_pending", "Posts waiting to be stored.", nil, nil),
		spikes:       prometheus.NewDesc("earshot_spikes_open", "Spikes going on now, by watch (all: over every post).", []string{"watch"}, nil),
		storeUp:      prometheus.NewDesc("earshot_store_up", "1 when the store answered the scrape's queries, 0 when it did not.", nil, nil),
		replayed:     prometheus.NewDesc("earshot_pipeline_replayed_total", "Posts taken back from the spool at start.", nil, nil),
		spoolRecords: prometheus.NewDesc("earshot_spool_records", "Batches in the spool not yet stored (depth).", nil, nil),
		spoolBytes:   prometheus.NewDesc("earshot_spool_bytes", "Size of the spool on disk.", nil, nil),
		spoolMax:     prometheus.NewDesc("earshot_spool_max_bytes", "Bound on the spool's size (spool.max_bytes).", nil, nil),
		spoolAge:     prometheus.NewDesc("earshot_spool_oldest_age_seconds", "Age of the oldest batch not yet stored (0: none).", nil, nil),
		spoolTorn:    prometheus.NewDesc("earshot_spool_torn_tails_total", "Damaged records cut off the spool when it was opened.", nil, nil),
		spoolFull:    prometheus.NewDesc("earshot_spool_full_total", "Writes refused because the spool was full.", nil, nil),
	}
)

func (c *snapshotCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descs.lastSuccess, descs.lastRun, descs.failures, descs.backoff, descs.postsHour,
		descs.openGaps, descs.posts, descs.received, descs.pending, descs.spikes, descs.storeUp,
		descs.replayed, descs.spoolRecords, descs.spoolBytes, descs.spoolMax, descs.spoolAge, descs.spoolTorn, descs.spoolFull} {
		ch <- d
	}
}

func (c *snapshotCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), snapshotTimeout)
	defer cancel()
	s, err := c.snapshot(ctx)
	up := 1.0
	if err != nil {
		up = 0
	}
	ch <- prometheus.MustNewConstMetric(descs.storeUp, prometheus.GaugeValue, up)
	unix := func(t time.Time) float64 {
		if t.IsZero() {
			return 0
		}
		return float64(t.UnixNano()) / 1e9
	}
	open := map[string]int{}
	for _, g := range s.Gaps {
		if g.Open() {
			open[g.Collector]++
		}
	}
	seen := map[string]bool{}
	for _, h := range s.Collectors {
		if seen[h.Collector] {
			continue // one series per collector
		}
		seen[h.Collector] = true
		l := []string{h.Collector, h.Kind}
		gauge := func(d *prometheus.Desc, v float64) {
			ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, l...)
		}
		gauge(descs.lastSuccess, unix(h.LastSuccess))
		gauge(descs.lastRun, unix(h.LastRun))
		gauge(descs.failures, float64(h.Failures))
		gauge(descs.backoff, h.Backoff.Seconds())
		gauge(descs.postsHour, float64(h.PostsLastHour))
		gauge(descs.openGaps, float64(open[h.Collector]))
	}
	p := s.Pipeline
	for _, o := range []struct {
		name string
		n    int64
	}{{"stored", p.Stored}, {"duplicate", p.Duplicates}, {"rejected", p.Rejected}, {"unmatched", p.Unmatched}, {"dropped", p.Dropped}, {"refused", p.Refused}} {
		ch <- prometheus.MustNewConstMetric(descs.posts, prometheus.CounterValue, float64(o.n), o.name)
	}
	ch <- prometheus.MustNewConstMetric(descs.received, prometheus.CounterValue, float64(p.Received))
	ch <- prometheus.MustNewConstMetric(descs.pending, prometheus.GaugeValue, float64(p.Pending))
	for watch, n := range s.OpenSpikes {
		ch <- prometheus.MustNewConstMetric(descs.spikes, prometheus.GaugeValue, float64(n), watch)
	}
	if s.Spool == nil {
		return
	}
	sp, at := *s.Spool, s.At
	if at.IsZero() {
		at = time.Now()
	}
	age := 0.0
	if !sp.Oldest.IsZero() {
		age = max(0, at.Sub(sp.Oldest).Seconds())
	}
	ch <- prometheus.MustNewConstMetric(descs.replayed, prometheus.CounterValue, float64(p.Replayed))
	ch <- prometheus.MustNewConstMetric(descs.spoolRecords, prometheus.GaugeValue, float64(sp.Records))
	ch <- prometheus.MustNewConstMetric(descs.spoolBytes, prometheus.GaugeValue, float64(sp.Bytes))
	ch <- prometheus.MustNewConstMetric(descs.spoolMax, prometheus.GaugeValue, float64(sp.MaxBytes))
	ch <- prometheus.MustNewConstMetric(descs.spoolAge, prometheus.GaugeValue, age)
	ch <- prometheus.MustNewConstMetric(descs.spoolTorn, prometheus.CounterValue, float64(sp.TornTails))
	ch <- prometheus.MustNewConstMetric(descs.spoolFull, prometheus.CounterValue, float64(sp.Full))
}
