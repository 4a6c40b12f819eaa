package live

import (
	"bufio"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/memstore"
)

var t0 = time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)

func ids(fs []frame) []uint64 {
	var out []uint64
	for _, f := range fs {
		out = append(out, f.id)
	}
	return out
}

func TestHubResume(t *testing.T) {
	h := NewHub(Options{Buffer: 3})
	for range 5 {
		h.Publish(earshot.Event{Type: earshot.EventSpike, At: t0})
	}
	cases := []struct {
		name   string
		last   uint64
		resume bool
		want   []uint64
		reset  bool
	}{
		{"fresh", 0, false, nil, false},
		{"missed two", 3, true, []uint64{4, 5}, false},
		{"missed the oldest kept", 2, true, []uint64{3, 4, 5}, false},
		{"missed more than kept", 1, true, nil, true},
		{"up to date", 5, true, nil, false},
		{"from another run", 9, true, nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sub, replay, reset, err := h.Subscribe(c.last, c.resume)
			if err != nil {
				t.Fatal(err)
			}
			defer sub.Cancel()
			if got := ids(replay); !slicesEqual(got, c.want) || reset != c.reset {
				t.Errorf("replay %v reset %v, want %v reset %v", got, reset, c.want, c.reset)
			}
		})
	}
}

func slicesEqual(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestHubDropsSlowClientAndLimitsClients(t *testing.T) {
	h := NewHub(Options{ClientQueue: 2, MaxClients: 2})
	slow, _, _, err := h.Subscribe(0, false)
	if err != nil {
		t.Fatal(err)
	}
	fast, _, _, err := h.Subscribe(0, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := h.Subscribe(0, false); !errors.Is(err, ErrTooManyClients) {
		t.Fatalf("third client: %v, want ErrTooManyClients", err)
	}
	for i := range 3 {
		h.Publish(earshot.Event{Type: earshot.EventAlert})
		if i < 2 {
			<-fast.ch // the fast client keeps up
		}
	}
	select {
	case <-slow.lost:
	default:
		t.Fatal("a client that took nothing of 3 events with a queue of 2 is still subscribed")
	}
	select {
	case <-fast.lost:
		t.Fatal("a client that kept up was dropped")
	default:
	}
	if n, dropped := h.Stats(); n != 1 || dropped != 1 {
		t.Errorf("stats: %d clients, %d dropped; want 1, 1", n, dropped)
	}
	// The slow client's place is free again.
	again, _, _, err := h.Subscribe(0, false)
	if err != nil {
		t.Fatalf("subscribing after a drop: %v", err)
	}
	again.Cancel()
	fast.Cancel()
}

// stream reads an SSE response's events (id, event name, data) and
// comment lines.
type stream struct {
	r *bufio.Reader
}

type sseEvent struct {
	id, name, data, comment string
}

func (s stream) next(t *testing.T) sseEvent {
	t.Helper()
	var e sseEvent
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			t.Fatalf("reading the stream: %v", err)
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case line == "":
			if e != (sseEvent{}) {
				return e
			}
		case strings.HasPrefix(line, ":"):
			e.comment = strings.TrimSpace(line[1:])
		case strings.HasPrefix(line, "id: "):
			e.id = line[4:]
		case strings.HasPrefix(line, "event: "):
			e.name = line[7:]
		case strings.HasPrefix(line, "data: "):
			e.data = line[6:]
		case strings.HasPrefix(line, "retry: "):
		default:
			t.Fatalf("unexpected line %q", line)
		}
	}
}

func open(t *testing.T, url, lastID string) (stream, *http.Response) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return stream{bufio.NewReader(resp.Body)}, resp
}

