package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestExampleFileIsValid(t *testing.T) {
	cfg, err := Load("../../earshot.example.yaml", env(nil))
	if err != nil {
		t.Fatalf("earshot.example.yaml: %v", err)
	}
	if len(cfg.Watches) == 0 || len(cfg.Collectors) == 0 {
		t.Fatalf("example config documents no watch or collector: %+v", cfg)
	}
	var opts map[string]any
	if err := cfg.Collectors[0].Options.Decode(&opts); err != nil || opts["url"] == nil {
		t.Errorf("collector options not kept for the factory: %+v, %v", opts, err)
	}
	for _, k := range []string{"type", "name", "interval"} {
		if _, ok := opts[k]; ok {
			t.Errorf("collector options still hold the common key %q", k)
		}
	}
}

func TestLoadDefaultsAndEnv(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "dsn")
	if err := os.WriteFile(secret, []byte("clickhouse://u:p@db:9000/e\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load("", env(map[string]string{"EARSHOT_LISTEN": "0.0.0.0:9999", "EARSHOT_STORE_FILE": secret}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Listen != "0.0.0.0:9999" || cfg.Store != "clickhouse://u:p@db:9000/e" || cfg.Pipeline.BatchSize != 500 {
		t.Errorf("cfg = %+v", cfg)
	}
}

