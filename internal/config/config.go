// Package config reads Earshot's YAML configuration file, applies
// environment overrides and validates the result, naming the key at fault.
//
// Every key is documented in earshot.example.yaml at the repository root.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts"
	"github.com/earshot/earshot/analysis/followup"
	"github.com/earshot/earshot/analysis/sentiment/remote"
	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/collectors/opsgenie"
	"github.com/earshot/earshot/collectors/pagerduty"
	"github.com/earshot/earshot/collectors/push"
	"github.com/earshot/earshot/dashboards/digest/deliver"
)

// Config is the whole configuration of `earshot serve`.
type Config struct {
	// Store is where posts are kept: duckdb:///path/file.duckdb,
	// duckdb://:memory:, or clickhouse://user:pass@host:9000/db.
	Store string `yaml:"store"`
	// Listen is the address the dashboards and API serve on.
	Listen string `yaml:"listen"`
	// LogLevel is debug, info, warn or error.
	LogLevel string `yaml:"log_level"`
	// Watches are the brands and products to listen for.
	Watches  []earshot.Watch `yaml:"watches"`
	Pipeline Pipeline        `yaml:"pipeline"`
	// Sentiment picks the scorer.
	Sentiment Sentiment `yaml:"sentiment"`
	// Collectors are the places to collect from.
	Collectors []Collector `yaml:"collectors"`
	// CollectorConcurrency bounds how many collectors of one type run at
	// once (they often share a quota).
	CollectorConcurrency int `yaml:"collector_concurrency"`
	// Ingest turns on POST /api/v1/ingest when it has a token or a signing
	// secret.
	Ingest push.Config `yaml:"ingest"`
	// Incidents are the places to collect incidents from (status pages,
	// status feeds), each configured like a collector: a type, a name unique
	// among collectors and incidents (its cursor is kept under it), an
	// interval, and its own keys.
	Incidents []Collector `yaml:"incidents"`
	// Webhooks receive incidents from paging tools.
	Webhooks Webhooks `yaml:"webhooks"`
	// IncidentAPI turns on the incident write API (/api/v1/incidents) when
	// it has a token.
	IncidentAPI IncidentAPI `yaml:"incident_api"`
	// Alerting routes alerts to people: the route tree, receivers,
	// inhibitions, quiet hours, noise controls and retries (see package
	// alerts). Its secrets are written env:NAME or file:PATH.
	Alerting alerts.Config `yaml:"alerting"`
	// Followups flags dissatisfied customers into support's follow-up
	// queue: thresholds, window, priorities and due times (see package
	// analysis/followup).
	Followups followup.Config `yaml:"followups"`
	// Web configures the dashboard.
	Web Web `yaml:"web"`
	// Digests are the scheduled reputation digests serve sends: a cron
	// schedule, a period, watches, a format and recipients by email and
	// Slack each (see package dashboards/digest/deliver).
	Digests []deliver.Config `yaml:"digests"`
}

// Web configures the dashboard and its API.
type Web struct {
	// APITokens are the bearer tokens the dashboard's write API accepts
	// (moving follow-ups: POST /api/followups/{id}/move), written env:NAME
	// or file:PATH. With none, the API only reads.
	APITokens []collectors.Secret `yaml:"api_tokens"`
}

// Webhooks configures the endpoints paging tools post incidents to; each is
// on when its secret is set.
type Webhooks struct {
	// PagerDuty serves /hooks/pagerduty (v3 webhooks, signed).
	PagerDuty pagerduty.Config `yaml:"pagerduty"`
	// Opsgenie serves /hooks/opsgenie (webhook integration, token or basic
	// auth).
	Opsgenie opsgenie.Config `yaml:"opsgenie"`
}

// IncidentAPI configures the API for incidents opened by hand.
type IncidentAPI struct {
	// Tokens are the bearer tokens that may open, update and resolve
	// incidents (env:NAME or file:PATH).
	Tokens []collectors.Secret `yaml:"tokens"`
	// MaxBytes bounds a request body (default 64 KiB).
	MaxBytes int64 `yaml:"max_bytes"`
}

