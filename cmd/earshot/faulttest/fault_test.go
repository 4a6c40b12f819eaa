package faulttest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/duckdb"
)

const (
	faultDirEnv   = "EARSHOT_FAULT_DIR"
	faultTokenEnv = "EARSHOT_FAULT_TOKEN"
	faultToken    = "fault-test-token"
)

// earshotBin is the earshot binary built with -tags faultinject, whose
// DuckDB store hangs or refuses while the test says so (see
// cmd/earshot/faultinject.go).
var earshotBin string

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		os.Exit(m.Run()) // every test here skips
	}
	dir, err := os.MkdirTemp("", "earshot-faulttest")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	earshotBin = filepath.Join(dir, "earshot")
	build := exec.Command("go", "build", "-tags", "faultinject", "-o", earshotBin, "github.com/earshot/earshot/cmd/earshot")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building earshot with -tags faultinject:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// faultPlan is one fault run.
type faultPlan struct {
	store string // DSN; "" for a DuckDB file in the run's directory
	// freeze makes the store hang (or, with refuse, refuse) for
	// freezeFor from freezeAt.
	freeze              func(on bool)
	refuse              bool
	freezeAt, freezeFor time.Duration
	killAt              time.Duration // SIGKILL and restart at; 0: never
	termAt              time.Duration // SIGTERM and restart at; 0: never
	load                time.Duration // how long the feed grows and pushers push
	feedRate            int           // feed items a second
	pushers, pushBatch  int           // concurrent pushers, posts per push
	pushEvery           time.Duration
	spoolBytes          int64
	// count returns the rows stored and the distinct IDs among them, by
	// source, once the child has stopped.
	count func(t *testing.T, source string, ids []string) (rows, distinct, found int)
}

// faultReport is what a run measured.
type faultReport struct {
	FeedItems, FeedStored, FeedRows    int
	Pushed, Acked, AckedStored, Rows   int
	Refused503, ConnErrors, RetryAfter int
	Restarts                           int
	PeakRSSMiB                         float64
	// TermSeconds is how long the SIGTERM under load took (termAt);
	// ShutdownSeconds the last one, after the load.
	TermSeconds, ShutdownSeconds float64
}

