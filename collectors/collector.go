package collectors

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/netguard"
)

// Decoder decodes one collector's configuration into v. A *yaml.Node from
// go.yaml.in/yaml/v3 is a Decoder; so is anything with the same method.
type Decoder interface {
	Decode(v any) error
}

// Deps is what the program lends a collector. New fills the zero fields
// (see WithDefaults).
type Deps struct {
	// HTTP is the client every request goes through, shared between
	// collectors. Collectors bound each request with a context, not by
	// changing the client. Default: a client that refuses loopback,
	// private, link-local and metadata addresses (see internal/netguard);
	// BuildAll builds each entry's from its allow_private_networks key.
	HTTP *http.Client
	// Log is already scoped to the collector ("collector", name, "kind",
	// kind). Default: a logger that discards.
	Log *slog.Logger
	// Now is the clock. Default: time.Now.
	Now func() time.Time
	// UserAgent is sent with every request. Default: "earshot".
	UserAgent string
}

// WithDefaults returns d with its zero fields filled with the defaults.
func (d Deps) WithDefaults() Deps {
	if d.HTTP == nil {
		d.HTTP = netguard.Client(false, 0)
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.UserAgent == "" {
		d.UserAgent = "earshot"
	}
	return d
}

// ConfigError is a bad collector configuration. Its message names the key,
// "collectors.rss[status].url: must be an absolute http(s) URL", so that a
// user can find it in the configuration file.
type ConfigError struct {
	Kind string
	// Name is the collector's name; empty when the name itself is missing.
	Name string
	// Key is the offending key within the collector's config; empty when
	// the problem is with the whole of it.
	Key     string
	Problem string
	// Err is the underlying error, if any.
	Err error
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString("collectors.")
	b.WriteString(e.Kind)
	if e.Name != "" {
		b.WriteString("[" + e.Name + "]")
	}
	if e.Key != "" {
		b.WriteString("." + e.Key)
	}
	b.WriteString(": ")
	b.WriteString(e.Problem)
	if e.Err != nil {
		if e.Problem != "" {
			b.WriteString(": ")
		}
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *ConfigError) Unwrap() error { return e.Err }

// DecodeConfig decodes raw into cfg, a pointer to a struct with yaml tags
// already holding the defaults, and rejects keys that cfg has no field for,
// so that a misspelt key is an error instead of a silently ignored setting.
// A nil raw leaves cfg as it is. Errors are *ConfigErrors for kind and name.
func DecodeConfig(kind, name string, raw Decoder, cfg any) error {
	if raw == nil {
		return nil
	}
	var keys map[string]any
	if err := raw.Decode(&keys); err != nil {
		return &ConfigError{Kind: kind, Name: name, Problem: "must be a mapping", Err: err}
	}
	known := yamlKeys(cfg)
	var unknown []string
	for k := range keys {
		if !slices.Contains(known, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return &ConfigError{Kind: kind, Name: name, Key: unknown[0],
			Problem: "unknown key (known keys: " + strings.Join(known, ", ") + ")"}
	}
	if err := raw.Decode(cfg); err != nil {
		return &ConfigError{Kind: kind, Name: name, Problem: "decoding", Err: err}
	}
	return nil
}

// yamlKeys lists the yaml keys of the struct cfg points to, in field order.
func yamlKeys(cfg any) []string {
	t := reflect.TypeOf(cfg)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		panic(errors.New("collectors: DecodeConfig needs a pointer to a struct"))
	}
	return structKeys(t)
}

// structKeys lists the yaml keys of struct type t in field order, those of
// a struct embedded inline (Limits) where it stands.
func structKeys(t reflect.Type) []string {
	var keys []string
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		tag, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		switch {
		case tag == "-":
			continue
		case f.Anonymous && opts == "inline" && f.Type.Kind() == reflect.Struct:
			keys = append(keys, structKeys(f.Type)...)
			continue
		case tag == "":
			tag = strings.ToLower(f.Name)
		}
		keys = append(keys, tag)
	}
	return keys
}

// BaseURLProblem is what a config error says of a base URL that
// ValidBaseURL rejects.
const BaseURLProblem = "must be an absolute http(s) URL without a query, fragment or user info"

// ValidBaseURL reports whether s can be the root of an API or site that a
// collector appends paths to: an absolute http(s) URL with a host and no
// query, fragment or user info (credentials belong in secrets, where they
// are never logged).
func ValidBaseURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && WebURL(u) && u.RawQuery == "" && u.Fragment == "" && u.User == nil
}

// NewFactory returns the Factory of a post collector kind: it decodes raw
// over defaults() with DecodeConfig and builds the collector from the
// result with newCollector (which validates it).
func NewFactory[C any, T earshot.Collector](kind string, defaults func() C, newCollector func(name string, cfg C, deps Deps) (T, error)) Factory {
	return func(name string, raw Decoder, deps Deps) (earshot.Collector, error) {
		c, err := build(kind, name, raw, deps, defaults(), newCollector)
		if err != nil {
			return nil, err
		}
		return c, nil
	}
}

// NewIncidentFactory returns the IncidentFactory of an incident collector
// kind, as NewFactory does for a post collector kind.
func NewIncidentFactory[C any, T earshot.IncidentCollector](kind string, defaults func() C, newCollector func(name string, cfg C, deps Deps) (T, error)) IncidentFactory {
	return func(name string, raw Decoder, deps Deps) (earshot.IncidentCollector, error) {
		c, err := build(kind, name, raw, deps, defaults(), newCollector)
		if err != nil {
			return nil, err
		}
		return c, nil
	}
}

// build decodes raw over cfg, which holds the defaults, with DecodeConfig,
// and builds the collector named name from the result with newCollector.
func build[C, T any](kind, name string, raw Decoder, deps Deps, cfg C, newCollector func(name string, cfg C, deps Deps) (T, error)) (T, error) {
	if err := DecodeConfig(kind, name, raw, &cfg); err != nil {
		var zero T
		return zero, err
	}
	return newCollector(name, cfg, deps)
}

// Base is what every collector keeps of what it was built with: its name,
// its configuration and what the program lends it. A collector embeds it,
// which gives it Name.
type Base[C any] struct {
	name string
	// Cfg is the collector's configuration, validated.
	Cfg C
	// Deps has its zero fields filled with the defaults.
	Deps Deps
}

// NewBase returns the base of the collector name, with cfg (which the
// caller has validated) and deps, whose zero fields get the defaults.
func NewBase[C any](name string, cfg C, deps Deps) Base[C] {
	return Base[C]{name: name, Cfg: cfg, Deps: deps.WithDefaults()}
}

// Name implements earshot.Collector and earshot.IncidentCollector.
func (b Base[C]) Name() string { return b.name }