func TestServeSSE(t *testing.T) {
	h := NewHub(Options{Buffer: 2, Heartbeat: time.Millisecond, MaxClients: 3})
	srv := httptest.NewServer(h)
	defer srv.Close()
	defer h.Close()

	s, resp := open(t, srv.URL, "")
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("Content-Type %q", ct)
	}
	// Heartbeats come while nothing happens.
	if e := s.next(t); e.comment != "ping" {
		t.Fatalf("first thing on an idle stream: %+v, want a ping", e)
	}
	h.Publish(earshot.Event{Type: earshot.EventIncident, IncidentID: "manual:1", At: t0,
		Data: earshot.Incident{ID: "manual:1", Title: `<script>alert(1)</script>`}})
	var e sseEvent
	for e = s.next(t); e.comment != ""; e = s.next(t) {
	}
	if e.id != "1" {
		t.Fatalf("event id %q, want 1", e.id)
	}
	var got earshot.Event
	var inc struct{ Title string }
	got.Data = &inc
	if err := json.Unmarshal([]byte(e.data), &got); err != nil {
		t.Fatalf("data %q: %v", e.data, err)
	}
	if got.ID != 1 || got.Type != earshot.EventIncident || got.IncidentID != "manual:1" || inc.Title != `<script>alert(1)</script>` {
		t.Errorf("event %+v %+v", got, inc)
	}

	h.Publish(earshot.Event{Type: earshot.EventSpike})
	h.Publish(earshot.Event{Type: earshot.EventAlert})
	// Resuming after event 1: events 2 and 3 first.
	r, _ := open(t, srv.URL, "1")
	var replayed []string
	for len(replayed) < 2 {
		if e := r.next(t); e.comment == "" {
			replayed = append(replayed, e.id)
		}
	}
	if strings.Join(replayed, ",") != "2,3" {
		t.Errorf("resumed after 1: got %v, want 2,3", replayed)
	}
	// Resuming after what the ring lost: a reset, naming the latest id.
	x, _ := open(t, srv.URL, "0")
	for e = x.next(t); e.comment != ""; e = x.next(t) {
	}
	if e.name != "reset" || e.id != "3" {
		t.Errorf("resumed after a lost event: %+v, want a reset with id 3", e)
	}

	// A fourth stream is refused, plainly.
	resp4, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp4.Body.Close()
	if resp4.StatusCode != http.StatusServiceUnavailable || resp4.Header.Get("Retry-After") == "" {
		t.Errorf("fourth client: %d, Retry-After %q", resp4.StatusCode, resp4.Header.Get("Retry-After"))
	}
	bad, err := http.NewRequest(http.MethodGet, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	bad.Header.Set("Last-Event-ID", "yesterday")
	resp5, err := http.DefaultClient.Do(bad)
	if err != nil {
		t.Fatal(err)
	}
	resp5.Body.Close()
	if resp5.StatusCode != http.StatusBadRequest {
		t.Errorf("Last-Event-ID yesterday: %d, want 400", resp5.StatusCode)
	}
}

