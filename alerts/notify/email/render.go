package email

import (
	"fmt"
	"html/template"
	"net/url"
	"strings"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/alerts/notify"
)

// view is an alert as both parts show it; the HTML template escapes it.
type view struct {
	Resolved bool
	EndsAt   string
	Kind     string
	Watch    string
	Summary  string
	Severity string
	Metric   string
	Started  string
	Terms    string
	Reasons  string
	Sources  string
	Incident string
	Link     string
	Posts    []postView
}

type postView struct {
	Text string
	Who  string
	URL  string
}

const stamp = "2006-01-02 15:04 MST"

func views(n earshot.Notification) []view {
	firing, resolved := notify.Split(n)
	var out []view
	for _, a := range append(append([]earshot.Alert(nil), firing...), resolved...) {
		v := view{
			Resolved: notify.Resolved(a, n.At),
			Kind:     notify.KindTitle(a.Kind),
			Watch:    notify.WatchName(a),
			Summary:  notify.OneLine(a.Summary),
			Severity: a.Severity,
			Metric:   string(a.Metric),
			Incident: notify.Incident(a),
			Link:     notify.OneLine(a.Why.Link),
			Terms:    orNone(terms(a.Why.Terms)),
			Reasons:  orNone(counts(a.Why.Reasons)),
			Sources:  orNone(counts(a.Why.Sources)),
		}
		if !a.StartsAt.IsZero() {
			v.Started = a.StartsAt.UTC().Format(stamp)
		}
		if !a.EndsAt.IsZero() {
			v.EndsAt = a.EndsAt.UTC().Format(stamp)
		}
		for i, p := range a.Why.Posts {
			if i == 3 {
				break
			}
			pv := postView{Text: notify.Truncate(notify.OneLine(p.Text), 500), Who: p.Source}
			if p.Author.Handle != "" {
				pv.Who = "@" + notify.OneLine(p.Author.Handle) + " on " + p.Source
			}
			if u, err := url.Parse(p.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
				pv.URL = u.String()
			}
			v.Posts = append(v.Posts, pv)
		}
		out = append(out, v)
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func terms(ts []earshot.TermLift) string {
	var parts []string
	for i, t := range ts {
		if i == 5 {
			break
		}
		parts = append(parts, fmt.Sprintf("%s ×%d (%.1f× usual)", notify.OneLine(t.Term), t.Count, t.Lift))
	}
	return strings.Join(parts, ", ")
}

func counts(cs []earshot.Count) string {
	var parts []string
	for i, c := range cs {
		if i == 5 {
			break
		}
		parts = append(parts, fmt.Sprintf("%s %d (%.0f%%)", notify.OneLine(c.Name), c.Count, c.Share*100))
	}
	return strings.Join(parts, ", ")
}

func renderText(n earshot.Notification) string {
	var b strings.Builder
	b.WriteString(notify.Title(n) + "\n\n")
	for _, v := range views(n) {
		if v.Resolved {
			b.WriteString("RESOLVED")
			if v.EndsAt != "" {
				b.WriteString(" at " + v.EndsAt)
			}
			b.WriteString(": ")
		}
		fmt.Fprintf(&b, "%s on %s\n", v.Kind, v.Watch)
		if v.Summary != "" {
			b.WriteString(v.Summary + "\n")
		}
		fmt.Fprintf(&b, "Severity: %s", v.Severity)
		if v.Metric != "" {
			fmt.Fprintf(&b, " · Metric: %s", v.Metric)
		}
		if v.Started != "" {
			fmt.Fprintf(&b, " · Started: %s", v.Started)
		}
		fmt.Fprintf(&b, "\nTop terms: %s\nReasons: %s\nSources: %s\nIncident: %s\n", v.Terms, v.Reasons, v.Sources, v.Incident)
		if v.Link != "" {
			b.WriteString(v.Link + "\n")
		}
		if len(v.Posts) > 0 {
			b.WriteString("Representative posts:\n")
			for _, p := range v.Posts {
				fmt.Fprintf(&b, "  > %s\n    — %s", p.Text, p.Who)
				if p.URL != "" {
					b.WriteString(" " + p.URL)
				}
				b.WriteString("\n")
			}
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "-- \nEarshot · receiver %s · %s\n", n.Receiver, n.At.UTC().Format(stamp))
	return b.String()
}

var page = template.Must(template.New("email").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1d1d1f">
<h2>{{.Title}}</h2>
{{range .Alerts}}<div style="border-left:4px solid {{if .Resolved}}#2e7d32{{else if eq .Severity "critical"}}#c62828{{else}}#f9a825{{end}};padding:4px 12px;margin:12px 0">
<h3 style="margin:4px 0">{{if .Resolved}}Resolved{{with .EndsAt}} at {{.}}{{end}}: {{end}}{{.Kind}} on {{.Watch}}</h3>
{{with .Summary}}<p>{{.}}</p>{{end}}
<p style="color:#555">Severity: {{.Severity}}{{with .Metric}} · Metric: {{.}}{{end}}{{with .Started}} · Started: {{.}}{{end}}</p>
<table cellpadding="3">
<tr><th align="left">Top terms</th><td>{{.Terms}}</td></tr>
<tr><th align="left">Reasons</th><td>{{.Reasons}}</td></tr>
<tr><th align="left">Sources</th><td>{{.Sources}}</td></tr>
<tr><th align="left">Incident</th><td>{{.Incident}}</td></tr>
</table>
{{with .Link}}<p><em>{{.}}</em></p>{{end}}
{{if .Posts}}<h4>Representative posts</h4>{{range .Posts}}
<blockquote style="margin:6px 0;padding-left:8px;border-left:2px solid #ccc">{{.Text}}<br><small>— {{.Who}}{{with .URL}} · <a href="{{.}}">link</a>{{end}}</small></blockquote>{{end}}{{end}}
</div>{{end}}
<p style="color:#888"><small>Earshot · receiver {{.Receiver}} · {{.At}}</small></p>
</body></html>
`))

func renderHTML(n earshot.Notification) (string, error) {
	var b strings.Builder
	err := page.Execute(&b, struct {
		Title, Receiver, At string
		Alerts              []view
	}{notify.Title(n), n.Receiver, n.At.UTC().Format(stamp), views(n)})
	return b.String(), err
}
