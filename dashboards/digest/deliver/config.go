package deliver

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/earshot/earshot/alerts/notify"
	"github.com/earshot/earshot/alerts/notify/email"
	"github.com/earshot/earshot/alerts/notify/slack"
	"github.com/earshot/earshot/dashboards/digest"
)

// Formats of the attached copy.
const (
	FormatHTML = "html"
	FormatMD   = "md"
	FormatPDF  = "pdf"
)

// Config is one scheduled digest.
type Config struct {
	// Name names it in /digests, logs, metrics and `earshot digest send
	// --now NAME`.
	Name string `yaml:"name"`
	// Schedule is a five-field cron expression ("0 8 * * MON": Mondays at
	// 08:00) or a descriptor (@daily, @weekly), in UTC unless it starts with
	// CRON_TZ=Area/City.
	Schedule string `yaml:"schedule"`
	// Period is what each digest covers, ending when it fires: 7d, 24h.
	// Default 7d.
	Period string `yaml:"period"`
	// Watches are the watches it covers, one digest each; empty means one
	// digest over every post.
	Watches []string `yaml:"watches"`
	// Format is the copy attached to the email: html (default), md or pdf
	// (printed by headless Chromium, which must be installed).
	Format string `yaml:"format"`
	// Link is the dashboard's public base URL (https://earshot.example);
	// when set, Slack messages link to the digest under /digests.
	Link string `yaml:"link"`
	// Email and Slack are the recipients, configured as alert receivers'
	// (secrets written env:NAME or file:PATH).
	Email []email.Config `yaml:"email"`
	Slack []slack.Config `yaml:"slack"`
}

var parser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Job is a validated Config, ready to schedule.
type Job struct {
	Config
	schedule cron.Schedule
	period   time.Duration
}

// Period returns what each digest covers.
func (j *Job) Period() time.Duration { return j.period }

// Next returns the first firing after t.
func (j *Job) Next(t time.Time) time.Time { return j.schedule.Next(t) }

// Validate checks every digest; key prefixes the keys it names.
func Validate(key string, cs []Config) error {
	_, err := Jobs(key, cs)
	return err
}

// Jobs validates cs and returns them ready to schedule. It makes no
// network calls and resolves no secrets.
func Jobs(key string, cs []Config) ([]*Job, error) {
	var out []*Job
	seen := map[string]bool{}
	for i, c := range cs {
		k := fmt.Sprintf("%s[%d]", key, i)
		c.Name = strings.TrimSpace(c.Name)
		if c.Name == "" || strings.ContainsAny(c.Name, "/@ \t\n") {
			return nil, fmt.Errorf("%s.name: give a name without spaces, / or @, got %q", k, c.Name)
		}
		if seen[c.Name] {
			return nil, fmt.Errorf("%s.name: %q is used twice", k, c.Name)
		}
		seen[c.Name] = true
		sched, err := parser.Parse(c.Schedule)
		if err != nil {
			return nil, fmt.Errorf("%s.schedule: %q: %v", k, c.Schedule, err)
		}
		if c.Period == "" {
			c.Period = "7d"
		}
		period, err := digest.ParsePeriod(c.Period)
		if err != nil {
			return nil, fmt.Errorf("%s.period: %v", k, err)
		}
		switch c.Format {
		case "":
			c.Format = FormatHTML
		case FormatHTML, FormatMD, FormatPDF:
		default:
			return nil, fmt.Errorf("%s.format: want html, md or pdf, got %q", k, c.Format)
		}
		for j, w := range c.Watches {
			if strings.TrimSpace(w) == "" {
				return nil, fmt.Errorf("%s.watches[%d]: empty", k, j)
			}
		}
		if len(c.Email) == 0 && len(c.Slack) == 0 {
			return nil, fmt.Errorf("%s: give at least one recipient under email or slack", k)
		}
		for j, e := range c.Email {
			if err := e.Validate(fmt.Sprintf("%s.email[%d]", k, j)); err != nil {
				return nil, err
			}
		}
		for j, s := range c.Slack {
			if err := s.Validate(fmt.Sprintf("%s.slack[%d]", k, j)); err != nil {
				return nil, err
			}
		}
		if c.Link != "" && !strings.HasPrefix(c.Link, "https://") && !strings.HasPrefix(c.Link, "http://") {
			return nil, fmt.Errorf("%s.link: want an http(s) URL, got %q", k, c.Link)
		}
		out = append(out, &Job{Config: c, schedule: sched, period: period})
	}
	return out, nil
}

// ResolveSecrets returns j with its recipients' secrets resolved.
func (j *Job) ResolveSecrets(key string, resolve notify.ResolveFunc) (*Job, error) {
	out := *j
	out.Email = make([]email.Config, len(j.Email))
	for i, e := range j.Email {
		r, err := e.ResolveSecrets(fmt.Sprintf("%s.email[%d]", key, i), resolve)
		if err != nil {
			return nil, err
		}
		out.Email[i] = r
	}
	out.Slack = make([]slack.Config, len(j.Slack))
	for i, s := range j.Slack {
		r, err := s.ResolveSecrets(fmt.Sprintf("%s.slack[%d]", key, i), resolve)
		if err != nil {
			return nil, err
		}
		out.Slack[i] = r
	}
	return &out, nil
}
