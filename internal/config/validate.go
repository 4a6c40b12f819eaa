package config

import (
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/dashboards/digest/deliver"
	"github.com/earshot/earshot/internal/redact"
)

// Validate reports the first problem found, naming its key.
func (c Config) Validate() error {
	var p problems
	c.validateBasics(&p)
	c.validateWatches(&p)
	c.validatePipeline(&p)
	c.validateSentiment(&p)
	c.validateCollectors(&p)
	c.validateInbound(&p)
	p.add(c.Alerting.Validate())
	p.add(c.Followups.Validate())
	p.add(deliver.Validate("digests", c.Digests))
	c.validateWeb(&p)
	p.add(c.Ingest.Validate())
	c.validateServer(&p)
	return errors.Join(p...)
}

// problems collects what Validate finds, in the order it looks.
type problems []error

// bad records a problem with the value at key.
func (p *problems) bad(key, format string, args ...any) {
	*p = append(*p, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
}

// add records err, if any, as it is (it names its own key).
func (p *problems) add(err error) {
	if err != nil {
		*p = append(*p, err)
	}
}

// noEmptySecrets flags the empty entries of the list of secrets at key.
func (p *problems) noEmptySecrets(key string, secrets []collectors.Secret) {
	for i, t := range secrets {
		if strings.TrimSpace(string(t)) == "" {
			p.bad(fmt.Sprintf("%s[%d]", key, i), "is empty")
		}
	}
}

// validateBasics checks the store, the listen address and the log level.
func (c Config) validateBasics(p *problems) {
	switch {
	case c.Store == "":
		p.bad("store", "is empty; use duckdb:///path/earshot.duckdb or clickhouse://host:9000/earshot")
	case !strings.HasPrefix(c.Store, "duckdb://") && !strings.HasPrefix(c.Store, "clickhouse://"):
		p.bad("store", "%q is not a duckdb:// or clickhouse:// address", redact.DSN(c.Store))
	}
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		p.bad("listen", "%q is not host:port", c.Listen)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		p.bad("log_level", "%q is not one of debug, info, warn, error", c.LogLevel)
	}
}

// validateWatches checks that every watch has a unique name and can match.
func (c Config) validateWatches(p *problems) {
	names := map[string]bool{}
	for i, w := range c.Watches {
		key := fmt.Sprintf("watches[%d]", i)
		switch {
		case w.Name == "":
			p.bad(key+".name", "is empty")
		case names[w.Name]:
			p.bad(key+".name", "%q is used twice", w.Name)
		}
		names[w.Name] = true
		if len(w.Terms)+len(w.Keywords)+len(w.Handles) == 0 {
			p.bad(key, "watch %q has no terms, keywords or handles, so it can match nothing", w.Name)
		}
	}
}

// validatePipeline checks the pipeline, spool and shutdown settings.
func (c Config) validatePipeline(p *problems) {
	if c.Pipeline.BatchSize < 1 || c.Pipeline.BatchSize > 100_000 {
		p.bad("pipeline.batch_size", "%d is not between 1 and 100000", c.Pipeline.BatchSize)
	}
	if c.Pipeline.FlushInterval < 10*time.Millisecond {
		p.bad("pipeline.flush_interval", "%s is too short (at least 10ms)", c.Pipeline.FlushInterval)
	}
	if c.Pipeline.MaxTextBytes < 256 {
		p.bad("pipeline.max_text_bytes", "%d is too small (at least 256)", c.Pipeline.MaxTextBytes)
	}
	if c.Pipeline.Unmatched != "keep" && c.Pipeline.Unmatched != "drop" {
		p.bad("pipeline.unmatched", "%q is not keep or drop", c.Pipeline.Unmatched)
	}
	if c.Spool.MaxBytes < 1<<20 {
		p.bad("spool.max_bytes", "%d is too small (at least 1048576, 1 MiB)", c.Spool.MaxBytes)
	}
	if c.ShutdownTimeout < time.Second || c.ShutdownTimeout > 10*time.Minute {
		p.bad("shutdown_timeout", "%s is not between 1s and 10m", c.ShutdownTimeout)
	}
}

// validateSentiment checks the scorer choice and a remote scorer's settings.
func (c Config) validateSentiment(p *problems) {
	switch c.Sentiment.Scorer {
	case "local":
	case "remote":
		if err := c.Sentiment.Remote.Validate(); err != nil {
			p.bad("sentiment.remote", "%v", err)
		}
	default:
		p.bad("sentiment.scorer", "%q is not local or remote", c.Sentiment.Scorer)
	}
}

