package alerts

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/earshot/earshot"
)

// compiled is a validated Config ready to route.
type compiled struct {
	root    *route
	inhibit []inhibitRule
	noise   Noise
}

// route is a Route with its matchers parsed and its settings inherited.
type route struct {
	id            string
	receiver      string
	matchers      Matchers
	cont          bool
	groupBy       []string
	groupAll      bool
	groupWait     time.Duration
	groupInterval time.Duration
	repeat        time.Duration
	quiet         []*quietWindow
	children      []*route
}

type inhibitRule struct {
	source, target Matchers
	equal          []string
}

// quietWindow is a compiled QuietHours.
type quietWindow struct {
	name       string
	loc        *time.Location
	days       [7]bool
	start, end int // minutes after midnight
	drop       bool
	let        map[string]bool
}

func compile(c Config) (*compiled, error) {
	receivers, err := c.validateReceivers()
	if err != nil {
		return nil, err
	}
	quiet := map[string]*quietWindow{}
	for i, q := range c.QuietHours {
		w, err := compileQuiet(fmt.Sprintf("alerting.quiet_hours[%d]", i), q)
		if err != nil {
			return nil, err
		}
		if quiet[w.name] != nil {
			return nil, fmt.Errorf("alerting.quiet_hours[%d].name: %q is defined twice", i, w.name)
		}
		quiet[w.name] = w
	}
	if len(c.Route.Matchers) > 0 {
		return nil, fmt.Errorf("alerting.route.matchers: the root route matches every alert and takes no matchers")
	}
	if c.Route.Receiver == "" {
		return nil, fmt.Errorf("alerting.route.receiver: required")
	}
	defaults := route{
		groupBy:       []string{"watch", "kind"},
		groupWait:     30 * time.Second,
		groupInterval: 5 * time.Minute,
		repeat:        4 * time.Hour,
	}
	names := map[string]string{}
	root, err := compileRoute("alerting.route", "root", c.Route, &defaults, receivers, quiet, names)
	if err != nil {
		return nil, err
	}
	cc := &compiled{root: root, noise: c.Noise}
	for i, r := range c.InhibitRules {
		key := fmt.Sprintf("alerting.inhibit_rules[%d]", i)
		src, err := ParseMatchers(key+".source_matchers", r.Source)
		if err != nil {
			return nil, err
		}
		tgt, err := ParseMatchers(key+".target_matchers", r.Target)
		if err != nil {
			return nil, err
		}
		if len(tgt) == 0 {
			return nil, fmt.Errorf("%s.target_matchers: required (a rule without them would mute every alert)", key)
		}
		for j, l := range r.Equal {
			if !validLabel(l) {
				return nil, fmt.Errorf("%s.equal[%d]: invalid label name %q", key, j, l)
			}
		}
		cc.inhibit = append(cc.inhibit, inhibitRule{source: src, target: tgt, equal: r.Equal})
	}
	if err := c.Noise.validate(); err != nil {
		return nil, err
	}
	if err := c.Retry.validate(); err != nil {
		return nil, err
	}
	return cc, nil
}

func compileRoute(key, path string, r Route, parent *route, receivers map[string]bool, quiet map[string]*quietWindow, names map[string]string) (*route, error) {
	out := &route{id: path, receiver: parent.receiver, cont: r.Continue, groupBy: parent.groupBy, groupAll: parent.groupAll,
		groupWait: parent.groupWait, groupInterval: parent.groupInterval, repeat: parent.repeat, quiet: parent.quiet}
	if r.Name != "" {
		if strings.ContainsAny(r.Name, "{}\"") {
			return nil, fmt.Errorf("%s.name: must not contain braces or quotes", key)
		}
		out.id = r.Name
	}
	if prev, ok := names[out.id]; ok {
		return nil, fmt.Errorf("%s.name: %q is also the name of %s", key, out.id, prev)
	}
	names[out.id] = key
	if r.Receiver != "" {
		if !receivers[r.Receiver] {
			return nil, fmt.Errorf("%s.receiver: no receiver is named %q", key, r.Receiver)
		}
		out.receiver = r.Receiver
	}
	ms, err := ParseMatchers(key+".matchers", r.Matchers)
	if err != nil {
		return nil, err
	}
	out.matchers = ms
	if r.GroupBy != nil {
		out.groupBy, out.groupAll = nil, false
		for i, l := range r.GroupBy {
			switch {
			case l == "...":
				if len(r.GroupBy) > 1 {
					return nil, fmt.Errorf("%s.group_by: \"...\" must be alone", key)
				}
				out.groupAll = true
			case validLabel(l):
				out.groupBy = append(out.groupBy, l)
			default:
				return nil, fmt.Errorf("%s.group_by[%d]: invalid label name %q", key, i, l)
			}
		}
	}
	if r.GroupWait != nil {
		if *r.GroupWait < 0 {
			return nil, fmt.Errorf("%s.group_wait: must not be negative", key)
		}
		out.groupWait = *r.GroupWait
	}
	for _, d := range []struct {
		name string
		v    time.Duration
		dst  *time.Duration
	}{{"group_interval", r.GroupInterval, &out.groupInterval}, {"repeat_interval", r.RepeatInterval, &out.repeat}} {
		if d.v < 0 {
			return nil, fmt.Errorf("%s.%s: must not be negative", key, d.name)
		}
		if d.v > 0 {
			*d.dst = d.v
		}
	}
	if r.QuietHours != nil {
		out.quiet = nil
		for i, name := range r.QuietHours {
			w := quiet[name]
			if w == nil {
				return nil, fmt.Errorf("%s.quiet_hours[%d]: no quiet_hours window is named %q", key, i, name)
			}
			out.quiet = append(out.quiet, w)
		}
	}
	for i, child := range r.Routes {
		c, err := compileRoute(fmt.Sprintf("%s.routes[%d]", key, i), fmt.Sprintf("%s/%d", out.id, i), child, out, receivers, quiet, names)
		if err != nil {
			return nil, err
		}
		out.children = append(out.children, c)
	}
	return out, nil
}

