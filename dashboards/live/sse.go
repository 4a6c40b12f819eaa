package live

import (
	"bufio"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot/internal/httpjson"
)

// ServeHTTP streams events as Server-Sent Events (GET /api/v1/events).
// Every event goes out as
//
//	id: 42
//	data: {"id":42,"type":"spike","at":"...","data":{...}}
//
// A client resuming with Last-Event-ID (or ?last_event_id=) first gets what
// it missed; when that is no longer kept it gets an event named "reset"
// and should reload. Idle streams get a comment line every Heartbeat.
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		httpjson.Error(w, http.StatusMethodNotAllowed, "the event stream is read with GET")
		return
	}
	raw := r.Header.Get("Last-Event-ID")
	if raw == "" {
		raw = r.URL.Query().Get("last_event_id")
	}
	var lastID uint64
	resume := raw != ""
	if resume {
		var err error
		if lastID, err = strconv.ParseUint(strings.TrimSpace(raw), 10, 64); err != nil {
			httpjson.Error(w, http.StatusBadRequest, fmt.Sprintf("Last-Event-ID %q: must be the id of an event this stream sent", truncate(raw, 40)))
			return
		}
	}
	sub, replay, reset, err := h.Subscribe(lastID, resume)
	if err != nil {
		w.Header().Set("Retry-After", "10")
		httpjson.Error(w, http.StatusServiceUnavailable, "too many live pages are open; try again shortly")
		return
	}
	defer sub.Cancel()

	rc := http.NewResponseController(w)
	// The server's read and write timeouts are meant for requests that
	// end; this one does not. Each write gets its own deadline instead.
	_ = rc.SetReadDeadline(time.Time{})
	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)

	bw := bufio.NewWriter(w)
	send := func() bool {
		_ = rc.SetWriteDeadline(time.Now().Add(h.opts.WriteTimeout))
		if bw.Flush() != nil {
			return false
		}
		err := rc.Flush()
		return err == nil || errors.Is(err, http.ErrNotSupported)
	}
	fmt.Fprint(bw, "retry: 3000\n\n")
	if reset {
		fmt.Fprintf(bw, "id: %d\nevent: reset\ndata: {}\n\n", h.Last())
	}
	for _, f := range replay {
		writeFrame(bw, f)
	}
	if !send() {
		return
	}
	beat := time.NewTicker(h.opts.Heartbeat)
	defer beat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-sub.lost:
			// Too slow, or the hub closed: the client reconnects and
			// resumes from the last event it got.
			return
		case f := <-sub.ch:
			writeFrame(bw, f)
			// Take what else is queued in the same write.
			for more := true; more; {
				select {
				case f := <-sub.ch:
					writeFrame(bw, f)
				default:
					more = false
				}
			}
		case <-beat.C:
			fmt.Fprint(bw, ": ping\n\n")
		}
		if !send() {
			return
		}
	}
}

func writeFrame(w *bufio.Writer, f frame) {
	// JSON has no raw newlines, so the data is one line.
	fmt.Fprintf(w, "id: %d\ndata: %s\n\n", f.id, f.data)
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
