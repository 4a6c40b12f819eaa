package web

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot"
)

// PublishChannel is a configured publishing channel as the publish page
// offers it.
type PublishChannel struct {
	Name string
	// Limit is the longest text it takes, counted in Unit (runes,
	// graphemes or weighted).
	Limit int
	Unit  string
	// Kind is the draft it takes: statuspage (long) or social (short).
	Kind string
}

// PublishOptions turn on the publish page (GET /incidents/{id}/publish),
// which drafts, previews and publishes through the publishing API.
type PublishOptions struct {
	// Publications lists what was published; nil turns the page off.
	Publications earshot.PublicationStore
	// Channels are the configured channels, in the order to show them.
	Channels []PublishChannel
	// Approval says publications wait for a second person.
	Approval bool
}

var publishPhases = []string{"investigating", "identified", "monitoring", "resolved", "postmortem"}

var channelTitles = map[string]string{
	"statuspage": "Status page", "mastodon": "Mastodon", "bluesky": "Bluesky", "x": "X", "slack": "Slack",
}

type publishData struct {
	Title     string
	Now       string
	Incident  earshot.Incident
	Started   string
	Services  string
	Phases    []phaseOption
	Channels  []channelOption
	Approval  bool
	Rows      []publicationRow
	HasSocial bool
	HasLong   bool
}

type phaseOption struct {
	Name     string
	Selected bool
}

type channelOption struct {
	PublishChannel
	Title string
}

type publicationRow struct {
	ID, Channel, Phase, State, By, ApprovedBy, Text, Error string
	When, ISO                                              string
	URL                                                    template.URL
	Link                                                   string
	Pending                                                bool
}

func (s *Server) handlePublish(w http.ResponseWriter, r *http.Request) {
	po := s.opts.Publish
	if po.Publications == nil {
		pageError(w, http.StatusNotFound, "publishing is not set up on this server (see docs/publishing.md)")
		return
	}
	ctx := r.Context()
	inc, err := s.store.Incident(ctx, r.PathValue("id"))
	if errors.Is(err, earshot.ErrNotFound) {
		pageError(w, http.StatusNotFound, "no such incident")
		return
	}
	if err != nil {
		s.pageFailed(w, r, "loading the incident", err)
		return
	}
	pubs, err := po.Publications.Publications(ctx, inc.ID)
	if err != nil {
		s.pageFailed(w, r, "loading publications", err)
		return
	}
	d := publishData{Title: s.opts.Title, Now: s.opts.Now().UTC().Format("Mon 2 Jan 2006 15:04 UTC"), Incident: inc,
		Started: inc.StartedAt.UTC().Format("Mon 2 Jan 15:04 UTC"), Services: strings.Join(inc.Services, ", "), Approval: po.Approval}
	phase := string(inc.Status)
	if !slices.Contains(publishPhases, phase) {
		phase = "investigating"
	}
	if len(po.Channels) == 0 { // drafts of both kinds, to copy
		d.HasLong, d.HasSocial = true, true
	}
	for _, p := range publishPhases {
		d.Phases = append(d.Phases, phaseOption{Name: p, Selected: p == phase})
	}
	for _, c := range po.Channels {
		title := channelTitles[c.Name]
		if title == "" {
			title = c.Name
		}
		d.Channels = append(d.Channels, channelOption{PublishChannel: c, Title: title})
		if c.Kind == "social" {
			d.HasSocial = true
		} else {
			d.HasLong = true
		}
	}
	for i := len(pubs) - 1; i >= 0; i-- { // newest first
		d.Rows = append(d.Rows, publicationRow_(pubs[i]))
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	var buf bytes.Buffer
	if err := publishPage.Execute(&buf, d); err != nil {
		s.log.Error("rendering the publish page", "err", err)
		pageError(w, http.StatusInternalServerError, "rendering the publish page failed; see the server log")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

var publishPage = template.Must(template.New("publish.html").ParseFS(assets, "assets/publish.html"))

// publicationRow_ is how the page shows a publication: a link only to an
// http(s) address.
func publicationRow_(p earshot.Publication) publicationRow {
	row := publicationRow{ID: p.ID, Channel: p.Channel, Phase: p.Phase, State: p.State, By: p.By, ApprovedBy: p.ApprovedBy,
		Text: p.Text, Error: p.Error, Pending: p.State == "pending"}
	if t := channelTitles[p.Channel]; t != "" {
		row.Channel = t
	}
	at := p.CreatedAt
	if !p.PublishedAt.IsZero() {
		at = p.PublishedAt
	}
	row.When, row.ISO = at.UTC().Format("2 Jan 15:04 UTC"), at.UTC().Format(time.RFC3339)
	if strings.HasPrefix(p.URL, "https://") || strings.HasPrefix(p.URL, "http://") {
		row.URL, row.Link = template.URL(p.URL), p.URL
	}
	return row
}