func compileQuiet(key string, q QuietHours) (*quietWindow, error) {
	if q.Name == "" {
		return nil, fmt.Errorf("%s.name: required", key)
	}
	w := &quietWindow{name: q.Name, loc: time.UTC, let: map[string]bool{}}
	if q.TimeZone != "" {
		loc, err := time.LoadLocation(q.TimeZone)
		if err != nil {
			return nil, fmt.Errorf("%s.time_zone: %v", key, err)
		}
		w.loc = loc
	}
	if len(q.Weekdays) == 0 {
		for i := range w.days {
			w.days[i] = true
		}
	}
	for i, d := range lower(q.Weekdays) {
		wd, ok := weekdays[d]
		if !ok {
			return nil, fmt.Errorf("%s.weekdays[%d]: want mon, tue, wed, thu, fri, sat or sun, got %q", key, i, q.Weekdays[i])
		}
		w.days[wd] = true
	}
	var err error
	if w.start, err = parseClock(q.Start, false); err != nil {
		return nil, fmt.Errorf("%s.start: %v", key, err)
	}
	if w.end, err = parseClock(q.End, true); err != nil {
		return nil, fmt.Errorf("%s.end: %v", key, err)
	}
	switch q.Action {
	case "", QuietHold:
	case QuietDrop:
		w.drop = true
	default:
		return nil, fmt.Errorf("%s.action: want hold or drop, got %q", key, q.Action)
	}
	let := q.LetThrough
	if let == nil {
		let = []string{"critical"}
	}
	for _, s := range lower(let) {
		w.let[s] = true
	}
	return w, nil
}

// at reports whether t falls in the window, and when that window ends.
func (w *quietWindow) at(t time.Time) (bool, time.Time) {
	lt := t.In(w.loc)
	mins := lt.Hour()*60 + lt.Minute()
	y, m, d := lt.Date()
	clock := func(day, minutes int) time.Time {
		return time.Date(y, m, day, minutes/60, minutes%60, 0, 0, w.loc)
	}
	if w.start < w.end {
		if w.days[lt.Weekday()] && mins >= w.start && mins < w.end {
			return true, clock(d, w.end)
		}
		return false, time.Time{}
	}
	// The window runs past midnight into the next day.
	if w.days[lt.Weekday()] && mins >= w.start {
		return true, clock(d+1, w.end)
	}
	if w.days[(lt.Weekday()+6)%7] && mins < w.end {
		return true, clock(d, w.end)
	}
	return false, time.Time{}
}

// quietAt says whether the route keeps quiet at t: which severities pass,
// whether the rest is dropped, and when the last active window ends.
func (r *route) quietAt(t time.Time) (active, drop bool, let map[string]bool, until time.Time) {
	for _, w := range r.quiet {
		ok, end := w.at(t)
		if !ok {
			continue
		}
		if !active {
			let = map[string]bool{}
			for s := range w.let {
				let[s] = true
			}
		} else {
			// Overlapping windows: only what every one lets through passes.
			for s := range let {
				if !w.let[s] {
					delete(let, s)
				}
			}
		}
		active = true
		drop = drop || w.drop
		if end.After(until) {
			until = end
		}
	}
	return active, drop, let, until
}

// match returns the routes an alert with labels goes to: the deepest
// matching route of each matching branch, stopping at the first matching
// child unless it says continue.
func (r *route) match(labels map[string]string) []*route {
	if !r.matchers.Matches(labels) {
		return nil
	}
	var out []*route
	for _, c := range r.children {
		m := c.match(labels)
		out = append(out, m...)
		if len(m) > 0 && !c.cont {
			break
		}
	}
	if len(out) == 0 {
		out = []*route{r}
	}
	return out
}

// groupLabels are the labels of labels this route groups by.
func (r *route) groupLabels(labels map[string]string) map[string]string {
	out := map[string]string{}
	if r.groupAll {
		for k, v := range labels {
			out[k] = v
		}
		return out
	}
	for _, k := range r.groupBy {
		if v, ok := labels[k]; ok {
			out[k] = v
		}
	}
	return out
}

// groupKey names one group of one route: route id and group labels.
func (r *route) groupKey(group map[string]string) string {
	return r.id + ":" + labelString(group)
}

// Labels returns the labels an alert is routed by: its own Labels, with
// watch, kind, severity, metric and incident taken from its fields when
// set.
func Labels(a earshot.Alert) map[string]string {
	out := make(map[string]string, len(a.Labels)+5)
	for k, v := range a.Labels {
		out[k] = v
	}
	for k, v := range map[string]string{
		"watch": a.Watch, "kind": string(a.Kind), "severity": a.Severity,
		"metric": string(a.Metric), "incident": a.IncidentID,
	} {
		if v != "" {
			out[k] = v
		}
	}
	return out
}

// Match is where routing sends an alert: for tests, the API and config
// checks.
type Match struct {
	Route    string
	Receiver string
	GroupKey string
}

// Routes returns where an alert with labels would go, in tree order.
func (c Config) Routes(labels map[string]string) ([]Match, error) {
	cc, err := compile(c)
	if err != nil {
		return nil, err
	}
	var out []Match
	for _, r := range cc.root.match(labels) {
		out = append(out, Match{Route: r.id, Receiver: r.receiver, GroupKey: r.groupKey(r.groupLabels(labels))})
	}
	return out, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