// TestStreamOutlivesWriteTimeout: a server's WriteTimeout would cut the
// stream at its first write after the timeout; each write sets its own
// deadline instead.
func TestStreamOutlivesWriteTimeout(t *testing.T) {
	h := NewHub(Options{Heartbeat: time.Hour})
	srv := httptest.NewUnstartedServer(h)
	srv.Config.WriteTimeout = 50 * time.Millisecond
	srv.Config.ReadTimeout = 50 * time.Millisecond
	srv.Start()
	defer srv.Close()
	defer h.Close()
	s, _ := open(t, srv.URL, "")
	// Wait until the stream is subscribed, then past both timeouts.
	for n, _ := h.Stats(); n == 0; n, _ = h.Stats() {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(120 * time.Millisecond)
	h.Publish(earshot.Event{Type: earshot.EventSpike})
	if e := s.next(t); e.id != "1" {
		t.Errorf("after the server's timeouts: %+v, want event 1", e)
	}
}

func TestCloseEndsStreams(t *testing.T) {
	h := NewHub(Options{Heartbeat: time.Hour})
	srv := httptest.NewServer(h)
	defer srv.Close()
	_, resp := open(t, srv.URL, "")
	for n, _ := h.Stats(); n == 0; n, _ = h.Stats() {
		time.Sleep(time.Millisecond)
	}
	h.Close()
	buf := make([]byte, 512)
	for {
		if _, err := resp.Body.Read(buf); err != nil {
			break // the stream ended
		}
	}
	if _, _, _, err := h.Subscribe(0, false); err == nil {
		t.Error("a closed hub took a subscriber")
	}
}

type recorder struct{ events []earshot.Event }

func (r *recorder) Publish(e earshot.Event) { r.events = append(r.events, e) }

func TestStorePublishes(t *testing.T) {
	rec := &recorder{}
	st := Wrap(memstore.New(), rec)
	ctx := t.Context()
	neg := earshot.Sentiment{Score: -0.8, Label: earshot.Negative}
	posts := []earshot.Post{
		{ID: "x:1", Source: "x", Text: "down", CreatedAt: t0.Add(10 * time.Second), Watches: []string{"acme", "acme-db"}, Sentiment: neg},
		{ID: "x:2", Source: "x", Text: "fine", CreatedAt: t0.Add(20 * time.Second), Watches: []string{"acme"}},
		{ID: "x:3", Source: "x", Text: "still down", CreatedAt: t0.Add(70 * time.Second), Watches: []string{"acme"}, Sentiment: neg},
	}
	if err := st.SavePosts(ctx, posts); err != nil {
		t.Fatal(err)
	}
	if len(rec.events) != 0 {
		t.Fatalf("posts published one by one: %+v", rec.events)
	}
	if !st.FlushPosts() {
		t.Fatal("nothing flushed after saving posts")
	}
	want := []earshot.PostCount{
		{Watch: "acme", Minute: t0, Posts: 2, Negative: 1},
		{Watch: "acme-db", Minute: t0, Posts: 1, Negative: 1},
		{Watch: "acme", Minute: t0.Add(time.Minute), Posts: 1, Negative: 1},
	}
	got, _ := rec.events[0].Data.([]earshot.PostCount)
	if rec.events[0].Type != earshot.EventPosts || len(got) != len(want) {
		t.Fatalf("flushed %+v", rec.events[0])
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("count %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if st.FlushPosts() {
		t.Error("a second flush with nothing new published")
	}

	inc := earshot.Incident{ID: "manual:1", Title: "Outage", Status: earshot.Investigating, StartedAt: t0}
	if err := st.SaveIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	f := earshot.FollowUp{ID: "f1", Source: "x", State: earshot.FollowUpOpen, IncidentID: "manual:1", CreatedAt: t0,
		Author: earshot.Author{ID: "u1", Handle: "secret_handle"}}
	if err := st.SaveFollowUp(ctx, f); err != nil {
		t.Fatal(err)
	}
	if _, err := st.MoveFollowUp(ctx, "f1", earshot.Transition{To: earshot.FollowUpContacted, At: t0}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.MoveFollowUp(ctx, "f1", earshot.Transition{To: earshot.FollowUpOpen, At: t0}); err == nil {
		t.Fatal("a move back to open was allowed")
	}
	if err := st.SaveSpike(ctx, earshot.Spike{ID: "s1", IncidentID: "manual:1", Start: t0}); err != nil {
		t.Fatal(err)
	}
	if err := st.SavePublication(ctx, earshot.Publication{ID: "p1", IncidentID: "manual:1", Channel: "mastodon", State: "published", CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, e := range rec.events[1:] {
		types = append(types, string(e.Type)+"/"+e.IncidentID)
	}
	if w := "incident/manual:1 followup/manual:1 followup/manual:1 spike/manual:1 publication/manual:1"; strings.Join(types, " ") != w {
		t.Errorf("published %q, want %q (a refused move publishes nothing)", strings.Join(types, " "), w)
	}
	b, _ := json.Marshal(rec.events[3].Data)
	if strings.Contains(string(b), "secret_handle") || !strings.Contains(string(b), `"state":"contacted"`) {
		t.Errorf("follow-up event %s: want the state, not the customer", b)
	}
}