func runFault(t *testing.T, name string, plan faultPlan) faultReport {
	t.Helper()
	dir := t.TempDir()
	if plan.store == "" {
		plan.store = "duckdb://" + filepath.Join(dir, "earshot.duckdb")
	}
	if plan.freeze == nil {
		plan.freeze = func(on bool) {
			path := filepath.Join(dir, "freeze")
			if plan.refuse {
				path = filepath.Join(dir, "refuse")
			}
			if on {
				os.WriteFile(path, nil, 0o600)
			} else {
				os.Remove(path)
			}
		}
	}
	feed := newGrowingFeed(plan.feedRate)
	srv := httptest.NewServer(feed)
	defer srv.Close()

	addr := freeAddr(t)
	cfgPath := filepath.Join(dir, "earshot.yaml")
	spoolDir := filepath.Join(dir, "spool")
	if os.Getenv("EARSHOT_FAULT_NO_SPOOL") != "" {
		spoolDir = "none" // the control run: what the same faults do without a spool
	}
	cfg := fmt.Sprintf(`store: %s
listen: %s
log_level: warn
pipeline:
  flush_interval: 500ms
spool:
  dir: %s
  max_bytes: %d
ingest:
  tokens: [env:%s]
collectors:
  - type: rss
    name: growing
    interval: 1s
    url: %s
    allow_private_networks: true
`, plan.store, addr, spoolDir, plan.spoolBytes, faultTokenEnv, srv.URL)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	child := &serveChild{t: t, cfg: cfgPath, dir: dir, base: "http://" + addr}
	child.start()
	child.waitReady()
	defer child.kill()

	var rep faultReport
	ctx, stopLoad := context.WithTimeout(t.Context(), plan.load)
	defer stopLoad()
	feed.begin()
	var pushers []*pusher
	var wg sync.WaitGroup
	for i := range plan.pushers {
		p := &pusher{url: child.base + "/api/v1/ingest", prefix: fmt.Sprintf("p%d-", i), batch: plan.pushBatch, every: plan.pushEvery}
		pushers = append(pushers, p)
		wg.Go(func() { p.run(ctx) })
	}
	start := time.Now()
	faultDone := make(chan struct{})
	go func() {
		defer close(faultDone)
		type step struct {
			at time.Duration
			do func()
		}
		var steps []step
		if plan.killAt > 0 {
			steps = append(steps, step{plan.killAt, func() {
				// Restart at once; the pushers retry until it answers.
				child.kill()
				child.start()
			}})
		}
		if plan.termAt > 0 {
			steps = append(steps, step{plan.termAt, func() {
				// Under load: what comes after is refused, not lost.
				rep.TermSeconds = child.term()
				child.start()
			}})
		}
		if plan.freezeFor > 0 {
			steps = append(steps, step{plan.freezeAt, func() { plan.freeze(true) }}, step{plan.freezeAt + plan.freezeFor, func() { plan.freeze(false) }})
		}
		for len(steps) > 0 {
			next := 0
			for i, s := range steps {
				if s.at < steps[next].at {
					next = i
				}
			}
			time.Sleep(time.Until(start.Add(steps[next].at)))
			steps[next].do()
			steps = append(steps[:next], steps[next+1:]...)
		}
	}()
	wg.Wait()
	<-faultDone
	feed.stop()

	// Let the collector finish a run that fetched the whole feed, and the
	// pipeline store all.
	deadline := time.Now().Add(60 * time.Second)
	for {
		m := child.metrics()
		whole := feed.servedWhole()
		if !whole.IsZero() && m["earshot_collector_last_success_timestamp_seconds"] > float64(whole.UnixNano())/1e9 &&
			m["earshot_pipeline_pending"] == 0 && m["earshot_spool_records"] == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the child did not catch up within a minute: %v\n%s", m, child.stderr)
		}
		time.Sleep(200 * time.Millisecond)
	}
	rep.ShutdownSeconds = child.term()
	rep.PeakRSSMiB = float64(child.peakRSS.Load()) / 1024
	rep.Restarts = child.starts - 1

	var acked []string
	for _, p := range pushers {
		rep.Pushed += p.sent
		rep.Acked += len(p.acked)
		rep.Refused503 += p.refused
		rep.ConnErrors += p.connErrors
		rep.RetryAfter += p.retryAfter
		acked = append(acked, p.acked...)
	}
	rep.FeedItems = feed.count()
	var distinct int
	rep.Rows, distinct, rep.AckedStored = plan.count(t, "push", acked)
	rep.FeedRows, rep.FeedStored, _ = plan.count(t, "rss", nil)
	b, _ := json.Marshal(rep)
	t.Logf("fault report %s: %s", name, b)

	if rep.AckedStored != rep.Acked {
		t.Errorf("%d of %d acknowledged pushes lost", rep.Acked-rep.AckedStored, rep.Acked)
	}
	if rep.Rows != distinct {
		t.Errorf("pushes stored %d rows for %d posts: duplicates", rep.Rows, distinct)
	}
	if rep.FeedStored != rep.FeedItems || rep.FeedRows != rep.FeedStored {
		t.Errorf("feed: %d items published, %d stored in %d rows", rep.FeedItems, rep.FeedStored, rep.FeedRows)
	}
	if rep.ShutdownSeconds > 25 || rep.TermSeconds > 25 {
		t.Errorf("SIGTERM took %.1fs (%.1fs under load), more than 25s", rep.ShutdownSeconds, rep.TermSeconds)
	}
	return rep
}

