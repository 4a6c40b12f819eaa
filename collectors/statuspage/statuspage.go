package statuspage

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/collectors"
)

// Kind is the incident collector kind this package registers.
const Kind = "statuspage"

// Source is the source of the incidents, and the prefix of their IDs.
const Source = "statuspage"

func init() {
	collectors.RegisterIncidents(Kind, collectors.NewIncidentFactory(Kind, DefaultConfig, NewCollector))
}

// Config configures one status page.
type Config struct {
	// Page is the status page's address, such as https://status.example.com
	// or https://example.statuspage.io. Required.
	Page string `yaml:"page"`
	// Components maps component names, as the page shows them, to the
	// service names watches use ("API": api). A component not in the map
	// counts as a service of its own name.
	Components map[string]string `yaml:"components"`
	// Limits: max_bytes caps a response body (default 10 MiB); timeout
	// bounds one collection, both requests included (default 30s).
	collectors.Limits `yaml:",inline"`
}

// DefaultConfig returns the configuration used for the keys left out.
func DefaultConfig() Config {
	return Config{Limits: collectors.DefaultLimits()}
}

// Validate checks c without touching the network. Errors are
// *collectors.ConfigErrors naming the key.
func (c Config) Validate(name string) error {
	bad := collectors.ConfigProblem(Kind, name)
	required := "required (the status page's address, such as https://status.example.com)"
	if err := collectors.Checks(bad, collectors.URLCheck("page", c.Page, required)); err != nil {
		return err
	}
	if u, _ := url.Parse(c.Page); u.RawQuery != "" || u.Fragment != "" {
		return bad("page", "must be the page's address, without a query or fragment")
	}
	for k, v := range c.Components {
		if strings.TrimSpace(k) == "" || strings.TrimSpace(v) == "" {
			return bad("components", fmt.Sprintf("component %q maps to %q; both must be non-empty", k, v))
		}
	}
	return collectors.Checks(bad, collectors.MaxBytesCheck(c.MaxBytes), collectors.TimeoutCheck(c.Timeout))
}

// Collector collects the incidents of one status page.
type Collector struct {
	collectors.Base[Config]
	base string // the page's address without a trailing slash
}

var _ earshot.IncidentCollector = (*Collector)(nil)

// NewCollector builds a collector from a decoded configuration.
func NewCollector(name string, cfg Config, deps collectors.Deps) (*Collector, error) {
	if err := cfg.Validate(name); err != nil {
		return nil, err
	}
	return &Collector{Base: collectors.NewBase(name, cfg, deps), base: strings.TrimRight(cfg.Page, "/")}, nil
}

// cursor is what the cursor string holds, as JSON.
type cursor struct {
	V    int    `json:"v"`
	ETag string `json:"etag,omitempty"`
	// Updated is the newest updated_at collected.
	Updated time.Time `json:"updated,omitzero"`
}

const cursorVersion = 1

// maxETag bounds the ETag kept in the cursor; a longer one is dropped.
const maxETag = 512

func (cur cursor) String() string {
	cur.V = cursorVersion
	return collectors.EncodeCursor(cur)
}

// CollectIncidents fetches the page's incidents and returns those updated
// since the cursor, each whole. A 304 answer is earshot.ErrNotModified.
func (c *Collector) CollectIncidents(ctx context.Context, cursorText string) ([]earshot.Incident, string, error) {
	cur := collectors.LoadCursor[cursor](cursorText, cursorVersion, c.Deps.Log)
	ctx, cancel := context.WithTimeout(ctx, c.Cfg.Timeout)
	defer cancel()

	header := http.Header{}
	if cur.ETag != "" {
		header.Set("If-None-Match", cur.ETag)
	}
	var doc incidentsDoc
	resp, err := collectors.GetJSON(ctx, c.Deps, c.base+"/api/v2/incidents.json", header, c.Cfg.MaxBytes, &doc)
	if err != nil {
		return nil, cursorText, err
	}

	var changed []apiIncident
	newest := cur.Updated
	for _, in := range doc.Incidents {
		if in.ID == "" {
			continue
		}
		updated := in.updatedAt()
		// At or after: two incidents may share the newest time, and saving
		// one again is harmless.
		if !cur.Updated.IsZero() && updated.Before(cur.Updated) {
			continue
		}
		changed = append(changed, in)
		if updated.After(newest) {
			newest = updated
		}
	}

	var names map[string]string
	if needsComponentNames(changed) {
		if names, err = c.componentNames(ctx); err != nil {
			return nil, cursorText, err
		}
	}
	incidents := make([]earshot.Incident, 0, len(changed))
	for _, in := range changed {
		if inc, ok := c.incident(in, names); ok {
			incidents = append(incidents, inc)
		}
	}
	slices.SortStableFunc(incidents, func(a, b earshot.Incident) int { return a.UpdatedAt.Compare(b.UpdatedAt) })

	next := cursor{Updated: newest.UTC()}
	if etag := resp.Header.Get("ETag"); len(etag) <= maxETag {
		next.ETag = etag
	}
	c.Deps.Log.Debug("fetched incidents", "incidents", len(doc.Incidents), "changed", len(incidents))
	return incidents, next.String(), nil
}

// componentNames fetches the page's components, by ID.
func (c *Collector) componentNames(ctx context.Context) (map[string]string, error) {
	var doc componentsDoc
	if _, err := collectors.GetJSON(ctx, c.Deps, c.base+"/api/v2/components.json", nil, c.Cfg.MaxBytes, &doc); err != nil {
		return nil, err
	}
	names := make(map[string]string, len(doc.Components))
	for _, comp := range doc.Components {
		if comp.ID != "" && comp.Name != "" {
			names[comp.ID] = comp.Name
		}
	}
	return names, nil
}
