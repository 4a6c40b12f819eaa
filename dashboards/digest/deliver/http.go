package deliver

import (
	"errors"
	"html/template"
	"net/http"
	"strings"

	"github.com/earshot/earshot"
)

// Handler serves the digests sent: GET /digests lists them, newest first;
// GET /digests/{id} shows one as its recipients got it (the HTML, or the
// Markdown with ?format=md). The pages only read.
type Handler struct {
	Store earshot.DigestStore
}

var listTemplate = template.Must(template.New("list").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Digests sent · Earshot</title>
<style>body{font:14px/1.5 system-ui,sans-serif;margin:24px;color:#1d2330}table{border-collapse:collapse}th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #e4e7ec}.bad{color:#d1453b}</style>
</head><body><h1>Digests sent</h1>
{{if .}}<table><tr><th>Sent</th><th>Digest</th><th>Period</th><th>Recipients</th><th>Outcome</th></tr>
{{range .}}<tr><td>{{.SentAt.Format "2006-01-02 15:04 MST"}}</td><td><a href="/digests/{{.ID}}">{{.Subject}}</a> <a href="/digests/{{.ID}}?format=md">md</a></td>
<td>{{.From.Format "2 Jan 15:04"}} – {{.To.Format "2 Jan 2006 15:04"}}</td><td>{{len .Recipients}}</td>
<td>{{if .OK}}delivered{{else}}<span class="bad">{{.Error}}</span>{{end}}</td></tr>{{end}}
</table>{{else}}<p>No digest has been sent yet. Configure them under <code>digests:</code>.</p>{{end}}
</body></html>`))

func (h Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "use GET", http.StatusMethodNotAllowed)
		return
	}
	id := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/digests"), "/")
	if id == "" {
		list, err := h.Store.SentDigests(r.Context(), 200)
		if err != nil {
			http.Error(w, "the store did not answer", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		listTemplate.Execute(w, list)
		return
	}
	d, err := h.Store.SentDigest(r.Context(), id)
	if errors.Is(err, earshot.ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, "the store did not answer", http.StatusServiceUnavailable)
		return
	}
	if r.URL.Query().Get("format") == "md" {
		w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
		w.Write([]byte(d.Markdown))
		return
	}
	// The page is the digest as rendered (every post's text escaped); the
	// policy forbids scripts and anything loaded from elsewhere anyway.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src data:; style-src 'unsafe-inline'")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(d.HTML))
}