// Pipeline tunes the path from collectors to the store.
type Pipeline struct {
	// BatchSize is how many posts are scored and stored at once.
	BatchSize int `yaml:"batch_size"`
	// FlushInterval is the longest a post waits before being stored.
	FlushInterval time.Duration `yaml:"flush_interval"`
	// MaxTextBytes bounds a post's text; longer texts are cut.
	MaxTextBytes int `yaml:"max_text_bytes"`
	// Unmatched is "keep" (store posts that match no watch) or "drop".
	Unmatched string `yaml:"unmatched"`
}

// Sentiment picks how posts are scored.
type Sentiment struct {
	// Scorer is "local" (the built-in ensemble) or "remote" (a transformer
	// model served over HTTP, falling back to the local ensemble whenever
	// it fails).
	Scorer string `yaml:"scorer"`
	// Remote configures the remote scorer.
	Remote remote.Config `yaml:"remote"`
}

// Collector is one configured collector. Type picks the implementation;
// every other key is that collector's own and is passed on in Options.
type Collector struct {
	Type string `yaml:"type"`
	// Name identifies this collector; its cursor is kept under it.
	Name string `yaml:"name"`
	// Interval is how often it collects.
	Interval time.Duration `yaml:"interval"`
	// Options holds the collector's own keys (all but type, name and
	// interval), for its factory to decode.
	Options yaml.Node `yaml:"-"`
}

// UnmarshalYAML keeps the collector's own keys so its factory can decode
// them.
func (c *Collector) UnmarshalYAML(n *yaml.Node) error {
	type plain Collector
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	*c = Collector(p)
	c.Options = *n
	c.Options.Content = nil
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch n.Content[i].Value {
		case "type", "name", "interval":
		default:
			c.Options.Content = append(c.Options.Content, n.Content[i], n.Content[i+1])
		}
	}
	return nil
}

// Default returns the configuration used when no file is given.
func Default() Config {
	return Config{
		Store:                "duckdb://earshot.duckdb",
		Listen:               "127.0.0.1:8080",
		LogLevel:             "info",
		CollectorConcurrency: 2,
		Sentiment:            Sentiment{Scorer: "local", Remote: remote.DefaultConfig()},
		Pipeline: Pipeline{
			BatchSize:     500,
			FlushInterval: 2 * time.Second,
			MaxTextBytes:  16 << 10,
			Unmatched:     "keep",
		},
		Alerting:  alerts.DefaultConfig(),
		Followups: followup.DefaultConfig(),
	}
}

// Load reads the file at path (none when path is ""), over the defaults,
// then applies environment overrides and validates.
func Load(path string, getenv func(string) string) (Config, error) {
	cfg := Default()
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return cfg, fmt.Errorf("reading config: %w", err)
		}
		if err := Parse(b, &cfg); err != nil {
			return cfg, fmt.Errorf("%s: %w", path, err)
		}
	}
	cfg.ApplyEnv(getenv)
	if err := cfg.Validate(); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// Parse decodes YAML over cfg, refusing unknown top-level keys.
func Parse(b []byte, cfg *Config) error {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("parsing config: %w", err)
	}
	return nil
}

// ApplyEnv overrides keys from EARSHOT_* variables: EARSHOT_STORE,
// EARSHOT_LISTEN, EARSHOT_LOG_LEVEL. EARSHOT_STORE_FILE names a file holding
// the store DSN (for secrets mounted as files).
func (c *Config) ApplyEnv(getenv func(string) string) {
	if v := getenv("EARSHOT_STORE"); v != "" {
		c.Store = v
	}
	if f := getenv("EARSHOT_STORE_FILE"); f != "" {
		if b, err := os.ReadFile(f); err == nil {
			c.Store = strings.TrimSpace(string(b))
		}
	}
	if v := getenv("EARSHOT_LISTEN"); v != "" {
		c.Listen = v
	}
	if v := getenv("EARSHOT_LOG_LEVEL"); v != "" {
		c.LogLevel = v
	}
}