// validateCollectors checks the post and incident collectors: a type, a
// name unique among both (cursors are kept by name), a sane interval.
func (c Config) validateCollectors(p *problems) {
	if c.CollectorConcurrency < 1 || c.CollectorConcurrency > 64 {
		p.bad("collector_concurrency", "%d is not between 1 and 64", c.CollectorConcurrency)
	}
	names := map[string]bool{}
	for i, col := range c.Collectors {
		key := fmt.Sprintf("collectors[%d]", i)
		p.collector(key, col, names, "%q is used twice; cursors are kept by name")
		if len(col.Watches) > 0 {
			p.bad(key+".watches", "only incident sources take watches; posts find their watches by what they say")
		}
	}
	for i, inc := range c.Incidents {
		key := fmt.Sprintf("incidents[%d]", i)
		p.collector(key, inc, names, "%q is used twice (among collectors and incidents); cursors are kept by name")
		c.knownWatches(p, key+".watches", inc.Watches)
	}
}

// knownWatches checks that every name in watches, at key, is a configured
// watch.
func (c Config) knownWatches(p *problems, key string, watches []string) {
	for _, name := range watches {
		if !slices.ContainsFunc(c.Watches, func(w earshot.Watch) bool { return w.Name == name }) {
			p.bad(key, "%q is not a configured watch", name)
		}
	}
}

// collector checks one collector entry at key; names holds the names seen
// so far, and twice says what a name used again is.
func (p *problems) collector(key string, col Collector, names map[string]bool, twice string) {
	if col.Type == "" {
		p.bad(key+".type", "is empty")
	}
	if col.Name == "" {
		p.bad(key+".name", "is empty")
	} else if names[col.Name] {
		p.bad(key+".name", twice, col.Name)
	}
	names[col.Name] = true
	if col.Interval != 0 && col.Interval < time.Second {
		p.bad(key+".interval", "%s is too short (at least 1s)", col.Interval)
	}
}

// validateInbound checks the webhooks and the incident API.
func (c Config) validateInbound(p *problems) {
	p.add(c.Webhooks.PagerDuty.Validate("webhooks.pagerduty"))
	c.knownWatches(p, "webhooks.pagerduty.watches", c.Webhooks.PagerDuty.Watches)
	p.add(c.Webhooks.Opsgenie.Validate("webhooks.opsgenie"))
	c.knownWatches(p, "webhooks.opsgenie.watches", c.Webhooks.Opsgenie.Watches)
	p.noEmptySecrets("incident_api.tokens", c.IncidentAPI.Tokens)
	if c.IncidentAPI.MaxBytes < 0 {
		p.bad("incident_api.max_bytes", "must not be negative")
	}
}

// validateWeb checks the dashboard's tokens and public paths.
func (c Config) validateWeb(p *problems) {
	p.noEmptySecrets("web.api_tokens", c.Web.APITokens)
	p.noEmptySecrets("web.read_tokens", c.Web.ReadTokens)
	for i, path := range c.Web.PublicPaths {
		if !strings.HasPrefix(path, "/") {
			p.bad(fmt.Sprintf("web.public_paths[%d]", i), "%q is not a path starting with /", path)
		}
	}
}

// validateServer checks the HTTP server's timeouts and limits.
func (c Config) validateServer(p *problems) {
	for _, t := range []struct {
		key string
		d   time.Duration
	}{
		{"server.read_header_timeout", c.Server.ReadHeaderTimeout}, {"server.read_timeout", c.Server.ReadTimeout},
		{"server.write_timeout", c.Server.WriteTimeout}, {"server.idle_timeout", c.Server.IdleTimeout},
	} {
		if t.d < time.Second {
			p.bad(t.key, "%s is too short (at least 1s)", t.d)
		}
	}
	if c.Server.MaxHeaderBytes < 4<<10 || c.Server.MaxHeaderBytes > 1<<20 {
		p.bad("server.max_header_bytes", "%d is not between 4096 and 1048576", c.Server.MaxHeaderBytes)
	}
	if c.Server.WriteRate < 0 {
		p.bad("server.write_rate", "must not be negative (0 turns the limit off)")
	}
	if c.Server.WriteRate > 0 && c.Server.WriteBurst < 1 {
		p.bad("server.write_burst", "%d: must be at least 1 with a write_rate", c.Server.WriteBurst)
	}
}
