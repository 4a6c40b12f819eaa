package collectors_test

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
)

// fake is a collector that records what its factory was given.
type fake struct {
	earshot.Collector
	name string
	cfg  fakeConfig
	deps collectors.Deps
}

func (f *fake) Name() string { return f.name }

type fakeConfig struct {
	Endpoint string        `yaml:"endpoint"`
	Every    time.Duration `yaml:"every"`
	Limit    int
	Ignored  string `yaml:"-"`
}

func newFake(name string, raw collectors.Decoder, deps collectors.Deps) (earshot.Collector, error) {
	cfg := fakeConfig{Every: time.Minute}
	if err := collectors.DecodeConfig("fake", name, raw, &cfg); err != nil {
		return nil, err
	}
	return &fake{name: name, cfg: cfg, deps: deps}, nil
}

func init() { collectors.Register("fake", newFake) }

func node(t *testing.T, src string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Content[0]
}

func TestNew(t *testing.T) {
	c, err := collectors.New("fake", "f1", node(t, "endpoint: https://api.example\nlimit: 3"), collectors.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	f := c.(*fake)
	if f.cfg.Endpoint != "https://api.example" || f.cfg.Limit != 3 || f.cfg.Every != time.Minute {
		t.Errorf("config = %+v", f.cfg)
	}
	if f.deps.HTTP == nil || f.deps.Log == nil || f.deps.Now == nil || f.deps.UserAgent != "earshot" {
		t.Errorf("deps not defaulted: %+v", f.deps)
	}

	// A nil config is all defaults.
	c, err = collectors.New("fake", "f2", nil, collectors.Deps{UserAgent: "ua"})
	if err != nil {
		t.Fatal(err)
	}
	if f := c.(*fake); f.cfg.Every != time.Minute || f.deps.UserAgent != "ua" {
		t.Errorf("nil config: %+v", f)
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name, kind, cname, yaml, want string
	}{
		{"unknown kind", "twitter", "t", "", `collectors.twitter: unknown collector kind "twitter"; known kinds: fake`},
		{"no name", "fake", " ", "", "collectors.fake: needs a name"},
		{"unknown key", "fake", "f", "endpoint: x\nendpiont: y", "collectors.fake[f].endpiont: unknown key (known keys: endpoint, every, limit)"},
		{"dash key", "fake", "f", "Ignored: y", "collectors.fake[f].Ignored: unknown key"},
		{"bad duration", "fake", "f", "every: soon", "collectors.fake[f]: decoding: "},
		{"not a mapping", "fake", "f", "[1, 2]", "collectors.fake[f]: must be a mapping"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var raw collectors.Decoder
			if tt.yaml != "" {
				raw = node(t, tt.yaml)
			}
			_, err := collectors.New(tt.kind, tt.cname, raw, collectors.Deps{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestRegister(t *testing.T) {
	if !slices.Contains(collectors.Kinds(), "fake") {
		t.Errorf("Kinds() = %v, want fake in it", collectors.Kinds())
	}
	for _, tt := range []struct {
		name string
		kind string
		f    collectors.Factory
	}{
		{"twice", "fake", newFake},
		{"no kind", "", newFake},
		{"no factory", "other", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("Register did not panic")
				}
			}()
			collectors.Register(tt.kind, tt.f)
		})
	}
}

// TestRetryAfterWait: RateLimitWait reads Retry-After as seconds or an HTTP
// date, never negative and at most MaxRetryAfter.
func TestRetryAfterWait(t *testing.T) {
	now := time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"120", 2 * time.Minute},
		{" 7 ", 7 * time.Second},
		{"0", 0},
		{"-5", 0},
		{"1.5", 0},
		{"soon", 0},
		{"99999999999999999999", collectors.MaxRetryAfter},
		{"86401", collectors.MaxRetryAfter},
		{"Mon, 02 Jun 2025 12:01:30 GMT", 90 * time.Second},
		{"Monday, 02-Jun-25 12:00:10 GMT", 10 * time.Second},
		{"Mon, 02 Jun 2025 11:00:00 GMT", 0},
		{"Mon, 09 Jun 2025 12:00:00 GMT", collectors.MaxRetryAfter},
	}
	for _, tt := range tests {
		if got := collectors.RateLimitWait(http.Header{"Retry-After": {tt.in}}, now); got != tt.want {
			t.Errorf("RateLimitWait(Retry-After: %q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestRetryAfterError(t *testing.T) {
	var err error = &collectors.RetryAfterError{Source: "https://api.example/x", Status: "429 Too Many Requests", Wait: time.Minute}
	err = errors.Join(errors.New("collecting"), err)
	if !errors.Is(err, earshot.ErrRateLimited) {
		t.Error("not ErrRateLimited")
	}
	// The pipeline, in package earshot, finds the wait without importing
	// collectors.
	var ra interface{ RetryAfter() time.Duration }
	if !errors.As(err, &ra) || ra.RetryAfter() != time.Minute {
		t.Errorf("RetryAfter not found in %v", err)
	}
	want := "https://api.example/x: rate limited (429 Too Many Requests), retry after 1m0s"
	if got := (&collectors.RetryAfterError{Source: "https://api.example/x", Status: "429 Too Many Requests", Wait: time.Minute}).Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestValidBaseURL(t *testing.T) {
	for s, want := range map[string]bool{
		"https://graph.facebook.com":       true,
		"http://127.0.0.1:8080/api/":       true,
		"graph.facebook.com":               false, // relative
		"ftp://example.com":                false,
		"https://":                         false, // no host
		"https://example.com/?key=1":       false, // a query would be lost
		"https://example.com/#top":         false,
		"https://user:secret@example.com/": false, // credentials belong in secrets
		"":                                 false,
		"https://exa mple.com":             false,
	} {
		if got := collectors.ValidBaseURL(s); got != want {
			t.Errorf("ValidBaseURL(%q) = %v, want %v", s, got, want)
		}
	}
}
