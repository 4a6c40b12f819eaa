package publish

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"text/template"
)

// Approval says whether a publication needs a second person.
type Approval string

// Approvals.
const (
	// ApprovalNone publishes at once.
	ApprovalNone Approval = "none"
	// ApprovalSecondPerson keeps a publication pending until another
	// person who runs incidents (not its author) approves it.
	ApprovalSecondPerson Approval = "second_person"
)

// Config configures drafting and publishing (the publishing key).
type Config struct {
	// Approval is none (publish at once, the default) or second_person.
	Approval Approval `yaml:"approval"`
	// Channels are the places to publish to, by name: statuspage,
	// mastodon, bluesky, x, slack. A channel not listed is not offered.
	Channels map[string]ChannelConfig `yaml:"channels"`
	// Templates override the default drafts: kind (statuspage or social),
	// then phase (investigating, identified, monitoring, resolved,
	// postmortem), then a text/template (see docs/publishing.md for the
	// fields).
	Templates map[string]map[string]string `yaml:"templates"`
	// ETA is the placeholder drafts leave for the time of recovery,
	// "[ETA]" by default: publishing refuses a text that still holds it.
	ETA string `yaml:"eta_placeholder"`
}

// DefaultConfig is no channel, no approval, the default templates.
func DefaultConfig() Config {
	return Config{Approval: ApprovalNone, ETA: "[ETA]"}
}

// Kinds of drafts.
var DraftKinds = []string{"statuspage", "social"}

// Phases an update speaks for.
var Phases = []string{"investigating", "identified", "monitoring", "resolved", "postmortem"}

// Validate names the key and the problem of the first thing wrong.
func (c Config) Validate() error {
	switch c.Approval {
	case "", ApprovalNone, ApprovalSecondPerson:
	default:
		return fmt.Errorf("publishing.approval: %q is not none or second_person", c.Approval)
	}
	for name := range c.Channels {
		if !slices.Contains(ChannelOrder, name) {
			return fmt.Errorf("publishing.channels.%s: unknown channel (one of %s)", name, strings.Join(ChannelOrder, ", "))
		}
		if c.Channels[name].Limit < 0 {
			return fmt.Errorf("publishing.channels.%s.limit: must not be negative", name)
		}
	}
	for kind, phases := range c.Templates {
		if !slices.Contains(DraftKinds, kind) {
			return fmt.Errorf("publishing.templates.%s: unknown kind (statuspage or social)", kind)
		}
		for phase, text := range phases {
			if !slices.Contains(Phases, phase) {
				return fmt.Errorf("publishing.templates.%s.%s: unknown phase (one of %s)", kind, phase, strings.Join(Phases, ", "))
			}
			if _, err := parseTemplate(kind+"."+phase, text); err != nil {
				return fmt.Errorf("publishing.templates.%s.%s: %w", kind, phase, err)
			}
		}
	}
	if strings.TrimSpace(c.ETA) == "" && c.ETA != "" {
		return errors.New("publishing.eta_placeholder: must not be blank")
	}
	return nil
}

func parseTemplate(name, text string) (*template.Template, error) {
	return template.New(name).Option("missingkey=error").Funcs(template.FuncMap{
		"join": joinWords,
	}).Parse(text)
}

// joinWords joins words as a sentence does: "a", "a and b", "a, b and c".
func joinWords(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
