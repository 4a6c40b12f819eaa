package publish

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/earshot/earshot"
)

// DraftData is what a draft template sees.
type DraftData struct {
	// Title is the incident's title.
	Title string
	// Phase is the phase the update speaks for; Status the incident's
	// status now.
	Phase, Status string
	// Services are the affected services.
	Services []string
	// Started is when the incident started, UTC; StartedText as people
	// read it ("14:05 UTC").
	Started     time.Time
	StartedText string
	// Lasted is how long it has lasted (or lasted), rounded to minutes
	// ("1h 20m").
	Lasted string
	// Complaints are what customers report since it started, most
	// common first, in plain words ("trouble signing in"); at most three.
	Complaints []string
	// Keywords are the watches' keywords seen most in those complaints;
	// at most three.
	Keywords []string
	// ETA is the placeholder for the time of recovery, to fill.
	ETA string
}

// reasonWords says a complaint reason in customers' terms.
var reasonWords = map[earshot.Reason]string{
	earshot.ReasonOutage:      "the service not loading",
	earshot.ReasonPerformance: "slowness",
	earshot.ReasonLogin:       "trouble signing in",
	earshot.ReasonBilling:     "billing problems",
	earshot.ReasonSupport:     "trouble reaching support",
	earshot.ReasonSecurity:    "security concerns",
}

// defaultTemplates are the drafts when the config has none.
var defaultTemplates = map[string]map[string]string{
	"statuspage": {
		"investigating": `We are investigating reports of problems with {{if .Services}}{{join .Services}}{{else}}{{.Title}}{{end}}, starting at {{.StartedText}}.` +
			`{{if .Complaints}} Customers are reporting {{join .Complaints}}.{{end}}` +
			` We are working to find the cause and will post an update by {{.ETA}}.`,
		"identified": `We have identified the cause of the problems with {{if .Services}}{{join .Services}}{{else}}{{.Title}}{{end}} that started at {{.StartedText}}` +
			`{{if .Complaints}}, which customers see as {{join .Complaints}}{{end}}. A fix is in progress; we expect recovery by {{.ETA}}.`,
		"monitoring": `A fix for the problems with {{if .Services}}{{join .Services}}{{else}}{{.Title}}{{end}} has been put in place and we are monitoring the results.` +
			` If you still see {{if .Complaints}}{{join .Complaints}}{{else}}problems{{end}}, please let us know.`,
		"resolved": `The problems with {{if .Services}}{{join .Services}}{{else}}{{.Title}}{{end}} that started at {{.StartedText}} are resolved, after {{.Lasted}}.` +
			` Everything is working normally. We are sorry for the trouble.`,
		"postmortem": `Postmortem: {{.Title}}. From {{.StartedText}}, for {{.Lasted}}, customers saw {{if .Complaints}}{{join .Complaints}}{{else}}problems{{end}}` +
			`{{if .Services}} with {{join .Services}}{{end}}. What happened: [CAUSE]. What we are changing so it does not happen again: [ACTIONS].`,
	},
	"social": {
		"investigating": `We're looking into problems with {{if .Services}}{{join .Services}}{{else}}{{.Title}}{{end}}` +
			`{{if .Complaints}} ({{join .Complaints}}){{end}}. Next update by {{.ETA}}.`,
		"identified": `We've found the cause of the problems with {{if .Services}}{{join .Services}}{{else}}{{.Title}}{{end}} and a fix is underway. Expected recovery: {{.ETA}}.`,
		"monitoring": `A fix for {{if .Services}}{{join .Services}}{{else}}{{.Title}}{{end}} is in place and we're watching closely. Still having trouble? Let us know.`,
		"resolved":   `Resolved: {{if .Services}}{{join .Services}}{{else}}{{.Title}}{{end}} {{if eq (len .Services) 1}}is{{else}}are{{end}} working normally again. Sorry for the trouble.`,
		"postmortem": `What happened with {{if .Services}}{{join .Services}}{{else}}{{.Title}}{{end}} on {{.Started.Format "Jan 2"}}, and what we're changing: [LINK]`,
	},
}

