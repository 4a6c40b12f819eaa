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
	"os"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts"
	"github.com/earshot/earshot/analysis/followup"
	"github.com/earshot/earshot/analysis/sentiment/remote"
	"github.com/earshot/earshot/collectors"
	"github.com/earshot/earshot/dashboards/digest/deliver"
	"github.com/earshot/earshot/inbound/ingestapi"
	"github.com/earshot/earshot/inbound/opsgeniehook"
	"github.com/earshot/earshot/inbound/pagerdutyhook"
	"github.com/earshot/earshot/publish"
)

// Config is the whole configuration of `earshot serve`.
type Config struct {
	// Store is where posts are kept: duckdb:///path/file.duckdb,
	// duckdb://:memory:, or clickhouse://user:pass@host:9000/db; either
	// takes ?retention=90d&rollup_retention=730d, which serve enforces.
	Store string `yaml:"store"`
	// Listen is the address the dashboards and API serve on.
	Listen string `yaml:"listen"`
	// LogLevel is debug, info, warn or error.
	LogLevel string `yaml:"log_level"`
	// Watches are the brands and products to listen for.
	Watches  []earshot.Watch `yaml:"watches"`
	Pipeline Pipeline        `yaml:"pipeline"`
	// Spool is the durable queue between collection or ingest and the
	// store (see docs/reliability.md).
	Spool Spool `yaml:"spool"`
	// ShutdownTimeout bounds a shutdown (SIGTERM): in-flight requests are
	// finished, then the pipeline drains into the store; what the store
	// does not take in time stays in the spool for the next start.
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`
	// Sentiment picks the scorer.
	Sentiment Sentiment `yaml:"sentiment"`
	// Collectors are the places to collect from.
	Collectors []Collector `yaml:"collectors"`
	// CollectorConcurrency bounds how many collectors of one type run at
	// once (they often share a quota).
	CollectorConcurrency int `yaml:"collector_concurrency"`
	// Ingest turns on POST /api/v1/ingest when it has a token or a signing
	// secret.
	Ingest ingestapi.Config `yaml:"ingest"`
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
	// Server tunes the HTTP server: timeouts, header limits and the rate
	// limit of write routes.
	Server Server `yaml:"server"`
	// WarRoom tunes the live pages, the going-dark alert and the quiet
	// period after incidents.
	WarRoom WarRoom `yaml:"war_room"`
	// Publishing drafts incident updates and publishes them to the status
	// page and social accounts: channels and their credentials (env:NAME),
	// templates, approval by a second person (see docs/publishing.md).
	Publishing publish.Config `yaml:"publishing"`
}

// Server tunes the HTTP server every route is served by.
type Server struct {
	// ReadHeaderTimeout bounds reading a request's headers.
	ReadHeaderTimeout time.Duration `yaml:"read_header_timeout"`
	// ReadTimeout bounds reading a whole request, body included.
	ReadTimeout time.Duration `yaml:"read_timeout"`
	// WriteTimeout bounds the time from the end of the headers to the end
	// of the answer.
	WriteTimeout time.Duration `yaml:"write_timeout"`
	// IdleTimeout is how long a kept-alive connection may wait for its
	// next request.
	IdleTimeout time.Duration `yaml:"idle_timeout"`
	// MaxHeaderBytes bounds a request's headers (431 above it).
	MaxHeaderBytes int `yaml:"max_header_bytes"`
	// WriteRate is how many requests a second, on average, each credential
	// may make to the write routes (ingest, webhooks, incident writes,
	// follow-up moves); over it, 429 with Retry-After. 0 turns the limit
	// off.
	WriteRate float64 `yaml:"write_rate"`
	// WriteBurst is how many write requests a credential may make at once.
	WriteBurst int `yaml:"write_burst"`
}

// Web configures the dashboard and its API.
type Web struct {
	// APITokens are bearer tokens that act as a user "token" of role admin
	// (the dashboard's write API: moving follow-ups), written env:NAME or
	// file:PATH. Prefer users' own tokens (earshot user token).
	APITokens []collectors.Secret `yaml:"api_tokens"`
	// ReadTokens read every page and GET API, as a user "reader" of role
	// exec, sent as "Authorization: Bearer <token>". Reading always needs a
	// credential: a user's session (the sign-in form at /signin), a user's
	// API token (earshot user token), or one of these or APITokens. Written
	// env:NAME or file:PATH.
	ReadTokens []collectors.Secret `yaml:"read_tokens"`
	// PublicPaths stay open without a credential (exact paths; default
	// /healthz, /readyz and /metrics); set [] to close them too.
	PublicPaths []string `yaml:"public_paths"`
	// SessionSecret keys the sign-in sessions of users (env:NAME or
	// file:PATH, 16 characters or more). Unset, a random one is made at
	// each start, with a warning: everyone signs in again after a restart.
	SessionSecret collectors.Secret `yaml:"session_secret"`
	// SessionTTL is how long a sign-in lasts (default 12h).
	SessionTTL time.Duration `yaml:"session_ttl"`
	// TrustedOrigins may post to Earshot from a browser page of theirs
	// ("https://status.example.com"); every other site's form post is
	// refused (cross-origin protection).
	TrustedOrigins []string `yaml:"trusted_origins"`
	// OIDC offers single sign-on with an OpenID Connect provider beside
	// passwords; on when Issuer is set.
	OIDC OIDC `yaml:"oidc"`
}

// OIDC configures single sign-on. The provider says who someone is; the
// user must exist in Earshot (earshot user add), which gives the role.
type OIDC struct {
	// Issuer is the provider's issuer URL, such as
	// https://accounts.google.com or https://login.example.com/realms/acme.
	Issuer   string `yaml:"issuer"`
	ClientID string `yaml:"client_id"`
	// ClientSecret, written env:NAME or file:PATH.
	ClientSecret collectors.Secret `yaml:"client_secret"`
	// RedirectURL is Earshot's callback as registered with the provider:
	// https://earshot.example.com/signin/oidc/callback.
	RedirectURL string `yaml:"redirect_url"`
	// Claim of the ID token that is the Earshot user name (default email).
	Claim string `yaml:"claim"`
	// AllowPrivateNetworks lets Earshot reach a provider on a private
	// network (an intranet identity server).
	AllowPrivateNetworks bool `yaml:"allow_private_networks"`
}

// Webhooks configures the endpoints paging tools post incidents to; each is
// on when its secret is set.
type Webhooks struct {
	// PagerDuty serves /hooks/pagerduty (v3 webhooks, signed).
	PagerDuty pagerdutyhook.Config `yaml:"pagerduty"`
	// Opsgenie serves /hooks/opsgenie (webhook integration, token or basic
	// auth).
	Opsgenie opsgeniehook.Config `yaml:"opsgenie"`
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

// Spool configures the durable queue: a post is acknowledged (a
// collector's cursor saved, 2xx to a pusher) only once it is stored or
// fsynced here.
type Spool struct {
	// Dir holds the spool's files. Empty: next to a DuckDB file store
	// (<file>.spool), "earshot-spool" in the working directory with
	// ClickHouse, none with duckdb://:memory: (nothing there outlives the
	// process anyway). "none" turns the spool off: posts wait in memory
	// only and a crash loses them.
	Dir string `yaml:"dir"`
	// MaxBytes bounds the spool on disk (default 256 MiB). When it is
	// full, ingest answers 503 with Retry-After and collectors pause with
	// their cursor kept. It also bounds the memory posts waiting for the
	// store take (about as much again).
	MaxBytes int64 `yaml:"max_bytes"`
}

// SpoolDir returns the spool directory in use, "" for none.
func (c Config) SpoolDir() string {
	switch {
	case c.Spool.Dir == "none":
		return ""
	case c.Spool.Dir != "":
		return c.Spool.Dir
	case strings.HasPrefix(c.Store, "clickhouse://"):
		return "earshot-spool"
	}
	path := strings.TrimPrefix(c.Store, "duckdb://")
	if path == "" || strings.HasPrefix(path, ":memory:") {
		return ""
	}
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	return path + ".spool"
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
	// AllowPrivateNetworks lets this entry connect to loopback, private
	// (RFC 1918, ULA), link-local, CGNAT and cloud-metadata addresses,
	// which every outbound fetch refuses by default (an intranet feed, a
	// status page on the LAN).
	AllowPrivateNetworks bool `yaml:"allow_private_networks"`
	// Watches, on an incident source only, are the watches its incidents
	// affect (the brand a status page belongs to) when an incident names
	// none; without them an incident affects every watch whose services it
	// names.
	Watches []string `yaml:"watches"`
	// Options holds the collector's own keys (all but type, name, interval,
	// allow_private_networks and watches), for its factory to decode.
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
		case "type", "name", "interval", "allow_private_networks", "watches":
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
		Spool:           Spool{MaxBytes: 256 << 20},
		ShutdownTimeout: 20 * time.Second,
		Alerting:        alerts.DefaultConfig(),
		Followups:       followup.DefaultConfig(),
		Publishing:      publish.DefaultConfig(),
		Web:             Web{PublicPaths: []string{"/healthz", "/readyz", "/metrics"}, SessionTTL: 12 * time.Hour},
		Server: Server{
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       time.Minute,
			WriteTimeout:      2 * time.Minute,
			IdleTimeout:       2 * time.Minute,
			MaxHeaderBytes:    64 << 10,
			WriteRate:         10,
			WriteBurst:        50,
		},
		WarRoom: DefaultWarRoom(),
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