// Validate reports the first problem found, naming its key.
func (c Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
	}
	switch {
	case c.Store == "":
		bad("store", "is empty; use duckdb:///path/earshot.duckdb or clickhouse://host:9000/earshot")
	case !strings.HasPrefix(c.Store, "duckdb://") && !strings.HasPrefix(c.Store, "clickhouse://"):
		bad("store", "%q is not a duckdb:// or clickhouse:// address", RedactDSN(c.Store))
	}
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		bad("listen", "%q is not host:port", c.Listen)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("log_level", "%q is not one of debug, info, warn, error", c.LogLevel)
	}
	names := map[string]bool{}
	for i, w := range c.Watches {
		key := fmt.Sprintf("watches[%d]", i)
		switch {
		case w.Name == "":
			bad(key+".name", "is empty")
		case names[w.Name]:
			bad(key+".name", "%q is used twice", w.Name)
		}
		names[w.Name] = true
		if len(w.Terms)+len(w.Keywords)+len(w.Handles) == 0 {
			bad(key, "watch %q has no terms, keywords or handles, so it can match nothing", w.Name)
		}
	}
	if c.Pipeline.BatchSize < 1 || c.Pipeline.BatchSize > 100_000 {
		bad("pipeline.batch_size", "%d is not between 1 and 100000", c.Pipeline.BatchSize)
	}
	if c.Pipeline.FlushInterval < 10*time.Millisecond {
		bad("pipeline.flush_interval", "%s is too short (at least 10ms)", c.Pipeline.FlushInterval)
	}
	if c.Pipeline.MaxTextBytes < 256 {
		bad("pipeline.max_text_bytes", "%d is too small (at least 256)", c.Pipeline.MaxTextBytes)
	}
	if c.Pipeline.Unmatched != "keep" && c.Pipeline.Unmatched != "drop" {
		bad("pipeline.unmatched", "%q is not keep or drop", c.Pipeline.Unmatched)
	}
	switch c.Sentiment.Scorer {
	case "local":
	case "remote":
		if err := c.Sentiment.Remote.Validate(); err != nil {
			bad("sentiment.remote", "%v", err)
		}
	default:
		bad("sentiment.scorer", "%q is not local or remote", c.Sentiment.Scorer)
	}
	if c.CollectorConcurrency < 1 || c.CollectorConcurrency > 64 {
		bad("collector_concurrency", "%d is not between 1 and 64", c.CollectorConcurrency)
	}
	colNames := map[string]bool{}
	for i, col := range c.Collectors {
		key := fmt.Sprintf("collectors[%d]", i)
		if col.Type == "" {
			bad(key+".type", "is empty")
		}
		if col.Name == "" {
			bad(key+".name", "is empty")
		} else if colNames[col.Name] {
			bad(key+".name", "%q is used twice; cursors are kept by name", col.Name)
		}
		colNames[col.Name] = true
		if col.Interval != 0 && col.Interval < time.Second {
			bad(key+".interval", "%s is too short (at least 1s)", col.Interval)
		}
	}
	for i, inc := range c.Incidents {
		key := fmt.Sprintf("incidents[%d]", i)
		if inc.Type == "" {
			bad(key+".type", "is empty")
		}
		if inc.Name == "" {
			bad(key+".name", "is empty")
		} else if colNames[inc.Name] {
			bad(key+".name", "%q is used twice (among collectors and incidents); cursors are kept by name", inc.Name)
		}
		colNames[inc.Name] = true
		if inc.Interval != 0 && inc.Interval < time.Second {
			bad(key+".interval", "%s is too short (at least 1s)", inc.Interval)
		}
	}
	if err := c.Webhooks.PagerDuty.Validate("webhooks.pagerduty"); err != nil {
		errs = append(errs, err)
	}
	if err := c.Webhooks.Opsgenie.Validate("webhooks.opsgenie"); err != nil {
		errs = append(errs, err)
	}
	for i, t := range c.IncidentAPI.Tokens {
		if strings.TrimSpace(string(t)) == "" {
			bad(fmt.Sprintf("incident_api.tokens[%d]", i), "is empty")
		}
	}
	if c.IncidentAPI.MaxBytes < 0 {
		bad("incident_api.max_bytes", "must not be negative")
	}
	if err := c.Alerting.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := c.Followups.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := deliver.Validate("digests", c.Digests); err != nil {
		errs = append(errs, err)
	}
	for i, t := range c.Web.APITokens {
		if strings.TrimSpace(string(t)) == "" {
			bad(fmt.Sprintf("web.api_tokens[%d]", i), "is empty")
		}
	}
	return errors.Join(errs...)
}

// RedactDSN hides the password in a store address, for logs and errors.
func RedactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		if i := strings.LastIndex(dsn, "@"); i >= 0 {
			return "<redacted>" + dsn[i:]
		}
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