// drafter writes drafts from templates.
type drafter struct {
	templates map[string]map[string]*template.Template
	eta       string
}

func newDrafter(cfg Config) (*drafter, error) {
	d := &drafter{templates: map[string]map[string]*template.Template{}, eta: cmp.Or(cfg.ETA, "[ETA]")}
	for _, kind := range DraftKinds {
		d.templates[kind] = map[string]*template.Template{}
		for _, phase := range Phases {
			text := defaultTemplates[kind][phase]
			if t, ok := cfg.Templates[kind][phase]; ok {
				text = t
			}
			t, err := parseTemplate(kind+"."+phase, text)
			if err != nil {
				return nil, fmt.Errorf("publishing.templates.%s.%s: %w", kind, phase, err)
			}
			d.templates[kind][phase] = t
		}
	}
	return d, nil
}

func (d *drafter) write(kind, phase string, data DraftData) (string, error) {
	var b bytes.Buffer
	if err := d.templates[kind][phase].Execute(&b, data); err != nil {
		return "", fmt.Errorf("writing the %s draft for %s: %w", kind, phase, err)
	}
	return strings.Join(strings.Fields(b.String()), " "), nil
}

// draftData gathers what the draft says about inc at now: the top
// complaint reasons and keywords of the negative posts of its watches
// since it started.
func draftData(ctx context.Context, posts earshot.PostStore, watches []earshot.Watch, inc earshot.Incident, phase, eta string, now time.Time) (DraftData, error) {
	end := now
	if !inc.ResolvedAt.IsZero() && inc.ResolvedAt.Before(now) {
		end = inc.ResolvedAt
	}
	data := DraftData{
		Title: inc.Title, Phase: phase, Status: string(inc.Status), Services: inc.Services,
		Started: inc.StartedAt.UTC(), StartedText: inc.StartedAt.UTC().Format("15:04 UTC"),
		Lasted: lasted(end.Sub(inc.StartedAt)), ETA: eta,
	}
	if inc.StartedAt.IsZero() {
		data.StartedText = "an unknown time"
	}
	// The watches the incident affects: those it names, else those whose
	// services it covers; none means all posts.
	var names []string
	var keywords []string
	for _, w := range watches {
		if slices.Contains(inc.Watches, w.Name) || (len(inc.Watches) == 0 && len(inc.Services) > 0 && inc.Covers(w.Services)) {
			names = append(names, w.Name)
			keywords = append(keywords, w.Keywords...)
		}
	}
	if len(names) == 0 {
		names = []string{""}
	}
	reasons := map[string]int{}
	seen := map[string]bool{}
	kw := map[string]int{}
	for _, name := range names {
		neg, err := posts.TopNegative(ctx, earshot.PostQuery{From: inc.StartedAt, To: end.Add(time.Nanosecond), Watch: name, Limit: 500})
		if err != nil {
			return DraftData{}, fmt.Errorf("reading what customers say: %w", err)
		}
		for _, p := range neg {
			if seen[p.ID] || p.Sentiment.Label != earshot.Negative {
				continue
			}
			seen[p.ID] = true
			if words, ok := reasonWords[p.Sentiment.Reason]; ok {
				reasons[words]++
			}
			text := strings.ToLower(p.Text)
			for _, k := range keywords {
				if k != "" && strings.Contains(text, strings.ToLower(k)) {
					kw[k]++
				}
			}
		}
	}
	data.Complaints = top(reasons, 3)
	data.Keywords = top(kw, 3)
	return data, nil
}

// top returns the n keys with the highest counts (ties by key).
func top(counts map[string]int, n int) []string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if c := cmp.Compare(counts[b], counts[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	if len(keys) > n {
		keys = keys[:n]
	}
	return keys
}

// lasted says a duration in hours and minutes: "45m", "2h 5m".
func lasted(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	m := int(d.Round(time.Minute) / time.Minute)
	switch {
	case m < 60:
		return fmt.Sprintf("%dm", m)
	case m%60 == 0:
		return fmt.Sprintf("%dh", m/60)
	}
	return fmt.Sprintf("%dh %dm", m/60, m%60)
}