// duckCount opens the DuckDB file the child left and counts the posts of
// source, and how many of ids it holds.
func duckCount(path string) func(t *testing.T, source string, ids []string) (int, int, int) {
	return func(t *testing.T, source string, ids []string) (rows, distinct, found int) {
		st, err := duckdb.Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		seen := map[string]int{}
		// Posts lists at most 10,000 at a time: page by creation time,
		// halving a window that comes back full.
		var list func(from, to time.Time)
		list = func(from, to time.Time) {
			ps, err := st.Posts(t.Context(), earshot.PostQuery{From: from, To: to, Source: source, Limit: 10_000})
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) == 10_000 {
				mid := from.Add(to.Sub(from) / 2)
				list(from, mid)
				list(mid, to)
				return
			}
			for _, p := range ps {
				seen[p.ID]++
				rows++
			}
		}
		list(faultEpoch.Add(-time.Hour), faultEpoch.Add(48*time.Hour))
		for _, id := range ids {
			if seen[id] > 0 {
				found++
			}
		}
		return rows, len(seen), found
	}
}

// faultEpoch dates the feed's items and the pushed posts.
var faultEpoch = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

// growingFeed is an RSS feed that gains rate items a second from begin
// to stop, and shows them all (newest first).
type growingFeed struct {
	rate    int
	mu      sync.Mutex
	started time.Time
	final   int       // -1 while growing
	whole   time.Time // when the whole final feed was first served
}

// servedWhole returns when the feed, stopped, was first served whole
// (zero: not yet).
func (f *growingFeed) servedWhole() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.whole
}

func newGrowingFeed(rate int) *growingFeed { return &growingFeed{rate: rate, final: -1} }

func (f *growingFeed) begin() {
	f.mu.Lock()
	f.started = time.Now()
	f.mu.Unlock()
}

func (f *growingFeed) stop() {
	n := f.count()
	f.mu.Lock()
	f.final = n
	f.mu.Unlock()
}

func (f *growingFeed) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.final >= 0 {
		return f.final
	}
	if f.started.IsZero() {
		return 0
	}
	return int(time.Since(f.started).Seconds() * float64(f.rate))
}

func (f *growingFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := f.count()
	f.mu.Lock()
	if f.final >= 0 && f.whole.IsZero() {
		f.whole = time.Now()
	}
	f.mu.Unlock()
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>growing</title><link>https://feed.example.com/</link>`)
	for i := n - 1; i >= 0; i-- {
		fmt.Fprintf(&b, `<item><guid>https://feed.example.com/item/%d</guid><title>Item %d</title><description>Acme status item %d</description><pubDate>%s</pubDate></item>`,
			i, i, i, faultEpoch.Add(time.Duration(i)*time.Second).Format(time.RFC1123Z))
	}
	b.WriteString(`</channel></rss>`)
	w.Header().Set("Content-Type", "application/rss+xml")
	w.Write(b.Bytes())
}

// pusher POSTs batches of new posts every interval; a batch refused (503,
// or no answer) is sent again, after Retry-After when given, until it is
// acknowledged or the load ends.
type pusher struct {
	url, prefix string
	batch       int
	every       time.Duration

	next                                  int
	sent, refused, connErrors, retryAfter int
	acked                                 []string
}

var pushSeq atomic.Int64

