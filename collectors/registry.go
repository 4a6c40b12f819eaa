package collectors

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/earshot/earshot"
)

// Factory builds a collector named name from its configuration. It decodes raw
// (which may be nil: all defaults) into its own config, fills in defaults
// and validates it without touching the network, returning a *ConfigError
// that names the offending key.
type Factory func(name string, raw Decoder, deps Deps) (earshot.Collector, error)

// IncidentFactory builds an incident collector (a status page, a status
// feed) named name from its configuration, as Factory does a post
// collector: it decodes raw with DecodeConfig, fills in defaults and
// validates without touching the network.
type IncidentFactory func(name string, raw Decoder, deps Deps) (earshot.IncidentCollector, error)

// entry is what the registry holds for one kind (a configuration's type):
// the factory of a post collector or that of an incident collector.
type entry struct {
	posts     Factory
	incidents IncidentFactory
}

func (e entry) isPosts() bool     { return e.posts != nil }
func (e entry) isIncidents() bool { return e.incidents != nil }

// The registry: every kind, post and incident collectors alike, by the
// name a configuration's type gives.
var (
	mu       sync.RWMutex
	registry = map[string]entry{}
)

// Register makes a collector kind available to New. It is meant to be called
// from the init function of the collector's package, and panics if kind is
// empty, f is nil or kind is already registered.
func Register(kind string, f Factory) {
	register("Register", kind, entry{posts: f}, f == nil)
}

// RegisterIncidents makes an incident collector kind available to
// NewIncidents, as Register does for post collectors; it panics on an empty
// kind, a nil f or a kind registered twice.
func RegisterIncidents(kind string, f IncidentFactory) {
	register("RegisterIncidents", kind, entry{incidents: f}, f == nil)
}

// register adds e as kind name; fn, the exported function called, names
// the mistake when there is one.
func register(fn, name string, e entry, noFactory bool) {
	mu.Lock()
	defer mu.Unlock()
	if name == "" || noFactory {
		panic("collectors: " + fn + " needs a kind and a factory")
	}
	if _, dup := registry[name]; dup {
		panic("collectors: " + fn + " called twice for kind " + name)
	}
	registry[name] = e
}

// Kinds returns the registered kinds, sorted.
func Kinds() []string { return kinds(entry.isPosts) }

// IncidentKinds returns the registered incident collector kinds, sorted.
func IncidentKinds() []string { return kinds(entry.isIncidents) }

func kinds(is func(entry) bool) []string {
	mu.RLock()
	defer mu.RUnlock()
	names := []string{}
	for name, e := range registry {
		if is(e) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// New builds a collector of a registered kind. It fills the zero fields of
// deps, scopes deps.Log to the collector, and calls the kind's factory.
// An unknown kind is an error that lists the known ones.
func New(kind, name string, raw Decoder, deps Deps) (earshot.Collector, error) {
	k, deps, err := lookup(kind, name, deps, "collector", entry.isPosts)
	if err != nil {
		return nil, err
	}
	return k.posts(name, raw, deps)
}

// NewIncidents builds an incident collector of a registered kind, as New
// does a post collector.
func NewIncidents(kind, name string, raw Decoder, deps Deps) (earshot.IncidentCollector, error) {
	k, deps, err := lookup(kind, name, deps, "incident collector", entry.isIncidents)
	if err != nil {
		return nil, err
	}
	return k.incidents(name, raw, deps)
}

// lookup finds the kind called name, if it is one of the kinds is selects
// (post or incident collectors), checks the collector's name and readies
// deps for it; what names the kinds in the error.
func lookup(name, collector string, deps Deps, what string, is func(entry) bool) (entry, Deps, error) {
	mu.RLock()
	e, ok := registry[name]
	mu.RUnlock()
	if !ok || !is(e) {
		list := "none (is collectors/all imported?)"
		if known := kinds(is); len(known) > 0 {
			list = strings.Join(known, ", ")
		}
		return e, deps, fmt.Errorf("collectors.%s: unknown %s kind %q; known kinds: %s", name, what, name, list)
	}
	if strings.TrimSpace(collector) == "" {
		return e, deps, &ConfigError{Kind: name, Problem: "needs a name"}
	}
	deps = deps.WithDefaults()
	deps.Log = deps.Log.With("collector", collector, "kind", name)
	return e, deps, nil
}