func TestValidateNamesTheKey(t *testing.T) {
	tests := []struct{ yaml, want string }{
		{"store: mysql://x", "store:"},
		{"listen: nowhere", "listen:"},
		{"log_level: loud", "log_level:"},
		{"watches: [{name: a}]", "watches[0]: watch \"a\" has no terms"},
		{"watches: [{terms: [x]}]", "watches[0].name: is empty"},
		{"pipeline: {batch_size: 0}", "pipeline.batch_size:"},
		{"pipeline: {unmatched: maybe}", "pipeline.unmatched:"},
		{"collectors: [{type: rss, name: a}, {type: rss, name: a}]", "collectors[1].name: \"a\" is used twice"},
		{"collectors: [{name: a}]", "collectors[0].type: is empty"},
		{"collectors: [{type: rss, name: a, interval: 1ms}]", "collectors[0].interval:"},
		{"spool: {max_bytes: 1000}", "spool.max_bytes:"},
		{"shutdown_timeout: 0s", "shutdown_timeout:"},
	}
	for _, tt := range tests {
		t.Run(tt.yaml, func(t *testing.T) {
			cfg := Default()
			if err := Parse([]byte(tt.yaml), &cfg); err != nil {
				t.Fatal(err)
			}
			err := cfg.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestParseRefusesUnknownKeys(t *testing.T) {
	cfg := Default()
	err := Parse([]byte("stroe: duckdb://x"), &cfg)
	if err == nil || !strings.Contains(err.Error(), "stroe") {
		t.Errorf("Parse of a misspelt key = %v", err)
	}
}

func TestParseDurations(t *testing.T) {
	cfg := Default()
	if err := Parse([]byte("pipeline: {flush_interval: 5s}\ncollectors: [{type: rss, name: a, interval: 10m, url: 'http://x'}]"), &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Pipeline.FlushInterval != 5*time.Second || cfg.Collectors[0].Interval != 10*time.Minute {
		t.Errorf("durations = %v %v", cfg.Pipeline.FlushInterval, cfg.Collectors[0].Interval)
	}
}

func TestSentimentScorer(t *testing.T) {
	cfg := Default()
	if err := Parse([]byte("sentiment: {scorer: remote, remote: {url: 'http://tei:8080', api: tei, timeout: 5s}}"), &cfg); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil || cfg.Sentiment.Remote.URL != "http://tei:8080" || cfg.Sentiment.Remote.BatchSize == 0 {
		t.Errorf("remote scorer config: %+v, %v", cfg.Sentiment, err)
	}
	for yaml, want := range map[string]string{
		"sentiment: {scorer: cloud}":                          "sentiment.scorer",
		"sentiment: {scorer: remote, remote: {api: carrier}}": "sentiment.remote",
	} {
		cfg := Default()
		if err := Parse([]byte(yaml), &cfg); err != nil {
			t.Fatal(err)
		}
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: Validate() = %v, want it to name %s", yaml, err, want)
		}
	}
}

func TestSpoolDir(t *testing.T) {
	for _, tt := range []struct{ store, dir, want string }{
		{"duckdb:///var/lib/earshot/e.duckdb", "", "/var/lib/earshot/e.duckdb.spool"},
		{"duckdb://earshot.duckdb", "", "earshot.duckdb.spool"},
		{"duckdb://:memory:", "", ""},
		{"clickhouse://h:9000/e", "", "earshot-spool"},
		{"clickhouse://h:9000/e", "/data/spool", "/data/spool"},
		{"duckdb://e.duckdb", "none", ""},
	} {
		cfg := Default()
		cfg.Store, cfg.Spool.Dir = tt.store, tt.dir
		if got := cfg.SpoolDir(); got != tt.want {
			t.Errorf("SpoolDir(%q, %q) = %q, want %q", tt.store, tt.dir, got, tt.want)
		}
	}
}

func TestCollectorAllowPrivateNetworks(t *testing.T) {
	cfg := Default()
	err := Parse([]byte(`
collectors:
  - {type: rss, name: intranet, url: "http://10.0.0.5/feed", allow_private_networks: true}
  - {type: rss, name: public, url: "https://example.com/feed"}
`), &cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Collectors[0].AllowPrivateNetworks || cfg.Collectors[1].AllowPrivateNetworks {
		t.Fatalf("allow_private_networks = %v, %v; want true, false", cfg.Collectors[0].AllowPrivateNetworks, cfg.Collectors[1].AllowPrivateNetworks)
	}
	// The key is the entry's, not the collector's: its factory never sees it.
	var own map[string]any
	if err := cfg.Collectors[0].Options.Decode(&own); err != nil {
		t.Fatal(err)
	}
	if _, ok := own["allow_private_networks"]; ok || own["url"] != "http://10.0.0.5/feed" {
		t.Errorf("collector's own keys = %v", own)
	}
}

func TestServerAndReadKeys(t *testing.T) {
	cfg := Default()
	if cfg.Server.ReadHeaderTimeout != 10*time.Second || cfg.Server.MaxHeaderBytes != 64<<10 || cfg.Server.WriteRate != 10 {
		t.Errorf("server defaults = %+v", cfg.Server)
	}
	if cfg.Web.SessionTTL != 12*time.Hour {
		t.Errorf("session TTL default = %s, want 12h", cfg.Web.SessionTTL)
	}
	if len(cfg.Web.PublicPaths) != 3 {
		t.Errorf("public paths default = %v, want /healthz, /readyz and /metrics", cfg.Web.PublicPaths)
	}
	if err := Parse([]byte("web: {read_tokens: [env:R], public_paths: []}\nserver: {read_timeout: 30s}\n"), &cfg); err != nil {
		t.Fatal(err)
	}
	if len(cfg.Web.PublicPaths) != 0 || len(cfg.Web.ReadTokens) != 1 || cfg.Server.ReadTimeout != 30*time.Second || cfg.Server.WriteTimeout != 2*time.Minute {
		t.Errorf("parsed: web %+v, server %+v", cfg.Web, cfg.Server)
	}
	for yaml, key := range map[string]string{
		"server: {read_timeout: 10ms}":                       "server.read_timeout",
		"server: {max_header_bytes: 10}":                     "server.max_header_bytes",
		"server: {write_rate: -1}":                           "server.write_rate",
		"server: {write_rate: 5, write_burst: 0}":            "server.write_burst",
		"web: {read_tokens: ['']}":                           "web.read_tokens[0]",
		"web: {public_paths: [healthz]}":                     "web.public_paths[0]",
		"web: {session_ttl: 30s}":                            "web.session_ttl",
		"web: {trusted_origins: [status.example]}":           "web.trusted_origins[0]",
		"web: {trusted_origins: ['https://a.example/path']}": "web.trusted_origins[0]",
		"ingest: {signature_window: 1s}":                     "ingest.signature_window",
	} {
		c := Default()
		if err := Parse([]byte(yaml), &c); err != nil {
			t.Fatalf("%s: %v", yaml, err)
		}
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("%s: %v, want an error naming %s", yaml, err, key)
		}
	}
}

func TestDigestsConfig(t *testing.T) {
	var cfg Config
	cfg = Default()
	err := Parse([]byte(`
digests:
  - name: weekly-exec
    schedule: "0 8 * * MON"
    period: 7d
    watches: [acme]
    format: pdf
    email:
      - smarthost: smtp.acme.example:587
        from: earshot@acme.example
        to: [ceo@acme.example]
    slack:
      - url: env:SLACK_EXEC_URL
`), &cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if len(cfg.Digests) != 1 || cfg.Digests[0].Format != "pdf" || cfg.Digests[0].Slack[0].URL != "env:SLACK_EXEC_URL" {
		t.Errorf("digests = %+v", cfg.Digests)
	}
	cfg.Digests[0].Schedule = "at eight"
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "digests[0].schedule") {
		t.Errorf("a bad schedule: %v, want it named", err)
	}
}