func (p *pusher) run(ctx context.Context) {
	t := time.NewTicker(p.every)
	defer t.Stop()
	client := &http.Client{Timeout: 10 * time.Second}
	for ctx.Err() == nil {
		var body bytes.Buffer
		ids := make([]string, p.batch)
		for i := range p.batch {
			n := pushSeq.Add(1)
			ids[i] = p.prefix + strconv.Itoa(p.next)
			p.next++
			fmt.Fprintf(&body, `{"id":%q,"source":"push","text":"Acme pushed post %d","created_at":%q}`+"\n",
				ids[i], n, faultEpoch.Add(time.Duration(n)*time.Millisecond).Format(time.RFC3339Nano))
		}
		p.sent += p.batch
		for ctx.Err() == nil {
			req, _ := http.NewRequestWithContext(ctx, "POST", p.url, bytes.NewReader(body.Bytes()))
			req.Header.Set("Authorization", "Bearer "+faultToken)
			req.Header.Set("Content-Type", "application/x-ndjson")
			resp, err := client.Do(req)
			if err != nil {
				if ctx.Err() == nil {
					p.connErrors++
					sleepCtx(ctx, 100*time.Millisecond)
				}
				continue
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				for i := range ids {
					ids[i] = "push:" + ids[i]
				}
				p.acked = append(p.acked, ids...)
				break
			}
			p.refused++
			wait := 200 * time.Millisecond
			if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil {
				p.retryAfter++
				wait = time.Duration(s) * time.Second
			}
			sleepCtx(ctx, wait)
		}
		select {
		case <-ctx.Done():
		case <-t.C:
		}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// serveChild is a child `earshot serve`, restartable on the same address.
type serveChild struct {
	t         *testing.T
	cfg, dir  string
	base      string
	cmd       *exec.Cmd
	stderr    *lockedWriter
	starts    int
	peakRSS   atomic.Int64 // KiB, over every run
	stopWatch chan struct{}
}

// start starts the child; it may be called from any goroutine.
func (c *serveChild) start() {
	cmd := exec.Command(earshotBin, "serve", "--config", c.cfg)
	cmd.Env = append(os.Environ(), faultDirEnv+"="+c.dir, faultTokenEnv+"="+faultToken)
	c.stderr = &lockedWriter{w: &bytes.Buffer{}}
	cmd.Stderr = c.stderr
	if err := cmd.Start(); err != nil {
		c.t.Error(err)
		return
	}
	c.cmd = cmd
	c.starts++
	c.stopWatch = make(chan struct{})
	go c.watchRSS(cmd.Process.Pid, c.stopWatch)
}

// waitReady waits until the child answers /metrics.
func (c *serveChild) waitReady() {
	c.t.Helper()
	for range 600 {
		if resp, err := http.Get(c.base + "/metrics"); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.t.Fatalf("earshot serve did not answer within 30s:\n%s", c.stderr)
}

// watchRSS keeps the largest peak resident size (VmHWM) of pid.
func (c *serveChild) watchRSS(pid int, stop chan struct{}) {
	for {
		if kb := vmHWM(pid); kb > c.peakRSS.Load() {
			c.peakRSS.Store(kb)
		}
		select {
		case <-stop:
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func vmHWM(pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb
		}
	}
	return 0
}

func (c *serveChild) kill() {
	if c.cmd == nil || c.cmd.ProcessState != nil {
		return
	}
	c.cmd.Process.Signal(syscall.SIGKILL)
	c.cmd.Wait()
	close(c.stopWatch)
}

// term sends SIGTERM and returns how long the child took to exit. It may
// be called from any goroutine.
func (c *serveChild) term() float64 {
	if kb := vmHWM(c.cmd.Process.Pid); kb > c.peakRSS.Load() {
		c.peakRSS.Store(kb)
	}
	start := time.Now()
	c.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- c.cmd.Wait() }()
	select {
	case err := <-done:
		close(c.stopWatch)
		if err != nil {
			c.t.Errorf("earshot serve exited with %v:\n%s", err, c.stderr)
		}
	case <-time.After(60 * time.Second):
		c.t.Errorf("earshot serve did not stop within 60s of SIGTERM")
		c.kill()
	}
	return math.Round(time.Since(start).Seconds()*10) / 10
}

// metrics reads the child's /metrics, series without labels by name
// (and collector series under their bare name).
func (c *serveChild) metrics() map[string]float64 {
	out := map[string]float64{}
	resp, err := http.Get(c.base + "/metrics")
	if err != nil {
		return out
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		if i := strings.IndexByte(name, '{'); i >= 0 {
			name = name[:i]
		}
		v, _ := strconv.ParseFloat(strings.TrimSpace(value[strings.LastIndexByte(value, ' ')+1:]), 64)
		out[name] = v
	}
	return out
}

type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.String()
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func soak() bool { return os.Getenv("EARSHOT_FAULT_SOAK") != "" }

// skipFault skips fault runs in -short mode, and runs them in parallel
// with each other otherwise: they wait on the wall clock far more than
// they compute.
func skipFault(t *testing.T) {
	if testing.Short() {
		t.Skip("fault tests start child processes for tens of seconds; not short")
	}
	t.Parallel()
}

// TestFaultKillAndFreeze is the run on DuckDB: a feed growing 20
// items a second collected every second, a client pushing 50 posts every
// half second, the store frozen, and SIGKILL and restart while it is
// frozen (so the posts waiting for it are only in the spool).
func TestFaultKillAndFreeze(t *testing.T) {
	skipFault(t)
	plan := faultPlan{
		load: 20 * time.Second, feedRate: 20, pushers: 1, pushBatch: 50, pushEvery: 500 * time.Millisecond,
		freezeAt: 4 * time.Second, freezeFor: 8 * time.Second, killAt: 8 * time.Second, spoolBytes: 64 << 20,
	}
	if soak() {
		plan.load, plan.freezeAt, plan.freezeFor, plan.killAt = 60*time.Second, 25*time.Second, 15*time.Second, 32*time.Second
	}
	dir := t.TempDir()
	plan.store = "duckdb://" + filepath.Join(dir, "e.duckdb")
	plan.count = duckCount(filepath.Join(dir, "e.duckdb"))
	rep := runFault(t, "kill+freeze duckdb", plan)
	if rep.Restarts != 1 || rep.Acked == 0 || rep.FeedItems == 0 {
		t.Errorf("the run did not happen as planned: %+v", rep)
	}
}

// TestFaultBurstStoreRefusing bursts ten times the load (a feed
// growing 200 items a second, 1,000 pushed posts a second from four
// clients) with a 1 MiB spool while the store refuses every write for a
// while: the spool fills, ingest answers 503 with Retry-After, the
// collector pauses, memory stays bounded, and nothing acknowledged is lost.
func TestFaultBurstStoreRefusing(t *testing.T) {
	skipFault(t)
	plan := faultPlan{
		load: 15 * time.Second, feedRate: 200, pushers: 4, pushBatch: 125, pushEvery: 500 * time.Millisecond,
		freezeAt: 4 * time.Second, freezeFor: 6 * time.Second, refuse: true, spoolBytes: 1 << 20,
	}
	if soak() {
		// Three minutes, the store refusing for one, with an 8 MiB spool
		// that fills and stays full for most of that minute.
		plan.load, plan.freezeAt, plan.freezeFor = 3*time.Minute, 60*time.Second, 60*time.Second
		plan.spoolBytes = 8 << 20
	}
	dir := t.TempDir()
	plan.store = "duckdb://" + filepath.Join(dir, "e.duckdb")
	plan.count = duckCount(filepath.Join(dir, "e.duckdb"))
	rep := runFault(t, "burst+refuse duckdb", plan)
	if !soak() && rep.RetryAfter == 0 {
		t.Errorf("no 503 with Retry-After while the spool was full: %+v", rep)
	}
}

// TestFaultTermWhileFrozen sends SIGTERM under load while the store hangs:
// the shutdown ends within its bound (shutdown_timeout 20s: 5s for
// requests, 10s to drain), refusing what comes after, the posts the store
// did not take stay spooled, and the restarted serve stores them once.
func TestFaultTermWhileFrozen(t *testing.T) {
	skipFault(t)
	plan := faultPlan{
		load: 15 * time.Second, feedRate: 20, pushers: 2, pushBatch: 50, pushEvery: 250 * time.Millisecond,
		freezeAt: 3 * time.Second, freezeFor: 25 * time.Second, termAt: 6 * time.Second, spoolBytes: 64 << 20,
	}
	dir := t.TempDir()
	plan.store = "duckdb://" + filepath.Join(dir, "e.duckdb")
	plan.count = duckCount(filepath.Join(dir, "e.duckdb"))
	rep := runFault(t, "term+freeze duckdb", plan)
	if rep.Restarts != 1 || rep.TermSeconds < 1 {
		t.Errorf("the run did not happen as planned: %+v", rep)
	}
	if rep.RetryAfter == 0 {
		t.Errorf("no 503 with Retry-After while shutting down: %+v", rep)
	}
}
